import { parseArgs } from 'node:util';
import type { DomainError } from '../domain/result.ts';
import type { Role } from '../domain/user.ts';
import { describeError } from '../i18n/error-messages.ts';
import type { Core } from '../wiring.ts';

export interface FlagSpec {
  type: 'string' | 'boolean';
  required?: boolean;
  /** What the flag takes, shown in errors and help, e.g. "two-letter country code, e.g. HU". */
  help: string;
}

export type Flags = Record<string, string | boolean | undefined>;

export interface CliContext {
  /**
   * Opens the database on first use, so `--help` and usage errors need no database. It is migrated
   * first unless `migrate: false` (only `imi migrate` asks so, to report what it applied itself).
   */
  core(options?: { migrate?: boolean }): Promise<Core>;
  json: boolean;
  out(line: string): void;
}

export interface Command {
  /** The words that name it, e.g. ["authority", "add"]. */
  path: string[];
  summary: string;
  flags: Record<string, FlagSpec>;
  /** Bare words after the command path (e.g. the question of `faq ask`). */
  positional?: string;
  run(ctx: CliContext, flags: Flags, positionals: string[]): Promise<unknown>;
}

/** A usage or validation problem: printed as one line, exit code 2. */
export class CliError extends Error {}

/** Which flag a domain error's field came from. */
const FIELD_FLAGS: Record<string, string> = {
  lang: 'lang',
  coordinator: 'coordinator',
  slack: 'slack',
  teams: 'teams',
  web: 'id',
};

/** Turns a domain error into a CliError naming the flag it concerns. */
export function domainFailure(core: Core, error: DomainError): CliError {
  const message = describeError(core.i18n, 'en', error);
  const flag = error.field ? `--${FIELD_FLAGS[error.field] ?? error.field}` : null;
  return new CliError(flag ? `${flag}: ${message}` : message);
}

export function parseFlags(cmd: Command, args: string[]): { flags: Flags; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries({ ...cmd.flags, json: { type: 'boolean', help: '' } as FlagSpec }).map(([name, spec]) => [name, { type: spec.type }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    const unknown = /Unknown option '([^']+)'/.exec(String((err as Error).message));
    if (unknown) throw new CliError(`${unknown[1]} is not a flag of "imi ${cmd.path.join(' ')}". ${usage(cmd)}`);
    const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(String((err as Error).message));
    if (missing) throw new CliError(`${missing[1].split(',').pop()!.trim()} needs a value: ${helpOf(cmd, missing[1])}`);
    throw new CliError(String((err as Error).message));
  }
  for (const [name, spec] of Object.entries(cmd.flags)) {
    const value = parsed.values[name];
    if (spec.required && (value === undefined || value === '')) {
      throw new CliError(`--${name} is required: ${spec.help}. ${usage(cmd)}`);
    }
  }
  if (!cmd.positional && parsed.positionals.length > 0) {
    throw new CliError(`Unexpected "${parsed.positionals[0]}". ${usage(cmd)}`);
  }
  return { flags: parsed.values as Flags, positionals: parsed.positionals };
}

function helpOf(cmd: Command, option: string): string {
  const name = option.replace(/^-+/, '').split(/[ ,]/)[0]!;
  return cmd.flags[name]?.help ?? 'a value';
}

export function usage(cmd: Command): string {
  const flags = Object.entries(cmd.flags)
    .map(([n, s]) => (s.required ? `--${n} ${s.type === 'string' ? 'VALUE' : ''}`.trim() : `[--${n}${s.type === 'string' ? ' VALUE' : ''}]`))
    .join(' ');
  return `Usage: imi ${cmd.path.join(' ')}${cmd.positional ? ` ${cmd.positional}` : ''} ${flags} [--json]`.replace(/\s+/g, ' ').trim();
}

/** Splits "a,b , c" into ["a","b","c"]; undefined stays undefined. */
export const list = (v: string | boolean | undefined): string[] | undefined =>
  typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;

export const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The flags that describe what an official is and may do, shared by `user add`, `user update` and `invite`. */
export const personFlags = (help: { roles?: string; areas?: string; nameRequired?: boolean } = {}): Record<string, FlagSpec> => ({
  name: { type: 'string', required: help.nameRequired, help: "the user's full name" },
  lang: { type: 'string', help: 'preferred language code, e.g. hu' },
  roles: { type: 'string', help: help.roles ?? 'roles, comma-separated: handler, local_admin, coordinator' },
  areas: { type: 'string', help: help.areas ?? 'legislative areas the user holds rights in, comma-separated' },
});

export const personInput = (f: Flags) => ({
  name: str(f.name),
  language: str(f.lang),
  roles: list(f.roles) as Role[] | undefined,
  areas: list(f.areas),
});

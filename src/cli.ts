import { readConfig } from './config.ts';
import { openCore, type Core } from './wiring.ts';
import { CliError, parseFlags, usage, type CliContext, type Command } from './cli/command.ts';
import { setupCommands } from './cli/setup.commands.ts';
import { peopleCommands } from './cli/people.commands.ts';
import { requestCommands } from './cli/requests.commands.ts';
import { remindersCommands } from './cli/reminders.commands.ts';
import { adminCommands } from './cli/admin.commands.ts';
import { helpdeskCommands } from './cli/helpdesk.commands.ts';
import { retentionCommands } from './cli/retention.commands.ts';
import { coordinatorCommands } from './cli/coordinator.commands.ts';

/** Every `imi` command; later issues add theirs to this list. */
export const COMMANDS: Command[] = [
  ...setupCommands,
  ...peopleCommands,
  ...requestCommands,
  ...remindersCommands,
  ...adminCommands,
  ...helpdeskCommands,
  ...retentionCommands,
  ...coordinatorCommands,
];

function findCommand(argv: string[]): { cmd: Command; rest: string[] } | null {
  const matches = COMMANDS.filter((c) => c.path.every((w, i) => argv[i] === w)).sort((a, b) => b.path.length - a.path.length);
  const cmd = matches[0];
  return cmd ? { cmd, rest: argv.slice(cmd.path.length) } : null;
}

const overview = () =>
  ['Usage: imi <command> [flags] [--json]', '', ...COMMANDS.map((c) => `  imi ${c.path.join(' ').padEnd(22)} ${c.summary}`)].join('\n');

// A reader that stops early (`imi requests list | head`) is not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

/** Runs one CLI invocation; returns the exit code. With --json, stdout carries one JSON document only. */
export async function runCli(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(overview() + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    process.stderr.write(`imi: "${argv.filter((a) => !a.startsWith('-')).join(' ')}" is not a command. Run "imi --help" for the list.\n`);
    return 2;
  }
  if (found.rest.includes('--help')) {
    process.stdout.write(`${usage(found.cmd)}\n${found.cmd.summary}\n`);
    return 0;
  }
  let core: Core | null = null;
  const ctx: CliContext = {
    json,
    out: (line) => {
      if (!json) process.stdout.write(line + '\n');
    },
    core: async ({ migrate = true } = {}) => {
      if (!core) {
        core = await openCore(readConfig().databaseUrl);
        if (migrate) await core.deps.store.migrate();
      }
      return core;
    },
  };
  try {
    const { flags, positionals } = parseFlags(found.cmd, found.rest);
    const result = await found.cmd.run(ctx, flags, positionals);
    if (json) process.stdout.write(JSON.stringify(result ?? null, null, 2) + '\n');
    return 0;
  } catch (err) {
    const message = err instanceof CliError ? err.message : `unexpected failure: ${err instanceof Error ? err.message : String(err)}`;
    process.stderr.write(`imi: ${message}\n`);
    return err instanceof CliError ? 2 : 1;
  } finally {
    await (core as Core | null)?.close();
  }
}

if (process.argv[1] && /src[\\/]cli\.ts$/.test(process.argv[1])) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

import fs from 'node:fs';
import { CLI_ACTOR } from '../app/admin/principal.ts';
import { importAuthorities, importUsers, type ImportOutcome, type ImportProblem } from '../app/coordinator/bulk-import.ts';
import {
  AUTHORITY_COLUMNS,
  REQUIRED_AUTHORITY_COLUMNS,
  REQUIRED_USER_COLUMNS,
  USER_COLUMNS,
  type RecordRow,
} from '../app/coordinator/record-columns.ts';
import { describeError } from '../i18n/error-messages.ts';
import type { Core } from '../wiring.ts';
import { CliError, usage, type CliContext, type Command } from './command.ts';
import { CsvError, decodeUtf8, parseCsv, type CsvTable } from './csv.ts';
import { progressBar } from './progress.ts';

/** A problem as reported: its line, the column when known, a stable code and words. */
interface ReportedProblem {
  line: number;
  column?: string;
  code: string;
  message: string;
}

type Kind = 'authorities' | 'users';

const SPEC = {
  authorities: { columns: AUTHORITY_COLUMNS as readonly string[], required: REQUIRED_AUTHORITY_COLUMNS as string[] },
  users: { columns: USER_COLUMNS as readonly string[], required: REQUIRED_USER_COLUMNS as string[] },
};

/** Other names people give the columns in their spreadsheets. */
const ALIASES: Record<string, string> = { lang: 'language', coordinator_id: 'coordinator', authority_id: 'authority', timezone_iana: 'timezone' };

function readTable(file: string): CsvTable {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return parseCsv(decodeUtf8(bytes));
  } catch (err) {
    if (err instanceof CsvError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
}

/** Which column each position of the header holds; a header that cannot be read stops the import. */
function columnsOf(kind: Kind, file: string, header: string[]): string[] {
  const { columns, required } = SPEC[kind];
  const names = header.map((h) => {
    const key = h.toLowerCase().replace(/[\s-]+/g, '_');
    return ALIASES[key] ?? key;
  });
  const unknown = header.filter((_, i) => !columns.includes(names[i]!));
  if (unknown.length > 0) {
    throw new CliError(`${file}: unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')} in line 1. Columns of ${kind}: ${columns.join(', ')}.`);
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new CliError(`${file}: the column "${twice}" appears twice in line 1.`);
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new CliError(`${file}: line 1 lacks the required column(s) ${missing.join(', ')}. Columns of ${kind}: ${columns.join(', ')}.`);
  return names;
}

function report(core: Core, problems: ImportProblem[]): ReportedProblem[] {
  return problems.map((p) => ({
    line: p.line,
    ...(p.column ? { column: p.column } : {}),
    code: p.error.code,
    message: describeError(core.i18n, 'en', p.error),
  }));
}

const nf = new Intl.NumberFormat('en');

async function runImport(ctx: CliContext, kind: Kind, file: string, dryRun: boolean) {
  const table = readTable(file);
  const names = columnsOf(kind, file, table.header);
  const structural: ReportedProblem[] = [];
  const rows: RecordRow<string>[] = [];
  for (const record of table.records) {
    if (record.fields.length !== names.length) {
      structural.push({
        line: record.line,
        code: 'CSV.FIELD_COUNT',
        message: `has ${record.fields.length} field(s) where line 1 names ${names.length} (separator "${table.delimiter}"; quote fields that contain it)`,
      });
      continue;
    }
    rows.push({ line: record.line, cells: Object.fromEntries(names.map((n, i) => [n, record.fields[i]!])) });
  }
  const core = await ctx.core();
  const bar = progressBar(process.stderr, table.records.length);
  const options = {
    dryRun: dryRun || structural.length > 0,
    onProgress: (phase: 'check' | 'write', done: number, total: number) => bar.update(phase === 'check' ? 'checking' : 'writing', done, total),
  };
  const present = new Set(names);
  let outcome: ImportOutcome;
  try {
    outcome =
      kind === 'authorities'
        ? await importAuthorities(core.deps, rows as RecordRow<(typeof AUTHORITY_COLUMNS)[number]>[], present as Set<(typeof AUTHORITY_COLUMNS)[number]>, CLI_ACTOR, options)
        : await importUsers(core.deps, rows as RecordRow<(typeof USER_COLUMNS)[number]>[], present as Set<(typeof USER_COLUMNS)[number]>, CLI_ACTOR, options);
  } finally {
    bar.done();
  }
  const problems = [...structural, ...(outcome.ok ? [] : report(core, outcome.problems))].sort((a, b) => a.line - b.line);
  if (problems.length > 0) {
    if (ctx.json) process.stdout.write(JSON.stringify({ file, kind, imported: false, problems }, null, 2) + '\n');
    const lines = problems.map((p) => `  line ${p.line}${p.column ? ` (${p.column})` : ''}: ${p.message}`);
    throw new CliError(`${file}: ${problems.length} row(s) cannot be imported, so nothing was imported:\n${lines.join('\n')}`);
  }
  if (!outcome.ok) throw new CliError(`${file}: nothing was imported`);
  const { created, updated, unchanged } = outcome;
  const verb = outcome.written ? 'Imported' : 'Checked (dry run, nothing written)';
  ctx.out(
    `${verb} ${file}: ${nf.format(table.records.length)} ${kind}: ${nf.format(created)} new, ${nf.format(updated)} updated, ${nf.format(unchanged)} unchanged.`,
  );
  return { file, kind, imported: outcome.written, rows: table.records.length, created, updated, unchanged, delimiter: table.delimiter };
}

/** `imi import authorities FILE.csv` and `imi import users FILE.csv`. */
export function importCommand(kind: Kind): Command {
  const { columns, required } = SPEC[kind];
  const cmd: Command = {
    path: ['import', kind],
    summary: `Register or update ${kind} from a UTF-8 CSV file, all or nothing. Columns: ${columns.join(', ')} (${required.join(', ')} required).`,
    positional: 'FILE.csv',
    flags: { 'dry-run': { type: 'boolean', help: 'check every row and report, but write nothing' } },
    async run(ctx, f, positionals) {
      if (positionals.length !== 1) throw new CliError(`Give one CSV file. ${usage(cmd)}`);
      return runImport(ctx, kind, positionals[0]!, f['dry-run'] === true);
    },
  };
  return cmd;
}

import fs from 'node:fs';
import { CLI_ACTOR } from '../app/admin/principal.ts';
import { showScoreboard, type Scoreboard } from '../app/coordinator/scoreboard.ts';
import type { Figures, ShareIndicator } from '../domain/scoreboard.ts';
import { exportAuthorities, exportRequests, exportUsers, REQUEST_COLUMNS } from '../app/coordinator/export-records.ts';
import { AUTHORITY_COLUMNS, USER_COLUMNS } from '../app/coordinator/record-columns.ts';
import { CliError, domainFailure, str, type CliContext, type Command, type Flags } from './command.ts';
import { toCsv } from './csv.ts';
import { importCommand } from './import-file.ts';

/**
 * Coordinator tools for scripts and operators (issue 14): the scoreboard, bulk import of
 * authorities and users from CSV, and exports of a coordinator's records.
 */

const scopeFlags: Command['flags'] = {
  coordinator: { type: 'string', help: 'only the authorities this authority coordinates, e.g. hu-nimic' },
  country: { type: 'string', help: 'only authorities of this country, e.g. HU' },
};

const share = (s: ShareIndicator): string => (s.percent === null ? '-' : `${s.percent}% ${s.light}`);
const days = (f: Figures): string =>
  f.averageDaysToAnswer.days === null ? '-' : `${f.averageDaysToAnswer.days} ${f.averageDaysToAnswer.light}`;

const COLUMNS = ['received', 'accepted <=7 days', 'avg days to answer', 'answered on time', 'open', 'overdue'];

const cells = (f: Figures): string[] => [
  String(f.received), share(f.acceptedWithin7Days), days(f), share(f.answeredByDeadline), String(f.open), String(f.overdue),
];

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd());
}

function printScoreboard(ctx: CliContext, b: Scoreboard): void {
  const R = b.rules;
  const scope = [b.scope.coordinator && `coordinated by ${b.scope.coordinator}`, b.scope.country, b.scope.area].filter(Boolean).join(', ');
  ctx.out(`Scoreboard ${b.period.from} to ${b.period.to} (${scope || 'all authorities'}), requests by the day they were sent`);
  ctx.out(
    `Lights: accepted within ${R.acceptanceDays} days green >= ${R.acceptanceTarget}%, amber >= ${R.acceptanceAmberFrom}%; ` +
      `average days to answer green < ${R.answerGreenBelow}, red > ${R.answerRedAbove}; ` +
      `answered by the deadline green >= ${R.deadlineTarget}%, amber >= ${R.deadlineAmberFrom}%. Open and overdue as of today.`,
  );
  ctx.out('');
  for (const line of table([['', ...COLUMNS], ['TOTAL', ...cells(b.total)]])) ctx.out(line);
  ctx.out('\nBy country');
  for (const line of table([['country', ...COLUMNS], ...b.countries.map((c) => [c.country, ...cells(c)])])) ctx.out(line);
  ctx.out('\nBy legislative area');
  if (b.areas.length === 0) ctx.out('  (no requests)');
  else for (const line of table([['area', ...COLUMNS], ...b.areas.map((a) => [a.area, ...cells(a)])])) ctx.out(line);
  ctx.out('\nBy authority');
  if (b.authorities.length === 0) ctx.out('  (no authorities in scope)');
  else for (const line of table([['authority', 'country', ...COLUMNS], ...b.authorities.map((a) => [a.id, a.country, ...cells(a)])])) ctx.out(line);
}

type ExportKind = 'authorities' | 'users' | 'requests';

async function exportRows(ctx: CliContext, kind: ExportKind, f: Flags) {
  const core = await ctx.core();
  const input = { coordinatorAuthorityId: str(f.coordinator), country: str(f.country) };
  const r =
    kind === 'authorities'
      ? await exportAuthorities(core.deps, input, CLI_ACTOR)
      : kind === 'users'
        ? await exportUsers(core.deps, input, CLI_ACTOR)
        : await exportRequests(core.deps, input, CLI_ACTOR);
  if (!r.ok) throw domainFailure(core, r.error);
  return r.value as unknown as Record<string, string | null>[];
}

const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = {
  authorities: AUTHORITY_COLUMNS,
  users: USER_COLUMNS,
  requests: REQUEST_COLUMNS,
};

function exportCommand(kind: ExportKind, summary: string): Command {
  return {
    path: ['export', kind],
    summary,
    flags: {
      format: { type: 'string', help: 'csv (default) or json' },
      output: { type: 'string', help: 'write to this file instead of standard output' },
      ...scopeFlags,
    },
    async run(ctx, f) {
      const format = str(f.format) ?? 'csv';
      if (format !== 'csv' && format !== 'json') throw new CliError(`--format: "${format}" is not a format; use csv or json`);
      const rows = await exportRows(ctx, kind, f);
      const body = format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : toCsv(EXPORT_COLUMNS[kind], rows);
      const output = str(f.output);
      if (output) {
        fs.writeFileSync(output, body, 'utf8');
        ctx.out(`Wrote ${rows.length} ${kind} to ${output} (${format}).`);
        return { file: output, format, rows: rows.length };
      }
      // With --json the rows are the one JSON document on stdout, whatever --format says.
      if (!ctx.json) process.stdout.write(body);
      return rows;
    },
  };
}

export const coordinatorCommands: Command[] = [
  {
    path: ['scoreboard'],
    summary: 'Acceptance within 7 days, time to answer, answers on time, open and overdue: per authority, area and country.',
    flags: {
      from: { type: 'string', help: 'first day of the period, YYYY-MM-DD (default: 90 days before --to)' },
      to: { type: 'string', help: 'last day of the period, YYYY-MM-DD (default: today)' },
      area: { type: 'string', help: 'only requests of this legislative area, e.g. services' },
      ...scopeFlags,
    },
    async run(ctx, f) {
      const core = await ctx.core();
      const r = await showScoreboard(
        core.deps,
        { from: str(f.from), to: str(f.to), area: str(f.area), country: str(f.country), coordinatorAuthorityId: str(f.coordinator) },
        CLI_ACTOR,
      );
      if (!r.ok) throw domainFailure(core, r.error);
      printScoreboard(ctx, r.value);
      return r.value;
    },
  },
  importCommand('authorities'),
  importCommand('users'),
  exportCommand('authorities', 'Write authorities as CSV (the columns `imi import authorities` reads) or JSON.'),
  exportCommand('users', 'Write active users as CSV (the columns `imi import users` reads) or JSON.'),
  exportCommand('requests', 'Write request metadata as CSV or JSON: ids, area, status, authorities, deadlines, times; no personal data.'),
];

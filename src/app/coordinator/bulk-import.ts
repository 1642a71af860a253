import { coordinates, type Principal } from '../../domain/admin.ts';
import { DEFAULT_LANGUAGES, DEFAULT_TIMEZONES, validateAuthority, type Authority } from '../../domain/authority.ts';
import { fail, ok, type DomainError, type Result } from '../../domain/result.ts';
import { validateUser, type Identity, type Role, type User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import { resolvePrincipal, type AdminActor } from '../admin/principal.ts';
import type { AuditEntry } from '../ports/records.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import {
  COLUMN_OF_FIELD,
  CONTACT_COLUMNS,
  splitList,
  type AuthorityColumn,
  type RecordRow,
  type UserColumn,
} from './record-columns.ts';

/** A row that cannot be imported, and why. */
export interface ImportProblem {
  line: number;
  column?: string;
  error: DomainError;
}

export type ImportOutcome =
  | { ok: true; rows: number; created: number; updated: number; unchanged: number; written: boolean }
  | { ok: false; problems: ImportProblem[] };

export interface ImportOptions {
  /** Check every row and count what would change, but write nothing. */
  dryRun?: boolean;
  /** Told how far checking and then writing have got, e.g. to draw a progress bar. */
  onProgress?: (phase: 'check' | 'write', done: number, total: number) => void;
}

/** One write plan: new records, changed records, and how many rows matched what is stored. */
interface Plan<T> {
  create: T[];
  update: T[];
  unchanged: number;
}

const PROGRESS_EVERY = 250;

const problemOf = (line: number, error: DomainError): ImportProblem => ({
  line,
  ...(error.field ? { column: COLUMN_OF_FIELD[error.field] ?? error.field } : {}),
  error,
});

/** Compares records field by field; contact keys may come in any order. */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a, sortedKeys) === JSON.stringify(b, sortedKeys);
function sortedKeys(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

const cell = <C extends string>(row: RecordRow<C>, column: C): string => (row.cells[column] ?? '').trim();

/**
 * Checks every row in file order and sorts the good ones into a write plan. An id seen earlier in
 * the file is refused here, once for both kinds of record, before `check` sees the row.
 */
function planRows<T, C extends string>(
  rows: RecordRow<C>[],
  options: ImportOptions,
  check: (row: RecordRow<C>, index: number) => Result<{ value: T; existing: T | undefined }>,
): { problems: ImportProblem[]; plan: Plan<T> } {
  const problems: ImportProblem[] = [];
  const firstLine = new Map<string, number>();
  const plan: Plan<T> = { create: [], update: [], unchanged: 0 };
  for (const [i, row] of rows.entries()) {
    if (i % PROGRESS_EVERY === 0) options.onProgress?.('check', i, rows.length);
    const id = cell(row as RecordRow<string>, 'id');
    const seen = firstLine.get(id);
    if (id && seen !== undefined) {
      problems.push(problemOf(row.line, { code: 'IMPORT.DUPLICATE_ID', params: { id, line: seen }, field: 'id' }));
      continue;
    }
    firstLine.set(id, row.line);
    const checked = check(row, i);
    if (!checked.ok) problems.push(problemOf(row.line, checked.error));
    else if (!checked.value.existing) plan.create.push(checked.value.value);
    else if (same(checked.value.existing, checked.value.value)) plan.unchanged += 1;
    else plan.update.push(checked.value.value);
  }
  options.onProgress?.('check', rows.length, rows.length);
  return { problems, plan };
}

/**
 * Registers or updates many authorities at once, all or nothing. Every row is checked first
 * (the same rules as `imi authority add`, ids unique in the file and the database); one bad
 * row means nothing is written and every problem is reported with its line. Rows identical to
 * what is stored are skipped; rows that differ update the authority (the file is the master
 * for the columns it has; columns it lacks keep their stored values).
 */
export async function importAuthorities(
  deps: AppDeps,
  rows: RecordRow<AuthorityColumn>[],
  present: ReadonlySet<AuthorityColumn>,
  by: AdminActor,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const principal = await resolvePrincipal(deps.store, by);
  if (!principal.ok) return { ok: false, problems: [{ line: 0, error: principal.error }] };
  return deps.store.transaction(async (tx) => {
    const fileIds = new Set(rows.map((r) => cell(r, 'id')).filter(Boolean));
    const coordinatorIds = rows.map((r) => cell(r, 'coordinator')).filter((c) => c && !fileIds.has(c));
    const stored = await tx.bulk.authoritiesByIds([...fileIds, ...new Set(coordinatorIds)]);
    const { problems, plan } = planRows(rows, options, (row) => {
      const id = cell(row, 'id');
      const existing = stored.get(id);
      if (existing?.training) return fail('AUTHORITY.ALREADY_EXISTS', { id }, 'id');
      const valid = validateAuthority(authorityCandidate(row, present, existing?.authority), deps.areas);
      if (!valid.ok) return valid;
      const a = valid.value;
      if (a.coordinatorId && a.coordinatorId !== a.id && !fileIds.has(a.coordinatorId) && !stored.has(a.coordinatorId)) {
        return fail('AUTHORITY.COORDINATOR_NOT_FOUND', { id: a.coordinatorId }, 'coordinator');
      }
      if (!coordinates(principal.value, a) || (existing && !coordinates(principal.value, existing.authority))) return fail('ADMIN.FORBIDDEN');
      return ok({ value: a, existing: existing?.authority });
    });
    if (problems.length > 0) return { ok: false, problems };
    if (!options.dryRun) {
      await tx.bulk.insertAuthorities(plan.create);
      options.onProgress?.('write', plan.create.length, plan.create.length + plan.update.length);
      for (const a of plan.update) await tx.authorities.update(a);
      const audit = (action: string) => (a: Authority) =>
        auditEntry(deps, principal.value, by, action, a.id, { country: a.country, areas: a.areas.join(','), import: true });
      await tx.bulk.appendAudit([...plan.create.map(audit('authority.add')), ...plan.update.map(audit('authority.update'))]);
      options.onProgress?.('write', plan.create.length + plan.update.length, plan.create.length + plan.update.length);
    }
    return { ok: true, rows: rows.length, created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged, written: !options.dryRun };
  });
}

function authorityCandidate(row: RecordRow<AuthorityColumn>, present: ReadonlySet<AuthorityColumn>, existing: Authority | undefined): Authority {
  const has = (c: AuthorityColumn) => present.has(c);
  const country = (has('country') ? cell(row, 'country') : existing?.country ?? '').toUpperCase();
  const contact: Authority['contact'] = { ...(existing?.contact ?? {}) };
  for (const c of CONTACT_COLUMNS) {
    if (!has(c)) continue;
    const value = cell(row, c);
    if (value) contact[c] = value;
    else delete contact[c];
  }
  return {
    id: cell(row, 'id'),
    name: has('name') ? cell(row, 'name') : existing?.name ?? '',
    country,
    language: (has('language') ? cell(row, 'language') : existing?.language) || DEFAULT_LANGUAGES[country] || 'en',
    timezone: (has('timezone') ? cell(row, 'timezone') : existing?.timezone) || DEFAULT_TIMEZONES[country] || 'UTC',
    areas: has('areas') ? splitList(row.cells.areas) : existing?.areas ?? [],
    coordinatorId: has('coordinator') ? cell(row, 'coordinator') || null : existing?.coordinatorId ?? null,
    contact,
    dataReviewedAt: existing?.dataReviewedAt ?? null,
  };
}

/**
 * Registers or updates many officials at once, all or nothing, like importAuthorities. Each
 * user gets a web login equal to their id, as with `imi user add`; the slack and teams columns
 * bind those identities, and an identity may belong to one user only, in the file and in the
 * database. A removed user cannot come back through an import.
 */
export async function importUsers(
  deps: AppDeps,
  rows: RecordRow<UserColumn>[],
  present: ReadonlySet<UserColumn>,
  by: AdminActor,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const principal = await resolvePrincipal(deps.store, by);
  if (!principal.ok) return { ok: false, problems: [{ line: 0, error: principal.error }] };
  return deps.store.transaction(async (tx) => {
    const ids = [...new Set(rows.map((r) => cell(r, 'id')).filter(Boolean))];
    const stored = await tx.bulk.usersByIds(ids);
    const authorityIds = [...new Set([...rows.map((r) => cell(r, 'authority')), ...[...stored.values()].map((u) => u.authorityId)])];
    const authorities = await tx.bulk.authoritiesByIds(authorityIds.filter(Boolean));
    const candidates = rows.map((row) => userCandidate(row, present, stored.get(cell(row, 'id'))));
    const owners = await tx.bulk.identityOwners(candidates.flatMap((u) => u.identities));
    const claimedBy = new Map<string, string>();
    const { problems, plan } = planRows(rows, options, (_row, i) => {
      const candidate = candidates[i]!;
      const id = candidate.id;
      const existing = stored.get(id);
      if (existing && !existing.active) return fail('IMPORT.USER_REMOVED', { id }, 'id');
      const found = authorities.get(candidate.authorityId);
      const authority = found && !found.training ? found.authority : null;
      const valid = validateUser(candidate, authority, deps.areas);
      if (!valid.ok) return valid;
      const taken = takenIdentity(valid.value, owners, claimedBy);
      if (taken) return fail('USER.IDENTITY_TAKEN', { identity: taken.externalId }, taken.channel);
      const before = existing ? authorities.get(existing.authorityId)?.authority : undefined;
      if (!coordinates(principal.value, authority!) || (before && !coordinates(principal.value, before))) return fail('ADMIN.FORBIDDEN');
      return ok({ value: valid.value, existing });
    });
    if (problems.length > 0) return { ok: false, problems };
    if (!options.dryRun) await writeUsers(tx, deps, principal.value, by, plan, options);
    return { ok: true, rows: rows.length, created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged, written: !options.dryRun };
  });
}

/** The first identity of a user already held by someone else, in the database or earlier in the file. */
function takenIdentity(u: User, owners: Map<string, string>, claimedBy: Map<string, string>): Identity | null {
  for (const identity of u.identities) {
    const key = `${identity.channel}:${identity.externalId}`;
    const owner = owners.get(key);
    const claimant = claimedBy.get(key);
    if ((owner && owner !== u.id) || (claimant && claimant !== u.id)) return identity;
  }
  for (const identity of u.identities) claimedBy.set(`${identity.channel}:${identity.externalId}`, u.id);
  return null;
}

function userCandidate(row: RecordRow<UserColumn>, present: ReadonlySet<UserColumn>, existing: User | undefined): User {
  const has = (c: UserColumn) => present.has(c);
  const id = cell(row, 'id');
  let identities: Identity[] = [...(existing?.identities ?? [{ channel: 'web', externalId: id }])];
  for (const channel of ['slack', 'teams'] as const) {
    if (!has(channel)) continue;
    const value = cell(row, channel);
    identities = identities.filter((i) => i.channel !== channel);
    if (value) identities.push({ channel, externalId: value });
  }
  const listed = splitList(row.cells.roles);
  // An empty roles cell means a handler, as `imi user add` without --roles.
  const roles = has('roles') ? (listed.length > 0 ? listed : ['handler']) : existing?.roles ?? ['handler'];
  // Stored identities come back ordered by channel and id; so that an unchanged row compares equal.
  identities.sort((a, b) => a.channel.localeCompare(b.channel) || a.externalId.localeCompare(b.externalId));
  return {
    id,
    authorityId: has('authority') ? cell(row, 'authority') : existing?.authorityId ?? '',
    name: has('name') ? cell(row, 'name') : existing?.name ?? '',
    language: has('language') ? cell(row, 'language').toLowerCase() || null : existing?.language ?? null,
    roles: roles as Role[],
    areas: has('areas') ? splitList(row.cells.areas) : existing?.areas ?? [],
    identities,
    active: existing?.active ?? true,
  };
}

async function writeUsers(tx: UnitOfWork, deps: AppDeps, principal: Principal, by: AdminActor, plan: Plan<User>, options: ImportOptions) {
  const total = plan.create.length + plan.update.length;
  await tx.bulk.insertUsers(plan.create);
  options.onProgress?.('write', plan.create.length, total);
  for (const u of plan.update) await tx.users.update(u);
  const audit = (action: string) => (u: User) =>
    auditEntry(deps, principal, by, action, u.id, { authority: u.authorityId, roles: u.roles.join(','), import: true });
  await tx.bulk.appendAudit([...plan.create.map(audit('user.add')), ...plan.update.map(audit('user.update'))]);
  options.onProgress?.('write', total, total);
}

const auditEntry = (
  deps: AppDeps,
  principal: Principal,
  by: AdminActor,
  action: string,
  target: string,
  details: AuditEntry['details'],
): AuditEntry => ({
  at: deps.clock.now().toISOString(),
  actorId: principal.kind === 'operator' ? principal.id : principal.user.id,
  channel: by.origin,
  action,
  target,
  details,
});

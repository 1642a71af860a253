import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import type { Store, UnitOfWork } from '../app/ports/repositories.ts';
import { authorityRepository } from './authority.knex.ts';
import { userRepository } from './user.knex.ts';
import { historyRepository, requestRepository } from './request.knex.ts';
import { auditRepository, outboxRepository } from './outbox.knex.ts';
import { reminderRepository } from './reminder.knex.ts';
import { migrationSource } from './migrations/index.ts';
import { channelStateRepository } from './channel-state.knex.ts';
import { translationRepository } from './translation.knex.ts';
import { invitationRepository } from './admin.knex.ts';
import { registerRepository } from './registers.knex.ts';
import { helpdeskRepository } from './helpdesk.knex.ts';
import { onboardingRepository, trainingRepository } from './onboarding.knex.ts';
import { retentionRepository } from './retention.knex.ts';
import { leaseRepository } from './lease.knex.ts';
import { scoreboardRepository } from './scoreboard.knex.ts';
import { chartRepository } from './charts.knex.ts';
import { bulkRepository } from './bulk.knex.ts';
import { cacheReadStatements, type Sqlite3Connection } from './sqlite-statements.ts';

const unitOfWork = (db: Knex | Knex.Transaction): UnitOfWork => ({
  authorities: authorityRepository(db),
  users: userRepository(db),
  requests: requestRepository(db),
  history: historyRepository(db),
  outbox: outboxRepository(db),
  audit: auditRepository(db),
  reminders: reminderRepository(db),
  channelState: channelStateRepository(db),
  translations: translationRepository(db),
  invitations: invitationRepository(db),
  registers: registerRepository(db),
  helpdesk: helpdeskRepository(db),
  onboarding: onboardingRepository(db),
  training: trainingRepository(db),
  retention: retentionRepository(db),
  leases: leaseRepository(db),
  scoreboard: scoreboardRepository(db),
  charts: chartRepository(db),
  bulk: bulkRepository(db),
});

const isPostgres = (databaseUrl: string): boolean => databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://');

/** A whole number from the environment within bounds, or the default; anything else stops the process with its name. */
function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name}="${raw}" is not valid: give a whole number from ${min} to ${max}`);
  return n;
}

/**
 * PostgreSQL settings: DATABASE_POOL_MAX connections per instance at most (default 10; several
 * instances share the server's max_connections), and DATABASE_STATEMENT_TIMEOUT_MS (default
 * 15000, 0 = none) so that one stuck statement cannot hold a connection and its locks forever.
 */
function postgresConfig(databaseUrl: string, env: NodeJS.ProcessEnv): Knex.Config {
  const max = envInteger(env, 'DATABASE_POOL_MAX', 10, 1, 1000);
  const statementTimeout = envInteger(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 0, 86_400_000);
  return {
    client: 'pg',
    connection: databaseUrl,
    pool: {
      min: 0,
      max,
      afterCreate: (conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, c: unknown) => void) => {
        conn.query(`SET statement_timeout = ${statementTimeout}`, (err) => done(err, conn));
      },
    },
  };
}

/** Turns DATABASE_URL into knex settings: `sqlite:<path>` or `postgres://…`. */
export function connectionConfig(databaseUrl: string, env: NodeJS.ProcessEnv = process.env): Knex.Config {
  if (isPostgres(databaseUrl)) return postgresConfig(databaseUrl, env);
  if (!databaseUrl.startsWith('sqlite:')) {
    throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${databaseUrl}")`);
  }
  const filename = databaseUrl.slice('sqlite:'.length) || 'data/imi.db';
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  return {
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      // WAL lets readers in other processes (CLI, a second server) work while one writes;
      // busy_timeout makes a writer wait for the lock instead of failing at once.
      afterCreate: (conn: Sqlite3Connection & { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, c: unknown) => void) => {
        cacheReadStatements(conn);
        // synchronous = NORMAL is WAL's own recommendation: commits no longer wait for a disk sync
        // (a power cut, not a crash, may lose the last commits; the file never corrupts). It halves a
        // chat turn's latency on a busy disk; deployments that need more go to PostgreSQL.
        conn.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;', (err) => done(err, conn));
      },
    },
  };
}

/**
 * Failures where running the whole unit of work again is the cure: sqlite's SQLITE_BUSY, and
 * PostgreSQL's serialization failure (40001) and deadlock (40P01), where the server rolled the
 * transaction back so that the other one could go on.
 */
const isRetryable = (err: unknown): boolean => {
  const code = String((err as { code?: string })?.code ?? '');
  return code === '40001' || code === '40P01' || /SQLITE_BUSY/.test(code || String(err));
};

/** Any number, the same in every instance: the advisory lock that lets one instance migrate at a time. */
const MIGRATION_LOCK = 746_942_001;

/**
 * Runs knex's migrations holding a PostgreSQL advisory lock on a connection of its own. knex's
 * own lock row protects the migrations, but creating its bookkeeping tables on a new database
 * is not atomic: instances starting together would trip over each other there.
 */
async function migrateExclusively(db: Knex, databaseUrl: string): Promise<number> {
  const lock = knex({ client: 'pg', connection: databaseUrl, pool: { min: 1, max: 1 } });
  try {
    await lock.raw('select pg_advisory_lock(?)', [MIGRATION_LOCK]);
    const [, applied] = await db.migrate.latest({
      migrationSource,
      // Building an index on a big table may take longer than DATABASE_STATEMENT_TIMEOUT_MS allows a query.
      beforeAll: async (trx) => {
        await trx.raw('SET LOCAL statement_timeout = 0');
      },
    });
    return applied.length;
  } finally {
    // Closing the session releases the lock too, also when unlocking failed.
    await lock.raw('select pg_advisory_unlock(?)', [MIGRATION_LOCK]).catch(() => {});
    await lock.destroy();
  }
}

/** The store on a knex connection: sqlite by default, PostgreSQL when DATABASE_URL says so. */
export function openStore(databaseUrl: string, env: NodeJS.ProcessEnv = process.env): Store & { db: Knex } {
  const db = knex(connectionConfig(databaseUrl, env));
  const engine = isPostgres(databaseUrl) ? 'postgres' : 'sqlite';
  return {
    db,
    ...unitOfWork(db),
    async transaction(work) {
      // sqlite answers SQLITE_BUSY when another process holds the write lock past busy_timeout,
      // or when a read snapshot went stale; PostgreSQL ends one of two deadlocked transactions.
      // Either way the whole unit of work is run again from the start.
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction((trx) => work(unitOfWork(trx)));
        } catch (err) {
          if (attempt >= 8 || !isRetryable(err)) throw err;
          await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
        }
      }
    },
    async ping() {
      await db.raw('select 1');
    },
    async status() {
      // Read each time: another instance may have migrated since this one started.
      const migration = (await db.schema.hasTable('knex_migrations'))
        ? ((await db('knex_migrations').orderBy('id', 'desc').first('name'))?.name ?? null)
        : null;
      return { engine, migration };
    },
    async migrate() {
      if (engine === 'postgres') return migrateExclusively(db, databaseUrl);
      const [, applied] = await db.migrate.latest({ migrationSource });
      return applied.length;
    },
    async close() {
      await db.destroy();
    },
  };
}

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
});

/** Turns DATABASE_URL into knex settings: `sqlite:<path>` or `postgres://…`. */
export function connectionConfig(databaseUrl: string): Knex.Config {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    return { client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 } };
  }
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
      afterCreate: (conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, c: unknown) => void) => {
        conn.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;', (err) => done(err, conn));
      },
    },
  };
}

const isBusy = (err: unknown): boolean => /SQLITE_BUSY/.test(String((err as { code?: string })?.code ?? err));

/** The store on a knex connection: sqlite by default, PostgreSQL when DATABASE_URL says so. */
export function openStore(databaseUrl: string): Store & { db: Knex } {
  const db = knex(connectionConfig(databaseUrl));
  return {
    db,
    ...unitOfWork(db),
    async transaction(work) {
      // sqlite answers SQLITE_BUSY when another process holds the write lock past busy_timeout,
      // or when a read snapshot went stale; the whole unit of work is run again from the start.
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction((trx) => work(unitOfWork(trx)));
        } catch (err) {
          if (attempt >= 8 || !isBusy(err)) throw err;
          await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
        }
      }
    },
    async ping() {
      await db.raw('select 1');
    },
    async migrate() {
      const [, applied] = await db.migrate.latest({ migrationSource });
      return applied.length;
    },
    async close() {
      await db.destroy();
    },
  };
}

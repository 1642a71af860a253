import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import { openStore } from '../../src/store/knex-store.ts';
import { tempDatabaseUrl } from './temp-db.ts';

/** The database engines the store runs on. */
export type Engine = 'sqlite' | 'postgres';

/** Where tests look for a PostgreSQL server when IMI_TEST_POSTGRES_URL is not set. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server tests create their databases on: a URL with rights to CREATE DATABASE. */
export const postgresAdminUrl = (): string => process.env.IMI_TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL;

let reachable: Promise<string | null> | null = null;

/** null when the PostgreSQL server answers, else why not (asked once per test file). */
export function postgresProblem(): Promise<string | null> {
  reachable ??= (async () => {
    const quiet = () => {};
    const db = knex({
      client: 'pg',
      connection: { connectionString: postgresAdminUrl(), connectionTimeoutMillis: 3000 },
      pool: { min: 0, max: 1 },
      // The reason is returned below; knex's own "Acquire connection error" line would only repeat it.
      log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
    });
    try {
      await db.raw('select 1');
      return null;
    } catch (err) {
      return `${redact(postgresAdminUrl())}: ${err instanceof Error ? err.message || err.name : String(err)}`;
    } finally {
      await db.destroy();
    }
  })();
  return reachable;
}

const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

let warned = false;

/**
 * The engines a store test runs on: sqlite always, PostgreSQL when a server answers. Outside CI
 * a missing server skips PostgreSQL with a printed reason; with CI=true it is an error, so a
 * broken CI set-up can never pass by testing one engine only.
 */
export async function testEngines(): Promise<Engine[]> {
  const problem = await postgresProblem();
  if (problem === null) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but no PostgreSQL server answers (${problem}); set IMI_TEST_POSTGRES_URL`);
  }
  if (!warned) {
    warned = true;
    console.warn(`PostgreSQL tests skipped: no server reachable (${problem}); set IMI_TEST_POSTGRES_URL to run them`);
  }
  return ['sqlite'];
}

/** Whether PostgreSQL tests can run here; the same rules as testEngines(). */
export const postgresAvailable = async (): Promise<boolean> => (await testEngines()).includes('postgres');

/** The URL of a database on the same server, named `name`. */
function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

let admin: Knex | null = null;
const adminDb = (): Knex => (admin ??= knex({ client: 'pg', connection: postgresAdminUrl(), pool: { min: 0, max: 2 } }));

const randomName = (prefix: string) => `${prefix}_${crypto.randomBytes(6).toString('hex')}`;

/**
 * A copy of database `template` named `name`. FILE_COPY (PostgreSQL 15) copies a small database
 * much faster than the default WAL_LOG; older servers do not know the option and get the default.
 */
async function copyDatabase(template: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminDb().raw(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '42601') {
        await adminDb().raw(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      }
      // 55006: a connection to the template is still closing.
      if (code !== '55006' || attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const dropper = (name: string) => async () => {
  // FORCE ends connections a test left open (PostgreSQL 13 and later).
  await adminDb().raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
};

/**
 * A new, empty PostgreSQL database (imi_test_<random>). The C collation makes ORDER BY on text
 * compare code points, as sqlite does, whatever locale the server was initialised with.
 */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = randomName('imi_test');
  await adminDb().raw(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  return { url: withDatabase(postgresAdminUrl(), name), drop: dropper(name) };
}

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/store/migrations');

let template: Promise<string> | null = null;

/**
 * A migrated, empty database to copy, named after a hash of the migration sources: built once
 * per schema and server, shared by every test file, rebuilt when a migration changes. It is
 * built under another name and renamed when complete, so no file ever copies a half-built one.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const hash = crypto.createHash('sha256');
    for (const f of fs.readdirSync(MIGRATIONS_DIR).sort()) hash.update(f).update(fs.readFileSync(path.join(MIGRATIONS_DIR, f)));
    const name = `imi_template_${hash.digest('hex').slice(0, 16)}`;
    const exists = async () => (await adminDb().raw('select 1 from pg_database where datname = ?', [name])).rows.length > 0;
    if (await exists()) return name;
    const building = await createPostgresDatabase();
    const store = openStore(building.url);
    try {
      await store.migrate();
    } finally {
      await store.close();
    }
    const buildingName = new URL(building.url).pathname.slice(1);
    try {
      await adminDb().raw(`ALTER DATABASE ${buildingName} RENAME TO ${name}`);
    } catch (err) {
      // Another test file built the same template meanwhile: use theirs.
      await building.drop();
      if (!(await exists())) throw err;
    }
    return name;
  })();
  return template;
}

/** A new PostgreSQL database with every migration applied, copied from the shared template. */
export async function createMigratedPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = randomName('imi_test');
  await copyDatabase(await migratedTemplate(), name);
  return { url: withDatabase(postgresAdminUrl(), name), drop: dropper(name) };
}

/** A fresh database URL for an engine, and how to throw it away again. */
export async function freshDatabase(engine: Engine): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'postgres') return createPostgresDatabase();
  return { url: tempDatabaseUrl(), drop: async () => {} };
}

/** A fresh database with every migration applied (faster than migrating on PostgreSQL). */
export async function freshMigratedDatabase(engine: Engine): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'postgres') return createMigratedPostgresDatabase();
  const url = tempDatabaseUrl();
  const store = openStore(url);
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  return { url, drop: async () => {} };
}

/**
 * A copy of a database nobody is connected to any more, for tests that seed once and then work
 * on copies: a file copy on sqlite, CREATE DATABASE … TEMPLATE on PostgreSQL.
 */
export async function copyOf(databaseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (engineOf(databaseUrl) === 'sqlite') {
    const url = tempDatabaseUrl();
    fs.copyFileSync(databaseUrl.slice('sqlite:'.length), url.slice('sqlite:'.length));
    return { url, drop: async () => {} };
  }
  const name = randomName('imi_test');
  await copyDatabase(new URL(databaseUrl).pathname.slice(1), name);
  return { url: withDatabase(postgresAdminUrl(), name), drop: dropper(name) };
}

/** Closes the admin connection; for files that create PostgreSQL databases, in afterAll. */
export async function closeDatabases(): Promise<void> {
  const db = admin;
  admin = null;
  await db?.destroy();
}

/** The engine a DATABASE_URL selects. */
export const engineOf = (databaseUrl: string): Engine => (databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres');

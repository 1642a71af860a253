import type { Knex } from 'knex';
import * as initial from './001-initial.ts';
import * as reminders from './002-reminders.ts';
import * as admin from './003-admin.ts';
import * as helpdesk from './004-helpdesk.ts';
import * as conversation from './005-conversation.ts';
import * as retention from './006-retention.ts';
import * as leases from './007-leases.ts';
import * as scoreboard from './008-scoreboard.ts';
import * as reminderScan from './009-reminder-scan.ts';
import * as helpdeskRetention from './011-helpdesk-retention.ts';

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

/** Migrations in the order they apply; names are stored in the database, never rename one. */
const MIGRATIONS: [string, Migration][] = [
  ['001-initial', initial],
  ['002-reminders', reminders],
  ['003-admin', admin],
  ['004-helpdesk', helpdesk],
  ['005-conversation', conversation],
  ['006-retention', retention],
  ['007-leases', leases],
  ['008-scoreboard', scoreboard],
  ['009-reminder-scan', reminderScan],
  ['011-helpdesk-retention', helpdeskRetention],
];

/** Serves migrations from code, so they run the same from tsx, the CLI and tests. */
export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => MIGRATIONS.map(([, m]) => m),
  getMigrationName: (m) => MIGRATIONS.find(([, x]) => x === m)![0],
  getMigration: async (m) => m,
};

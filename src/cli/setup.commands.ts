import { loadDemo } from '../app/demo/load-demo.ts';
import { loadDemoData } from '../store/reference-data.ts';
import type { Command } from './command.ts';

export const setupCommands: Command[] = [
  {
    path: ['migrate'],
    summary: 'Apply pending database migrations.',
    flags: {},
    async run(ctx) {
      const core = await ctx.core({ migrate: false });
      const applied = await core.deps.store.migrate();
      ctx.out(applied > 0 ? `Applied ${applied} migration(s).` : 'The database is up to date.');
      return { applied };
    },
  },
  {
    path: ['demo'],
    summary: 'Load the demo dataset (does nothing when it is already loaded).',
    flags: {},
    async run(ctx) {
      const core = await ctx.core();
      const outcome = await loadDemo(core.deps, loadDemoData());
      ctx.out(
        outcome.loaded
          ? `Loaded the demo dataset: ${outcome.authorities} authorities, ${outcome.users} users, ${outcome.requests} requests.`
          : 'The demo dataset is already loaded; nothing changed.',
      );
      return outcome;
    },
  },
];

import { productionProblem, readConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { openCore, type Core } from './wiring.ts';
import { loadDemoData } from './store/reference-data.ts';
import { startServer, type Mount } from './server.ts';
import type { ConversationDeps } from './conversation/turn-context.ts';
import type { ConversationPort } from './conversation/types.ts';
import { channelStatePort } from './conversation/channel-state.port.ts';
import { webChatPort, type FeedRenderer } from './conversation/web-chat.port.ts';
import { channelMounts, type ChannelContext } from './mounts.ts';
import { webChatMount } from '../adapters/web/web-chat.ts';
import { helpdeskDeps, trainingDeps } from './helpdesk-wiring.ts';
import { chartsMount } from './charts/charts.http.ts';
import { instrumentConversation, metricsMount } from './metrics.ts';

const log = createLogger();

/** Runs `load` once, on the first call; every later call gets the same promise. */
const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | null = null;
  return () => (loading ??= load());
};

/**
 * The conversation (the engine and its dialogues, some sixty modules) and the notification
 * rendering are imported once the server listens instead of before: loading modules through tsx
 * dominated the wait for /healthz. A request that needs them meanwhile waits for them; code that
 * cannot load stops the process (main's catch), as it did when it was imported up front.
 */
function loadedAfterListen(core: Core, deps: ConversationDeps) {
  const engine = once(() => import('./conversation/engine.ts').then((m) => m.createConversation(deps)));
  const delivery = once(() => import('./delivery-wiring.ts'));
  const render = once(() => delivery().then((d) => d.feedRenderer(core)));
  const conversation: ConversationPort = {
    handle: async (turn) => (await engine()).handle(turn),
    welcome: async (turn) => (await engine()).welcome(turn),
  };
  const feed: FeedRenderer = async (userId, row) => (await render())(userId, row);
  return { conversation, feed, delivery, loaded: () => Promise.all([engine(), render()]) };
}

/** A PostgreSQL URL may carry a password; the log line names the database without it. */
const withoutPassword = (url: string): string => url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');

/** `npm start`: migrate, load the demo dataset into an empty database, serve. */
async function main(): Promise<void> {
  const config = readConfig();
  // Refused before anything opens, so a half-configured production server never takes a request.
  const missing = productionProblem(config);
  if (missing) throw new Error(missing);
  const core = await openCore(config.databaseUrl);
  const applied = await core.deps.store.migrate();
  if (config.demo && (await core.deps.store.authorities.list()).length === 0) {
    try {
      // Only a first start loads the demo dataset; a restart does not import its code at all.
      const { loadDemo } = await import('./app/demo/load-demo.ts');
      const demo = await loadDemo(core.deps, loadDemoData());
      if (demo.loaded) log.info(`imi-bot: loaded the demo dataset (${demo.authorities} authorities, ${demo.users} users, ${demo.requests} requests)`);
    } catch (err) {
      // Instances started together on one empty database race to load it; the loser goes on.
      if ((await core.deps.store.authorities.list()).length === 0) throw err;
      log.info('imi-bot: another instance loaded the demo dataset');
    }
  }
  const conversationDeps = { app: core.deps, i18n: core.i18n, helpdesk: helpdeskDeps(core), training: trainingDeps(core), publicUrl: config.publicUrl };
  const later = loadedAfterListen(core, conversationDeps);
  const channels: ChannelContext = {
    config,
    // Counted and timed for /metrics here, at the composition root, not in the conversation.
    conversation: instrumentConversation(later.conversation),
    channelState: channelStatePort(core.deps),
    i18n: core.i18n,
  };
  const mounts: Mount[] = [metricsMount(core.deps.store), ...(await channelMounts(channels)), webChatMount(channels, webChatPort(conversationDeps, later.feed))];
  mounts.push(chartsMount(core));
  // IMI_CRON=0 leaves reminders and delivery to `imi reminders run` (tests, or a separate worker).
  if (config.cron) mounts.push((await later.delivery()).jobsMount(core, config));
  const running = await startServer(core, config, mounts, log);
  log.info(
    `imi-bot: listening on http://localhost:${running.port} (database ${withoutPassword(config.databaseUrl)}, ${applied} migrations applied)`,
  );
  const shutdown = (signal: string) => {
    log.info(`imi-bot: ${signal} received, finishing in-flight work`);
    running.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'imi-bot: shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await later.loaded();
}

main().catch((err) => {
  log.fatal(`imi-bot: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

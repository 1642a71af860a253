import { readConfig } from './config.ts';
import { openCore } from './wiring.ts';
import { startServer, type Mount } from './server.ts';
import { loadDemo } from './app/demo/load-demo.ts';
import { loadDemoData } from './store/reference-data.ts';
import { createConversation } from './conversation/engine.ts';
import { channelStatePort } from './conversation/channel-state.port.ts';
import { webChatPort } from './conversation/web-chat.port.ts';
import { channelMounts, type ChannelContext } from './mounts.ts';
import { webChatMount } from '../adapters/web/web-chat.ts';

/** `npm start`: migrate, load the demo dataset into an empty database, serve. */
async function main(): Promise<void> {
  const config = readConfig();
  const core = await openCore(config.databaseUrl);
  const applied = await core.deps.store.migrate();
  if (config.demo && (await core.deps.store.authorities.list()).length === 0) {
    const demo = await loadDemo(core.deps, loadDemoData());
    console.log(`imi-bot: loaded the demo dataset (${demo.authorities} authorities, ${demo.users} users, ${demo.requests} requests)`);
  }
  const conversationDeps = { app: core.deps, i18n: core.i18n };
  const channels: ChannelContext = {
    config,
    conversation: createConversation(conversationDeps),
    channelState: channelStatePort(core.deps),
    i18n: core.i18n,
  };
  const mounts: Mount[] = [...channelMounts(channels), webChatMount(channels, webChatPort(conversationDeps, null))];
  const running = await startServer(core, config, mounts);
  console.log(
    `imi-bot: listening on http://localhost:${running.port} (database ${config.databaseUrl}, ${applied} migrations applied)`,
  );
  const shutdown = (signal: string) => {
    console.log(`imi-bot: ${signal} received, finishing in-flight work`);
    running.stop().then(
      () => process.exit(0),
      (err) => {
        console.error('imi-bot: shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(`imi-bot: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

import type { Config } from './config.ts';
import type { ChannelStatePort, ConversationPort } from './conversation/types.ts';
import type { Translator } from './i18n/i18n.ts';
import { lazyMount, type Mount } from './server.ts';
import { MESSAGES_PATH, settingsProblem, warnIfLocalMode } from '../adapters/teams/settings.teams.ts';

/** What every channel is handed by the composition root. */
export interface ChannelContext {
  config: Config;
  conversation: ConversationPort;
  channelState: ChannelStatePort;
  i18n: Translator;
}

/**
 * The HTTP surface of every enabled channel; each channel adds its one line here. The channel
 * SDKs are imported here, not at the top: Slack's only when it is configured, Teams' (always
 * mounted) on its first activity, so that neither holds up start-up.
 */
export async function channelMounts(ctx: ChannelContext): Promise<Mount[]> {
  return [teamsChannel(ctx), ...(ctx.config.slack ? [(await import('../adapters/slack/slack-app.ts')).slackMount(ctx)] : [])];
}

/** Teams' settings are checked now, so that a misconfigured server still refuses to start. */
function teamsChannel(ctx: ChannelContext): Mount {
  const problem = settingsProblem(ctx.config.teams, ctx.config.production);
  if (problem) throw new Error(`Teams channel: ${problem}`);
  warnIfLocalMode(ctx.config.teams);
  return lazyMount([MESSAGES_PATH], async () => (await import('../adapters/teams/teams-app.ts')).teamsMount(ctx));
}

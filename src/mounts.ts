import type { Config } from './config.ts';
import type { ChannelStatePort, ConversationPort } from './conversation/types.ts';
import type { Translator } from './i18n/i18n.ts';
import type { Mount } from './server.ts';
import { teamsMount } from '../adapters/teams/teams-app.ts';
import { slackMount } from '../adapters/slack/slack-app.ts';

/** What every channel is handed by the composition root. */
export interface ChannelContext {
  config: Config;
  conversation: ConversationPort;
  channelState: ChannelStatePort;
  i18n: Translator;
}

/** The HTTP surface of every enabled channel; each channel adds its one line here. */
export function channelMounts(ctx: ChannelContext): Mount[] {
  return [teamsMount(ctx), ...(ctx.config.slack ? [slackMount(ctx)] : [])];
}

import type { Activity, ConversationReference } from 'botbuilder';
import type { Turn } from '../../src/conversation/types.ts';

/**
 * Who is speaking and how to reach them again, read from a Bot Framework activity. Teams users
 * are known as `tenantId:aadObjectId`, the form `imi user add --teams TENANT:AADID` registers.
 */

/** The tenant the Bot Framework Emulator is taken to be in: it sends no tenant of its own. */
export const LOCAL_TENANT = '00000000-0000-0000-0000-000000000000';

const GUID_ISH = /^[0-9a-fA-F-]{8,}$/;

export interface TeamsUser {
  externalId: string;
  tenantId: string;
  aadObjectId: string;
}

type Inbound = Partial<Activity>;

export function tenantOf(activity: Inbound): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId || channelData?.tenant?.id || undefined;
}

/**
 * The speaking user's identity. In local mode (no app id: the Emulator, tests) a missing tenant or
 * AAD object id falls back to the local tenant and the Emulator's user id, so a developer can map
 * themselves with `imi user add --teams 00000000-0000-0000-0000-000000000000:<emulator user id>`.
 * With credentials set, Teams always sends both, and nothing is guessed.
 */
export function teamsUserOf(activity: Inbound, localMode: boolean): TeamsUser | null {
  const from = activity.from;
  const tenantId = tenantOf(activity) ?? (localMode ? LOCAL_TENANT : undefined);
  const aadObjectId = from?.aadObjectId || (localMode && from?.id && GUID_ISH.test(from.id) ? from.id : undefined);
  if (!tenantId || !aadObjectId || !GUID_ISH.test(tenantId) || !GUID_ISH.test(aadObjectId)) return null;
  return { externalId: `${tenantId}:${aadObjectId}`, tenantId, aadObjectId };
}

/** The platform's idea of the user's language: the activity's locale, else the Teams client's. */
export function localeOf(activity: Inbound): string | undefined {
  if (activity.locale) return activity.locale;
  const clientInfo = activity.entities?.find((e) => e.type === 'clientInfo') as { locale?: string } | undefined;
  return clientInfo?.locale || undefined;
}

/** What every turn from this activity shares. */
export function turnBase(activity: Inbound, user: TeamsUser): Omit<Turn, 'text' | 'action'> {
  const locale = localeOf(activity);
  return { channel: 'teams', externalId: user.externalId, workspace: user.tenantId, ...(locale ? { locale } : {}) };
}

/** The text the user typed, without the @mention of the bot Teams puts in front in group scopes. */
export function textOf(activity: Inbound): string {
  return (activity.text ?? '').replace(/<at>[^<]*<\/at>/gi, '').trim();
}

/** An Action.Execute press: its verb is our action id, its data the button's values plus any inputs. */
export function actionOf(activity: Inbound): { id: string; values: Record<string, string | string[]> } | null {
  const action = (activity.value as { action?: { type?: string; verb?: unknown; data?: unknown } } | undefined)?.action;
  if (!action || action.type !== 'Action.Execute' || typeof action.verb !== 'string' || !action.verb) return null;
  const values: Record<string, string | string[]> = {};
  const data = action.data && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(data)) {
    // Teams adds its own keys to card data (msteams, …); they are not ours to interpret.
    if (key.startsWith('msteams')) continue;
    if (Array.isArray(value)) values[key] = value.map(String);
    else if (value !== null && value !== undefined && typeof value !== 'object') values[key] = String(value);
  }
  return { id: action.verb, values };
}

/** How to reach the user unprompted: what ChannelStatePort.rememberAddress keeps for Teams. */
export interface TeamsAddress {
  serviceUrl: string;
  channelId: string;
  conversation: { id: string; tenantId?: string; conversationType?: string };
  bot: { id: string; name?: string };
  user: { id: string; aadObjectId?: string; name?: string };
  tenantId?: string;
}

export function addressOf(activity: Inbound): TeamsAddress | null {
  const { serviceUrl, conversation, recipient, from } = activity;
  if (!serviceUrl || !conversation?.id || !recipient?.id || !from?.id) return null;
  const tenantId = tenantOf(activity);
  return {
    serviceUrl,
    channelId: activity.channelId ?? 'msteams',
    conversation: {
      id: conversation.id,
      ...(tenantId ? { tenantId } : {}),
      ...(conversation.conversationType ? { conversationType: conversation.conversationType } : {}),
    },
    bot: { id: recipient.id, ...(recipient.name ? { name: recipient.name } : {}) },
    user: { id: from.id, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}), ...(from.name ? { name: from.name } : {}) },
    ...(tenantId ? { tenantId } : {}),
  };
}

/** A stored address read back; anything else (a hand-edited row, an old shape) is not used. */
export function asAddress(value: unknown): TeamsAddress | null {
  if (!value || typeof value !== 'object') return null;
  const a = value as Partial<TeamsAddress>;
  if (typeof a.serviceUrl !== 'string' || typeof a.conversation?.id !== 'string' || typeof a.bot?.id !== 'string' || typeof a.user?.id !== 'string') {
    return null;
  }
  return a as TeamsAddress;
}

/** The conversation reference botbuilder continues a conversation from. */
export function referenceOf(address: TeamsAddress): Partial<ConversationReference> {
  return {
    serviceUrl: address.serviceUrl,
    channelId: address.channelId,
    conversation: { isGroup: false, conversationType: 'personal', name: '', ...address.conversation },
    bot: { id: address.bot.id, name: address.bot.name ?? '' },
    user: { id: address.user.id, name: address.user.name ?? '', ...(address.user.aadObjectId ? { aadObjectId: address.user.aadObjectId } : {}) },
  };
}

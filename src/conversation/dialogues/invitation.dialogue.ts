import { redeemInvitation } from '../../app/admin/redeem-invitation.ts';
import { CODE_ALPHABET, normalizeInvitationCode } from '../../domain/admin.ts';
import { negotiateLanguage } from '../../i18n/i18n.ts';
import { text, verbatim } from '../render.ts';
import type { Block, Turn } from '../types.ts';
import { errorText, reply, type ConversationDeps, type Outcome, type TurnContext } from '../turn-context.ts';
import { welcomeReply } from './basics.dialogue.ts';
import { one } from './values.ts';

/** Strangers joining with an invitation code a local admin gave them. */

/** The way inviteUser writes codes, "K7QM-3XWP-TR9D", possibly within a sentence. */
const DASHED = /(?:^|[^A-Za-z0-9-])([A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})(?![A-Za-z0-9-])/;
/** Typed by hand with spaces: "k7qm 3xwp tr9d". */
const SPACED = /^[A-Za-z0-9]{4}\s+[A-Za-z0-9]{4}\s+[A-Za-z0-9]{4}$/;

/**
 * The invitation code in a stranger's message, or null. A bare 12-letter word counts only when
 * it has a digit and only letters of the code alphabet, so "registration" stays a word.
 */
export function invitationCodeIn(message: string): string | null {
  const trimmed = message.trim();
  const dashed = DASHED.exec(trimmed);
  if (dashed) return dashed[1]!;
  if (SPACED.test(trimmed)) return trimmed;
  const bare = trimmed.toUpperCase();
  if (/^[A-Z0-9]{12}$/.test(bare) && /\d/.test(bare) && [...bare].every((c) => CODE_ALPHABET.includes(c))) return trimmed;
  return null;
}

/** The redeem prompt as a form, for channels that show forms; the code can also simply be typed. */
export function redeemForm(value = ''): Block {
  return {
    kind: 'form',
    action: 'invite.redeem',
    title: text('admin.redeem.title'),
    intro: text('admin.redeem.prompt'),
    fields: [{ name: 'code', label: text('admin.redeem.code'), type: 'text', required: true, maxLength: 40, value }],
    submitLabel: text('admin.redeem.submit'),
  };
}

async function redeem(deps: ConversationDeps, turn: Turn, code: string): Promise<Outcome> {
  const redeemed = await redeemInvitation(deps.app, {
    code,
    identity: { channel: turn.channel, externalId: turn.externalId },
    locale: turn.locale ?? null,
  });
  if (!redeemed.ok) {
    return reply({ kind: 'text', text: errorText(redeemed.error), tone: 'danger' }, redeemForm(normalizeInvitationCode(code) ? code.trim() : ''));
  }
  const user = redeemed.value.user;
  const authority = await deps.app.store.authorities.get(user.authorityId);
  if (!authority) return reply({ kind: 'text', text: errorText({ code: 'AUTHORITY.NOT_FOUND', params: { id: user.authorityId } }), tone: 'danger' });
  // From now on the person is a user: the reply speaks their language, as every later turn will.
  const lang = negotiateLanguage(deps.i18n.languages, user.language, turn.locale, authority.language);
  const ctx: TurnContext = { deps, turn, user, authority, lang };
  const firstSteps = welcomeReply(ctx).reply.blocks.filter((b) => !(b.kind === 'text' && 'key' in b.text && b.text.key === 'bot.welcome.hello'));
  const blocks: Block[] = [
    { kind: 'text', text: text('admin.redeem.welcome', { name: verbatim(user.name), authority: verbatim(authority.name) }), tone: 'success' },
    { kind: 'text', text: text('admin.redeem.nextSteps') },
    ...firstSteps,
  ];
  return { ...reply(...blocks), lang };
}

/**
 * A turn of someone not registered: an invitation code (typed, or sent with the redeem form)
 * registers them; anything else is left to the engine's "not registered" reply (null).
 */
export async function invitationTurn(deps: ConversationDeps, turn: Turn): Promise<Outcome | null> {
  if (turn.action) {
    if (turn.action.id !== 'invite.redeem') return null;
    const code = one(turn.action.values, 'code');
    return code.trim() ? redeem(deps, turn, code) : reply(redeemForm());
  }
  const code = invitationCodeIn(turn.text ?? '');
  return code ? redeem(deps, turn, code) : null;
}

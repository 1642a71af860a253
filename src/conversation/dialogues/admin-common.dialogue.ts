import { DateTime } from 'luxon';
import type { AdminActor } from '../../app/admin/principal.ts';
import type { Principal } from '../../domain/admin.ts';
import type { DomainError } from '../../domain/result.ts';
import { hasRole, type Role } from '../../domain/user.ts';
import { formatDate, formatDateTime } from '../../i18n/i18n.ts';
import { text, verbatim } from '../render.ts';
import type { Block, TextLike } from '../types.ts';
import { errorText, reply, tr, type Outcome, type TurnContext } from '../turn-context.ts';

/** Shared pieces of the administration and registers dialogues. */

export type Form = Extract<Block, { kind: 'form' }>;

/** Who acts in the admin use cases: the speaking user, on the channel they speak on. */
export const actorOf = (ctx: TurnContext): AdminActor => ({ id: ctx.user.id, origin: ctx.turn.channel });

/** The speaking user as the domain's admin rules see them. */
export const principalOf = (ctx: TurnContext): Principal => ({ kind: 'user', user: ctx.user });

export const isLocalAdmin = (ctx: TurnContext): boolean => hasRole(ctx.user, 'local_admin');
export const isCoordinator = (ctx: TurnContext): boolean => hasRole(ctx.user, 'coordinator');

/** Role names in the reader's language, joined for one line of a list. */
export const roleNames = (ctx: TurnContext, roles: readonly Role[]): string =>
  roles.map((r) => tr(ctx, `admin.role.${r}`)).join(', ');

/** Area names in the reader's language; `none` when the list is empty. */
export const areaNames = (ctx: TurnContext, areas: readonly string[]): string =>
  areas.length ? areas.map((a) => tr(ctx, `domain.area.${a}.name`)).join(', ') : tr(ctx, 'admin.users.noAreas');

/** An instant as a calendar date where the reader's authority is, in the reader's language. */
export const localDate = (ctx: TurnContext, iso: string): string =>
  formatDate(DateTime.fromISO(iso).setZone(ctx.authority.timezone).toISODate() ?? iso.slice(0, 10), ctx.lang);

/** An instant with its time where the reader's authority is (an invitation runs out at a time of day). */
export const localDateTime = (ctx: TurnContext, iso: string): string => formatDateTime(iso, ctx.lang, ctx.authority.timezone);

/** Language choices: every language the assistant speaks, each in its own name. */
export const languageOptions = (ctx: TurnContext, extra: (string | null)[] = []) =>
  [...new Set([...ctx.deps.i18n.languages, ...extra.filter((l): l is string => !!l)])].map((l) => ({
    value: l,
    label: verbatim(`${new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l} (${l})`),
  }));

export const areaOptions = (areas: readonly string[]) => areas.map((a) => ({ value: a, label: text(`domain.area.${a}.name`) }));

/**
 * Shows the form again with what the user typed and the error beside the field it concerns.
 * `aliases` maps the use case's field names ("days", "lang") to the form's ("validDays", "language").
 */
export function formWithError(form: Form, error: DomainError, fallbackField?: string, aliases: Record<string, string> = {}): Outcome {
  const wanted = error.field ? (aliases[error.field] ?? error.field) : undefined;
  const field = form.fields.find((f) => f.name === wanted) ?? form.fields.find((f) => f.name === fallbackField);
  const fields = form.fields.map((f) => (f === field ? { ...f, error: errorText(error) } : f));
  return reply({ kind: 'text', text: errorText(error), tone: 'danger' }, { ...form, fields });
}

export const success = (t: TextLike): Block => ({ kind: 'text', text: t, tone: 'success' });
export const warning = (t: TextLike): Block => ({ kind: 'text', text: t, tone: 'warning' });

/** The cancel button of every admin form: the engine's generic "nothing was changed". */
export const cancelButton = { action: 'form.cancel', label: text('bot.form.cancel') };

/**
 * The refusal for someone without admin rights, with the people who can do it for them:
 * their authority's local admins and its coordinators. An admin reaching beyond their own
 * authority gets the plain refusal: pointing them at themselves would not help.
 */
export async function forbidden(ctx: TurnContext): Promise<Outcome> {
  if (isLocalAdmin(ctx) || isCoordinator(ctx)) return reply({ kind: 'text', text: errorText({ code: 'ADMIN.FORBIDDEN' }), tone: 'warning' });
  const store = ctx.deps.app.store;
  const colleagues = (await store.users.ofAuthority(ctx.authority.id)).filter((u) => u.id !== ctx.user.id && hasRole(u, 'local_admin'));
  const contacts: { name: string; role: Role; authority: string }[] = colleagues.map((u) => ({ name: u.name, role: 'local_admin', authority: ctx.authority.name }));
  const coordinating = ctx.authority.coordinatorId ? await store.authorities.get(ctx.authority.coordinatorId) : null;
  if (coordinating) {
    for (const u of await store.users.ofAuthority(coordinating.id)) {
      if (hasRole(u, 'coordinator')) contacts.push({ name: u.name, role: 'coordinator', authority: coordinating.name });
    }
  }
  const blocks: Block[] = [{ kind: 'text', text: errorText({ code: 'ADMIN.FORBIDDEN' }), tone: 'warning' }];
  if (contacts.length > 0) {
    blocks.push({
      kind: 'list',
      title: text('admin.menu.whomToAsk'),
      items: contacts.map((c) => ({ text: verbatim(c.name), detail: verbatim(`${tr(ctx, `admin.role.${c.role}`)} · ${c.authority}`) })),
    });
  } else {
    blocks.push({ kind: 'text', text: text('admin.menu.nobodyToAsk') });
  }
  return reply(...blocks);
}

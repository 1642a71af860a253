import { actOnRequest, type ActionInput } from '../../app/requests/act-on-request.ts';
import { forwardTargets } from '../../app/requests/directory.ts';
import { viewRequest, type RequestView } from '../../app/requests/view-request.ts';
import { markRequestSeen } from '../../app/reminders/reminder-settings.ts';
import { coordinatorCard } from '../views/coordinator-card.view.ts';
import { addDays, todayIn } from '../../domain/deadlines.ts';
import { translateForReader, type ShownText } from '../../app/translation/translate-for-reader.ts';
import type { DomainError } from '../../domain/result.ts';
import { text, verbatim } from '../render.ts';
import { errorKey } from '../../i18n/error-messages.ts';
import type { Block, FormField } from '../types.ts';
import { dateText, errorReply, errorText, reply, tr, type Outcome, type TurnContext } from '../turn-context.ts';
import { authorityLabel, requestCard } from '../views/request-card.view.ts';
import { one, type Values } from './values.ts';

type Form = Extract<Block, { kind: 'form' }>;

/** Every piece of free text of a request with the language it was written in. */
const freeTexts = (view: RequestView): [string, string][] => [
  ...(view.request.freeText ? [[view.request.freeText, view.request.freeTextLang] as [string, string]] : []),
  ...view.request.answers.flatMap((round) => Object.values(round.items).map((t) => [t, round.lang] as [string, string])),
  ...view.request.infoRequests.map((i) => [i.message, i.lang] as [string, string]),
];

/** The request as its card, for a party to it; free text in the reader's language unless the original is asked for. */
export async function cardOf(ctx: TurnContext, view: RequestView, original = false): Promise<Block> {
  const { request } = view;
  const requester = await ctx.deps.app.store.authorities.get(request.requesterAuthorityId);
  const responder = request.responderAuthorityId ? await ctx.deps.app.store.authorities.get(request.responderAuthorityId) : null;
  const shown = new Map<string, ShownText>();
  if (!original) {
    for (const [t, lang] of freeTexts(view)) shown.set(`${lang}\u0000${t}`, await translateForReader(ctx.deps.app, t, lang, ctx.lang));
  }
  return requestCard(ctx, request, view.side, { requester, responder }, (t, lang) => shown.get(`${lang}\u0000${t}`));
}

export async function showRequest(ctx: TurnContext, requestId: string, original = false): Promise<Outcome> {
  const view = await viewRequest(ctx.deps.app, ctx.user.id, requestId, { coordinators: true });
  if (!view.ok) return errorReply(view.error);
  if (view.value.side === 'coordinator') {
    // Coordinators see the exchange (its personal data only once it is referred to them) and cannot act on it.
    const requester = await ctx.deps.app.store.authorities.get(view.value.request.requesterAuthorityId);
    const responder = view.value.request.responderAuthorityId ? await ctx.deps.app.store.authorities.get(view.value.request.responderAuthorityId) : null;
    return reply(coordinatorCard(ctx, view.value, { requester, responder }));
  }
  // A requester who has looked at the card has seen any proposed deadline: no reminder about it.
  await markRequestSeen(ctx.deps.app, ctx.user.id, view.value.request.id);
  return reply(await cardOf(ctx, view.value, original));
}

export async function showHistory(ctx: TurnContext, requestId: string): Promise<Outcome> {
  // History holds no personal data, so the coordinators of either party may read it too.
  const view = await viewRequest(ctx.deps.app, ctx.user.id, requestId, { coordinators: true });
  if (!view.ok) return errorReply(view.error);
  const names = new Map<string, string>();
  for (const e of view.value.history) {
    if (!names.has(e.actorId)) names.set(e.actorId, (await ctx.deps.app.store.users.get(e.actorId))?.name ?? e.actorId);
  }
  const zone = ctx.authority.timezone;
  return reply({
    kind: 'list',
    title: text('bot.history.title', { id: requestId }),
    items: view.value.history.map((e) => ({
      text: text(`bot.history.event.${e.type}`, { actor: names.get(e.actorId) ?? e.actorId }),
      detail: verbatim(new Date(e.at).toLocaleString(ctx.lang, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' })),
    })),
    empty: text('bot.history.empty'),
  });
}

/**
 * Each lifecycle action: the form it needs (none for a plain button) and how its values
 * become a domain action. The guard in the domain decides; this only asks and relays.
 */
interface ActionSpec {
  form?: (ctx: TurnContext, view: RequestView, values?: Values) => Promise<Form['fields']>;
  toAction: (ctx: TurnContext, values: Values) => ActionInput;
}

const ACTIONS: Record<string, ActionSpec> = {
  send: { toAction: () => ({ type: 'send' }) },
  accept: { toAction: () => ({ type: 'accept' }) },
  close: { toAction: () => ({ type: 'close' }) },
  withdraw: { toAction: () => ({ type: 'withdraw' }) },
  propose_deadline: {
    form: async (ctx, view, values) => {
      const zone = ctx.authority.timezone;
      return [
        {
          name: 'date',
          label: text('bot.form.newDeadline'),
          type: 'date',
          required: true,
          min: addDays(todayIn(ctx.deps.app.clock.now(), zone), 1, false),
          value: values ? one(values, 'date') : view.request.requestedDeadline ?? '',
          hint: text('bot.form.currentDeadline', { date: dateText(ctx, view.request.requestedDeadline) }),
        },
        { name: 'reason', label: text('bot.form.reason'), type: 'long-text', required: true, maxLength: 1000, value: values ? one(values, 'reason') : '' },
      ];
    },
    toAction: (_ctx, v) => ({ type: 'propose_deadline', date: one(v, 'date'), reason: one(v, 'reason') }),
  },
  forward: {
    form: async (ctx, view, values) => {
      const targets = await forwardTargets(ctx.deps.app, view.request.area, ctx.authority);
      return [{
        name: 'authority',
        label: text('bot.form.forwardTo'),
        type: 'choice',
        required: true,
        options: targets.map((a) => ({ value: a.id, label: verbatim(authorityLabel(ctx, a)) })),
        value: values ? one(values, 'authority') : undefined,
      }];
    },
    toAction: (_ctx, v) => ({ type: 'forward', to: one(v, 'authority') }),
  },
  answer: {
    form: async (ctx, view, values) => {
      const fields: FormField[] = view.request.questions.map((q, i) => ({
        name: q,
        label: verbatim(`${i + 1}. ${tr(ctx, `domain.question.${q}`)}`),
        type: 'long-text',
        maxLength: 10_000,
        value: values ? one(values, q) : '',
      }));
      if (view.request.freeText || fields.length === 0) {
        fields.push({ name: 'free', label: text('bot.card.freeText'), type: 'long-text', maxLength: 10_000, value: values ? one(values, 'free') : '' });
      }
      return fields;
    },
    toAction: (ctx, v) => ({
      type: 'answer',
      lang: ctx.lang,
      items: Object.fromEntries(Object.entries(v).filter(([k]) => !CONTROL.has(k)).map(([k]) => [k, one(v, k)])),
    }),
  },
  request_info: {
    form: async (_ctx, _view, values) => [
      { name: 'message', label: text('bot.form.infoNeeded'), type: 'long-text', required: true, maxLength: 10_000, value: values ? one(values, 'message') : '' },
    ],
    toAction: (ctx, v) => ({ type: 'request_info', message: one(v, 'message'), lang: ctx.lang }),
  },
  refer: {
    form: async (_ctx, _view, values) => [
      { name: 'reason', label: text('bot.form.referReason'), type: 'long-text', required: true, maxLength: 1000, value: values ? one(values, 'reason') : '' },
    ],
    toAction: (_ctx, v) => ({ type: 'refer', reason: one(v, 'reason') }),
  },
};

/** Values a form carries for us, not typed by the user. */
const CONTROL = new Set(['requestId', 'version', 'submit']);

export const isRequestAction = (id: string): boolean => id.startsWith('request.') && id.slice('request.'.length) in ACTIONS;

function formFor(ctx: TurnContext, type: string, view: RequestView, fields: Form['fields']): Form {
  return {
    kind: 'form',
    action: `request.${type}`,
    title: text(`bot.form.title.${type}`, { id: view.request.id }),
    fields,
    submitLabel: text(`bot.form.submit.${type}`),
    context: { requestId: view.request.id, version: String(view.request.version), submit: '1' },
    cancel: { action: 'request.open', label: text('bot.form.cancel'), value: { requestId: view.request.id } },
  };
}

/** A button press or form submission on a request card. */
export async function onRequestAction(ctx: TurnContext, actionId: string, values: Values): Promise<Outcome> {
  const type = actionId.slice('request.'.length);
  const spec = ACTIONS[type]!;
  const requestId = one(values, 'requestId');
  const versionText = one(values, 'version');
  const expectedVersion = /^\d+$/.test(versionText) ? Number(versionText) : undefined;
  const view = await viewRequest(ctx.deps.app, ctx.user.id, requestId);
  if (!view.ok) return errorReply(view.error);
  const submitted = one(values, 'submit') === '1';
  if (spec.form && !submitted) {
    // Opening a form on a card that is already out of date would only fail later.
    if (expectedVersion !== undefined && expectedVersion !== view.value.request.version) return stale(ctx, requestId);
    return reply(formFor(ctx, type, view.value, await spec.form(ctx, view.value)));
  }
  const done = await actOnRequest(ctx.deps.app, {
    actorId: ctx.user.id,
    requestId,
    action: spec.toAction(ctx, values),
    expectedVersion,
    origin: ctx.turn.channel,
  });
  if (!done.ok) {
    if (done.error.code === 'REQUEST.STALE' || done.error.code === 'REQUEST.WRONG_STATUS') return stale(ctx, requestId, done.error);
    if (spec.form && done.error.field !== undefined) return formError(ctx, type, view.value, values, done.error);
    return errorReply(done.error);
  }
  const fresh = await viewRequest(ctx.deps.app, ctx.user.id, requestId);
  const confirmation = { kind: 'text' as const, text: text(`bot.done.${type}`, { id: requestId }), tone: 'success' as const };
  if (!fresh.ok) return reply(confirmation);
  return { reply: { blocks: [confirmation, await cardOf(ctx, fresh.value)] }, replacesCard: true };
}

async function formError(ctx: TurnContext, type: string, view: RequestView, values: Values, error: DomainError): Promise<Outcome> {
  const fields = await ACTIONS[type]!.form!(ctx, view, values);
  const target = fields.find((f) => f.name === error.field) ?? fields[0]!;
  const marked = fields.map((f) => (f === target ? { ...f, error: errorText(error) } : f));
  return reply({ kind: 'text', text: errorText(error), tone: 'danger' }, formFor(ctx, type, view, marked));
}

/** The card changed under the user: say so and show it as it is now, in place of the old one. */
async function stale(ctx: TurnContext, requestId: string, error?: DomainError): Promise<Outcome> {
  const view = await viewRequest(ctx.deps.app, ctx.user.id, requestId);
  if (!view.ok) return errorReply(view.error);
  const code = error?.code ?? 'REQUEST.STALE';
  const notice = text(errorKey(code), { ...error?.params, id: requestId, status: text(`bot.status.${view.value.request.status}`) });
  return {
    reply: { blocks: [{ kind: 'text', text: notice, tone: 'warning' }, await cardOf(ctx, view.value)] },
    replacesCard: true,
  };
}

import { createDraft } from '../../app/requests/create-draft.ts';
import { actOnRequest } from '../../app/requests/act-on-request.ts';
import { competentAuthorities } from '../../app/requests/directory.ts';
import { viewRequest } from '../../app/requests/view-request.ts';
import { checkDraftDetails, defaultDeadline, holdsRights, todayIn, addDays, type Request } from '../../domain/index.ts';
import type { DomainError } from '../../domain/result.ts';
import { text, verbatim } from '../render.ts';
import type { Block, FormField } from '../types.ts';
import { errorReply, errorText, languageName, reply, tr, type Outcome, type TurnContext } from '../turn-context.ts';
import { areaName } from '../views/request-card.view.ts';
import { showRequest } from './request-actions.dialogue.ts';
import { inTrainingMode, newTrainingRequest } from './training.dialogue.ts';
import { registerSuggestions } from './registers.dialogue.ts';
import type { Values } from './values.ts';
import { one, many } from './values.ts';

const STEPS = 4;

const stepTitle = (step: number) => text('bot.newRequest.title', { step, steps: STEPS });

/** Keeps the typed values of a form and marks the field the error belongs to. */
function withError(form: Extract<Block, { kind: 'form' }>, error: DomainError, fallbackField: string): Outcome {
  const field = form.fields.find((f) => f.name === error.field) ?? form.fields.find((f) => f.name === fallbackField);
  const fields = form.fields.map((f) => (f === field ? { ...f, error: errorText(error) } : f));
  return reply({ kind: 'text', text: errorText(error), tone: 'danger' }, { ...form, fields });
}

/** Step 1: the legislative area, among those the user holds rights in. */
export function areaForm(ctx: TurnContext, value?: string): Extract<Block, { kind: 'form' }> {
  const areas = ctx.user.areas.filter((a) => ctx.deps.app.areas.has(a));
  return {
    kind: 'form',
    action: 'draft.area',
    title: stepTitle(1),
    intro: text('bot.newRequest.areaIntro'),
    fields: [{
      name: 'area',
      label: text('bot.newRequest.area'),
      type: 'choice',
      required: true,
      options: areas.map((a) => ({ value: a, label: areaName(a) })),
      value,
    }],
    submitLabel: text('bot.form.next'),
    cancel: { action: 'form.cancel', label: text('bot.form.cancel') },
  };
}

export async function startNewRequest(ctx: TurnContext): Promise<Outcome> {
  if (await inTrainingMode(ctx)) return newTrainingRequest(ctx);
  if (!ctx.user.roles.includes('handler')) return errorReply({ code: 'REQUEST.NOT_A_HANDLER' });
  if (!ctx.user.areas.some((a) => holdsRights(ctx.user, a))) return errorReply({ code: 'REQUEST.NO_AREA_RIGHTS', params: { area: '—' } });
  return reply(areaForm(ctx));
}

async function countryForm(ctx: TurnContext, draft: Request, value?: string): Promise<Extract<Block, { kind: 'form' }>> {
  const authorities = await competentAuthorities(ctx.deps.app, draft.area, ctx.authority);
  const countries = [...new Set(authorities.map((a) => a.country))].sort((a, b) =>
    tr(ctx, `domain.country.${a}`).localeCompare(tr(ctx, `domain.country.${b}`), ctx.lang),
  );
  return {
    kind: 'form',
    action: 'draft.country',
    title: stepTitle(2),
    intro: text('bot.newRequest.countryIntro', { area: areaName(draft.area) }),
    fields: [{
      name: 'country',
      label: text('bot.newRequest.country'),
      type: 'choice',
      required: true,
      options: countries.map((c) => ({ value: c, label: text(`domain.country.${c}`) })),
      value,
    }],
    submitLabel: text('bot.form.next'),
    context: { requestId: draft.id },
    cancel: { action: 'form.cancel', label: text('bot.form.cancel'), value: { requestId: draft.id } },
  };
}

async function authorityForm(ctx: TurnContext, draft: Request, country: string, value?: string): Promise<Extract<Block, { kind: 'form' }>> {
  const authorities = (await competentAuthorities(ctx.deps.app, draft.area, ctx.authority)).filter((a) => a.country === country);
  return {
    kind: 'form',
    action: 'draft.authority',
    title: stepTitle(3),
    intro: text('bot.newRequest.authorityIntro', { country: text(`domain.country.${country}`) }),
    fields: [{
      name: 'authority',
      label: text('bot.newRequest.authority'),
      type: 'choice',
      required: true,
      options: authorities.map((a) => ({ value: a.id, label: verbatim(a.name) })),
      value,
    }],
    submitLabel: text('bot.form.next'),
    context: { requestId: draft.id, country },
    cancel: { action: 'form.cancel', label: text('bot.form.cancel'), value: { requestId: draft.id } },
  };
}

function detailsForm(ctx: TurnContext, draft: Request, values?: Values): Extract<Block, { kind: 'form' }> {
  const area = ctx.deps.app.areas.get(draft.area)!;
  const today = todayIn(ctx.deps.app.clock.now(), ctx.authority.timezone);
  const fields: FormField[] = [
    {
      name: 'questions',
      label: text('bot.newRequest.questions'),
      type: 'multi-choice',
      options: area.questions.map((q) => ({ value: q, label: text(`domain.question.${q}`) })),
      value: values ? many(values, 'questions') : draft.questions,
      hint: text('bot.newRequest.questionsHint'),
    },
    {
      name: 'subject',
      label: text('bot.newRequest.subject'),
      type: 'text',
      maxLength: 300,
      value: values ? one(values, 'subject') : draft.subjectName,
      hint: text('bot.newRequest.subjectHint'),
    },
    {
      name: 'freeText',
      label: text('bot.newRequest.freeText'),
      type: 'long-text',
      maxLength: 10_000,
      value: values ? one(values, 'freeText') : draft.freeText,
      hint: text('bot.newRequest.freeTextHint', { language: verbatim(languageName(ctx.lang, ctx.lang)) }),
    },
    {
      name: 'deadline',
      label: text('bot.newRequest.deadline'),
      type: 'date',
      required: true,
      min: addDays(today, 1, false),
      value: values ? one(values, 'deadline') : (draft.requestedDeadline ?? defaultDeadline(area, today)),
      hint: text('bot.newRequest.deadlineHint', { days: area.defaultDeadlineDays }),
    },
  ];
  return {
    kind: 'form',
    action: 'draft.details',
    title: stepTitle(4),
    intro: text('bot.newRequest.detailsIntro'),
    fields,
    submitLabel: text('bot.newRequest.review'),
    context: { requestId: draft.id },
    cancel: { action: 'form.cancel', label: text('bot.form.saveDraft'), value: { requestId: draft.id } },
  };
}

async function loadDraft(ctx: TurnContext, values: Values): Promise<Request | DomainError> {
  const found = await viewRequest(ctx.deps.app, ctx.user.id, one(values, 'requestId'));
  if (!found.ok) return found.error;
  if (found.value.request.status !== 'draft') {
    return { code: 'REQUEST.WRONG_STATUS', params: { id: found.value.request.id, status: found.value.request.status, action: 'update_draft' } };
  }
  return found.value.request;
}

const saveDraft = (ctx: TurnContext, draft: Request, changes: Parameters<typeof actOnRequest>[1]['action'] & { type: 'update_draft' }) =>
  actOnRequest(ctx.deps.app, { actorId: ctx.user.id, requestId: draft.id, action: changes, origin: ctx.turn.channel });

/** Form submissions of the new-request dialogue; every step stores the draft, so nothing typed is lost. */
export async function onDraftStep(ctx: TurnContext, step: string, values: Values): Promise<Outcome> {
  if (step === 'draft.area') {
    const area = one(values, 'area');
    const made = await createDraft(ctx.deps.app, { actorId: ctx.user.id, area, origin: ctx.turn.channel });
    if (!made.ok) return withError(areaForm(ctx, area), made.error, 'area');
    return reply({ kind: 'text', text: text('bot.newRequest.draftSaved', { id: made.value.id }), tone: 'info' }, await countryForm(ctx, made.value));
  }
  const draft = await loadDraft(ctx, values);
  if ('code' in draft) return errorReply(draft);
  switch (step) {
    case 'draft.country': {
      const country = one(values, 'country');
      const form = await authorityForm(ctx, draft, country);
      if (!country || form.fields[0]!.options!.length === 0) {
        return withError(await countryForm(ctx, draft, country), { code: 'REQUEST.RESPONDER_REQUIRED', field: 'country' }, 'country');
      }
      return reply(form);
    }
    case 'draft.authority': {
      const authority = one(values, 'authority');
      const country = one(values, 'country');
      const options = (await competentAuthorities(ctx.deps.app, draft.area, ctx.authority)).map((a) => a.id);
      if (!options.includes(authority)) {
        const error: DomainError = authority
          ? { code: 'REQUEST.RESPONDER_NOT_COMPETENT', params: { authority, area: tr(ctx, `domain.area.${draft.area}.name`) }, field: 'authority' }
          : { code: 'REQUEST.RESPONDER_REQUIRED', field: 'authority' };
        return withError(await authorityForm(ctx, draft, country, authority), error, 'authority');
      }
      const saved = await saveDraft(ctx, draft, { type: 'update_draft', changes: { responderAuthorityId: authority } });
      if (!saved.ok) return errorReply(saved.error);
      return reply(...(await registerSuggestions(ctx, draft.area, country)), detailsForm(ctx, saved.value.request));
    }
    case 'draft.details': {
      const area = ctx.deps.app.areas.get(draft.area)!;
      const details = { questions: many(values, 'questions'), freeText: one(values, 'freeText'), requestedDeadline: one(values, 'deadline') };
      const subject = one(values, 'subject');
      // Whatever passes is kept even when another field is refused, so nothing typed is lost.
      const checked = checkDraftDetails(details, area, todayIn(ctx.deps.app.clock.now(), ctx.authority.timezone));
      const keep = await saveDraft(ctx, draft, {
        type: 'update_draft',
        changes: {
          questions: details.questions.filter((q) => area.questions.includes(q)),
          freeText: details.freeText.slice(0, 10_000),
          freeTextLang: ctx.lang,
          subjectName: subject.slice(0, 300),
          ...(checked.ok ? { requestedDeadline: checked.value.requestedDeadline } : {}),
        },
      });
      if (!checked.ok) return withError(detailsForm(ctx, draft, values), checked.error, 'questions');
      if (!keep.ok) return withError(detailsForm(ctx, draft, values), keep.error, 'freeText');
      const review = await showRequest(ctx, draft.id);
      return { reply: { blocks: [{ kind: 'text', text: text('bot.newRequest.reviewIntro'), tone: 'info' }, ...review.reply.blocks] } };
    }
    case 'draft.edit':
      return reply(detailsForm(ctx, draft));
    default:
      return errorReply({ code: 'REQUEST.NOT_FOUND', params: { id: draft.id } });
  }
}

import { advanceTraining } from '../../app/training/advance-training.ts';
import { resetTraining } from '../../app/training/reset-training.ts';
import { createTrainingDraft, startTraining, stopTraining, trainingInbox, trainingStatus } from '../../app/training/start-training.ts';
import type { TrainingDeps } from '../../app/training/training-script.ts';
import type { Authority } from '../../domain/authority.ts';
import { holdsRights } from '../../domain/user.ts';
import { text, verbatim } from '../render.ts';
import type { Block, Button } from '../types.ts';
import { errorReply, errorText, reply, tr, type Outcome, type TurnContext } from '../turn-context.ts';
import { inboxView } from '../views/inbox.view.ts';
import { areaName } from '../views/request-card.view.ts';
import { onDraftStep } from './new-request.dialogue.ts';
import { showRequest } from './request-actions.dialogue.ts';
import { one, type Values } from './values.ts';

/**
 * Training mode in chat: a sandbox with a simulated partner authority abroad. `training` shows
 * the status, `training on|off|reset` (or the buttons) switch it; the partner's moves are made
 * on the user's next turn (and by the job), and told to the user then.
 */

const unavailable = (): Outcome => reply({ kind: 'text', text: text('helpdesk.training.unavailable'), tone: 'warning' });

/** Whether the user practises now: what `new` and `inbox` ask before they touch live data. */
export async function inTrainingMode(ctx: TurnContext): Promise<boolean> {
  return ctx.deps.training !== undefined && (await ctx.deps.app.store.onboarding.state(ctx.user.id)).trainingMode;
}

/** Authority names for the sandbox lists, the simulated partners included (live lists leave them out). */
async function partnerNames(ctx: TurnContext): Promise<Map<string, string>> {
  const store = ctx.deps.app.store;
  const names = new Map((await store.authorities.list()).map((a) => [a.id, a.name]));
  for (const id of await store.training.partnerIds()) {
    const a = await store.authorities.get(id);
    if (a) names.set(a.id, a.name);
  }
  return names;
}

const partnerText = (partner: Authority | null) => verbatim(partner?.name ?? '—');

function actionsCard(on: boolean, hasRequests: boolean): Block {
  const actions: Button[] = on
    ? [
        { action: 'training.new', label: text('helpdesk.training.new'), style: 'primary' },
        { action: 'training.inbox', label: text('helpdesk.training.inbox') },
        { action: 'training.off', label: text('helpdesk.training.stop') },
      ]
    : [{ action: 'training.start', label: text('helpdesk.training.start'), style: 'primary' }];
  if (hasRequests) actions.push({ action: 'training.reset', label: text('helpdesk.training.reset.button'), style: 'danger' });
  return { kind: 'card', title: text('helpdesk.training.title'), fields: [], actions };
}

/**
 * The partner's moves that fell due, made now (cheap: only open training requests are looked at)
 * and told to the user when they concern their sandbox. Nothing when training mode is off.
 */
export async function trainingProgress(ctx: TurnContext): Promise<Block[]> {
  const deps = ctx.deps.training;
  if (!deps || !(await inTrainingMode(ctx))) return [];
  const mine = (await advanceTraining(deps)).filter((s) => s.userId === ctx.user.id);
  if (mine.length === 0) return [];
  const names = await partnerNames(ctx);
  const items = [];
  for (const step of mine) {
    const request = await ctx.deps.app.store.requests.get(step.requestId);
    const partnerId = request ? [request.requesterAuthorityId, request.responderAuthorityId].find((id) => id && id !== ctx.user.authorityId) : null;
    items.push({
      text: text(`helpdesk.training.step.${step.step}`, { partner: verbatim(names.get(partnerId ?? '') ?? '—'), id: step.requestId }),
      actions: [{ action: 'request.open', label: text('bot.action.open'), value: { requestId: step.requestId } }],
    });
  }
  return [{ kind: 'list', title: text('helpdesk.training.progressTitle'), items }];
}

async function status(ctx: TurnContext, deps: TrainingDeps): Promise<Outcome> {
  const found = await trainingStatus(deps, ctx.user.id);
  if (!found.ok) return errorReply(found.error);
  const s = found.value;
  if (!s.on) {
    const blocks: Block[] = [{ kind: 'text', text: text('helpdesk.training.intro') }, { kind: 'text', text: text('helpdesk.training.statusOff') }];
    if (s.completed) blocks.push({ kind: 'text', text: text('helpdesk.training.completed'), tone: 'success' });
    return reply(...blocks, actionsCard(false, s.requests.length > 0));
  }
  const blocks: Block[] = [{ kind: 'text', text: text('helpdesk.training.on', { partner: partnerText(s.partner) }), tone: 'info' }];
  if (s.completed) blocks.push({ kind: 'text', text: text('helpdesk.training.completed'), tone: 'success' });
  return reply(...blocks, ...(await sandboxBlocks(ctx, deps)), actionsCard(true, s.requests.length > 0));
}

async function sandboxBlocks(ctx: TurnContext, deps: TrainingDeps): Promise<Block[]> {
  const sandbox = await trainingInbox(deps, ctx.user.id);
  if (!sandbox.ok) return [{ kind: 'text', text: errorText(sandbox.error), tone: 'danger' }];
  return [{ kind: 'text', text: text('helpdesk.training.inboxTitle') }, ...inboxView(ctx, sandbox.value, await partnerNames(ctx))];
}

async function start(ctx: TurnContext, deps: TrainingDeps): Promise<Outcome> {
  const started = await startTraining(deps, { userId: ctx.user.id, origin: ctx.turn.channel });
  if (!started.ok) return errorReply(started.error);
  const { partner, incoming } = started.value;
  const blocks: Block[] = [{ kind: 'text', text: text('helpdesk.training.on', { partner: partnerText(partner) }), tone: 'success' }];
  if (incoming) {
    blocks.push({ kind: 'text', text: text('helpdesk.training.incomingCreated', { partner: partnerText(partner), id: incoming.id }) });
    blocks.push(...(await showRequest(ctx, incoming.id)).reply.blocks);
  } else {
    blocks.push(...(await sandboxBlocks(ctx, deps)));
  }
  blocks.push({ kind: 'text', text: text('helpdesk.training.howToSend', { partner: partnerText(partner) }) });
  return reply(...blocks, actionsCard(true, true));
}

async function stop(ctx: TurnContext, deps: TrainingDeps): Promise<Outcome> {
  const stopped = await stopTraining(deps, ctx.user.id);
  if (!stopped.ok) return errorReply(stopped.error);
  return reply({ kind: 'text', text: text('helpdesk.training.off'), tone: 'success' }, actionsCard(false, false));
}

const confirmReset = (): Outcome =>
  reply({
    kind: 'card',
    title: text('helpdesk.training.reset.confirm'),
    fields: [],
    actions: [
      { action: 'training.reset_confirm', label: text('helpdesk.training.reset.button'), style: 'danger' },
      { action: 'form.cancel', label: text('bot.form.cancel') },
    ],
  });

async function reset(ctx: TurnContext, deps: TrainingDeps): Promise<Outcome> {
  const done = await resetTraining(deps, { userId: ctx.user.id, origin: ctx.turn.channel });
  if (!done.ok) return errorReply(done.error);
  const on = await inTrainingMode(ctx);
  return reply({ kind: 'text', text: text('helpdesk.training.reset.done', { count: done.value.deleted }), tone: 'success' }, actionsCard(on, false));
}

/** Step 1 of a training request: the area; the partner is the addressee, so country and authority are skipped. */
function areaForm(ctx: TurnContext, value?: string): Extract<Block, { kind: 'form' }> {
  const areas = ctx.user.areas.filter((a) => ctx.deps.app.areas.has(a) && holdsRights(ctx.user, a));
  return {
    kind: 'form',
    action: 'training.draft',
    title: text('helpdesk.training.newTitle'),
    intro: text('bot.newRequest.areaIntro'),
    fields: [{
      name: 'area',
      label: text('bot.newRequest.area'),
      type: 'choice',
      required: true,
      options: areas.map((a) => ({ value: a, label: areaName(a) })),
      value: value ?? (areas.length === 1 ? areas[0] : undefined),
    }],
    submitLabel: text('bot.form.next'),
    cancel: { action: 'form.cancel', label: text('bot.form.cancel') },
  };
}

/** A new training request: what `new` leads to while training mode is on. */
export async function newTrainingRequest(ctx: TurnContext): Promise<Outcome> {
  if (!ctx.deps.training) return unavailable();
  if (!ctx.user.roles.includes('handler') || ctx.user.areas.length === 0) return errorReply({ code: 'TRAINING.NO_AREA' });
  return reply({ kind: 'text', text: text('helpdesk.training.newIntro'), tone: 'info' }, areaForm(ctx));
}

/** The draft goes on with the usual details step; everything after works as for a live request. */
async function createDraft(ctx: TurnContext, deps: TrainingDeps, values: Values): Promise<Outcome> {
  const area = one(values, 'area').slice(0, 100);
  const made = await createTrainingDraft(deps, { actorId: ctx.user.id, area, origin: ctx.turn.channel });
  if (!made.ok) {
    const form = areaForm(ctx, area);
    const fields = form.fields.map((f) => ({ ...f, error: errorText(made.error) }));
    return reply({ kind: 'text', text: errorText(made.error), tone: 'danger' }, { ...form, fields });
  }
  const details = await onDraftStep(ctx, 'draft.edit', { requestId: made.value.id });
  return reply({ kind: 'text', text: text('bot.newRequest.draftSaved', { id: made.value.id }), tone: 'info' }, ...details.reply.blocks);
}

/** The sandbox instead of the live inbox while training mode is on; null when it is off. */
export async function trainingInboxReply(ctx: TurnContext): Promise<Outcome | null> {
  if (!ctx.deps.training || !(await inTrainingMode(ctx))) return null;
  return reply({ kind: 'text', text: text('helpdesk.training.inboxNote'), tone: 'info' }, ...(await sandboxBlocks(ctx, ctx.deps.training)), actionsCard(true, true));
}

/** The words `training on|off|reset`, in English and in the user's language. */
function subcommand(ctx: TurnContext, rest: string): 'on' | 'off' | 'reset' | null {
  const word = rest.trim().toLowerCase().split(/\s+/)[0] ?? '';
  if (!word) return null;
  for (const name of ['on', 'off', 'reset'] as const) {
    const words = [name, ...tr(ctx, `helpdesk.training.words.${name}`).toLowerCase().split('|')];
    if (words.includes(word)) return name;
  }
  return null;
}

/** `training`, `training on`, `training off`, `training reset`. */
export async function trainingCommand(ctx: TurnContext, rest: string): Promise<Outcome> {
  const deps = ctx.deps.training;
  if (!deps) return unavailable();
  switch (subcommand(ctx, rest)) {
    case 'on':
      return start(ctx, deps);
    case 'off':
      return stop(ctx, deps);
    case 'reset':
      return confirmReset();
    default:
      return status(ctx, deps);
  }
}

/** Every "training.*" action; null for ids this dialogue does not know. */
export async function trainingAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  const deps = ctx.deps.training;
  if (!id.startsWith('training.')) return null;
  if (!deps) return unavailable();
  switch (id) {
    case 'training.status':
      return status(ctx, deps);
    case 'training.start':
      return start(ctx, deps);
    case 'training.off':
      return stop(ctx, deps);
    case 'training.reset':
      return confirmReset();
    case 'training.reset_confirm':
      return reset(ctx, deps);
    case 'training.inbox':
      return reply(...(await sandboxBlocks(ctx, deps)), actionsCard(await inTrainingMode(ctx), true));
    case 'training.new':
      return newTrainingRequest(ctx);
    case 'training.draft':
      return createDraft(ctx, deps, values);
    default:
      return null;
  }
}

import type { App } from '@slack/bolt';
import type { RenderedReply, Turn } from '../../src/conversation/types.ts';
import { ACTION_ID_PREFIX, OPEN_FORM_ACTION_ID, decodeButtonValue, decodeFormOpener, type FormOpener } from './blocks.slack.ts';
import { ask, type HandlerDeps } from './events.slack.ts';
import { plainSlackText, slackExternalId } from './identity.slack.ts';
import { FORM_CALLBACK_ID, fieldErrors, firstForm, infoModal, loadingModal, readMeta, submittedValues, type ModalMeta } from './modal.slack.ts';
import type { Where } from './replies.slack.ts';

/** How long a view submission may wait for the conversation before Slack's 3-second limit forces a "one moment" view. */
const SUBMISSION_BUDGET_MS = 2000;
const SLOW = Symbol('slow');

const turnWith = (turn: Turn, opener: FormOpener): Turn => ('t' in opener ? { ...turn, text: opener.t } : { ...turn, action: { id: opener.a, values: opener.v ?? {} } });

/** Where a submitted (or closed) form's answer goes: remembered in the modal when it was opened. */
const whereOf = (meta: ModalMeta, externalId: string): Where =>
  meta.o ? { kind: 'message', origin: meta.o } : meta.i ? { kind: 'modal' } : { kind: 'dm', externalId };

interface BlockActionBody {
  type: string;
  trigger_id: string;
  user: { id: string; team_id?: string };
  team?: { id: string } | null;
  container?: { type: string; channel_id?: string; message_ts?: string; is_ephemeral?: boolean; view_id?: string };
  view?: { id: string; type: string };
  response_url?: string;
}

/** Slash command, buttons, and modal submissions: everything Slack sends as an interaction. */
export function registerInteractions(app: App, deps: HandlerDeps): void {
  const { replies, work } = deps;

  // `/imi <text>`: the same text commands as the chat; answers go to the DM, forms open as modals.
  app.command(/.*/, async ({ command, ack, respond }) => {
    await ack();
    work.run(async () => {
      const text = plainSlackText(command.text ?? '');
      const turn = { ...(await replies.turnOf(command.team_id, command.user_id)), text };
      const after = async (reply: RenderedReply) => {
        const dm = await deps.dms.channelOf(turn.externalId);
        if (dm.ok && dm.channel === command.channel_id) return;
        // Typed in another channel: say where the answer is, visible to this user only.
        await respond({ response_type: 'ephemeral', text: deps.i18n.t(reply.lang, 'slack.answeredInDm') }).catch((err: unknown) =>
          deps.log.warn(`slack: could not answer the command in its channel: ${String(err)}`),
        );
      };
      await replies.withTrigger(command.trigger_id, turn, ask(deps, turn), { kind: 'dm', externalId: turn.externalId, opener: { t: text }, after });
      await deps.home.refresh(turn.externalId);
    });
  });

  // Every button of ours: one listener, so no press is acknowledged twice or left unacknowledged.
  app.action(/.*/, async ({ action, body, ack }) => {
    await ack();
    const b = body as unknown as BlockActionBody;
    const a = action as { action_id?: string; value?: string };
    if (b.type !== 'block_actions' || !a.action_id) return;
    const teamId = b.user.team_id ?? b.team?.id ?? '';
    const externalId = slackExternalId(teamId, b.user.id);
    const where: Where =
      b.container?.type === 'message' && b.container.channel_id && b.container.message_ts && !b.container.is_ephemeral
        ? { kind: 'message', origin: { channel: b.container.channel_id, ts: b.container.message_ts } }
        : b.view?.type === 'home'
          ? { kind: 'modal' }
          : { kind: 'dm', externalId };
    const inModal = b.view?.type === 'modal' ? b.view.id : null;

    work.run(async () => {
      const base = await replies.turnOf(teamId, b.user.id);
      if (a.action_id!.startsWith(OPEN_FORM_ACTION_ID)) {
        // A form offered in a message: a modal is opened at once (trigger ids last 3 s), then filled.
        const opener = decodeFormOpener(a.value);
        if (!opener) return;
        const labels = replies.labels(replies.fallbackLang(base));
        const opened = await deps.replies.openLoading(b.trigger_id, loadingModal(labels, labels.appName));
        await replies.fill(opened, await ask(deps, turnWith(base, opener)), where);
      } else if (a.action_id!.startsWith(ACTION_ID_PREFIX)) {
        const pressed = decodeButtonValue(a.value);
        if (!pressed) return;
        const turn: Turn = { ...base, action: pressed };
        if (inModal) await replies.fill(inModal, await ask(deps, turn), { kind: 'modal' });
        else await replies.withTrigger(b.trigger_id, turn, ask(deps, turn), where);
      } else {
        return;
      }
      await deps.home.refresh(externalId);
    });
  });

  // A form submitted: field errors stay in the modal, a next step replaces it, anything else closes it.
  app.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
    const meta = readMeta(view);
    if (!meta) {
      await ack();
      return;
    }
    const teamId = body.user.team_id ?? body.team?.id ?? '';
    const base = await replies.turnOf(teamId, body.user.id);
    const turn: Turn = { ...base, action: { id: meta.a, values: submittedValues(view, meta) } };
    const where = whereOf(meta, base.externalId);
    const pending = ask(deps, turn);
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([pending, new Promise<typeof SLOW>((r) => (timer = setTimeout(() => r(SLOW), SUBMISSION_BUDGET_MS)))]);
    clearTimeout(timer);
    if (first === SLOW) {
      const labels = replies.labels(replies.fallbackLang(base));
      await ack({ response_action: 'update', view: loadingModal(labels, labels.appName) });
      work.run(async () => {
        await replies.fill(view.id, await pending, where);
        await deps.home.refresh(base.externalId);
      });
      return;
    }
    const form = firstForm(first);
    const errors = form && form.action === meta.a ? fieldErrors(form) : null;
    if (errors) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    if (form) {
      await ack({ response_action: 'update', view: replies.formView(first, form, where) });
    } else if (where.kind === 'modal') {
      const labels = replies.labels(first.lang);
      await ack({ response_action: 'update', view: infoModal(first, labels, labels.appName) });
    } else {
      await ack({ response_action: 'clear' });
      work.run(() => replies.deliver(where, first));
    }
    work.run(() => deps.home.refresh(base.externalId));
  });

  // A form closed with its cancel button: the conversation is told (a draft is kept, the card shown again).
  app.view({ callback_id: FORM_CALLBACK_ID, type: 'view_closed' }, async ({ ack, body, view }) => {
    await ack();
    const meta = readMeta(view);
    if (!meta?.k) return;
    const cancel = meta.k;
    const teamId = body.user.team_id ?? body.team?.id ?? '';
    work.run(async () => {
      const turn: Turn = { ...(await replies.turnOf(teamId, body.user.id)), action: { id: cancel.a, values: cancel.v ?? {} } };
      const reply = await ask(deps, turn);
      const where = whereOf(meta, turn.externalId);
      // The message the form came from shows the outcome in place, so it does not offer the closed form again.
      await replies.deliver(where.kind === 'message' ? { ...where, replace: true } : where, reply);
      await deps.home.refresh(turn.externalId);
    });
  });
}

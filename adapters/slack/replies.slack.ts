import type { RenderedReply, Turn } from '../../src/conversation/types.ts';
import { negotiateLanguage, type Translator } from '../../src/i18n/i18n.ts';
import { renderMessage, type FormOpener, type SlackLabels } from './blocks.slack.ts';
import { DirectMessages, queued } from './direct-messages.slack.ts';
import { slackExternalId, type LocaleCache } from './identity.slack.ts';
import { slackLabels, type SlackLog } from './labels.slack.ts';
import { firstForm, formModal, infoModal, loadingModal, type Form, type ModalOrigin } from './modal.slack.ts';
import { classifySlackError, type SlackSendQueue, type WebClient } from './web-api.slack.ts';

export interface RepliesDeps {
  api: WebClient;
  queue: SlackSendQueue;
  dms: DirectMessages;
  i18n: Translator;
  locales: LocaleCache;
  log: SlackLog;
  /** How long to wait for the conversation before a trigger id is spent on a "one moment" modal. */
  triggerBudgetMs: number;
}

const SLOW = Symbol('slow');

type ModalView = Parameters<WebClient['views']['open']>[0]['view'];

/**
 * Where the answer to an interaction goes: onto the message it came from (a card's buttons),
 * into the user's DM (slash command, DM text), or into a modal (App Home, or a modal already open).
 */
export type Where =
  | { kind: 'message'; origin: ModalOrigin; replace?: boolean }
  | { kind: 'dm'; externalId: string; opener?: FormOpener; after?: (reply: RenderedReply) => Promise<void> }
  | { kind: 'modal' };

/** How replies reach Slack: messages, in-place card updates, DMs and modals. */
export class SlackReplies {
  constructor(private readonly deps: RepliesDeps) {}

  labels(lang: string): SlackLabels {
    return slackLabels(this.deps.i18n, lang);
  }

  /** The Turn fields every Slack turn shares, with the user's Slack locale. */
  async turnOf(teamId: string, userId: string): Promise<Turn> {
    const locale = await this.deps.locales.localeOf(teamId, userId);
    return { channel: 'slack', externalId: slackExternalId(teamId, userId), workspace: teamId, ...(locale ? { locale } : {}) };
  }

  /** The language to apologise in when the conversation itself could not answer. */
  fallbackLang(turn: Turn): string {
    return negotiateLanguage(this.deps.i18n.languages, turn.locale);
  }

  failureReply(turn: Turn): RenderedReply {
    const lang = this.fallbackLang(turn);
    return { lang, blocks: [{ kind: 'text', text: this.deps.i18n.t(lang, 'slack.failed'), tone: 'danger' }] };
  }

  async post(channel: string, reply: RenderedReply, opener?: FormOpener): Promise<void> {
    const message = renderMessage(reply, { labels: this.labels(reply.lang), ...(opener ? { formOpener: opener } : {}) });
    const sent = await queued(this.deps.queue, channel, () => this.deps.api.chat.postMessage({ channel, ...message }));
    if (!sent.ok) this.deps.log.warn(`${sent.failure.reason} (posting to ${channel})`);
  }

  /** Replaces a message (the card whose button was pressed) so its old buttons are gone; posts anew if it cannot. */
  async update(origin: ModalOrigin, reply: RenderedReply): Promise<void> {
    const message = renderMessage(reply, { labels: this.labels(reply.lang) });
    const done = await queued(this.deps.queue, origin.channel, () => this.deps.api.chat.update({ channel: origin.channel, ts: origin.ts, ...message }));
    if (done.ok) return;
    this.deps.log.warn(`${done.failure.reason} (updating a message in ${origin.channel}); posting the reply instead`);
    await this.post(origin.channel, reply);
  }

  /** Sends a reply to the user's DM with the bot. */
  async toUser(externalId: string, reply: RenderedReply, opener?: FormOpener): Promise<void> {
    const dm = await this.deps.dms.channelOf(externalId);
    if (!dm.ok) {
      this.deps.log.warn(`${dm.failure.reason} (opening the DM of ${externalId})`);
      return;
    }
    await this.post(dm.channel, reply, opener);
  }

  /** Sends a reply where the interaction asks for it (see Where); a modal's reply is shown by the caller. */
  async deliver(where: Where, reply: RenderedReply): Promise<void> {
    switch (where.kind) {
      case 'message':
        // In place when the reply says so (a card after its action), else below it.
        return where.replace || reply.replacesCard ? this.update(where.origin, reply) : this.post(where.origin.channel, reply);
      case 'dm':
        await this.toUser(where.externalId, reply, where.opener);
        await where.after?.(reply);
        return;
      case 'modal':
        return;
    }
  }

  /** A short private note in a channel (e.g. "answered you in a DM"). */
  async ephemeral(channel: string, userId: string, text: string, threadTs?: string): Promise<void> {
    try {
      await this.deps.api.chat.postEphemeral({ channel, user: userId, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    } catch (err) {
      this.deps.log.warn(`${classifySlackError(err).reason} (ephemeral note in ${channel})`);
    }
  }

  /** A form as a modal for `where`: its submission is answered in the same place. */
  formView(reply: RenderedReply, form: Form, where: Where, showErrors = false): ModalView {
    return formModal(form, this.labels(reply.lang), {
      notes: reply.blocks,
      showErrors,
      ...(where.kind === 'message' ? { origin: where.origin } : {}),
      ...(where.kind === 'modal' ? { inModal: true } : {}),
    });
  }

  /**
   * Answers an interaction that came with a trigger id. A form opens as a modal; anything else goes
   * where `where` says. Trigger ids expire 3 s after the click, so when the conversation is slow a
   * "one moment" modal is opened in time and later replaced with the form (or the answer).
   */
  async withTrigger(triggerId: string, turn: Turn, pending: Promise<RenderedReply>, where: Where): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<typeof SLOW>((r) => (timer = setTimeout(() => r(SLOW), this.deps.triggerBudgetMs)));
    const first = await Promise.race([pending, slow]);
    clearTimeout(timer);
    if (first !== SLOW) {
      const form = firstForm(first);
      if (form) await this.openView(triggerId, this.formView(first, form, where));
      else if (where.kind === 'modal') await this.openView(triggerId, infoModal(first, this.labels(first.lang), this.labels(first.lang).appName));
      else await this.deliver(where, first);
      return;
    }
    const labels = this.labels(this.fallbackLang(turn));
    const viewId = await this.openView(triggerId, loadingModal(labels, labels.appName));
    await this.fill(viewId, await pending, where);
  }

  /** Puts a reply into an open modal: the form, or the answer (also delivered where it belongs). */
  async fill(viewId: string | null, reply: RenderedReply, where: Where): Promise<void> {
    const labels = this.labels(reply.lang);
    const form = firstForm(reply);
    if (!form) await this.deliver(where, reply);
    if (!viewId) {
      if (form) this.deps.log.warn('slack: a form could not be shown because its modal did not open');
      return;
    }
    const view = form ? this.formView(reply, form, where, true) : infoModal(reply, labels, labels.appName);
    try {
      await this.deps.api.views.update({ view_id: viewId, view });
    } catch (err) {
      this.deps.log.warn(`${classifySlackError(err).reason} (views.update)`);
    }
  }

  /** Opens a "one moment" modal with a trigger id before the answer is known; its view id, or null. */
  openLoading(triggerId: string, view: ModalView): Promise<string | null> {
    return this.openView(triggerId, view);
  }

  private async openView(triggerId: string, view: ModalView): Promise<string | null> {
    try {
      const opened = await this.deps.api.views.open({ trigger_id: triggerId, view });
      return opened.view?.id ?? null;
    } catch (err) {
      this.deps.log.warn(`${classifySlackError(err).reason} (views.open)`);
      return null;
    }
  }
}


import type { types } from '@slack/bolt';
import type { Block, Button, RenderedReply, Tone } from '../../src/conversation/types.ts';

/**
 * RenderedReply → Block Kit. Pure functions: no Slack calls, no translation (the reply comes
 * translated; the few Slack-only words arrive in SlackLabels).
 */

export type KnownBlock = types.KnownBlock;
type ButtonElement = types.Button;

/** Slack-only words, translated by the caller in the reply's language. */
export interface SlackLabels {
  /** The product's name, as modal titles show it. */
  appName: string;
  openForm: string;
  /** "… and 3 more", when a long list does not fit one message. */
  more(count: number): string;
  cancel: string;
  close: string;
  loading: string;
  homeTitle: string;
}

/** Limits from the Block Kit reference; exceeding any of them makes Slack reject the whole message. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  sectionText: 3000,
  fieldText: 2000,
  sectionFields: 10,
  actionsElements: 25,
  optionText: 75,
  fallbackText: 3000,
} as const;

/**
 * Escapes text for mrkdwn. Every string of a reply may carry user input (a request's free text,
 * a name), and unescaped `<!channel>` or `<https://evil|bank>` would ping a whole channel or hide a link.
 */
export const escapeMrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const mrkdwn = (s: string, max: number = LIMITS.sectionText): types.MrkdwnElement => ({ type: 'mrkdwn', text: truncate(escapeMrkdwn(s), max) });
const plain = (s: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: truncate(s, max), emoji: true });
/** mrkdwn made of escaped pieces plus our own markup (bold titles). */
const bold = (s: string) => `*${escapeMrkdwn(s).replace(/\*/g, '∗')}*`;

const TONE_EMOJI: Record<Tone, string> = {
  info: ':information_source:',
  success: ':white_check_mark:',
  warning: ':warning:',
  danger: ':x:',
  neutral: '',
};
const withTone = (escaped: string, tone?: Tone) => (tone && TONE_EMOJI[tone] ? `${TONE_EMOJI[tone]} ${escaped}` : escaped);

/** Every button's action_id starts with this; the value carries what to do. */
export const ACTION_ID_PREFIX = 'imi:';
/** The action_id of the button that opens a form in a modal. */
export const OPEN_FORM_ACTION_ID = 'imi-open-form';

/** What a button sends back: the conversation's action id and values (short keys: 2000 characters is all Slack keeps). */
export interface ButtonPayload {
  a: string;
  v?: Record<string, string | string[]>;
}

/** What a "fill in the form" button replays to get the form again: the turn that produced it. */
export type FormOpener = { t: string } | ButtonPayload;

export function encodeValue(payload: ButtonPayload | FormOpener): string | null {
  const json = JSON.stringify(payload);
  return json.length <= LIMITS.buttonValue ? json : null;
}

/** The action a button value stands for, or null when it is not one of ours. */
export function decodeButtonValue(value: string | undefined): { id: string; values: Record<string, string | string[]> } | null {
  try {
    const p = JSON.parse(value ?? '') as ButtonPayload;
    return typeof p?.a === 'string' ? { id: p.a, values: p.v ?? {} } : null;
  } catch {
    return null;
  }
}

export function decodeFormOpener(value: string | undefined): FormOpener | null {
  try {
    const p = JSON.parse(value ?? '') as FormOpener;
    if ('t' in p && typeof p.t === 'string') return p;
    if ('a' in p && typeof p.a === 'string') return p;
    return null;
  } catch {
    return null;
  }
}

/** action_ids must be unique within a message or view; a namespace keeps parts of one view apart. */
class IdSource {
  private n = 0;
  constructor(private readonly namespace = '') {}
  next(prefix: string) {
    return `${prefix}${this.namespace}${this.n++}`;
  }
}

function button(b: Button<string>, ids: IdSource): ButtonElement | null {
  const value = encodeValue({ a: b.action, ...(b.value && Object.keys(b.value).length ? { v: b.value } : {}) });
  // A button whose value Slack would truncate would send back garbage; better no button than a wrong action.
  if (value === null) return null;
  return {
    type: 'button',
    action_id: ids.next(ACTION_ID_PREFIX),
    text: plain(b.label, LIMITS.buttonText),
    value,
    ...(b.style === 'primary' || b.style === 'danger' ? { style: b.style } : {}),
  };
}

function actionsBlocks(buttons: Button<string>[], ids: IdSource, blockId?: string): KnownBlock[] {
  const elements = buttons.map((b) => button(b, ids)).filter((b): b is ButtonElement => b !== null);
  const out: KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.actionsElements) {
    out.push({
      type: 'actions',
      ...(blockId ? { block_id: `${blockId}:${i}` } : {}),
      elements: elements.slice(i, i + LIMITS.actionsElements),
    });
  }
  return out;
}

function cardBlocks(b: Extract<Block<string>, { kind: 'card' }>, ids: IdSource): KnownBlock[] {
  const out: KnownBlock[] = [{ type: 'header', text: plain(b.title, LIMITS.headerText) }];
  const context: types.MrkdwnElement[] = [];
  if (b.badge) context.push({ type: 'mrkdwn', text: withTone(bold(b.badge.text), b.badge.tone) });
  if (b.subtitle) context.push(mrkdwn(b.subtitle));
  if (context.length) out.push({ type: 'context', elements: context });
  for (let i = 0; i < b.fields.length; i += LIMITS.sectionFields) {
    out.push({
      type: 'section',
      fields: b.fields.slice(i, i + LIMITS.sectionFields).map((f) => ({
        type: 'mrkdwn',
        text: truncate(`${bold(f.label)}\n${escapeMrkdwn(f.value)}`, LIMITS.fieldText),
      })),
    });
  }
  for (const s of b.sections ?? []) {
    out.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`${bold(s.title)}\n${escapeMrkdwn(s.body)}`, LIMITS.sectionText) } });
    if (s.note) out.push({ type: 'context', elements: [mrkdwn(s.note)] });
  }
  // Slack fetches images itself, so only an absolute https address can be shown (PUBLIC_URL).
  if (b.image && /^https:\/\//.test(b.image.url)) out.push({ type: 'image', image_url: b.image.url, alt_text: truncate(b.image.alt, 2000) });
  const blockId = b.ref ? ids.next(`card:${b.ref.requestId}:${b.ref.version}:`) : undefined;
  out.push(...actionsBlocks(b.actions, ids, blockId));
  return out;
}

function listBlocks(b: Extract<Block<string>, { kind: 'list' }>, ids: IdSource): KnownBlock[] {
  const out: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: bold(b.title) } }];
  if (b.items.length === 0 && b.empty) out.push({ type: 'context', elements: [mrkdwn(b.empty)] });
  for (const item of b.items) {
    const text = withTone(escapeMrkdwn(item.text), item.tone) + (item.detail ? `\n${escapeMrkdwn(item.detail)}` : '');
    const section: types.SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
    const actions = item.actions ?? [];
    if (actions.length === 1) {
      const accessory = button(actions[0]!, ids);
      if (accessory) section.accessory = accessory;
      out.push(section);
    } else {
      out.push(section, ...actionsBlocks(actions, ids));
    }
  }
  if (b.more) out.push(...actionsBlocks([b.more], ids));
  return out;
}

/** A form inside a message: Slack shows forms in modals, so the message offers a button that opens one. */
function formTeaserBlocks(b: Extract<Block<string>, { kind: 'form' }>, ids: IdSource, labels: SlackLabels, opener?: FormOpener): KnownBlock[] {
  const text = bold(b.title) + (b.intro ? `\n${escapeMrkdwn(b.intro)}` : '');
  const section: types.SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
  const value = opener ? encodeValue(opener) : null;
  if (value !== null) {
    section.accessory = { type: 'button', action_id: ids.next(`${OPEN_FORM_ACTION_ID}:`), text: plain(labels.openForm, LIMITS.buttonText), value, style: 'primary' };
  }
  return [section];
}

export interface RenderOptions {
  labels: SlackLabels;
  /** The turn that produced the reply, replayed when a form teaser's button is pressed. */
  formOpener?: FormOpener;
  /** Block budget: 50 in a message, 100 in a view. */
  maxBlocks?: number;
  /** Keeps action_ids unique when several replies share one view. */
  idNamespace?: string;
}

/** The Block Kit blocks of a reply, within Slack's block budget. */
export function renderBlocks(reply: RenderedReply, options: RenderOptions): KnownBlock[] {
  const ids = new IdSource(options.idNamespace);
  const groups = reply.blocks.map((b): KnownBlock[] => {
    switch (b.kind) {
      case 'text':
        return [{ type: 'section', text: { type: 'mrkdwn', text: truncate(withTone(escapeMrkdwn(b.text), b.tone), LIMITS.sectionText) } }];
      case 'card':
        return cardBlocks(b, ids);
      case 'list':
        return listBlocks(b, ids);
      case 'form':
        return formTeaserBlocks(b, ids, options.labels, options.formOpener);
    }
  });
  const out: KnownBlock[] = [];
  groups.forEach((g, i) => {
    // Cards and lists read as separate things; a divider keeps their buttons visibly apart.
    if (i > 0 && (reply.blocks[i]!.kind === 'card' || reply.blocks[i - 1]!.kind === 'card')) out.push({ type: 'divider' });
    out.push(...g);
  });
  return fitBudget(out, options.maxBlocks ?? LIMITS.messageBlocks, options.labels);
}

/** Cuts a too-long rendering and says how much is missing, rather than having Slack reject it all. */
function fitBudget(blocks: KnownBlock[], max: number, labels: SlackLabels): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, { type: 'context', elements: [mrkdwn(labels.more(blocks.length - kept.length))] }];
}

/** The notification and accessibility text of a message (what a phone shows in the push). */
export function fallbackText(reply: RenderedReply): string {
  const parts: string[] = [];
  for (const b of reply.blocks) {
    if (b.kind === 'text') parts.push(b.text);
    else parts.push(b.title);
    if (parts.join(' ').length > LIMITS.fallbackText) break;
  }
  return truncate(escapeMrkdwn(parts.join('\n')), LIMITS.fallbackText);
}

/** A complete message body for chat.postMessage / chat.update. */
export function renderMessage(reply: RenderedReply, options: RenderOptions): { text: string; blocks: KnownBlock[] } {
  return { text: fallbackText(reply), blocks: renderBlocks(reply, options) };
}

/** The App Home tab: a title, then each part (the inbox, onboarding) in turn. */
export function homeView(parts: RenderedReply[], labels: SlackLabels): types.HomeView {
  const blocks: KnownBlock[] = [{ type: 'header', text: plain(labels.homeTitle, LIMITS.headerText) }];
  parts.forEach((p, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(...renderBlocks(p, { labels, maxBlocks: LIMITS.viewBlocks, idNamespace: `${i}.` }));
  });
  return { type: 'home', callback_id: 'imi-home', blocks: fitBudget(blocks, LIMITS.viewBlocks, labels) };
}

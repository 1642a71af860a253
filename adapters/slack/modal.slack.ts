import type { types } from '@slack/bolt';
import type { Block, FormField, RenderedReply } from '../../src/conversation/types.ts';
import { escapeMrkdwn, LIMITS, renderBlocks, truncate, type ButtonPayload, type KnownBlock, type SlackLabels } from './blocks.slack.ts';

/**
 * Forms → Slack modals, and a submitted modal → the values the conversation expects.
 * Everything needed to answer a submission travels in the view's private_metadata, so any
 * instance of the server can handle it and nothing is kept in memory.
 */

export type Form = Extract<Block<string>, { kind: 'form' }>;
type ModalView = types.ModalView;

/** Where the form came from: the message whose card opened it, so that card can be updated in place. */
export interface ModalOrigin {
  channel: string;
  ts: string;
}

/** What a form modal remembers (private_metadata, 3000 characters at most). */
export interface ModalMeta {
  /** The form's action: comes back as Turn.action.id. */
  a: string;
  /** The form's hidden values. */
  x?: Record<string, string>;
  o?: ModalOrigin;
  /** The form's cancel button, sent when the user closes the modal. */
  k?: ButtonPayload;
  /** Opened from the App Home or another modal: the answer is shown in the modal itself. */
  i?: 1;
}

export const FORM_CALLBACK_ID = 'imi-form';
export const INFO_CALLBACK_ID = 'imi-info';
const VIEW_TITLE = 24;
const VALUE_ACTION_ID = 'value';
const OPTION_VALUE = 150;

const plain = (s: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: truncate(s, max), emoji: true });

/** The block id of a field; the form's action is part of it so a next step never inherits the previous step's input. */
export const fieldBlockId = (action: string, name: string): string => truncate(`f|${action}`, 200) + `|${name}`;
const fieldNameOf = (blockId: string): string => blockId.slice(blockId.lastIndexOf('|') + 1);

export const firstForm = (reply: RenderedReply): Form | undefined => reply.blocks.find((b): b is Form => b.kind === 'form');

function option(o: { value: string; label: string }): types.PlainTextOption {
  return { text: plain(o.label, LIMITS.optionText), value: o.value.slice(0, OPTION_VALUE) };
}

/** Radio buttons and checkboxes take mrkdwn and a description: room for long question texts. */
function richOption(o: { value: string; label: string }): types.Option {
  const head = truncate(o.label, LIMITS.optionText);
  const rest = o.label.length > LIMITS.optionText ? o.label.slice(LIMITS.optionText - 1) : '';
  return {
    text: { type: 'mrkdwn', text: escapeMrkdwn(head) },
    value: o.value.slice(0, OPTION_VALUE),
    ...(rest ? { description: { type: 'mrkdwn', text: escapeMrkdwn(truncate(rest, LIMITS.optionText)) } } : {}),
  } as types.Option;
}

const asArray = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function fieldElement(f: FormField<string>): types.InputBlock['element'] {
  const options = f.options ?? [];
  const chosen = asArray(f.value);
  switch (f.type) {
    case 'choice': {
      if (options.length > 0 && options.length <= 5) {
        const rich = options.map(richOption);
        const initial = rich.find((o) => o.value === chosen[0]);
        return { type: 'radio_buttons', action_id: VALUE_ACTION_ID, options: rich, ...(initial ? { initial_option: initial } : {}) };
      }
      const plainOptions = options.map(option);
      const initial = plainOptions.find((o) => o.value === chosen[0]);
      const base = { type: 'static_select' as const, action_id: VALUE_ACTION_ID, ...(initial ? { initial_option: initial } : {}) };
      // A select holds 100 options; longer lists (every authority of a country) go into groups of 100.
      if (plainOptions.length <= 100) return { ...base, options: plainOptions };
      const groups: { label: types.PlainTextElement; options: types.PlainTextOption[] }[] = [];
      for (let i = 0; i < plainOptions.length && groups.length < 100; i += 100) {
        groups.push({ label: plain(`${i + 1}–${Math.min(i + 100, plainOptions.length)}`, LIMITS.optionText), options: plainOptions.slice(i, i + 100) });
      }
      return { ...base, option_groups: groups };
    }
    case 'multi-choice': {
      if (options.length <= 10) {
        const rich = options.map(richOption);
        const initial = rich.filter((o) => chosen.includes(o.value!));
        return { type: 'checkboxes', action_id: VALUE_ACTION_ID, options: rich, ...(initial.length ? { initial_options: initial } : {}) };
      }
      const plainOptions = options.slice(0, 100).map(option);
      const initial = plainOptions.filter((o) => chosen.includes(o.value!));
      return { type: 'multi_static_select', action_id: VALUE_ACTION_ID, options: plainOptions, ...(initial.length ? { initial_options: initial } : {}) };
    }
    case 'date':
      return { type: 'datepicker', action_id: VALUE_ACTION_ID, ...(chosen[0] && /^\d{4}-\d{2}-\d{2}$/.test(chosen[0]) ? { initial_date: chosen[0] } : {}) };
    case 'text':
    case 'long-text':
      return {
        type: 'plain_text_input',
        action_id: VALUE_ACTION_ID,
        multiline: f.type === 'long-text',
        ...(f.maxLength ? { max_length: Math.min(f.maxLength, 3000) } : {}),
        ...(chosen[0] ? { initial_value: chosen[0] } : {}),
      };
  }
}

export interface FormModalOptions {
  origin?: ModalOrigin;
  inModal?: boolean;
  /** The reply's text blocks (e.g. "draft saved"), shown above the form. */
  notes?: Block<string>[];
  /** Writes field errors under the fields: for views.update, where `response_action: errors` is not possible. */
  showErrors?: boolean;
}

const NOTE_EMOJI = { info: ':information_source: ', success: ':white_check_mark: ', warning: ':warning: ', danger: ':x: ', neutral: '' } as const;

/** The first form of a reply as a modal, with the reply's texts as notes above it. */
export function formModal(form: Form, labels: SlackLabels, options: FormModalOptions = {}): ModalView {
  const { origin, notes = [], showErrors = false } = options;
  const blocks: KnownBlock[] = [];
  if (form.title.length > VIEW_TITLE) blocks.push({ type: 'header', text: plain(form.title, LIMITS.headerText) });
  for (const n of notes) {
    if (n.kind !== 'text') continue;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(NOTE_EMOJI[n.tone ?? 'neutral'] + escapeMrkdwn(n.text), LIMITS.sectionText) }] });
  }
  if (form.intro) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(form.intro), LIMITS.sectionText) } });
  for (const f of form.fields) {
    blocks.push({
      type: 'input',
      block_id: fieldBlockId(form.action, f.name),
      label: plain(f.label, 2000),
      optional: !f.required,
      element: fieldElement(f),
      ...(f.hint ? { hint: plain(f.hint, 2000) } : {}),
    });
    if (showErrors && f.error) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(f.error)}` }] });
  }
  const meta: ModalMeta = { a: form.action };
  if (form.context && Object.keys(form.context).length) meta.x = form.context;
  if (origin) meta.o = origin;
  if (options.inModal) meta.i = 1;
  if (form.cancel) meta.k = { a: form.cancel.action, ...(form.cancel.value ? { v: form.cancel.value } : {}) };
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    title: plain(form.title, VIEW_TITLE),
    submit: plain(form.submitLabel, VIEW_TITLE),
    close: plain(form.cancel?.label ?? labels.cancel, VIEW_TITLE),
    // Closing a form with a cancel button tells the conversation, so a half-written draft is not left behind.
    notify_on_close: Boolean(form.cancel),
    private_metadata: JSON.stringify(meta),
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}

/** Shown at once when a trigger id must be used before the answer is ready (trigger ids expire after 3 s). */
export function loadingModal(labels: SlackLabels, title: string): ModalView {
  return {
    type: 'modal',
    callback_id: INFO_CALLBACK_ID,
    title: plain(title, VIEW_TITLE),
    close: plain(labels.close, VIEW_TITLE),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:hourglass_flowing_sand: ${escapeMrkdwn(labels.loading)}` } }],
  };
}

/** A reply without a form shown in a modal (the modal was opened before the answer was known). */
export function infoModal(reply: RenderedReply, labels: SlackLabels, title: string): ModalView {
  return {
    type: 'modal',
    callback_id: INFO_CALLBACK_ID,
    title: plain(title, VIEW_TITLE),
    close: plain(labels.close, VIEW_TITLE),
    blocks: renderBlocks(reply, { labels, maxBlocks: LIMITS.viewBlocks }),
  };
}

export function readMeta(view: { private_metadata?: string }): ModalMeta | null {
  try {
    const m = JSON.parse(view.private_metadata ?? '') as ModalMeta;
    return typeof m?.a === 'string' ? m : null;
  } catch {
    return null;
  }
}

interface StateValue {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: { value?: string }[] | null;
  selected_date?: string | null;
}

/** The submitted field values, with the form's hidden values, as Turn.action.values. */
export function submittedValues(
  view: { state?: { values?: Record<string, Record<string, StateValue>> } },
  meta: ModalMeta,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { ...(meta.x ?? {}) };
  for (const [blockId, actions] of Object.entries(view.state?.values ?? {})) {
    const v = actions[VALUE_ACTION_ID];
    if (!v || !blockId.startsWith('f|')) continue;
    const name = fieldNameOf(blockId);
    switch (v.type) {
      case 'checkboxes':
      case 'multi_static_select':
        out[name] = (v.selected_options ?? []).map((o) => o.value ?? '');
        break;
      case 'static_select':
      case 'radio_buttons':
        out[name] = v.selected_option?.value ?? '';
        break;
      case 'datepicker':
        out[name] = v.selected_date ?? '';
        break;
      default:
        out[name] = v.value ?? '';
    }
  }
  return out;
}

/** Field errors of a form as Slack wants them in `response_action: errors`; null when there are none. */
export function fieldErrors(form: Form): Record<string, string> | null {
  const errors = Object.fromEntries(form.fields.filter((f) => f.error).map((f) => [fieldBlockId(form.action, f.name), truncate(f.error!, 2000)]));
  return Object.keys(errors).length ? errors : null;
}

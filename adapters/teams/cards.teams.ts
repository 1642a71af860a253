import type { Block, Button, FormField, RenderedReply, Tone } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';

/**
 * RenderedReply → Adaptive Card 1.5. Every button is an Action.Execute (Universal Actions): its
 * verb is the conversation's action id and its data the button's values, so a press comes back
 * as one `adaptiveCard/action` invoke that the bot answers with the updated card.
 */

export type AdaptiveElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: AdaptiveElement[];
  fallbackText: string;
  msteams: { width: 'Full' };
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Teams refuses messages over ~28 KB; a reply bigger than this goes out as one card per block. */
const MAX_CARD_BYTES = 24_000;

const TONE_COLOR: Record<Tone, string> = {
  info: 'Accent',
  success: 'Good',
  warning: 'Warning',
  danger: 'Attention',
  neutral: 'Default',
};

/**
 * Text from users or data (names, reasons, answers) must stay text. TextRun shows no markdown by
 * definition, so only what Teams itself interprets anywhere is neutralised: `<at>` mention markup
 * and `{{DATE(...)}}`-style functions. Control characters other than line breaks are dropped.
 */
export function plain(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/<\s*\/?\s*at\b[^>]*>/gi, '')
    .replace(/\{\{/g, '{\u200b{')
    .replace(/\}\}/g, '}\u200b}');
}

interface RunStyle {
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  color?: string;
  isSubtle?: boolean;
  italic?: boolean;
}

/** One RichTextBlock per line: TextRun never interprets markdown, so user text cannot format itself. */
function richText(value: string, style: RunStyle = {}, spacing?: string): AdaptiveElement[] {
  const lines = plain(value).split(/\r?\n/);
  const out: AdaptiveElement[] = [];
  let gap = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      gap = true;
      return;
    }
    const block: AdaptiveElement = { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: line, ...style }] };
    if (i === 0 && spacing) block.spacing = spacing;
    else if (i > 0) block.spacing = gap ? 'Medium' : 'None';
    gap = false;
    out.push(block);
  });
  return out;
}

const STYLE: Record<NonNullable<Button['style']>, string | undefined> = {
  primary: 'positive',
  danger: 'destructive',
  default: undefined,
};

/** A button as Action.Execute; `withInputs` only for a form's submit, so other buttons never trip validation. */
export function executeAction(button: Button<string>, withInputs = false): AdaptiveElement {
  const action: AdaptiveElement = {
    type: 'Action.Execute',
    title: plain(button.label),
    verb: button.action,
    data: { ...(button.value ?? {}) },
    associatedInputs: withInputs ? 'auto' : 'none',
  };
  const style = button.style ? STYLE[button.style] : undefined;
  if (style) action.style = style;
  return action;
}

const actionSet = (actions: AdaptiveElement[]): AdaptiveElement[] =>
  actions.length ? [{ type: 'ActionSet', actions }] : [];

function cardBlock(b: Extract<Block<string>, { kind: 'card' }>): AdaptiveElement[] {
  const header: AdaptiveElement = {
    type: 'ColumnSet',
    columns: [
      { type: 'Column', width: 'stretch', items: richText(b.title, { weight: 'Bolder', size: 'Medium' }) },
      ...(b.badge
        ? [{ type: 'Column', width: 'auto', verticalContentAlignment: 'Center', items: richText(b.badge.text, { weight: 'Bolder', color: TONE_COLOR[b.badge.tone] }) }]
        : []),
    ],
  };
  const items: AdaptiveElement[] = [header];
  if (b.subtitle) items.push(...richText(b.subtitle, { isSubtle: true }, 'None'));
  for (const f of b.fields) {
    items.push({
      type: 'ColumnSet',
      spacing: 'Small',
      columns: [
        { type: 'Column', width: 2, items: richText(f.label, { weight: 'Bolder' }) },
        { type: 'Column', width: 3, items: richText(f.value) },
      ],
    });
  }
  for (const s of b.sections ?? []) {
    items.push({
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      items: [...richText(s.title, { weight: 'Bolder' }), ...richText(s.body, {}, 'Small'), ...(s.note ? richText(s.note, { isSubtle: true, italic: true }, 'Small') : [])],
    });
  }
  // Teams fetches images itself, so only an absolute https address can be shown (PUBLIC_URL).
  if (b.image && /^https:\/\//.test(b.image.url)) items.push({ type: 'Image', url: b.image.url, altText: b.image.alt, size: 'Stretch' });
  items.push(...actionSet(b.actions.map((a) => executeAction(a))));
  return [{ type: 'Container', items }];
}

function input(field: FormField<string>, requiredMessage: string): AdaptiveElement {
  const common: AdaptiveElement = { id: field.name, label: plain(field.label) };
  if (field.required) Object.assign(common, { isRequired: true, errorMessage: plain(requiredMessage) });
  const value = Array.isArray(field.value) ? field.value.join(',') : field.value;
  if (value !== undefined && value !== '') common.value = value;
  switch (field.type) {
    case 'choice':
    case 'multi-choice':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: 'compact',
        isMultiSelect: field.type === 'multi-choice',
        choices: (field.options ?? []).map((o) => ({ title: plain(o.label), value: o.value })),
      };
    case 'date':
      return { type: 'Input.Date', ...common, ...(field.min ? { min: field.min } : {}) };
    case 'text':
    case 'long-text':
      return {
        type: 'Input.Text',
        ...common,
        isMultiline: field.type === 'long-text',
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
      };
  }
}

function formBlock(b: Extract<Block<string>, { kind: 'form' }>, requiredMessage: string): AdaptiveElement[] {
  const items: AdaptiveElement[] = [...richText(b.title, { weight: 'Bolder', size: 'Medium' })];
  if (b.intro) items.push(...richText(b.intro, {}, 'Small'));
  for (const f of b.fields) {
    items.push({ ...input(f, requiredMessage), spacing: 'Medium' });
    if (f.hint) items.push(...richText(f.hint, { isSubtle: true, size: 'Small' }, 'None'));
    // The server's verdict on the last submission, shown under the field it concerns.
    if (f.error) items.push(...richText(f.error, { color: 'Attention', weight: 'Bolder' }, 'None'));
  }
  const submit = executeAction({ action: b.action, label: b.submitLabel, value: b.context, style: 'primary' }, true);
  items.push(...actionSet([submit, ...(b.cancel ? [executeAction(b.cancel)] : [])]));
  return [{ type: 'Container', items }];
}

function listBlock(b: Extract<Block<string>, { kind: 'list' }>): AdaptiveElement[] {
  const items: AdaptiveElement[] = [...richText(b.title, { weight: 'Bolder', size: 'Medium' })];
  if (b.items.length === 0 && b.empty) items.push(...richText(b.empty, { isSubtle: true }, 'Small'));
  for (const item of b.items) {
    items.push({
      type: 'Container',
      separator: true,
      spacing: 'Small',
      items: [
        ...richText(item.text, item.tone ? { color: TONE_COLOR[item.tone] } : {}),
        ...(item.detail ? richText(item.detail, { isSubtle: true, size: 'Small' }, 'None') : []),
        ...actionSet((item.actions ?? []).map((a) => executeAction(a))),
      ],
    });
  }
  if (b.more) items.push(...actionSet([executeAction(b.more)]));
  return [{ type: 'Container', items }];
}

function blockElements(block: Block<string>, requiredMessage: string): AdaptiveElement[] {
  switch (block.kind) {
    case 'text':
      return richText(block.text, block.tone && block.tone !== 'neutral' ? { color: TONE_COLOR[block.tone] } : {});
    case 'card':
      return cardBlock(block);
    case 'form':
      return formBlock(block, requiredMessage);
    case 'list':
      return listBlock(block);
  }
}

/** The first words of a reply, for notification previews and clients that cannot show cards. */
export function summaryOf(reply: RenderedReply): string {
  const first = reply.blocks[0];
  if (!first) return '';
  const raw = first.kind === 'text' ? first.text : first.title;
  const line = plain(raw).split(/\r?\n/)[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** The whole reply as one card: what an Action.Execute invoke answers with. */
export function renderCard(reply: RenderedReply, i18n: Translator): AdaptiveCard {
  const requiredMessage = i18n.t(reply.lang, 'teams.required');
  const body: AdaptiveElement[] = [];
  reply.blocks.forEach((block, i) => {
    const elements = blockElements(block, requiredMessage);
    if (i > 0 && elements[0]) elements[0] = { ...elements[0], spacing: 'Large' };
    body.push(...elements);
  });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    fallbackText: summaryOf(reply) || i18n.t(reply.lang, 'teams.fallback'),
    msteams: { width: 'Full' },
  };
}

export interface CardMessage {
  type: 'message';
  summary?: string;
  attachments: { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }[];
}

const message = (card: AdaptiveCard, summary: string): CardMessage => ({
  type: 'message',
  ...(summary ? { summary } : {}),
  attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
});

/** The reply as chat messages: one card, or one card per block when one card would be too big for Teams. */
export function renderMessages(reply: RenderedReply, i18n: Translator): CardMessage[] {
  if (reply.blocks.length === 0) return [];
  const whole = renderCard(reply, i18n);
  if (reply.blocks.length === 1 || Buffer.byteLength(JSON.stringify(whole)) <= MAX_CARD_BYTES) {
    return [message(whole, summaryOf(reply))];
  }
  return reply.blocks.map((block) => {
    const part = { ...reply, blocks: [block] };
    return message(renderCard(part, i18n), summaryOf(part));
  });
}

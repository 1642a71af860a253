import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  decodeButtonValue,
  decodeFormOpener,
  escapeMrkdwn,
  fallbackText,
  homeView,
  renderBlocks,
  renderMessage,
  type KnownBlock,
  type SlackLabels,
} from '../../adapters/slack/blocks.slack.ts';
import type { Block, RenderedReply } from '../../src/conversation/types.ts';

const labels: SlackLabels = {
  appName: 'imi-bot',
  openForm: 'Fill in the form',
  more: (n) => `… and ${n} more`,
  cancel: 'Cancel',
  close: 'Close',
  loading: 'One moment',
  homeTitle: 'Your IMI requests',
};

const reply = (...blocks: Block<string>[]): RenderedReply => ({ lang: 'en', blocks });

const card: Block<string> = {
  kind: 'card',
  title: 'IMI-2026-000123 · Professional qualifications',
  badge: { text: 'Sent', tone: 'info' },
  subtitle: 'Training request',
  fields: [
    { label: 'Status', value: 'Sent' },
    { label: 'To', value: 'Landesamt <Berlin> & Co' },
  ],
  sections: [{ title: 'Questions', body: '1. Is the diploma authentic?', note: 'Written in Hungarian' }],
  actions: [
    { action: 'request.accept', label: 'Accept', value: { requestId: 'IMI-2026-000123', version: '3' }, style: 'primary' },
    { action: 'request.propose_deadline', label: 'Propose a new deadline', value: { requestId: 'IMI-2026-000123', version: '3' } },
    { action: 'request.withdraw', label: 'Withdraw', value: { requestId: 'IMI-2026-000123', version: '3' }, style: 'danger' },
  ],
  ref: { requestId: 'IMI-2026-000123', version: 3 },
};

const buttonsOf = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => {
    if (b.type === 'actions') return b.elements as { type: string; action_id: string; value?: string; style?: string; text: { text: string } }[];
    if (b.type === 'section' && b.accessory) return [b.accessory as { type: string; action_id: string; value?: string; style?: string; text: { text: string } }];
    return [];
  });
const allText = (blocks: unknown) => JSON.stringify(blocks);

describe('mrkdwn escaping', () => {
  it('escapes &, < and > so user text cannot mention a channel or hide a link', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil.example|bank>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil.example|bank&gt;');
  });

  it('escapes every user-supplied string of a card, field values and section bodies included', () => {
    const evil = '<!here> <@U123> <https://x.example|click>';
    const blocks = renderBlocks(
      reply({ kind: 'text', text: evil }, { ...card, fields: [{ label: 'Subject', value: evil }], sections: [{ title: 'Free text', body: evil }] }),
      { labels },
    );
    const json = allText(blocks);
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U123>');
    expect(json).not.toContain('<https://x.example|click>');
    expect(json).toContain('&lt;!here&gt;');
  });

  it('keeps plain_text (headers, buttons) unescaped, since Slack shows it literally', () => {
    const blocks = renderBlocks(reply({ ...card, title: 'A & B <C>' }), { labels });
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'A & B <C>', emoji: true } });
  });
});

describe('cards', () => {
  const blocks = renderBlocks(reply(card), { labels });

  it('shows title as header, badge and subtitle as context, fields as a section, then the buttons', () => {
    expect(blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section', 'context', 'actions']);
    expect(allText(blocks[1])).toContain(':information_source: *Sent*');
    const fields = (blocks[2] as { fields: { text: string }[] }).fields.map((f) => f.text);
    expect(fields).toEqual(['*Status*\nSent', '*To*\nLandesamt &lt;Berlin&gt; &amp; Co']);
  });

  it('gives every button a unique action_id and a JSON value with the action and its values', () => {
    const buttons = buttonsOf(blocks);
    expect(buttons.map((b) => b.text.text)).toEqual(['Accept', 'Propose a new deadline', 'Withdraw']);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(3);
    expect(buttons.every((b) => b.action_id.startsWith('imi:'))).toBe(true);
    expect(decodeButtonValue(buttons[0]!.value)).toEqual({ id: 'request.accept', values: { requestId: 'IMI-2026-000123', version: '3' } });
    expect(buttons.map((b) => b.style)).toEqual(['primary', undefined, 'danger']);
  });

  it('names the actions block after the request and version it showed', () => {
    const actions = blocks.find((b) => b.type === 'actions') as { block_id: string };
    expect(actions.block_id).toMatch(/^card:IMI-2026-000123:3:/);
  });

  it('drops a button whose value would not fit Slack’s 2000 characters rather than send a cut value', () => {
    const huge = { ...card, actions: [{ action: 'request.answer', label: 'Answer', value: { text: 'x'.repeat(LIMITS.buttonValue) } }, card.actions[0]!] };
    const buttons = buttonsOf(renderBlocks(reply(huge), { labels }));
    expect(buttons.map((b) => b.text.text)).toEqual(['Accept']);
    expect(buttons.every((b) => (b.value ?? '').length <= LIMITS.buttonValue)).toBe(true);
  });

  it('splits more than 10 fields over several sections (Slack’s limit per section)', () => {
    const many = { ...card, fields: Array.from({ length: 13 }, (_, i) => ({ label: `L${i}`, value: `V${i}` })) };
    const sections = renderBlocks(reply(many), { labels }).filter((b) => b.type === 'section' && 'fields' in b && b.fields);
    expect(sections.map((s) => (s as { fields: unknown[] }).fields.length)).toEqual([10, 3]);
  });

  it('cuts texts at Slack’s limits', () => {
    const long = { ...card, title: 'T'.repeat(400), actions: [{ action: 'a', label: 'B'.repeat(200) }] };
    const blocks = renderBlocks(reply(long), { labels });
    expect((blocks[0] as { text: { text: string } }).text.text.length).toBe(LIMITS.headerText);
    expect(buttonsOf(blocks)[0]!.text.text.length).toBe(LIMITS.buttonText);
  });
});

describe('texts, lists and forms in messages', () => {
  it('renders a text with its tone as a mrkdwn section', () => {
    expect(renderBlocks(reply({ kind: 'text', text: 'Done', tone: 'success' }), { labels })).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: Done' } },
    ]);
  });

  it('renders a list with one Open button per item as accessory, the empty text, and the more button', () => {
    const list: Block<string> = {
      kind: 'list',
      title: 'Needs your action (2)',
      items: [
        { text: 'IMI-1 from DE', detail: 'due in 3 days', tone: 'warning', actions: [{ action: 'request.open', label: 'Open', value: { requestId: 'IMI-1' } }] },
        { text: 'IMI-2 from FR' },
      ],
      more: { action: 'inbox.page', label: '5 more', value: { section: 'needsAction', page: '1' } },
    };
    const blocks = renderBlocks(reply(list), { labels });
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'actions']);
    expect(allText(blocks[1])).toContain(':warning: IMI-1 from DE\\ndue in 3 days');
    expect(buttonsOf(blocks).map((b) => decodeButtonValue(b.value)?.id)).toEqual(['request.open', 'inbox.page']);
    const empty = renderBlocks(reply({ kind: 'list', title: 'Waiting', items: [], empty: 'Nothing here' }), { labels });
    expect(empty[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Nothing here' }] });
  });

  it('offers a form in a message as a button that replays the turn which produced it', () => {
    const form: Block<string> = {
      kind: 'form',
      action: 'draft.area',
      title: 'New request (1/4)',
      intro: 'Choose the area',
      fields: [{ name: 'area', label: 'Area', type: 'choice', options: [{ value: 'services', label: 'Services' }] }],
      submitLabel: 'Next',
    };
    const blocks = renderBlocks(reply(form), { labels, formOpener: { t: 'new' } });
    const [button] = buttonsOf(blocks);
    expect(button!.text.text).toBe('Fill in the form');
    expect(button!.action_id.startsWith('imi-open-form:')).toBe(true);
    expect(decodeFormOpener(button!.value)).toEqual({ t: 'new' });
  });

  it('keeps a message within 50 blocks and says how much was left out', () => {
    const items = Array.from({ length: 80 }, (_, i) => ({ text: `item ${i}` }));
    const blocks = renderBlocks(reply({ kind: 'list', title: 'All', items }), { labels });
    expect(blocks).toHaveLength(LIMITS.messageBlocks);
    expect(allText(blocks.at(-1))).toContain('… and 32 more');
  });

  it('separates cards from what surrounds them with dividers', () => {
    const blocks = renderBlocks(reply({ kind: 'text', text: 'Accepted' }, card), { labels });
    expect(blocks[1]).toEqual({ type: 'divider' });
  });

  it('gives notifications a fallback text (what a phone shows), escaped', () => {
    expect(fallbackText(reply({ kind: 'text', text: 'New request <x>' }, card))).toBe('New request &lt;x&gt;\nIMI-2026-000123 · Professional qualifications');
    expect(renderMessage(reply(card), { labels }).text).toBe('IMI-2026-000123 · Professional qualifications');
  });
});

describe('App Home', () => {
  it('puts a title above the inbox and onboarding, with action_ids unique across both', () => {
    const view = homeView(
      [reply(card), reply({ kind: 'card', title: 'Quick', fields: [], actions: [{ action: 'inbox', label: 'Inbox' }] })],
      labels,
    );
    expect(view.type).toBe('home');
    expect(view.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Your IMI requests', emoji: true } });
    const ids = buttonsOf(view.blocks as KnownBlock[]).map((b) => b.action_id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
  });
});

describe('chart images on cards', () => {
  it('shows an absolute https image with its alt text, and leaves out a relative one Slack could not fetch', () => {
    const withImage = (url: string) => renderBlocks(reply({ ...card, image: { url, alt: 'Bar chart of 3 authorities' } } as Block<string>), { labels });
    const shown = withImage('https://imi.example.gov/charts/abc.png').filter((b) => b.type === 'image');
    expect(shown).toEqual([{ type: 'image', image_url: 'https://imi.example.gov/charts/abc.png', alt_text: 'Bar chart of 3 authorities' }]);
    expect(withImage('/charts/abc.png').filter((b) => b.type === 'image')).toEqual([]);
  });
});

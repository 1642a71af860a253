import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, RenderedReply } from '../../src/conversation/types.ts';
import { createTranslator, type Translator } from '../../src/i18n/i18n.ts';
import { plain, renderCard, renderMessages, summaryOf, type AdaptiveElement } from '../../adapters/teams/cards.teams.ts';

let i18n: Translator;
beforeAll(async () => {
  i18n = await createTranslator();
});

/** Every element and action of a card, depth first. */
function walk(node: unknown, out: AdaptiveElement[] = []): AdaptiveElement[] {
  if (Array.isArray(node)) node.forEach((n) => walk(n, out));
  else if (node && typeof node === 'object') {
    const el = node as AdaptiveElement;
    if (typeof el.type === 'string') out.push(el);
    for (const v of Object.values(el)) if (typeof v === 'object') walk(v, out);
  }
  return out;
}
const ofType = (card: unknown, type: string) => walk(card).filter((e) => e.type === type);
const runs = (card: unknown) => ofType(card, 'TextRun').map((r) => r.text as string);

const requestCard: Block<string> = {
  kind: 'card',
  title: 'IMI-2026-000042 · Berufsqualifikationen',
  subtitle: 'Übungsanfrage',
  badge: { text: 'Wartet auf Annahme', tone: 'info' },
  fields: [
    { label: 'Status', value: 'Wartet auf Annahme' },
    { label: 'Betroffene Person', value: 'Dr. Példa Levente (fictitious)' },
  ],
  sections: [{ title: 'Fragen', body: '1. Ist die Person registriert?\n2. Laufen Disziplinarverfahren?', note: 'Geschrieben auf Ungarisch' }],
  actions: [
    { action: 'request.accept', label: 'Annehmen', value: { requestId: 'IMI-2026-000042', version: '3' }, style: 'primary' },
    { action: 'request.withdraw', label: 'Zurückziehen', value: { requestId: 'IMI-2026-000042', version: '3' }, style: 'danger' },
    { action: 'request.history', label: 'Verlauf', value: { requestId: 'IMI-2026-000042', version: '3' } },
  ],
  ref: { requestId: 'IMI-2026-000042', version: 3 },
};

describe('Teams cards: request card', () => {
  const reply = (): RenderedReply => ({ lang: 'de', blocks: [requestCard] });

  it('is an Adaptive Card 1.5 with every text as a literal TextRun', () => {
    const card = renderCard(reply(), i18n);
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(card.msteams).toEqual({ width: 'Full' });
    expect(runs(card)).toEqual(
      expect.arrayContaining(['IMI-2026-000042 · Berufsqualifikationen', 'Wartet auf Annahme', 'Dr. Példa Levente (fictitious)', 'Übungsanfrage']),
    );
    // Neither markdown-capable element is used, so nothing the user typed is interpreted.
    expect(ofType(card, 'TextBlock')).toEqual([]);
    expect(ofType(card, 'FactSet')).toEqual([]);
  });

  it('colours the status badge by tone and shows fields as label/value rows', () => {
    const card = renderCard(reply(), i18n);
    const badge = ofType(card, 'TextRun').find((r) => r.text === 'Wartet auf Annahme' && r.color);
    expect(badge).toMatchObject({ color: 'Accent', weight: 'Bolder' });
    const rows = ofType(card, 'ColumnSet').slice(1);
    expect(rows).toHaveLength(2);
    expect(runs(rows[1])).toEqual(['Betroffene Person', 'Dr. Példa Levente (fictitious)']);
  });

  it('splits multi-line sections into one block per line and keeps the note subtle', () => {
    const card = renderCard(reply(), i18n);
    expect(runs(card)).toEqual(expect.arrayContaining(['1. Ist die Person registriert?', '2. Laufen Disziplinarverfahren?']));
    const note = ofType(card, 'TextRun').find((r) => r.text === 'Geschrieben auf Ungarisch');
    expect(note).toMatchObject({ isSubtle: true, italic: true });
  });

  it('turns every button into Action.Execute with verb = action id and data = values', () => {
    const actions = ofType(renderCard(reply(), i18n), 'Action.Execute');
    expect(actions).toEqual([
      { type: 'Action.Execute', title: 'Annehmen', verb: 'request.accept', data: { requestId: 'IMI-2026-000042', version: '3' }, associatedInputs: 'none', style: 'positive' },
      { type: 'Action.Execute', title: 'Zurückziehen', verb: 'request.withdraw', data: { requestId: 'IMI-2026-000042', version: '3' }, associatedInputs: 'none', style: 'destructive' },
      { type: 'Action.Execute', title: 'Verlauf', verb: 'request.history', data: { requestId: 'IMI-2026-000042', version: '3' }, associatedInputs: 'none' },
    ]);
    expect(ofType(renderCard(reply(), i18n), 'Action.Submit')).toEqual([]);
  });
});

describe('Teams cards: forms', () => {
  const form: Block<string> = {
    kind: 'form',
    action: 'request.propose_deadline',
    title: 'Neue Frist für IMI-2026-000042 vorschlagen',
    intro: 'Die anfragende Behörde wird benachrichtigt.',
    fields: [
      { name: 'date', label: 'Neue Frist', type: 'date', required: true, min: '2026-11-26', value: '2026-12-09', hint: 'Derzeit: 9. Dez. 2026' },
      { name: 'reason', label: 'Begründung', type: 'long-text', required: true, maxLength: 1000, value: '', error: 'Bitte geben Sie eine Begründung an.' },
      { name: 'authority', label: 'Behörde', type: 'choice', options: [{ value: 'de-regob', label: 'Regierung von Oberbayern (Deutschland)' }], value: 'de-regob' },
      { name: 'questions', label: 'Fragen', type: 'multi-choice', options: [{ value: 'q1', label: 'Frage 1' }, { value: 'q2', label: 'Frage 2' }], value: ['q1', 'q2'] },
      { name: 'subject', label: 'Name', type: 'text', maxLength: 200, value: 'Anna' },
    ],
    submitLabel: 'Vorschlagen',
    context: { requestId: 'IMI-2026-000042', version: '3', submit: '1' },
    cancel: { action: 'request.open', label: 'Abbrechen', value: { requestId: 'IMI-2026-000042' } },
  };
  const card = () => renderCard({ lang: 'de', blocks: [form] }, i18n);

  it('renders each field type as its Adaptive Card input, values kept', () => {
    const c = card();
    expect(ofType(c, 'Input.Date')).toEqual([
      expect.objectContaining({ id: 'date', label: 'Neue Frist', isRequired: true, min: '2026-11-26', value: '2026-12-09' }),
    ]);
    expect(ofType(c, 'Input.Text')).toEqual([
      expect.objectContaining({ id: 'reason', isMultiline: true, maxLength: 1000, isRequired: true }),
      expect.objectContaining({ id: 'subject', isMultiline: false, maxLength: 200, value: 'Anna' }),
    ]);
    expect(ofType(c, 'Input.Text')[0]).not.toHaveProperty('value');
    const [single, multi] = ofType(c, 'Input.ChoiceSet');
    expect(single).toMatchObject({ id: 'authority', style: 'compact', isMultiSelect: false, value: 'de-regob', choices: [{ title: 'Regierung von Oberbayern (Deutschland)', value: 'de-regob' }] });
    expect(multi).toMatchObject({ id: 'questions', isMultiSelect: true, value: 'q1,q2' });
  });

  it('gives required fields the client-side message in the reply language', () => {
    expect(ofType(card(), 'Input.Date')[0]!.errorMessage).toBe('Bitte füllen Sie dieses Feld aus.');
    const hu = renderCard({ lang: 'hu', blocks: [form] }, i18n);
    expect(ofType(hu, 'Input.Date')[0]!.errorMessage).toBe('Kérjük, töltse ki ezt a mezőt.');
  });

  it('shows the server validation message right under the field it concerns', () => {
    const items = ofType(card(), 'Container')[0]!.items as AdaptiveElement[];
    const at = items.findIndex((e) => e.id === 'reason');
    expect(runs(items[at + 1])).toEqual(['Bitte geben Sie eine Begründung an.']);
    expect((items[at + 1]!.inlines as AdaptiveElement[])[0]).toMatchObject({ color: 'Attention' });
    const hintAt = items.findIndex((e) => e.id === 'date');
    expect((items[hintAt + 1]!.inlines as AdaptiveElement[])[0]).toMatchObject({ text: 'Derzeit: 9. Dez. 2026', isSubtle: true });
  });

  it('submits the inputs with the context as Action.Execute; cancel skips validation', () => {
    const [submit, cancel] = ofType(card(), 'Action.Execute');
    expect(submit).toEqual({
      type: 'Action.Execute',
      title: 'Vorschlagen',
      verb: 'request.propose_deadline',
      data: { requestId: 'IMI-2026-000042', version: '3', submit: '1' },
      associatedInputs: 'auto',
      style: 'positive',
    });
    expect(cancel).toEqual({ type: 'Action.Execute', title: 'Abbrechen', verb: 'request.open', data: { requestId: 'IMI-2026-000042' }, associatedInputs: 'none' });
  });
});

describe('Teams cards: lists and text', () => {
  it('renders list items with detail and actions, and the more button', () => {
    const card = renderCard(
      {
        lang: 'en',
        blocks: [
          {
            kind: 'list',
            title: 'Needs your action',
            items: [{ text: 'IMI-2026-000001', detail: '3 days left', tone: 'warning', actions: [{ action: 'request.open', label: 'Open', value: { requestId: 'IMI-2026-000001' } }] }],
            more: { action: 'inbox.page', label: 'More', value: { section: 'needsAction', page: '1' } },
          },
        ],
      },
      i18n,
    );
    expect(runs(card)).toEqual(['Needs your action', 'IMI-2026-000001', '3 days left']);
    expect(ofType(card, 'TextRun')[1]).toMatchObject({ color: 'Warning' });
    expect(ofType(card, 'Action.Execute').map((a) => a.verb)).toEqual(['request.open', 'inbox.page']);
  });

  it('shows the empty text of an empty list', () => {
    const card = renderCard({ lang: 'en', blocks: [{ kind: 'list', title: 'Drafts', items: [], empty: 'No drafts.' }] }, i18n);
    expect(runs(card)).toEqual(['Drafts', 'No drafts.']);
  });

  it('colours text by tone, leaves neutral text plain', () => {
    const card = renderCard({ lang: 'en', blocks: [{ kind: 'text', text: 'Done.', tone: 'success' }, { kind: 'text', text: 'Plain.', tone: 'neutral' }] }, i18n);
    expect(ofType(card, 'TextRun')).toEqual([
      { type: 'TextRun', text: 'Done.', color: 'Good' },
      { type: 'TextRun', text: 'Plain.' },
    ]);
    expect(card.body[1]).toMatchObject({ spacing: 'Large' });
  });
});

describe('Teams cards: user text cannot inject markup or mentions', () => {
  const hostile = '<at>Everyone</at> **urgent** [click](https://evil.example) {{DATE(2026-01-01T00:00:00Z, SHORT)}} <AT id="0">Boss</AT>';

  it('drops mention markup and breaks Teams functions, keeping the words', () => {
    expect(plain(hostile)).toBe('Everyone **urgent** [click](https://evil.example) {\u200b{DATE(2026-01-01T00:00:00Z, SHORT)}\u200b} Boss');
  });

  it('applies everywhere: text, card fields, form labels, choice titles, button titles', () => {
    const card = renderCard(
      {
        lang: 'en',
        blocks: [
          { kind: 'text', text: hostile },
          { ...requestCard, fields: [{ label: hostile, value: hostile }], actions: [{ action: 'x', label: hostile }] } as Block<string>,
          {
            kind: 'form',
            action: 'f',
            title: hostile,
            fields: [{ name: 'a', label: hostile, type: 'choice', options: [{ value: 'v', label: hostile }] }],
            submitLabel: hostile,
          },
        ],
      },
      i18n,
    );
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/<\s*\/?\s*at\b/i);
    expect(json).not.toContain('{{');
    // Markdown stays literal text inside TextRuns, which render no markdown.
    expect(runs(card)[0]).toContain('**urgent** [click](https://evil.example)');
    expect(ofType(card, 'TextBlock')).toEqual([]);
  });

  it('drops control characters but keeps line breaks as separate lines', () => {
    const card = renderCard({ lang: 'en', blocks: [{ kind: 'text', text: 'a\u0000b\u0007\nc\r\n\nd' }] }, i18n);
    expect(runs(card)).toEqual(['ab', 'c', 'd']);
    expect(card.body.map((b) => b.spacing)).toEqual([undefined, 'None', 'Medium']);
  });
});

describe('Teams messages', () => {
  it('sends a reply as one card message with a plain summary', () => {
    const messages = renderMessages({ lang: 'de', blocks: [{ kind: 'text', text: 'Anfrage angenommen.\nDetails folgen.' }, requestCard] }, i18n);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ type: 'message', summary: 'Anfrage angenommen.' });
    expect(messages[0]!.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('splits a reply too big for one Teams message into one card per block', () => {
    const long = 'x'.repeat(15_000);
    const messages = renderMessages({ lang: 'en', blocks: [{ kind: 'text', text: long }, { kind: 'text', text: long }] }, i18n);
    expect(messages).toHaveLength(2);
  });

  it('sends nothing for an empty reply, and summarises titles and long lines', () => {
    expect(renderMessages({ lang: 'en', blocks: [] }, i18n)).toEqual([]);
    expect(summaryOf({ lang: 'en', blocks: [requestCard] })).toBe('IMI-2026-000042 · Berufsqualifikationen');
    expect(summaryOf({ lang: 'en', blocks: [{ kind: 'text', text: 'y'.repeat(300) }] })).toHaveLength(200);
  });

  it('falls back to a translated text for clients without cards when there is nothing to summarise', () => {
    const card = renderCard({ lang: 'fr', blocks: [] }, i18n);
    expect(card.fallbackText).toBe(i18n.t('fr', 'teams.fallback'));
    expect(card.fallbackText).toMatch(/Microsoft Teams/);
  });
});

describe('chart images on cards', () => {
  let i18n: Translator;
  beforeAll(async () => {
    i18n = await createTranslator();
  });
  const card = (url: string): RenderedReply => ({
    lang: 'en',
    blocks: [{ kind: 'card', title: 'Scoreboard', fields: [], actions: [], image: { url, alt: 'Bar chart of 3 authorities' } }],
  });
  const images = (reply: RenderedReply): Record<string, unknown>[] => {
    const found: Record<string, unknown>[] = [];
    const walkAll = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walkAll);
      else if (node && typeof node === 'object') {
        if ((node as { type?: string }).type === 'Image') found.push(node as Record<string, unknown>);
        Object.values(node).forEach(walkAll);
      }
    };
    walkAll(renderCard(reply, i18n));
    return found;
  };

  it('shows an absolute https image with its alt text, and leaves out a relative one Teams could not fetch', () => {
    expect(images(card('https://imi.example.gov/charts/abc.png'))).toEqual([
      { type: 'Image', url: 'https://imi.example.gov/charts/abc.png', altText: 'Bar chart of 3 authorities', size: 'Stretch' },
    ]);
    expect(images(card('/charts/abc.png'))).toEqual([]);
  });
});

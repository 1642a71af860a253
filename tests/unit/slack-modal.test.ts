import { describe, expect, it } from 'vitest';
import type { SlackLabels } from '../../adapters/slack/blocks.slack.ts';
import { fieldBlockId, fieldErrors, firstForm, formModal, readMeta, submittedValues, type Form } from '../../adapters/slack/modal.slack.ts';
import type { RenderedReply } from '../../src/conversation/types.ts';

const labels: SlackLabels = {
  appName: 'imi-bot',
  openForm: 'Fill in the form',
  more: (n) => `… and ${n} more`,
  cancel: 'Cancel',
  close: 'Close',
  loading: 'One moment',
  homeTitle: 'Your IMI requests',
};

const details: Form = {
  kind: 'form',
  action: 'draft.details',
  title: 'New request: step 4 of 4 (details)',
  intro: 'Choose the questions & write <what> you need.',
  fields: [
    {
      name: 'questions',
      label: 'Questions',
      type: 'multi-choice',
      options: [
        { value: 'pq-legally-established', label: 'Is the professional legally established in your Member State for the purpose of practising the profession?' },
        { value: 'pq-diploma-authentic', label: 'Is the diploma authentic?' },
      ],
      value: ['pq-diploma-authentic'],
    },
    { name: 'subject', label: 'Professional', type: 'text', maxLength: 300, value: 'Dr. Example', hint: 'Name of the person' },
    { name: 'freeText', label: 'Free text', type: 'long-text', maxLength: 10_000 },
    { name: 'deadline', label: 'Deadline', type: 'date', required: true, value: '2026-12-09', min: '2026-11-26' },
  ],
  submitLabel: 'Review',
  context: { requestId: 'IMI-2026-000042' },
  cancel: { action: 'form.cancel', label: 'Save draft', value: { requestId: 'IMI-2026-000042' } },
};

type Input = { type: string; block_id: string; optional: boolean; element: Record<string, unknown>; label: { text: string } };

describe('form → modal', () => {
  const modal = formModal(details, labels, { origin: { channel: 'D0ANNA', ts: '1.2' }, notes: [{ kind: 'text', text: 'Draft saved', tone: 'info' }] });
  const inputs = modal.blocks.filter((b) => b.type === 'input') as unknown as Input[];

  it('keeps the title within 24 characters and repeats the full title as a header', () => {
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.blocks[0]).toMatchObject({ type: 'header', text: { text: 'New request: step 4 of 4 (details)' } });
    expect(modal.submit?.text).toBe('Review');
    expect(modal.close?.text).toBe('Save draft');
    expect(modal.callback_id).toBe('imi-form');
  });

  it('shows the reply’s texts as notes and escapes the intro', () => {
    expect(JSON.stringify(modal.blocks)).toContain(':information_source: Draft saved');
    expect(JSON.stringify(modal.blocks)).toContain('Choose the questions &amp; write &lt;what&gt; you need.');
  });

  it('maps every field type to its Slack input, with current values kept', () => {
    expect(inputs.map((i) => i.element.type)).toEqual(['checkboxes', 'plain_text_input', 'plain_text_input', 'datepicker']);
    expect(inputs.map((i) => i.optional)).toEqual([true, true, true, false]);
    expect(inputs[0]!.element.initial_options).toEqual([expect.objectContaining({ value: 'pq-diploma-authentic' })]);
    expect(inputs[1]!.element).toMatchObject({ initial_value: 'Dr. Example', max_length: 300, multiline: false });
    expect(inputs[2]!.element).toMatchObject({ multiline: true, max_length: 3000 });
    expect(inputs[3]!.element).toMatchObject({ initial_date: '2026-12-09' });
  });

  it('keeps long option labels readable within 75 characters per line', () => {
    const option = (inputs[0]!.element.options as { text: { text: string }; description?: { text: string } }[])[0]!;
    expect(option.text.text.length).toBeLessThanOrEqual(75);
    expect(option.description?.text).toContain('practising the profession?');
  });

  it('uses a select for long choice lists and groups more than 100 options', () => {
    const options = Array.from({ length: 130 }, (_, i) => ({ value: `a${i}`, label: `Authority ${i}` }));
    const m = formModal({ ...details, fields: [{ name: 'authority', label: 'Authority', type: 'choice', options, value: 'a120' }] }, labels);
    const el = (m.blocks.find((b) => b.type === 'input') as unknown as Input).element as { type: string; option_groups: { options: unknown[] }[]; initial_option: { value: string } };
    expect(el.type).toBe('static_select');
    expect(el.option_groups.map((g) => g.options.length)).toEqual([100, 30]);
    expect(el.initial_option.value).toBe('a120');
  });

  it('carries the action, hidden values, origin and cancel button in private_metadata', () => {
    expect(readMeta(modal)).toEqual({
      a: 'draft.details',
      x: { requestId: 'IMI-2026-000042' },
      o: { channel: 'D0ANNA', ts: '1.2' },
      k: { a: 'form.cancel', v: { requestId: 'IMI-2026-000042' } },
    });
    expect(modal.notify_on_close).toBe(true);
    expect(modal.private_metadata!.length).toBeLessThanOrEqual(3000);
  });

  it('gives the fields of different steps different block ids, so a next step starts empty', () => {
    expect(fieldBlockId('draft.country', 'country')).not.toBe(fieldBlockId('draft.authority', 'country'));
  });
});

describe('submission → values', () => {
  const meta = readMeta(formModal(details, labels))!;
  const id = (name: string) => fieldBlockId('draft.details', name);

  it('reads every input type back by field name, with the hidden values', () => {
    const values = submittedValues(
      {
        state: {
          values: {
            [id('questions')]: { value: { type: 'checkboxes', selected_options: [{ value: 'pq-legally-established' }, { value: 'pq-diploma-authentic' }] } },
            [id('subject')]: { value: { type: 'plain_text_input', value: 'Dr. Example' } },
            [id('freeText')]: { value: { type: 'plain_text_input', value: null } },
            [id('deadline')]: { value: { type: 'datepicker', selected_date: '2026-12-10' } },
          },
        },
      },
      meta,
    );
    expect(values).toEqual({
      requestId: 'IMI-2026-000042',
      questions: ['pq-legally-established', 'pq-diploma-authentic'],
      subject: 'Dr. Example',
      freeText: '',
      deadline: '2026-12-10',
    });
  });

  it('reads selects and radio buttons, and an unselected one as empty', () => {
    const values = submittedValues(
      {
        state: {
          values: {
            [fieldBlockId('draft.area', 'area')]: { value: { type: 'radio_buttons', selected_option: { value: 'services' } } },
            [fieldBlockId('draft.area', 'authority')]: { value: { type: 'static_select', selected_option: null } },
          },
        },
      },
      { a: 'draft.area' },
    );
    expect(values).toEqual({ area: 'services', authority: '' });
  });
});

describe('field errors', () => {
  it('are keyed by the block id of the field, for response_action errors', () => {
    const withError: Form = { ...details, fields: details.fields.map((f) => (f.name === 'deadline' ? { ...f, error: 'The deadline must be in the future.' } : f)) };
    expect(fieldErrors(withError)).toEqual({ [fieldBlockId('draft.details', 'deadline')]: 'The deadline must be in the future.' });
    expect(fieldErrors(details)).toBeNull();
  });

  it('finds the form of a reply that has other blocks around it', () => {
    const reply: RenderedReply = { lang: 'en', blocks: [{ kind: 'text', text: 'Saved' }, details] };
    expect(firstForm(reply)).toBe(details);
    expect(firstForm({ lang: 'en', blocks: [] })).toBeUndefined();
  });
});

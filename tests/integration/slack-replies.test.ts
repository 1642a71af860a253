import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DirectMessages } from '../../adapters/slack/direct-messages.slack.ts';
import { LocaleCache } from '../../adapters/slack/identity.slack.ts';
import { readMeta } from '../../adapters/slack/modal.slack.ts';
import { SlackReplies } from '../../adapters/slack/replies.slack.ts';
import { createSlackClient, SlackSendQueue } from '../../adapters/slack/web-api.slack.ts';
import { channelStatePort } from '../../src/conversation/channel-state.port.ts';
import type { RenderedReply, Turn } from '../../src/conversation/types.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { testCore } from '../support/core.ts';

const turn: Turn = { channel: 'slack', externalId: 'T0DEMOHU:U0ANNA', workspace: 'T0DEMOHU', locale: 'de-DE' };

const formReply: RenderedReply = {
  lang: 'hu',
  blocks: [
    { kind: 'text', text: 'Piszkozat mentve', tone: 'info' },
    {
      kind: 'form',
      action: 'request.propose_deadline',
      title: 'Új határidő',
      fields: [{ name: 'date', label: 'Dátum', type: 'date', required: true, error: 'A dátum a múltban van.' }],
      submitLabel: 'Küldés',
      context: { requestId: 'IMI-2026-000009', version: '4', submit: '1' },
    },
  ],
};
const cardReply: RenderedReply = {
  lang: 'en',
  replacesCard: true,
  blocks: [
    { kind: 'text', text: 'Accepted', tone: 'success' },
    { kind: 'card', title: 'IMI-2026-000009', fields: [], actions: [{ action: 'request.answer', label: 'Answer', value: { requestId: 'IMI-2026-000009', version: '5' } }] },
  ],
};

/** A reply the test hands over when it chooses: the conversation taking longer than a trigger id lives. */
function later<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Slack replies against a fake Slack Web API', () => {
  let fake: FakeSlack;
  let core: Awaited<ReturnType<typeof testCore>>;
  let replies: SlackReplies;
  let deps: ConstructorParameters<typeof SlackReplies>[0];

  beforeAll(async () => {
    fake = await startFakeSlack();
    core = await testCore();
    const api = createSlackClient({ botToken: 'xoxb-test', apiUrl: fake.apiUrl });
    const channelState = channelStatePort(core.deps);
    deps = {
      api,
      queue: new SlackSendQueue(),
      dms: new DirectMessages(api, channelState),
      i18n: core.i18n,
      locales: new LocaleCache(async () => undefined),
      log: { info: () => {}, warn: () => {}, error: () => {} },
      triggerBudgetMs: 0,
    };
    replies = new SlackReplies(deps);
  });
  afterAll(async () => {
    await fake?.close();
    await core?.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  it('opens a "one moment" modal before the trigger id expires, then shows the form in it', async () => {
    const pending = later<RenderedReply>();
    const done = replies.withTrigger('trigger-1', turn, pending.promise, { kind: 'message', origin: { channel: 'D0ANNA', ts: '5.5' } });
    const opened = await fake.waitFor(() => fake.ok('views.open')[0], 'the loading modal');
    expect(opened.args.trigger_id).toBe('trigger-1');
    // Nothing is known yet but the user's Slack language (de-DE).
    expect(JSON.stringify(opened.args.view)).toContain(core.i18n.t('de', 'slack.loading'));
    pending.resolve(formReply);
    await done;
    const [update] = fake.ok('views.update');
    expect(update!.args.view_id).toBe((opened.response.view as { id: string }).id);
    const view = update!.args.view as { blocks: unknown[]; private_metadata: string };
    expect(readMeta(view)).toMatchObject({ a: 'request.propose_deadline', o: { channel: 'D0ANNA', ts: '5.5' } });
    // views.update cannot carry response_action errors, so the field's error is written under it.
    expect(JSON.stringify(view.blocks)).toContain('A dátum a múltban van.');
    expect(fake.ok('chat.postMessage')).toHaveLength(0);
  });

  it('puts an answer without a form into the modal and also where it belongs', async () => {
    const pending = later<RenderedReply>();
    const done = replies.withTrigger('trigger-2', turn, pending.promise, { kind: 'message', origin: { channel: 'D0ANNA', ts: '6.6' } });
    await fake.waitFor(() => fake.ok('views.open')[0], 'the loading modal');
    pending.resolve(cardReply);
    await done;
    expect(fake.ok('views.update')).toHaveLength(1);
    expect(fake.ok('chat.update').map((c) => [c.args.channel, c.args.ts])).toEqual([['D0ANNA', '6.6']]);
  });

  it('opens the form directly when the answer comes in time', async () => {
    const fast = new SlackReplies({ ...deps, triggerBudgetMs: 60_000 });
    await fast.withTrigger('trigger-3', turn, Promise.resolve(formReply), { kind: 'dm', externalId: turn.externalId });
    expect(fake.ok('views.open')).toHaveLength(1);
    expect(readMeta(fake.ok('views.open')[0]!.args.view as { private_metadata: string })).toMatchObject({ a: 'request.propose_deadline' });
    expect(fake.ok('views.update')).toHaveLength(0);
  });

  it('replaces the card a button was pressed on, and posts below it when the reply is something else', async () => {
    await replies.deliver({ kind: 'message', origin: { channel: 'D0ANNA', ts: '7.7' } }, cardReply);
    await replies.deliver({ kind: 'message', origin: { channel: 'D0ANNA', ts: '7.7' } }, { ...cardReply, replacesCard: undefined });
    expect(fake.ok('chat.update').map((c) => c.args.ts)).toEqual(['7.7']);
    expect(fake.ok('chat.postMessage').map((c) => c.args.channel)).toEqual(['D0ANNA']);
  });

  it('posts the reply anew when the message cannot be updated any more', async () => {
    fake.failWith('chat.update', 'message_not_found');
    await replies.deliver({ kind: 'message', origin: { channel: 'D0ANNA', ts: '8.8' } }, cardReply);
    expect(fake.ok('chat.postMessage')).toHaveLength(1);
  });
});

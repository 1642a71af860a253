import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackSender } from '../../adapters/slack/slack.sender.ts';
import { createSlackClient, SlackSendQueue } from '../../adapters/slack/web-api.slack.ts';
import { channelStatePort } from '../../src/conversation/channel-state.port.ts';
import type { ChannelSender, ChannelStatePort, RenderedReply } from '../../src/conversation/types.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { testCore } from '../support/core.ts';

const notification: RenderedReply = {
  lang: 'en',
  blocks: [
    { kind: 'text', text: 'A new request arrived: IMI-2026-000001', tone: 'info' },
    {
      kind: 'card',
      title: 'IMI-2026-000001',
      fields: [{ label: 'Status', value: 'Sent' }],
      actions: [{ action: 'request.accept', label: 'Accept', value: { requestId: 'IMI-2026-000001', version: '2' } }],
    },
  ],
};

describe('the Slack sender against a fake Slack Web API', () => {
  let fake: FakeSlack;
  let core: Awaited<ReturnType<typeof testCore>>;
  let state: ChannelStatePort;
  let sender: ChannelSender;
  const delivered: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    core = await testCore();
    state = channelStatePort(core.deps);
    sender = createSlackSender({
      api: createSlackClient({ botToken: 'xoxb-test', apiUrl: fake.apiUrl }),
      queue: new SlackSendQueue(),
      channelState: state,
      i18n: core.i18n,
      onDelivered: (id) => delivered.push(id),
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
  });
  afterAll(async () => {
    await fake?.close();
    await core?.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  it('opens the DM once, remembers it, and posts the rendered message with the bot token', async () => {
    expect(await sender.send('T0DEMOHU:U0ANNA', notification)).toEqual({ ok: true });
    expect(await sender.send('T0DEMOHU:U0ANNA', notification)).toEqual({ ok: true });
    expect(fake.ok('conversations.open')).toHaveLength(1);
    expect(fake.ok('conversations.open')[0]!.args.users).toBe('U0ANNA');
    const posts = fake.ok('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.args.channel).toBe('D0ANNA');
    expect(posts[0]!.token).toBe('xoxb-test');
    expect(posts[0]!.args.text).toContain('IMI-2026-000001');
    expect(JSON.stringify(posts[0]!.args.blocks)).toContain('request.accept');
    expect((await state.addressOf('slack', 'T0DEMOHU:U0ANNA'))?.address).toEqual({ channel: 'D0ANNA', teamId: 'T0DEMOHU' });
    expect(delivered).toContain('T0DEMOHU:U0ANNA');
  });

  it('waits out 429s with Retry-After and posts exactly once', async () => {
    fake.rateLimit('chat.postMessage', 2, 1);
    expect(await sender.send('T0DEMOHU:U0ANNA', notification)).toEqual({ ok: true });
    const posts = fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(fake.ok('chat.postMessage')).toHaveLength(1);
  });

  it('reports a revoked or invalid token as not retryable, with what to do', async () => {
    fake.failWith('chat.postMessage', 'invalid_auth');
    const outcome = await sender.send('T0DEMOHU:U0ANNA', notification);
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(!outcome.ok && outcome.reason).toMatch(/invalid_auth.*SLACK_BOT_TOKEN/);
    fake.failWith('chat.postMessage', 'token_revoked');
    expect(await sender.send('T0DEMOHU:U0ANNA', notification)).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/token_revoked/) });
  });

  it('reports a Slack outage as retryable', async () => {
    fake.failWith('chat.postMessage', 'service_unavailable');
    expect(await sender.send('T0DEMOHU:U0ANNA', notification)).toMatchObject({ ok: false, retryable: true });
  });

  it('opens the DM afresh when the remembered one is gone', async () => {
    await state.rememberAddress('slack', 'T0DEMOHU:U0PETER', { channel: 'D0OLD', teamId: 'T0DEMOHU' });
    fake.failWith('chat.postMessage', 'channel_not_found');
    expect(await sender.send('T0DEMOHU:U0PETER', notification)).toEqual({ ok: true });
    expect(fake.ok('chat.postMessage').map((c) => c.args.channel)).toEqual(['D0PETER']);
    expect((await state.addressOf('slack', 'T0DEMOHU:U0PETER'))?.address).toMatchObject({ channel: 'D0PETER' });
  });

  it('marks a user who left the workspace, and stops calling Slack for them', async () => {
    fake.failWith('conversations.open', 'user_not_found');
    expect(await sender.send('T0DEMOHU:U0GONE', notification)).toMatchObject({ ok: false, retryable: false, reason: 'slack user_not_found' });
    fake.calls.length = 0;
    expect(await sender.send('T0DEMOHU:U0GONE', notification)).toMatchObject({ ok: false, retryable: false });
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses an identity that is not team:user without calling Slack', async () => {
    expect(await sender.send('anna.kovacs', notification)).toMatchObject({ ok: false, retryable: false });
    expect(fake.calls).toHaveLength(0);
  });
});

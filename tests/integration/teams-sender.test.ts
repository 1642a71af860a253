import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelStatePort } from '../../src/conversation/channel-state.port.ts';
import type { ChannelStatePort, RenderedReply } from '../../src/conversation/types.ts';
import { teamsSender } from '../../adapters/teams/teams.sender.ts';
import { addressOf } from '../../adapters/teams/identity.teams.ts';
import { testCore } from '../support/core.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { teamsActivity } from '../support/teams-activities.ts';

const LOCAL = { appId: '', appPassword: '', appType: 'MultiTenant', tenantId: '' };
const USER = '00000000-0000-0000-0000-0000000000aa:11111111-1111-1111-1111-1111111111a1';

const notification: RenderedReply = {
  lang: 'de',
  blocks: [
    { kind: 'text', text: 'Die ersuchte Behörde hat eine neue Frist vorgeschlagen.', tone: 'info' },
    { kind: 'card', title: 'IMI-2026-000003 · Berufsqualifikationen', fields: [], actions: [{ action: 'request.open', label: 'Öffnen', value: { requestId: 'IMI-2026-000003' } }] },
  ],
};

describe('Teams proactive sender', () => {
  let core: Awaited<ReturnType<typeof testCore>>;
  let state: ChannelStatePort;
  let connector: FakeConnector;
  let send: ReturnType<typeof teamsSender>['send'];

  beforeAll(async () => {
    core = await testCore();
    state = channelStatePort(core.deps);
    connector = await startFakeConnector();
    send = teamsSender({ settings: LOCAL, channelState: state, i18n: core.i18n }).send;
  });
  afterAll(async () => {
    await connector?.close();
    await core?.close();
  });
  beforeEach(async () => {
    connector.clear();
    await state.rememberAddress('teams', USER, addressOf(teamsActivity('installation-update-add', connector.url)));
  });

  it('continues the remembered conversation with the card, without auth in local mode', async () => {
    expect(await send(USER, notification)).toEqual({ ok: true });
    const [call] = connector.delivered();
    expect(call!.conversationId).toMatch(/^a:/);
    expect(call!.authorization).toBeUndefined();
    expect(call!.activity).toMatchObject({
      type: 'message',
      summary: 'Die ersuchte Behörde hat eine neue Frist vorgeschlagen.',
      recipient: { id: expect.stringMatching(/^29:/) },
      from: { id: '28:6e0bbf3a-0000-4c4a-9f57-2f3e1a1b2c3d' },
    });
    const verbs = JSON.stringify(connector.cards()[0]!.card);
    expect(verbs).toContain('"verb":"request.open"');
  });

  it('refuses for good, saying why, when the user never reached the bot', async () => {
    const outcome = await send('00000000-0000-0000-0000-0000000000aa:99999999-9999-9999-9999-999999999999', notification);
    expect(outcome).toEqual({ ok: false, retryable: false, reason: expect.stringContaining('has not installed or messaged imi-bot in Teams') });
    expect(connector.calls).toEqual([]);
  });

  it('waits out a 429 and delivers exactly once', async () => {
    connector.refuseNext(429, { retryAfterSeconds: 1 });
    expect(await send(USER, notification)).toEqual({ ok: true });
    expect(connector.calls.map((c) => c.status)).toEqual([429, 201]);
    expect(connector.delivered()).toHaveLength(1);
  });

  it('hands a persistent 429 to the outbox with the wait Teams asked for', async () => {
    connector.refuseNext(429, { retryAfterSeconds: 1, times: 10 });
    const outcome = await send(USER, notification);
    expect(outcome).toMatchObject({ ok: false, retryable: true, retryAfterMs: 1000 });
    expect(connector.delivered()).toEqual([]);
  });

  it('412 is retryable and keeps the address', async () => {
    connector.refuseNext(412);
    expect(await send(USER, notification)).toMatchObject({ ok: false, retryable: true });
    expect((await state.addressOf('teams', USER))?.staleReason).toBeNull();
  });

  it.each([403, 404])('%i: the user uninstalled; not retryable, address marked stale, later sends refused at once', async (status) => {
    connector.refuseNext(status);
    expect(await send(USER, notification)).toMatchObject({ ok: false, retryable: false });
    expect((await state.addressOf('teams', USER))?.staleReason).toContain(String(status));
    connector.clear();
    expect(await send(USER, notification)).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('unusable') });
    expect(connector.calls).toEqual([]);
  });

  it('refuses a malformed stored address rather than guessing', async () => {
    await state.rememberAddress('teams', USER, { serviceUrl: connector.url });
    expect(await send(USER, notification)).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('malformed') });
  });

  it('reports an unreachable connector as retryable', async () => {
    const gone = addressOf(teamsActivity('installation-update-add', 'http://127.0.0.1:9/'));
    await state.rememberAddress('teams', USER, gone);
    expect(await send(USER, notification)).toMatchObject({ ok: false, retryable: true });
  });
});

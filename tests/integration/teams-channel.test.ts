import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { createConversation } from '../../src/conversation/engine.ts';
import { channelStatePort } from '../../src/conversation/channel-state.port.ts';
import { createHttpApp } from '../../src/server.ts';
import { teamsMount, type TeamsChannelContext } from '../../adapters/teams/teams-app.ts';
import { settingsProblem } from '../../adapters/teams/bot-adapter.teams.ts';
import { testCore } from '../support/core.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { startFakeBotTokens, type FakeBotTokens } from '../support/fake-bot-tokens.ts';
import { JONAS_TEAMS, actionExecute, postActivity, teamsActivity } from '../support/teams-activities.ts';

/** The Teams mount on the real core (migrated sqlite, demo data, the real conversation), served over HTTP. */
async function teamsServer(env: Record<string, string>) {
  const core = await testCore();
  await loadDemo(core.deps, loadDemoData());
  const config = readConfig({ ...env, DATABASE_URL: core.databaseUrl });
  const ctx: TeamsChannelContext = {
    config,
    conversation: createConversation({ app: core.deps, i18n: core.i18n }),
    channelState: channelStatePort(core.deps),
    i18n: core.i18n,
  };
  const mount = teamsMount(ctx);
  const server = http.createServer(createHttpApp(core, [mount]));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ctx,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await core.close();
    },
  };
}

const APP_ID = '6e0bbf3a-0000-4c4a-9f57-2f3e1a1b2c3d';

describe('POST /api/messages with credentials set', () => {
  let server: Awaited<ReturnType<typeof teamsServer>>;
  let connector: FakeConnector;
  let tokens: FakeBotTokens;

  beforeAll(async () => {
    connector = await startFakeConnector();
    tokens = await startFakeBotTokens();
    server = await teamsServer({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'MultiTenant',
      ToBotFromChannelOpenIdMetadataUrl: tokens.metadataUrl,
    });
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
    await tokens?.close();
  });

  const channelClaims = () => ({ aud: APP_ID, serviceurl: connector.url });

  it.each([
    ['no Authorization header', () => ({})],
    ['a bearer value that is no token', () => ({ authorization: 'Bearer not-a-token' })],
    ['another scheme', () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['a token signed with a key the Bot Framework never published', () => ({ authorization: `Bearer ${tokens.sign(channelClaims(), { key: 'unpublished' })}` })],
    ['a token with an unknown key id', () => ({ authorization: `Bearer ${tokens.sign(channelClaims(), { kid: 'forged' })}` })],
    ['a token for another bot', () => ({ authorization: `Bearer ${tokens.sign({ ...channelClaims(), aud: 'someone-else' })}` })],
    ['an expired token', () => ({ authorization: `Bearer ${tokens.sign({ ...channelClaims(), nbf: 1_000_000, exp: 1_000_600 })}` })],
    ['a token for another serviceUrl', () => ({ authorization: `Bearer ${tokens.sign({ ...channelClaims(), serviceurl: 'https://evil.example/' })}` })],
  ])('refuses %s with 401 and processes nothing', async (_label, headers) => {
    const message = teamsActivity('message-personal', connector.url, { text: 'inbox' });
    const res = await postActivity(server.url, message, headers());
    expect(res.status).toBe(401);
    expect(await server.ctx.channelState.addressOf('teams', JONAS_TEAMS.externalId)).toBeNull();
    expect(connector.calls).toEqual([]);
  });

  it('accepts a correctly signed channel token (the control for the refusals above)', async () => {
    const install = teamsActivity('installation-update-add', connector.url);
    const res = await postActivity(server.url, install, { authorization: `Bearer ${tokens.sign(channelClaims())}` });
    expect(res.status).toBe(200);
    expect((await server.ctx.channelState.addressOf('teams', JONAS_TEAMS.externalId))?.address).toMatchObject({ serviceUrl: connector.url });
  });
});

describe('POST /api/messages in local mode', () => {
  let server: Awaited<ReturnType<typeof teamsServer>>;
  let connector: FakeConnector;

  beforeAll(async () => {
    connector = await startFakeConnector();
    server = await teamsServer({ MicrosoftAppId: '' });
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
  });

  it('answers a message in the user\'s language, as a reply in their conversation', async () => {
    connector.clear();
    const message = teamsActivity('message-personal', connector.url, { text: 'hilfe' });
    expect((await postActivity(server.url, message)).status).toBe(200);
    const [reply] = connector.delivered();
    expect(reply).toMatchObject({ method: 'POST', conversationId: message.conversation.id, activityId: message.id });
    expect(reply!.authorization).toBeUndefined();
    const card = connector.cards()[0]!.card;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(JSON.stringify(card)).toContain(server.ctx.i18n.t('de', 'bot.help.intro'));
  });

  it('handles a redelivered activity once', async () => {
    connector.clear();
    const message = teamsActivity('message-personal', connector.url, { text: 'hilfe' });
    await postActivity(server.url, message);
    await postActivity(server.url, message);
    expect(connector.delivered()).toHaveLength(1);
  });

  it('greets the user on install with onboarding first steps, and remembers the conversation', async () => {
    connector.clear();
    const user = { tenantId: JONAS_TEAMS.tenantId, aadObjectId: '11111111-1111-1111-1111-1111111111a1', conversationId: 'a:install-test' };
    const res = await postActivity(server.url, teamsActivity('conversation-update-install', connector.url, { user }));
    expect(res.status).toBe(200);
    expect(connector.delivered()).toHaveLength(1);
    expect(connector.delivered()[0]!.conversationId).toBe('a:install-test');
    const welcome = await server.ctx.conversation.welcome({ channel: 'teams', externalId: JONAS_TEAMS.externalId });
    const firstTitle = welcome.blocks[0]!.kind === 'text' ? welcome.blocks[0]!.text : (welcome.blocks[0] as { title: string }).title;
    expect(JSON.stringify(connector.cards()[0]!.card)).toContain(firstTitle.split('\n')[0]);
    const stored = await server.ctx.channelState.addressOf('teams', JONAS_TEAMS.externalId);
    expect(stored?.address).toMatchObject({ conversation: { id: 'a:install-test' } });
  });

  it('does not greet when someone else joins a group conversation', async () => {
    connector.clear();
    const update = teamsActivity('conversation-update-install', connector.url);
    update.conversation.conversationType = 'groupChat';
    await postActivity(server.url, update);
    expect(connector.delivered()).toEqual([]);
  });

  it('marks the conversation stale when the user removes the app, and a new install revives it', async () => {
    await postActivity(server.url, teamsActivity('installation-update-remove', connector.url));
    expect((await server.ctx.channelState.addressOf('teams', JONAS_TEAMS.externalId))?.staleReason).toMatch(/removed/);
    await postActivity(server.url, teamsActivity('installation-update-add', connector.url));
    expect((await server.ctx.channelState.addressOf('teams', JONAS_TEAMS.externalId))?.staleReason).toBeNull();
  });

  it('answers an Action.Execute with the updated card as the invoke response', async () => {
    connector.clear();
    const res = await postActivity(server.url, actionExecute(connector.url, 'help', {}));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard', version: '1.5' } });
    expect(JSON.stringify(res.body.value)).toContain(server.ctx.i18n.t('de', 'bot.help.intro'));
    // The card travels in the invoke response only: nothing is posted to the conversation.
    expect(connector.delivered()).toEqual([]);
  });

  it('refuses an invoke that is not an Action.Execute with 400', async () => {
    const res = await postActivity(server.url, teamsActivity('invoke-action-execute', connector.url, { value: { action: { type: 'Action.Submit', data: {} } } }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
  });

  it('tells an unregistered Teams user, in their language, whom to ask', async () => {
    connector.clear();
    const stranger = { tenantId: '00000000-0000-0000-0000-0000000000bb', aadObjectId: '22222222-2222-2222-2222-222222222222' };
    await postActivity(server.url, teamsActivity('message-personal', connector.url, { user: stranger, locale: 'fr-FR', text: 'bonjour' }));
    const reply = await server.ctx.conversation.handle({ channel: 'teams', externalId: `${stranger.tenantId}:${stranger.aadObjectId}`, locale: 'fr-FR', workspace: stranger.tenantId, text: 'bonjour' });
    expect(reply.lang).toBe('fr');
    const expected = reply.blocks[0]!.kind === 'text' ? reply.blocks[0]!.text : '';
    expect(JSON.stringify(connector.cards()[0]!.card)).toContain(JSON.stringify(expected.split('\n')[0]).slice(1, -1));
  });

  it('says it cannot identify an activity with no Teams identity', async () => {
    connector.clear();
    const message = teamsActivity('message-personal', connector.url, { locale: 'hu-HU' });
    delete message.from.aadObjectId;
    message.from.id = '29:no-aad-id';
    await postActivity(server.url, message);
    expect(JSON.stringify(connector.cards()[0]!.card)).toContain(server.ctx.i18n.t('hu', 'teams.noIdentity'));
  });

  it('refuses a body that is not an activity with 400', async () => {
    expect((await postActivity(server.url, { hello: 'world' })).status).toBe(400);
    expect((await postActivity(server.url, [1, 2])).status).toBe(400);
  });
});

describe('Teams settings', () => {
  const base = { appId: APP_ID, appPassword: 'secret', appType: 'MultiTenant', tenantId: '' };

  it('refuse local mode in production, so the server does not start', () => {
    expect(settingsProblem({ ...base, appId: '' }, true)).toMatch(/NODE_ENV=production/);
    expect(settingsProblem({ ...base, appId: '' }, false)).toBeNull();
    const ctx = { config: { production: true, teams: { ...base, appId: '' } } } as TeamsChannelContext;
    expect(() => teamsMount(ctx)).toThrow(/MicrosoftAppId is empty/);
  });

  it('check what each app type needs', () => {
    expect(settingsProblem(base, true)).toBeNull();
    expect(settingsProblem({ ...base, appType: 'Personal' }, true)).toMatch(/MicrosoftAppType/);
    expect(settingsProblem({ ...base, appPassword: '' }, true)).toMatch(/MicrosoftAppPassword/);
    expect(settingsProblem({ ...base, appType: 'SingleTenant' }, true)).toMatch(/MicrosoftAppTenantId/);
    expect(settingsProblem({ ...base, appType: 'SingleTenant', tenantId: '00000000-0000-0000-0000-0000000000aa' }, true)).toBeNull();
    expect(settingsProblem({ ...base, appType: 'UserAssignedMSI', appPassword: '', tenantId: '00000000-0000-0000-0000-0000000000aa' }, true)).toBeNull();
  });
});

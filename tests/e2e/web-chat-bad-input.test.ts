import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/knex-store.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { WebChatClient, allText, buttonOf, cardOf, formOf } from '../support/web-chat-client.ts';

const inDays = (days: number) => DateTime.now().setZone('Europe/Berlin').plus({ days }).toISODate()!;

describe('web chat: bad input gets a clear, localised answer and loses nothing', () => {
  let server: TestServer;
  let store: Store;
  let anna: WebChatClient; // hu-enkk, professional qualifications only
  let jonas: WebChatClient; // de-lageso

  beforeAll(async () => {
    server = await startServer();
    store = openStore(server.databaseUrl);
    anna = await new WebChatClient(server.url).signIn('anna.kovacs');
    jonas = await new WebChatClient(server.url).signIn('jonas.weber');
    // A user's very first reply opens with the onboarding checklist; these tests look at later replies.
    await anna.say('help');
    await jonas.say('help');
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  const requestCount = async () => (await store.requests.list({})).length;

  /** A draft of jonas's authority filled up to the details step. */
  async function draftToDetails(): Promise<string> {
    const requestId = formOf(await jonas.act('draft.area', { area: 'professional-qualifications' })).context!.requestId!;
    await jonas.act('draft.authority', { requestId, country: 'HU', authority: 'hu-enkk' });
    return requestId;
  }

  it('refuses an unknown area and an area without rights, creating nothing', async () => {
    const before = await requestCount();
    const unknown = await anna.act('draft.area', { area: 'fishing-licences' });
    expect(formOf(unknown).fields[0]!.error).toBeTruthy();
    expect(unknown.blocks[0]).toMatchObject({ kind: 'text', tone: 'danger' });
    const noRights = await anna.act('draft.area', { area: 'services' });
    expect(allText(noRights)).toContain('services');
    expect(formOf(noRights).fields[0]!.error).toBeTruthy();
    expect(await requestCount()).toBe(before);
  });

  it('refuses an authority that is not competent for the area and keeps the draft', async () => {
    const requestId = formOf(await anna.act('draft.area', { area: 'professional-qualifications' })).context!.requestId!;
    const wrong = await anna.act('draft.authority', { requestId, country: 'DE', authority: 'de-fks' });
    const form = formOf(wrong);
    expect(form.action).toBe('draft.authority');
    expect(form.fields[0]!.error).toBeTruthy();
    expect((await store.requests.get(requestId))!.status).toBe('draft');
    expect((await store.requests.get(requestId))!.responderAuthorityId).toBeNull();
  });

  it('refuses a deadline in the past or not a date, and keeps everything typed', async () => {
    const requestId = await draftToDetails();
    for (const deadline of ['2020-01-01', 'next friday', '2026-02-30']) {
      const refused = await jonas.act('draft.details', {
        requestId,
        questions: ['pq-legally-established'],
        subject: 'Test Person',
        freeText: 'Bitte um Bestätigung.',
        deadline,
      });
      const form = formOf(refused);
      expect(form.fields.find((f) => f.name === 'deadline')!.error).toBeTruthy();
      expect(form.fields.find((f) => f.name === 'deadline')!.value).toBe(deadline);
      expect(form.fields.find((f) => f.name === 'freeText')!.value).toBe('Bitte um Bestätigung.');
      expect(refused.lang).toBe('de');
    }
    // What passed the checks was saved with the draft.
    const draft = await store.requests.get(requestId);
    expect(draft).toMatchObject({ status: 'draft', freeText: 'Bitte um Bestätigung.', subjectName: 'Test Person' });
    expect(draft!.questions).toEqual(['pq-legally-established']);
  });

  it('does not let one authority act on or read another authority’s request', async () => {
    const requestId = await draftToDetails();
    await jonas.act('draft.details', { requestId, questions: ['pq-legally-established'], subject: '', freeText: '', deadline: inDays(20) });
    const sent = await jonas.act('request.send', buttonOf(await jonas.act('request.open', { requestId }), 'request.send').value!);
    const version = String(cardOf(sent).ref!.version);
    const claire = await new WebChatClient(server.url).signIn('claire.martin');
    await claire.say('help');
    const refused = await claire.act('request.accept', { requestId, version });
    expect(refused.blocks).toHaveLength(1);
    expect(refused.blocks[0]).toMatchObject({ kind: 'text', tone: 'danger' });
    expect(allText(refused)).not.toContain('Test');
    expect((await store.requests.get(requestId))!.status).toBe('sent');
  });

  it('treats a button pressed twice and a stale card as "changed meanwhile", with one history event', async () => {
    const requestId = await draftToDetails();
    await jonas.act('draft.details', { requestId, questions: ['pq-legally-established'], subject: '', freeText: '', deadline: inDays(20) });
    const card = await jonas.act('request.open', { requestId });
    const sendValue = buttonOf(card, 'request.send').value!;
    await jonas.act('request.send', sendValue);
    const again = await jonas.act('request.send', sendValue);
    expect(again.replacesCard).toBe(true);
    expect(again.blocks[0]).toMatchObject({ kind: 'text', tone: 'warning' });
    expect(cardOf(again).actions.map((a) => a.action)).not.toContain('request.send');
    const history = (await store.history.of(requestId)).filter((e) => e.type === 'sent');
    expect(history).toHaveLength(1);

    // The responder's card goes stale when the requester withdraws meanwhile.
    const annaCard = await anna.act('request.open', { requestId });
    const acceptValue = buttonOf(annaCard, 'request.accept').value!;
    await jonas.act('request.withdraw', buttonOf(await jonas.act('request.open', { requestId }), 'request.withdraw').value!);
    const stale = await anna.act('request.accept', acceptValue);
    expect(stale.blocks[0]).toMatchObject({ kind: 'text', tone: 'warning' });
    expect(cardOf(stale).badge!.text).toBe('Visszavonva');
    expect((await store.requests.get(requestId))!.status).toBe('withdrawn');
  });

  it('answers malformed HTTP bodies with 400 and a message, never 500', async () => {
    for (const body of ['not json', { text: 42 }, { action: { id: '' } }, { text: 'x'.repeat(20_000) }, { other: true }]) {
      const res = await anna.raw('POST', '/turn', body);
      expect(res.status).toBe(400);
      expect(typeof res.body.error).toBe('string');
    }
    const unsigned = await new WebChatClient(server.url).raw('POST', '/turn', { text: 'inbox' });
    expect(unsigned.status).toBe(401);
  });

  it('answers an unknown action and an unknown request id without a dead end', async () => {
    const unknown = await anna.act('no.such.action', {});
    expect(unknown.blocks.length).toBeGreaterThan(1);
    const missing = await anna.say('IMI-2026-999999');
    expect(missing.blocks[0]).toMatchObject({ kind: 'text', tone: 'danger' });
    expect(allText(missing)).toContain('IMI-2026-999999');
  });

  it('tells an unregistered web login who can register them', async () => {
    const res = await new WebChatClient(server.url).raw('POST', '/session', { login: 'nobody.here' });
    expect(res.status).toBe(404);
    expect(res.body.error).toBeTruthy();
  });
});

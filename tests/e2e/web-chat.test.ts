import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/knex-store.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { closeDatabases, freshDatabase, testEngines } from '../support/databases.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { WebChatClient, allText, buttonOf, cardOf, formOf } from '../support/web-chat-client.ts';

const inDays = (days: number) => DateTime.now().setZone('Europe/Budapest').plus({ days }).toISODate()!;

// The same scenario on each engine: sqlite, and PostgreSQL when a server is reachable (tests/support/databases.ts).
const engines = await testEngines();
afterAll(closeDatabases);

describe.each(engines)('web chat on %s: a request from Budapest to Berlin, end to end', (engine) => {
  let server: TestServer;
  let store: Store;
  let database: { url: string; drop(): Promise<void> };
  let anna: WebChatClient; // requester, Hungarian handler at hu-enkk
  let jonas: WebChatClient; // responder, German handler at de-lageso
  let requestId = '';

  beforeAll(async () => {
    database = await freshDatabase(engine);
    server = await startServer({ DATABASE_URL: database.url });
    store = openStore(server.databaseUrl);
    anna = await new WebChatClient(server.url).signIn('anna.kovacs');
    jonas = await new WebChatClient(server.url).signIn('jonas.weber');
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await database?.drop();
  });

  it('walks the requester through area, country, authority and details to a review card', async () => {
    const areaForm = formOf(await anna.say('new'));
    expect(areaForm.action).toBe('draft.area');
    expect(areaForm.fields[0]!.options!.map((o) => o.value)).toEqual(['professional-qualifications']);

    const step2 = await anna.act('draft.area', { area: 'professional-qualifications' });
    const countryForm = formOf(step2);
    requestId = countryForm.context!.requestId!;
    expect(requestId).toMatch(/^IMI-\d{4}-\d{6}$/);
    expect(countryForm.fields[0]!.options!.map((o) => o.value)).toEqual(expect.arrayContaining(['DE', 'FR', 'PL']));
    expect(countryForm.fields[0]!.options!.map((o) => o.value)).not.toContain('HU');
    // Hungarian user: country names in Hungarian.
    expect(allText(step2)).toContain('Németország');

    const authorityForm = formOf(await anna.act('draft.country', { requestId, country: 'DE' }));
    expect(authorityForm.fields[0]!.options!.map((o) => o.value).sort()).toEqual(['de-lageso', 'de-regob']);

    const detailsForm = formOf(await anna.act('draft.authority', { requestId, country: 'DE', authority: 'de-lageso' }));
    expect(detailsForm.action).toBe('draft.details');
    const questions = detailsForm.fields.find((f) => f.name === 'questions')!.options!.map((o) => o.value);

    const review = await anna.act('draft.details', {
      requestId,
      questions: questions.slice(0, 2),
      subject: 'Dr. Minta Béla (fiktív)',
      freeText: 'Kérjük, erősítsék meg az oklevél hitelességét.',
      deadline: inDays(20),
    });
    const card = cardOf(review);
    expect(card.ref!.requestId).toBe(requestId);
    expect(card.actions.map((a) => a.action)).toContain('request.send');
    const stored = await store.requests.get(requestId);
    expect(stored).toMatchObject({ status: 'draft', responderAuthorityId: 'de-lageso', requestedDeadline: inDays(20), freeTextLang: 'hu' });
    expect(stored!.questions).toEqual(questions.slice(0, 2));
  });

  it('sends the request and notifies the responding authority through the outbox', async () => {
    const review = await anna.act('request.open', { requestId });
    const sent = await anna.act('request.send', buttonOf(review, 'request.send').value!);
    expect(sent.replacesCard).toBe(true);
    expect(cardOf(sent).ref!.version).toBeGreaterThan(cardOf(review).ref!.version);
    expect((await store.requests.get(requestId))!.status).toBe('sent');
    const notifications = (await store.outbox.list()).filter((n) => n.requestId === requestId);
    expect(notifications.map((n) => n.recipientId).sort()).toEqual(['jonas.weber', 'sabine.fischer']);
    expect(notifications.every((n) => n.kind === 'request.sent')).toBe(true);
  });

  it('shows the responder the card in German, with the free text marked as Hungarian', async () => {
    const reply = await jonas.act('request.open', { requestId });
    expect(reply.lang).toBe('de');
    const card = cardOf(reply);
    const text = allText(reply);
    expect(text).toContain('Ungarisch');
    expect(text).toContain('Kérjük, erősítsék meg az oklevél hitelességét.');
    expect(card.actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['request.accept', 'request.propose_deadline', 'request.forward', 'request.refer']),
    );
  });

  it('lets the responder propose another deadline, then accept with it', async () => {
    const opened = await jonas.act('request.open', { requestId });
    const form = formOf(await jonas.act('request.propose_deadline', buttonOf(opened, 'request.propose_deadline').value!));
    const proposed = await jonas.act('request.propose_deadline', { ...form.context, date: inDays(30), reason: 'Archivakten müssen angefordert werden.' });
    expect(cardOf(proposed).fields.some((f) => f.value.includes('Archivakten'))).toBe(true);
    const stored = await store.requests.get(requestId);
    expect(stored!.proposedDeadline).toMatchObject({ date: inDays(30) });
    expect((await store.outbox.list()).some((n) => n.requestId === requestId && n.kind === 'request.deadline_proposed' && n.recipientId === 'anna.kovacs')).toBe(true);

    const accepted = await jonas.act('request.accept', buttonOf(proposed, 'request.accept').value!);
    expect(cardOf(accepted).badge!.text).toBe('Angenommen');
    expect(await store.requests.get(requestId)).toMatchObject({ status: 'accepted', agreedDeadline: inDays(30) });
  });

  it('refuses an empty answer with a clear message and keeps the form', async () => {
    const opened = await jonas.act('request.open', { requestId });
    const form = formOf(await jonas.act('request.answer', buttonOf(opened, 'request.answer').value!));
    const empty = Object.fromEntries(form.fields.map((f) => [f.name, '  ']));
    const refused = await jonas.act('request.answer', { ...form.context, ...empty });
    expect(formOf(refused).fields.some((f) => f.error)).toBe(true);
    expect(allText(refused)).toContain('Die Antwort ist leer');
    expect((await store.requests.get(requestId))!.status).toBe('accepted');
  });

  it('takes the answer and lets the requester close the request', async () => {
    const opened = await jonas.act('request.open', { requestId });
    const form = formOf(await jonas.act('request.answer', buttonOf(opened, 'request.answer').value!));
    const answers = Object.fromEntries(form.fields.map((f, i) => [f.name, `Antwort ${i + 1}: Ja, bestätigt.`]));
    const answered = await jonas.act('request.answer', { ...form.context, ...answers });
    expect(cardOf(answered).badge!.text).toBe('Beantwortet');

    const annaView = await anna.act('request.open', { requestId });
    expect(allText(annaView)).toContain('Antwort 1: Ja, bestätigt.');
    expect(allText(annaView)).toContain('német'); // the answer's language, named in Hungarian
    const closed = await anna.act('request.close', buttonOf(annaView, 'request.close').value!);
    expect(cardOf(closed).actions.map((a) => a.action)).toEqual(['request.history']);
    expect((await store.requests.get(requestId))!.status).toBe('closed');
    const history = (await store.history.of(requestId)).map((e) => e.type);
    expect(history).toEqual(['created', 'draft_updated', 'draft_updated', 'sent', 'deadline_proposed', 'accepted', 'answered', 'closed']);
  });

  it('shows the history to both sides and nothing to a third authority', async () => {
    const mine = await anna.act('request.history', { requestId });
    expect(allText(mine)).toContain('Jonas Weber');
    const claire = await new WebChatClient(server.url).signIn('claire.martin');
    await claire.say('help'); // the first reply opens with the onboarding checklist
    const foreign = await claire.act('request.history', { requestId });
    expect(foreign.blocks).toHaveLength(1);
    expect(allText(foreign)).not.toContain('Jonas');
  });
});

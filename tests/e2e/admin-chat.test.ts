import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/app/ports/repositories.ts';
import { createConversation } from '../../src/conversation/engine.ts';
import type { Block, ConversationPort, RenderedReply } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { WebChatClient, allText, assertNoRawKeys, buttonOf, cardOf, formOf } from '../support/web-chat-client.ts';

/**
 * Administration, invitations and the registers directory in chat, through the web chat's HTTP
 * API against the real server; redemption by a stranger goes through the conversation in-process
 * on the same database, because the web chat only signs in people who already have a web login.
 */

const PQ = 'professional-qualifications';
const inDays = (days: number) => DateTime.now().setZone('Europe/Budapest').plus({ days }).toISODate()!;

type ListBlock = Extract<Block<string>, { kind: 'list' }>;
type CardBlock = Extract<Block<string>, { kind: 'card' }>;

const listOf = (reply: RenderedReply, index = 0): ListBlock => {
  const lists = reply.blocks.filter((b): b is ListBlock => b.kind === 'list');
  if (!lists[index]) throw new Error(`no list in reply: ${JSON.stringify(reply)}`);
  return lists[index];
};
const plainCard = (reply: RenderedReply): CardBlock => {
  const card = reply.blocks.find((b): b is CardBlock => b.kind === 'card');
  if (!card) throw new Error(`no card in reply: ${JSON.stringify(reply)}`);
  return card;
};
const actionsOf = (reply: RenderedReply) => plainCard(reply).actions.map((a) => a.action);
const fieldOf = (reply: RenderedReply, name: string) => {
  const field = formOf(reply).fields.find((f) => f.name === name);
  if (!field) throw new Error(`no field ${name}: ${JSON.stringify(formOf(reply))}`);
  return field;
};
/** Values of a form as the page sends them: the hidden context plus what the user filled in. */
const submit = (reply: RenderedReply, values: Record<string, string | string[]>) => ({ ...formOf(reply).context, ...values });

describe('administration and registers in chat', () => {
  let server: TestServer;
  let core: Core;
  let store: Store;
  let i18n: Translator;
  let conversation: ConversationPort;
  let anna: WebChatClient; // local admin and handler at hu-enkk
  let peter: WebChatClient; // handler at hu-enkk
  let eszter: WebChatClient; // Hungarian national coordinator (hu-nimic)
  let jonas: WebChatClient; // local admin and handler at de-lageso
  let peterRequest = '';

  const t = (lang: string, key: string, params?: Record<string, string | number>) => i18n.t(lang, key, params);

  beforeAll(async () => {
    server = await startServer({ IMI_TURN_RATE: 'off' });
    core = await openCore(server.databaseUrl);
    store = core.deps.store;
    i18n = core.i18n;
    conversation = createConversation({ app: core.deps, i18n });
    anna = await new WebChatClient(server.url).signIn('anna.kovacs');
    peter = await new WebChatClient(server.url).signIn('peter.szabo');
    eszter = await new WebChatClient(server.url).signIn('eszter.nagy');
    jonas = await new WebChatClient(server.url).signIn('jonas.weber');
  });
  afterAll(async () => {
    await core?.close();
    await server?.stop();
  });

  it('refuses the admin menu to a plain handler, naming whom to ask, and changes nothing', async () => {
    const auditBefore = (await store.audit.list(1000)).length;
    const menu = await peter.say('admin');
    expect(allText(menu)).toContain(t('hu', 'errors.admin.forbidden'));
    expect(listOf(menu).items.map((i) => i.text)).toEqual(expect.arrayContaining(['Kovács Anna', 'Nagy Eszter']));
    expect(JSON.stringify(menu.blocks)).not.toContain('admin.invite.form');

    // Pressing admin buttons anyway (a crafted action) is refused by the use cases too.
    const invite = await peter.act('admin.invite.create', { authorityId: 'hu-enkk', name: 'Kovács Béla', roles: ['handler', 'local_admin'], validDays: '7' });
    expect(allText(invite)).toContain(t('hu', 'errors.admin.forbidden'));
    const removal = await peter.act('admin.remove.apply', { userId: 'anna.kovacs' });
    expect(allText(removal)).toContain(t('hu', 'errors.admin.forbidden'));
    const rights = await peter.act('admin.rights.save', { userId: 'peter.szabo', roles: ['handler', 'local_admin'] });
    expect(allText(rights)).toContain(t('hu', 'errors.admin.forbidden'));

    expect(await store.invitations.ofAuthority('hu-enkk')).toEqual([]);
    expect((await store.users.get('anna.kovacs'))!.active).toBe(true);
    expect((await store.users.get('peter.szabo'))!.roles).toEqual(['handler']);
    expect((await store.audit.list(1000)).length).toBe(auditBefore);
  });

  it('offers the menu by role: local admin, coordinator', async () => {
    expect(actionsOf(await anna.say('admin'))).toEqual(['admin.invite.form', 'admin.users', 'admin.authority', 'registers.open']);
    expect(actionsOf(await eszter.say('admin'))).toEqual(['admin.coordinator', 'admin.coordinator.register', 'helpdesk.tickets', 'registers.open']);
  });

  it('lets a local admin register a colleague, who joins with the code in their own language', async () => {
    const form = await anna.act('admin.invite.form');
    expect(formOf(form).fields.map((f) => f.name)).toEqual(['name', 'language', 'roles', 'areas', 'validDays']);
    expect(fieldOf(form, 'roles').options!.map((o) => o.value)).toEqual(['handler', 'local_admin']);
    expect(fieldOf(form, 'areas').options!.map((o) => o.value)).toEqual([PQ]);

    // A bad validity is shown beside its field, with everything typed kept.
    const typed = { name: 'Dupont Marie', language: 'fr', roles: ['handler'], areas: [PQ] };
    const refused = await anna.act('admin.invite.create', submit(form, { ...typed, validDays: '90' }));
    expect(fieldOf(refused, 'validDays').error).toBe(t('hu', 'errors.invite.invalidDays', { max: 30 }));
    expect(fieldOf(refused, 'name').value).toBe('Dupont Marie');
    expect(fieldOf(refused, 'validDays').value).toBe('90');
    expect(await store.invitations.ofAuthority('hu-enkk')).toEqual([]);

    const issued = await anna.act('admin.invite.create', submit(form, { ...typed, validDays: '7' }));
    const card = plainCard(issued);
    const code = card.fields[0]!.value;
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const [invitation] = await store.invitations.ofAuthority('hu-enkk');
    expect(invitation).toMatchObject({ name: 'Dupont Marie', language: 'fr', roles: ['handler'], areas: [PQ], createdBy: 'anna.kovacs', usedAt: null });
    // The validity date in Hungarian, in Budapest time; how to redeem and the backup hint.
    const until = DateTime.fromISO(invitation!.expiresAt).setZone('Europe/Budapest').setLocale('hu').toLocaleString(DateTime.DATETIME_MED);
    expect(card.fields[1]!.value).toBe(until);
    expect(card.sections!.map((s) => s.body)).toEqual([t('hu', 'admin.invite.howToRedeem'), t('hu', 'admin.invite.backupHint')]);

    // Nobody signs in to the web chat without a web login…
    const stranger = new WebChatClient(server.url);
    expect((await stranger.raw('POST', '/session', { login: 'marie.dupont' })).status).not.toBe(200);

    // …so the code is entered in the conversation itself, as a Slack or Teams stranger would.
    const other = await conversation.handle({ channel: 'web', externalId: 'marie.dupont', locale: 'de-DE', text: 'hello' });
    expect(allText(other)).toContain(t('de', 'bot.unregistered.intro'));
    const wrong = await conversation.handle({ channel: 'web', externalId: 'marie.dupont', locale: 'de-DE', text: 'AAAA-BBBB-CCCC' });
    assertNoRawKeys(wrong);
    expect(allText(wrong)).toContain(t('de', 'errors.invite.notFound'));
    expect(formOf(wrong).action).toBe('invite.redeem');

    const welcome = await conversation.handle({ channel: 'web', externalId: 'marie.dupont', locale: 'de-DE', text: ` ${code.toLowerCase()} ` });
    assertNoRawKeys(welcome);
    // The invitation named French: the welcome speaks it, not the browser's German.
    const authority = (await store.authorities.get('hu-enkk'))!;
    expect(allText(welcome)).toContain(t('fr', 'admin.redeem.welcome', { name: 'Dupont Marie', authority: authority.name }));
    expect(allText(welcome)).toContain(t('fr', 'admin.redeem.nextSteps'));
    const marie = await store.users.byIdentity({ channel: 'web', externalId: 'marie.dupont' });
    expect(marie).toMatchObject({ name: 'Dupont Marie', authorityId: 'hu-enkk', language: 'fr', roles: ['handler'], areas: [PQ], active: true });
    expect((await store.outbox.list()).some((n) => n.kind === 'admin.invitation_redeemed' && n.recipientId === 'anna.kovacs')).toBe(true);

    // A code works once.
    const again = await conversation.handle({ channel: 'web', externalId: 'someone.else', locale: 'en', action: { id: 'invite.redeem', values: { code } } });
    expect(allText(again)).toContain(t('en', 'errors.invite.used'));
    expect(await store.users.byIdentity({ channel: 'web', externalId: 'someone.else' })).toBeNull();

    // The new colleague can now use the web chat, in French.
    const marieChat = await new WebChatClient(server.url).signIn('marie.dupont');
    expect((await marieChat.say('inbox')).lang).toBe('fr');
  });

  it('suggests registers before a request to a German authority is written', async () => {
    const step2 = await peter.act('draft.area', { area: PQ });
    peterRequest = formOf(step2).context!.requestId!;
    await peter.act('draft.country', { requestId: peterRequest, country: 'DE' });
    const details = await peter.act('draft.authority', { requestId: peterRequest, country: 'DE', authority: 'de-lageso' });
    const suggestions = listOf(details);
    expect(suggestions.title).toBe(t('hu', 'admin.registers.beforeRequestMany'));
    expect(allText(details)).toContain('https://www.rechtsanwaltsregister.org/');
    expect(allText(details)).toContain('https://ec.europa.eu/growth/tools-databases/regprof/');
    expect(formOf(details).action).toBe('draft.details');

    const questions = fieldOf(details, 'questions').options!.map((o) => o.value);
    const review = await peter.act('draft.details', {
      requestId: peterRequest,
      questions: questions.slice(0, 1),
      subject: 'Minta Ödön (fiktív)',
      freeText: 'Kérjük, erősítsék meg a működési engedély érvényességét.',
      deadline: inDays(20),
    });
    const sent = await peter.act('request.send', buttonOf(review, 'request.send').value!);
    expect(cardOf(sent).ref!.requestId).toBe(peterRequest);
    expect((await store.requests.get(peterRequest))!.status).toBe('sent');
  });

  it('lets the local admin remove a colleague, handing his open requests to another', async () => {
    const users = await anna.act('admin.users');
    const list = listOf(users);
    expect(list.title).toContain('Egészségügyi Nyilvántartási');
    const peterItem = list.items.find((i) => i.text === 'Szabó Péter')!;
    expect(peterItem.detail).toContain(t('hu', 'admin.role.handler'));
    const removeButton = peterItem.actions!.find((a) => a.action === 'admin.remove.form')!;

    const confirm = await anna.act('admin.remove.form', removeButton.value!);
    expect(allText(confirm)).toContain(peterRequest);
    expect(fieldOf(confirm, 'reassignTo').options!.map((o) => o.value).sort()).toEqual(['anna.kovacs', 'dupont.marie']);

    // Submitting without a successor asks for one and keeps the form.
    const missing = await anna.act('admin.remove.apply', submit(confirm, {}));
    expect(fieldOf(missing, 'reassignTo').error).toBeTruthy();
    expect((await store.users.get('peter.szabo'))!.active).toBe(true);

    const done = await anna.act('admin.remove.apply', submit(confirm, { reassignTo: 'anna.kovacs' }));
    expect(allText(done)).toContain(t('hu', 'admin.remove.doneReassigned', { name: 'Szabó Péter', count: 1, successor: 'Kovács Anna' }));
    expect(listOf(done).items.map((i) => i.text)).not.toContain('Szabó Péter');

    expect((await store.requests.get(peterRequest))!.createdBy).toBe('anna.kovacs');
    const removed = (await store.users.get('peter.szabo'))!;
    expect(removed.active).toBe(false);
    expect(removed.identities).toEqual([]);
    const notice = (await store.outbox.list()).find((n) => n.kind === 'admin.requests_reassigned');
    expect(notice).toMatchObject({ recipientId: 'anna.kovacs' });
    expect(notice!.params).toMatchObject({ requests: peterRequest });

    // The history names the reassignment in words; Péter is no longer recognised.
    const history = await anna.act('request.history', { requestId: peterRequest });
    expect(allText(history)).toContain(t('hu', 'bot.history.event.reassigned', { actor: 'Kovács Anna' }));
    expect(allText(await peter.say('inbox'))).toContain(t('en', 'bot.unregistered.intro'));
  });

  it('keeps a local admin out of another authority’s users and data', async () => {
    const before = {
      anna: await store.users.get('anna.kovacs'),
      authority: await store.authorities.get('hu-enkk'),
      invitations: (await store.invitations.ofAuthority('hu-enkk')).length,
    };
    const forbidden = t('de', 'errors.admin.forbidden');
    const attempts: [string, Record<string, string | string[]>][] = [
      ['admin.users', { authorityId: 'hu-enkk' }],
      ['admin.invite.form', { authorityId: 'hu-enkk' }],
      ['admin.invite.create', { authorityId: 'hu-enkk', name: 'Eindringling', roles: ['handler', 'local_admin'], validDays: '7' }],
      ['admin.rights.form', { userId: 'anna.kovacs' }],
      ['admin.rights.save', { userId: 'anna.kovacs', roles: ['handler'], areas: [] }],
      ['admin.remove.form', { userId: 'anna.kovacs' }],
      ['admin.remove.apply', { userId: 'anna.kovacs', reassignTo: 'dupont.marie' }],
      ['admin.authority.form', { authorityId: 'hu-enkk' }],
      ['admin.authority.save', { authorityId: 'hu-enkk', name: 'Übernommen', phone: '+49 30 0' }],
      ['admin.authority.review', { authorityId: 'hu-enkk' }],
    ];
    for (const [id, values] of attempts) {
      const refused = await jonas.act(id, values);
      expect(allText(refused), id).toContain(forbidden);
      expect(refused.blocks.some((b) => b.kind === 'form'), id).toBe(false);
    }
    expect(await store.users.get('anna.kovacs')).toEqual(before.anna);
    expect(await store.authorities.get('hu-enkk')).toEqual(before.authority);
    expect((await store.invitations.ofAuthority('hu-enkk')).length).toBe(before.invitations);

    // His own authority he administers as usual.
    const own = listOf(await jonas.act('admin.users'));
    expect(own.items.map((i) => i.text).sort()).toEqual(['Jonas Weber', 'Sabine Fischer']);
  });

  it('shows a coordinator the authorities they coordinate, with counts only, and lets them register one', async () => {
    const overview = await eszter.act('admin.coordinator');
    const names = listOf(overview).items.map((i) => i.text).join('\n');
    expect(names).toContain('Egészségügyi Nyilvántartási és Képzési Központ');
    expect(names).toContain('Budapest Főváros Kormányhivatala');
    expect(names).not.toContain('LAGeSo');
    expect(allText(overview)).not.toContain('Landesamt');
    // Counts, never request contents.
    expect(allText(overview)).not.toContain('Minta Ödön');
    expect(allText(overview)).not.toContain(peterRequest);

    const form = await eszter.act('admin.coordinator.register');
    expect(formOf(form).fields.map((f) => f.name)).toEqual(['name', 'id', 'areas']);
    const bad = await eszter.act('admin.coordinator.create', { name: 'Országos Kamara (teszt)', id: 'hu kamara!', areas: ['services'] });
    expect(fieldOf(bad, 'id').error).toBeTruthy();
    expect(fieldOf(bad, 'name').value).toBe('Országos Kamara (teszt)');
    const done = await eszter.act('admin.coordinator.create', { name: 'Országos Kamara (teszt)', id: 'hu-kamara', areas: ['services'] });
    expect(allText(done)).toContain(t('hu', 'admin.coordinator.registered', { authority: 'Országos Kamara (teszt)' }));
    expect(await store.authorities.get('hu-kamara')).toMatchObject({ country: 'HU', coordinatorId: 'hu-nimic', areas: ['services'] });
    expect(listOf(await eszter.act('admin.coordinator')).items.map((i) => i.text).join('\n')).toContain('Országos Kamara (teszt)');

    // A handler has no overview.
    expect(allText(await jonas.act('admin.coordinator'))).toContain(t('de', 'errors.admin.forbidden'));
  });

  it('lets a local admin edit the authority data and confirm it as current', async () => {
    const before = (await store.authorities.get('hu-enkk'))!;
    const card = await anna.act('admin.authority');
    expect(plainCard(card).fields.map((f) => f.value)).toContain(before.contact.email);
    expect(actionsOf(card)).toEqual(['admin.authority.review', 'admin.authority.form']);

    const form = await anna.act('admin.authority.form', { authorityId: 'hu-enkk' });
    expect(fieldOf(form, 'timezone').value).toBe('Europe/Budapest');
    const bad = await anna.act('admin.authority.save', submit(form, { phone: '+36 1 555 0199', timezone: 'Europe/Atlantis' }));
    expect(fieldOf(bad, 'timezone').error).toBeTruthy();
    expect(fieldOf(bad, 'phone').value).toBe('+36 1 555 0199');
    expect((await store.authorities.get('hu-enkk'))!.contact.phone).toBe(before.contact.phone);

    const saved = await anna.act('admin.authority.save', submit(form, { phone: '+36 1 555 0199' }));
    expect(allText(saved)).toContain(t('hu', 'admin.authority.saved', { authority: before.name }));
    const edited = (await store.authorities.get('hu-enkk'))!;
    expect(edited.contact).toEqual({ ...before.contact, phone: '+36 1 555 0199' });
    expect(edited.dataReviewedAt).toBe(before.dataReviewedAt);

    const confirmed = await anna.act('admin.authority.review', { authorityId: 'hu-enkk' });
    const reviewedAt = (await store.authorities.get('hu-enkk'))!.dataReviewedAt!;
    expect(Date.parse(reviewedAt)).toBeGreaterThan(Date.parse(before.dataReviewedAt!));
    expect(Date.parse(reviewedAt)).toBeLessThanOrEqual(Date.now());
    const date = DateTime.fromISO(reviewedAt).setZone('Europe/Budapest').setLocale('hu').toLocaleString(DateTime.DATE_MED);
    expect(allText(confirmed)).toContain(t('hu', 'admin.authority.confirmed', { authority: before.name, date }));

    // Colleagues may read the data but not change it.
    const marie = await new WebChatClient(server.url).signIn('marie.dupont');
    const seen = await marie.act('admin.authority');
    expect(actionsOf(seen)).toEqual([]);
  });

  it('finds registers by words in the user’s language', async () => {
    const german = await jonas.say('registers Ärzte');
    const found = allText(german);
    expect(found).toContain('https://rejestr.nil.org.pl/'); // Polish doctors
    expect(found).toContain('https://portale.fnomceo.it/cerca-prof/'); // Italian doctors
    expect(found).not.toContain('https://www.handelsregister.de/');

    const hungarian = await anna.say('registers orvos');
    expect(listOf(hungarian).items[0]!.detail).toContain('https://kereso.enkk.hu/');
    expect(allText(await anna.say('registers orvosok Lengyelország'))).toContain('https://rejestr.nil.org.pl/');

    const prompt = await anna.say('registers');
    expect(formOf(prompt).action).toBe('registers.search');
    expect(formOf(prompt).fields.map((f) => f.name)).toEqual(['query']);
    const nothing = await anna.act('registers.search', { query: 'zzqx' });
    expect(allText(nothing)).toContain(t('hu', 'admin.registers.noResults', { query: 'zzqx' }));
    expect(fieldOf(nothing, 'query').value).toBe('zzqx');
  });

  it('lets a local admin add a register of their country, and nobody else', async () => {
    const form = await anna.act('registers.add.form');
    const typed = { name: 'Egészségügyi szolgáltatók nyilvántartása (teszt)', description: 'Működési engedélyek', areas: [PQ], free: 'yes' };
    const bad = await anna.act('registers.add.submit', submit(form, { ...typed, url: 'nem-cím' }));
    expect(fieldOf(bad, 'url').error).toBeTruthy();
    expect(fieldOf(bad, 'name').value).toBe(typed.name);

    const added = await anna.act('registers.add.submit', submit(form, { ...typed, url: 'https://example.hu/szolgaltatok' }));
    expect(allText(added)).toContain(t('hu', 'admin.registers.added', { name: typed.name }));
    const entry = (await store.registers.list({ country: 'HU' })).find((e) => e.url === 'https://example.hu/szolgaltatok');
    expect(entry).toMatchObject({ ownerAuthorityId: 'hu-enkk', areas: [PQ], free: true });
    expect(allText(await anna.say('registers szolgáltatók'))).toContain('https://example.hu/szolgaltatok');

    const handler = await new WebChatClient(server.url).signIn('katalin.horvath');
    expect(allText(await handler.act('registers.add.form'))).toContain(t('hu', 'errors.admin.forbidden'));
  });
});

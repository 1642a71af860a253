import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/app/ports/clock.ts';
import type { OutboxRow } from '../../src/app/ports/records.ts';
import { advanceTraining } from '../../src/app/training/advance-training.ts';
import { notificationView } from '../../src/conversation/notification-view.ts';
import { localize } from '../../src/conversation/render.ts';
import type { Block, RenderedReply } from '../../src/conversation/types.ts';
import { trainingDeps } from '../../src/helpdesk-wiring.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { runImi } from '../support/cli.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { WebChatClient, allText, assertNoRawKeys, cardOf, formOf } from '../support/web-chat-client.ts';

/**
 * The helpdesk, onboarding checklist and training mode in chat, through the web chat's HTTP API
 * against the real server. Notifications go out with `imi reminders run` and are read from the
 * web feed; the simulated training partner, which acts minutes later by the clock, is moved on
 * in-process on the same database with a clock set ahead.
 */

const PQ = 'professional-qualifications';

type ListBlock = Extract<Block<string>, { kind: 'list' }>;
type CardBlock = Extract<Block<string>, { kind: 'card' }>;

const lists = (reply: RenderedReply): ListBlock[] => reply.blocks.filter((b): b is ListBlock => b.kind === 'list');
const cards = (reply: RenderedReply): CardBlock[] => reply.blocks.filter((b): b is CardBlock => b.kind === 'card');
/** Every button of a reply, on cards and on list items. */
const buttons = (reply: RenderedReply) => [
  ...cards(reply).flatMap((c) => c.actions),
  ...lists(reply).flatMap((l) => l.items.flatMap((i) => i.actions ?? [])),
];
const button = (reply: RenderedReply, action: string) => {
  const found = buttons(reply).find((b) => b.action === action);
  if (!found) throw new Error(`no ${action} button in ${JSON.stringify(buttons(reply).map((b) => b.action))}`);
  return found;
};
const submit = (reply: RenderedReply, values: Record<string, string | string[]>) => ({ ...formOf(reply).context, ...values });
const isTraining = (id: unknown) => typeof id === 'string' && (id.startsWith('TRN-') || id.startsWith('training-partner'));

describe('helpdesk, onboarding and training in the web chat', () => {
  let server: TestServer;
  let core: Core;
  let env: Record<string, string>;
  const t = (lang: string, key: string, params?: Record<string, string | number>) => core.i18n.t(lang, key, params);
  const imi = async (...args: string[]) => {
    const run = await runImi(args, env);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  const signIn = (login: string, acceptLanguage = 'en') => new WebChatClient(server.url, acceptLanguage).signIn(login);

  beforeAll(async () => {
    server = await startServer({ IMI_TURN_RATE: 'off' });
    env = { DATABASE_URL: server.databaseUrl };
    core = await openCore(server.databaseUrl);
    // Users the tests need besides the demo's, added the way an operator does (each CLI run takes a while).
    await Promise.all([
      // No --lang: the user never chose a language.
      imi('user', 'add', '--id', 'teszt.zoltan', '--authority', 'hu-enkk', '--name', 'Teszt Zoltán', '--roles', 'handler', '--areas', PQ),
      imi('user', 'add', '--id', 'test.newbie', '--authority', 'de-lageso', '--name', 'Test Newbie', '--lang', 'en', '--roles', 'handler', '--areas', PQ),
      imi('user', 'add', '--id', 'test.trainee', '--authority', 'hu-enkk', '--name', 'Test Trainee', '--lang', 'en', '--roles', 'handler', '--areas', PQ),
    ]);
  });
  afterAll(async () => {
    await core?.close();
    await server?.stop();
  });

  describe('helpdesk', () => {
    it("answers naming the asker's own coordinator, with feedback and hand-over buttons", async () => {
      const anna = await signIn('anna.kovacs');
      const jonas = await signIn('jonas.weber');
      const forAnna = await anna.say('how do I register a colleague?');
      const forJonas = await jonas.say('how do I register a colleague?');
      // Each user is answered in their own language, whatever the question's.
      expect(forAnna.lang).toBe('hu');
      expect(forJonas.lang).toBe('de');
      expect(allText(forAnna)).toContain('Nagy Eszter');
      expect(allText(forAnna)).not.toContain('Thomas Schneider');
      expect(allText(forJonas)).toContain('Thomas Schneider');
      expect(allText(forJonas)).not.toContain('Nagy Eszter');
      expect(cards(forAnna).map((c) => c.title)).toContain(t('hu', 'helpdesk.contact.title'));
      const rate = buttons(forAnna).filter((b) => b.action === 'helpdesk.rate');
      expect(rate.map((b) => [b.label, b.value?.helpful])).toEqual([
        [t('hu', 'helpdesk.feedback.yes'), 'yes'],
        [t('hu', 'helpdesk.feedback.no'), 'no'],
      ]);
      expect(button(forAnna, 'helpdesk.handover').label).toBe(t('hu', 'helpdesk.handOver.button'));
    });

    it('greets a user the bot has never met with the checklist, once', async () => {
      const claire = await signIn('claire.martin');
      const first = await claire.say('Comment enregistrer un collègue ?');
      const greeting = t('fr', 'helpdesk.onboarding.firstTurn', { name: 'Claire Martin', command: t('fr', 'bot.commands.onboarding').split('|')[0]! });
      expect(allText(first)).toContain(JSON.stringify(greeting).slice(1, -1));
      expect(lists(first)[0]!.title).toContain(t('fr', 'helpdesk.onboarding.title'));
      // The answer follows the checklist in the same reply.
      expect(button(first, 'helpdesk.rate')).toBeDefined();
      const second = await claire.say('Comment enregistrer un collègue ?');
      expect(allText(second)).not.toContain(t('fr', 'helpdesk.onboarding.title'));
    });

    it('answers a user who chose no language in the language of the question', async () => {
      // Added without --lang at a Hungarian authority; the browser says English.
      const zoltan = await signIn('teszt.zoltan', 'en');
      const hu = await zoltan.say('Ki helyettesít, ha szabadságon vagyok?');
      expect(hu.lang).toBe('hu');
      expect(allText(hu)).toMatch(/helyettesít/);
      expect(allText(hu)).toContain('Kovács Anna');
      expect(allText(hu)).toContain(t('hu', 'helpdesk.feedback.question'));

      // tomasz.wisniewski works for a Polish authority and chose no language: German in, German out.
      const tomasz = await signIn('tomasz.wisniewski', 'en');
      const de = await tomasz.say('Wer vertritt mich, wenn ich im Urlaub bin?');
      expect(de.lang).toBe('de');
      expect(allText(de)).toContain(t('de', 'helpdesk.feedback.question'));
      expect(allText(de)).toContain('Katarzyna Nowak');
    });

    it('stores 👍 and 👎 and thanks; 👎 offers the coordinator', async () => {
      const anna = await signIn('anna.kovacs');
      const jonas = await signIn('jonas.weber');
      const answer = await anna.say('Ki helyettesít, ha szabadságon vagyok?');
      const no = buttons(answer).find((b) => b.action === 'helpdesk.rate' && b.value?.helpful === 'no')!;
      const sorry = await anna.act('helpdesk.rate', no.value);
      expect(allText(sorry)).toContain(t('hu', 'helpdesk.feedback.sorry'));
      expect(button(sorry, 'helpdesk.handover')).toBeDefined();

      const good = await jonas.say('Wer vertritt mich, wenn ich im Urlaub bin?');
      const yes = buttons(good).find((b) => b.action === 'helpdesk.rate' && b.value?.helpful === 'yes')!;
      expect(allText(await jonas.act('helpdesk.rate', yes.value))).toContain(t('de', 'helpdesk.feedback.thanks'));

      // Someone else's answer cannot be rated.
      expect(allText(await jonas.act('helpdesk.rate', no.value))).toContain(t('de', 'errors.helpdesk.answerNotFound', { id: no.value!.questionId! }));

      const report = JSON.parse(await imi('faq', 'report', '--json')) as { poorlyRated: { entryId: string; lang: string; helpful: number; unhelpful: number }[] };
      expect(report.poorlyRated).toEqual(expect.arrayContaining([expect.objectContaining({ entryId: 'backup-colleague', lang: 'hu', unhelpful: 1 })]));
    });

    it('offers suggestions and the hand-over below the threshold, and only the hand-over for off-topic questions', async () => {
      const anna = await signIn('anna.kovacs');
      const vague = await anna.say('Kell-e külön pecsét a papíralapú igazolásokra?');
      expect(allText(vague)).toContain(t('hu', 'helpdesk.notSure'));
      const suggested = lists(vague).find((l) => l.title === t('hu', 'helpdesk.didYouMean'))!;
      expect(suggested.items.length).toBeGreaterThan(0);
      expect(suggested.items.length).toBeLessThanOrEqual(3);
      expect(cards(vague).some((c) => c.title === t('hu', 'helpdesk.handOver.offer', { coordinatorName: 'Nagy Eszter' }))).toBe(true);
      expect(button(vague, 'helpdesk.handover').value?.questionId).toMatch(/^\d+$/);

      // A suggestion picked shows its answer, which can be rated.
      const picked = await anna.act('helpdesk.entry', suggested.items[0]!.actions![0]!.value);
      expect(button(picked, 'helpdesk.rate')).toBeDefined();
      expect(allText(picked)).not.toContain(t('hu', 'helpdesk.notSure'));

      const goulash = await anna.say('recipe for goulash');
      expect(allText(goulash)).toContain(t('hu', 'helpdesk.noSuggestions'));
      expect(lists(goulash).some((l) => l.title === t('hu', 'helpdesk.didYouMean'))).toBe(false);
      expect(button(goulash, 'helpdesk.handover')).toBeDefined();
      expect(allText(await anna.act('helpdesk.handover_decline'))).toContain(t('hu', 'helpdesk.handOver.declined'));
    });

    it('hands a question over: the coordinator is notified, answers in chat, the asker sees answer and status', async () => {
      const anna = await signIn('anna.kovacs');
      const eszter = await signIn('eszter.nagy');
      const question = 'Kell-e apostille a szlovák oklevelekre?';
      const asked = await anna.say(question);
      const handed = await anna.act('helpdesk.handover', button(asked, 'helpdesk.handover').value);
      const ticketId = /HD-\d{4}-\d{6}/.exec(allText(handed))?.[0];
      expect(ticketId, allText(handed)).toBeDefined();
      const authority = (await core.deps.store.authorities.get('hu-nimic'))!.name;
      expect(allText(handed)).toContain(t('hu', 'helpdesk.ticket.created', { coordinatorName: 'Nagy Eszter', coordinatorAuthority: authority, ticketId: ticketId! }));
      expect(cards(handed)[0]!.badge?.text).toBe(t('hu', 'helpdesk.ticket.status.open'));
      // Pressing the button again does not open a second ticket.
      const again = await anna.act('helpdesk.handover', button(asked, 'helpdesk.handover').value);
      expect(allText(again)).toContain(t('hu', 'helpdesk.ticket.already', { ticketId: ticketId! }));

      const eszterFeed = (await eszter.feed(0)).last;
      await imi('reminders', 'run', '--json');
      const delivered = (await eszter.feed(eszterFeed)).items.map((i) => i.reply);
      const notice = delivered.find((r) => allText(r).includes(ticketId!));
      expect(notice, JSON.stringify(delivered)).toBeDefined();
      assertNoRawKeys(notice!);
      expect(allText(notice!)).toContain(question);
      expect(button(notice!, 'helpdesk.answer_ticket').value).toEqual({ ticketId });

      // Her first turn: the greeting with the checklist comes first, then the list asked for.
      const incoming = await eszter.act('helpdesk.tickets');
      const ticketList = lists(incoming).find((l) => l.title === t('hu', 'helpdesk.ticket.incoming'))!;
      expect(ticketList.items.map((i) => i.text)).toContain(t('hu', 'helpdesk.ticket.item', { ticketId: ticketId!, question }));
      const form = await eszter.act('helpdesk.answer_ticket', { ticketId: ticketId! });
      expect(formOf(form).fields.map((f) => [f.name, f.type])).toEqual([['answer', 'long-text']]);
      const empty = await eszter.act('helpdesk.answer_submit', submit(form, { answer: '  ' }));
      expect(formOf(empty).fields[0]!.error).toBe(t('hu', 'errors.helpdesk.answerEmpty'));
      const answerText = 'Igen, a szlovák okleveleken apostille szükséges.';
      const sent = await eszter.act('helpdesk.answer_submit', submit(form, { answer: answerText }));
      expect(allText(sent)).toContain(t('hu', 'helpdesk.ticket.answerSent', { ticketId: ticketId!, askerName: 'Kovács Anna' }));
      // A second answer is refused rather than lost.
      expect(allText(await eszter.act('helpdesk.answer_submit', submit(form, { answer: 'Más.' })))).toContain(t('hu', 'errors.helpdesk.ticketAnswered', { id: ticketId! }));
      // Nobody else answers it.
      const thomas = await signIn('thomas.schneider');
      expect(allText(await thomas.act('helpdesk.answer_ticket', { ticketId: ticketId! }))).toContain(t('de', 'errors.helpdesk.ticketNotFound', { id: ticketId! }));

      const annaFeed = (await anna.feed(0)).last;
      await imi('reminders', 'run', '--json');
      const answered = (await anna.feed(annaFeed)).items.map((i) => i.reply).find((r) => allText(r).includes(ticketId!));
      expect(answered).toBeDefined();
      assertNoRawKeys(answered!);
      expect(allText(answered!)).toContain(answerText);
      expect(allText(answered!)).toContain('Nagy Eszter');

      const mine = await anna.act('helpdesk.my_tickets');
      const item = lists(mine)[0]!.items.find((i) => i.text.includes(ticketId!))!;
      expect(item.detail).toContain(t('hu', 'helpdesk.ticket.status.answered'));
      const shown = await anna.act('helpdesk.ticket', item.actions![0]!.value);
      expect(cards(shown)[0]!.badge?.text).toBe(t('hu', 'helpdesk.ticket.status.answered'));
      expect(allText(shown)).toContain(answerText);
    }, 180_000);
  });

  describe('onboarding checklist', () => {
    const progress = (reply: RenderedReply): [number, number] => {
      const m = /\((\d+) of (\d+) done\)/.exec(lists(reply)[0]!.title);
      if (!m) throw new Error(`no progress in ${lists(reply)[0]!.title}`);
      return [Number(m[1]), Number(m[2])];
    };
    const item = (reply: RenderedReply, id: string) => {
      const title = t('en', `helpdesk.onboarding.item.${id}.title`);
      const found = lists(reply)[0]!.items.find((i) => i.text.endsWith(title));
      if (!found) throw new Error(`no item ${id}`);
      return found;
    };
    const done = (reply: RenderedReply, id: string) => item(reply, id).text.startsWith(`${t('en', 'helpdesk.onboarding.done')}:`);

    it('shows progress and ticks items when the data says so', async () => {
      const newbie = await signIn('test.newbie');
      const start = await newbie.say('onboarding');
      const [before, total] = progress(start);
      expect(total).toBeGreaterThanOrEqual(5);
      expect(done(start, 'review-tasks')).toBe(false);
      expect(item(start, 'review-tasks').text.startsWith(`${t('en', 'helpdesk.onboarding.todo')}:`)).toBe(true);
      expect(item(start, 'review-tasks').actions?.map((a) => a.action)).toEqual(['inbox']);
      expect(item(start, 'foreign-authorities').actions?.map((a) => a.action)).toEqual(['onboarding.partners']);
      expect(item(start, 'training').actions?.map((a) => a.action)).toEqual(['training.start']);
      // Admin screens and the yearly confirmation are for local administrators.
      expect(item(start, 'users-removed').actions).toEqual([]);

      await newbie.say('inbox');
      const afterInbox = await newbie.say('onboarding');
      expect(done(afterInbox, 'review-tasks')).toBe(true);
      expect(progress(afterInbox)).toEqual([before + 1, total]);

      const partners = await newbie.act('onboarding.partners');
      const pq = lists(partners).find((l) => l.title === t('en', 'helpdesk.onboarding.partners.title', { area: t('en', `domain.area.${PQ}.name`) }))!;
      expect(pq.items.map((i) => i.text)).toEqual(expect.arrayContaining([`Egészségügyi Nyilvántartási és Képzési Központ (demo) (${t('en', 'domain.country.HU')})`]));
      expect(allText(partners)).not.toContain('Landesamt für Gesundheit und Soziales');
      expect(allText(partners)).not.toMatch(/simulated/i);
      const afterPartners = await newbie.say('onboarding');
      expect(done(afterPartners, 'foreign-authorities')).toBe(true);
      expect(progress(afterPartners)).toEqual([before + 2, total]);

      // Pressed anyway, the confirmation is refused to someone who is not a local administrator.
      expect(allText(await newbie.act('onboarding.users_reviewed'))).toContain(t('en', 'errors.admin.forbidden'));
    });

    it("takes a local administrator's confirmation that users who left were removed", async () => {
      const jonas = await signIn('jonas.weber');
      await jonas.say('language en');
      const before = await jonas.say('onboarding');
      expect(done(before, 'users-removed')).toBe(false);
      expect(item(before, 'users-removed').actions?.map((a) => a.action)).toEqual(['admin.users', 'onboarding.users_reviewed']);
      const confirmed = await jonas.act('onboarding.users_reviewed');
      expect(allText(confirmed)).toContain('Landesamt für Gesundheit und Soziales Berlin (Demo)');
      expect(done(confirmed, 'users-removed')).toBe(true);
      await jonas.say('language de');
    });
  });

  describe('training mode', () => {
    let trainee: WebChatClient;
    const ahead = () => fixedClock(new Date(Date.now() + 10 * 60_000));
    const advance = () => advanceTraining({ ...trainingDeps(core), clock: ahead() });

    it('runs a whole training cycle with the simulated partner, through chat', async () => {
      trainee = await signIn('test.trainee');
      const off = await trainee.say('training');
      expect(allText(off)).toContain(t('en', 'helpdesk.training.statusOff'));
      expect(button(off, 'training.start')).toBeDefined();

      const started = await trainee.say('training on');
      const incoming = cardOf(started);
      expect(incoming.ref!.requestId).toMatch(/^TRN-\d{4}-\d{6}$/);
      expect(incoming.subtitle).toBe(t('en', 'bot.card.training'));
      const accepted = await trainee.act('request.accept', incoming.actions.find((a) => a.action === 'request.accept')!.value);
      const answerForm = await trainee.act('request.answer', cardOf(accepted).actions.find((a) => a.action === 'request.answer')!.value);
      const answers = Object.fromEntries(formOf(answerForm).fields.map((f) => [f.name, 'Yes, confirmed.']));
      const answered = await trainee.act('request.answer', submit(answerForm, answers));
      expect(cardOf(answered).badge?.text).toBe(t('en', 'bot.status.answered'));

      // Sending: a training draft goes to the partner without choosing a country or authority.
      const areaStep = await trainee.act('training.new');
      expect(formOf(areaStep).action).toBe('training.draft');
      const details = await trainee.act('training.draft', { area: PQ });
      const draftId = formOf(details).context!.requestId!;
      expect(draftId).toMatch(/^TRN-/);
      const deadline = formOf(details).fields.find((f) => f.name === 'deadline')!.value as string;
      const review = await trainee.act('draft.details', submit(details, { questions: ['pq-legally-established'], subject: 'Practice Person', freeText: 'Please confirm.', deadline }));
      expect(cardOf(review).subtitle).toBe(t('en', 'bot.card.training'));
      const sent = await trainee.act('request.send', cardOf(review).actions.find((a) => a.action === 'request.send')!.value);
      expect(cardOf(sent).badge?.text).toBe(t('en', 'bot.status.sent'));

      // Minutes later by the clock the partner has accepted and answered, and asked about its own request.
      const steps = await advance();
      expect(steps.filter((s) => s.requestId === draftId).map((s) => s.step)).toEqual(expect.arrayContaining(['accept', 'answer']));
      expect(steps.find((s) => s.requestId === incoming.ref!.requestId)?.step).toBe('request_info');
      expect(steps.every((s) => s.userId === 'test.trainee')).toBe(true);

      const status = await trainee.say('training');
      expect(allText(status)).toContain(t('en', 'helpdesk.training.inboxTitle'));
      expect(allText(status)).toContain(draftId);
      const opened = await trainee.act('request.open', { requestId: draftId });
      expect(cardOf(opened).badge?.text).toBe(t('en', 'bot.status.answered'));
      const closed = await trainee.act('request.close', cardOf(opened).actions.find((a) => a.action === 'request.close')!.value);
      expect(cardOf(closed).badge?.text).toBe(t('en', 'bot.status.closed'));

      const checklist = await trainee.say('onboarding');
      const item = lists(checklist)[0]!.items.find((i) => i.text.endsWith(t('en', 'helpdesk.onboarding.item.training.title')))!;
      expect(item.text.startsWith(t('en', 'helpdesk.onboarding.done'))).toBe(true);
    });

    it('keeps training data out of live inboxes, notifications and the requests list', async () => {
      const offNow = await trainee.say('training off');
      expect(allText(offNow)).toContain(t('en', 'helpdesk.training.off'));
      expect(allText(await trainee.say('inbox'))).not.toMatch(/TRN-/);
      const anna = await signIn('anna.kovacs');
      expect(allText(await anna.say('inbox'))).not.toMatch(/TRN-/);

      const listed = JSON.parse(await imi('requests', 'list', '--json')) as { id: string; requester: string; responder: string | null }[];
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.filter((r) => isTraining(r.id) || isTraining(r.requester) || isTraining(r.responder))).toEqual([]);
      const notifications = JSON.parse(await imi('notifications', 'list', '--json')) as Record<string, unknown>[];
      expect(notifications.filter((n) => Object.values(n).some(isTraining))).toEqual([]);
    }, 120_000);

    it('resets the sandbox after confirmation', async () => {
      const confirm = await trainee.say('training reset');
      expect(cards(confirm)[0]!.title).toBe(t('en', 'helpdesk.training.reset.confirm'));
      const reset = await trainee.act('training.reset_confirm', button(confirm, 'training.reset_confirm').value);
      expect(allText(reset)).toContain(t('en', 'helpdesk.training.reset.done', { count: 2 }));
      const status = await trainee.say('training');
      expect(allText(status)).not.toMatch(/TRN-/);
    });
  });

  it('renders helpdesk and administration notifications in the reader’s language', async () => {
    const view = notificationView({ store: core.deps.store, areas: core.deps.areas, clock: core.deps.clock });
    const user = (await core.deps.store.users.get('jonas.weber'))!;
    const row = (kind: string, params: OutboxRow['params']): OutboxRow =>
      ({ id: 1, key: kind, recipientId: user.id, kind, requestId: null, params, createdAt: new Date().toISOString() }) as OutboxRow;
    const rendered = async (r: OutboxRow) => {
      const out = localize(core.i18n, 'de', await view(r, { user, lang: 'de' }));
      assertNoRawKeys(out);
      expect(allText(out)).not.toContain(t('de', 'notify.generic', { id: '—' }));
      return allText(out);
    };
    expect(await rendered(row('admin.requests_reassigned', { count: 2, requests: 'IMI-2026-000001, IMI-2026-000002', from: 'Max Muster', by: 'cli' })))
      .toContain(t('de', 'admin.notification.requests_reassigned', { from: 'Max Muster', count: 2, requests: 'IMI-2026-000001, IMI-2026-000002' }));
    expect(await rendered(row('admin.invitation_redeemed', { name: 'Erika Neu', user: 'erika.neu', authority: 'de-lageso' })))
      .toContain(t('de', 'admin.notification.invitation_redeemed', { name: 'Erika Neu' }));
    expect(await rendered(row('helpdesk.answer', { ticketId: 'HD-2026-000009', coordinatorName: 'Thomas Schneider', question: 'Frage?', answer: 'Antwort.', answerLang: 'hu' })))
      .toContain('Ungarisch');
  });
});

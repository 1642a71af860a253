import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator, formatDate, type Translator } from '../../src/i18n/i18n.ts';
import { runImi } from '../support/cli.ts';
import { ROOT, startServer, type TestServer } from '../support/server.ts';
import { tempDatabaseUrl } from '../support/temp-db.ts';
import { startFakeConnector, type ConnectorCall, type FakeConnector } from '../support/fake-connector.ts';
import { JONAS_TEAMS, actionExecute, postActivity, teamsActivity, type TeamsUserOverride } from '../support/teams-activities.ts';

/*
 * The Teams channel end to end: the real server in local mode, a fake Bot Framework connector
 * on 127.0.0.1 as every activity's serviceUrl, and `imi reminders run` delivering the queued
 * notifications proactively. Jonas Weber (de-lageso, German) asked hu-enkk for information in
 * IMI-2026-000003; a Hungarian handler of hu-enkk, registered with a Teams identity through the
 * CLI, proposes a new deadline, accepts and answers in Teams, and Jonas closes the request there.
 */

type Card = Record<string, any>;
const REQUEST = 'IMI-2026-000003';
const HU_ENKK = 'Egészségügyi Nyilvántartási és Képzési Központ (demo)';
const RESPONDER: TeamsUserOverride = {
  tenantId: '00000000-0000-0000-0000-0000000000bb',
  aadObjectId: '33333333-3333-3333-3333-3333333333b1',
  conversationId: 'a:responder-personal-chat',
  name: 'Teszt Zsófia',
};
const JONAS: TeamsUserOverride = { tenantId: JONAS_TEAMS.tenantId, aadObjectId: JONAS_TEAMS.aadObjectId, conversationId: 'a:jonas-personal-chat', name: 'Jonas Weber' };

function walk(node: unknown, out: Card[] = []): Card[] {
  if (Array.isArray(node)) node.forEach((n) => walk(n, out));
  else if (node && typeof node === 'object') {
    if (typeof (node as Card).type === 'string') out.push(node as Card);
    Object.values(node).forEach((v) => typeof v === 'object' && walk(v, out));
  }
  return out;
}
const texts = (card: Card): string[] => walk(card).filter((e) => e.type === 'TextRun').map((e) => e.text);
const actions = (card: Card): Card[] => walk(card).filter((e) => e.type === 'Action.Execute');
const action = (card: Card, verb: string): Card => {
  const found = actions(card).find((a) => a.verb === verb);
  if (!found) throw new Error(`no ${verb} button on the card: ${actions(card).map((a) => a.verb).join(', ')}`);
  return found;
};
const cardsOf = (calls: ConnectorCall[]): Card[] =>
  calls.flatMap((c) => ((c.activity.attachments ?? []) as { content: Card }[]).map((a) => a.content));

describe('Teams channel, end to end', () => {
  let server: TestServer;
  let connector: FakeConnector;
  let i18n: Translator;
  const toConversation = (id: string) => connector.delivered().filter((c) => c.conversationId === id);
  const requestRow = async () => {
    const res = await runImi(['requests', 'list', '--json'], { DATABASE_URL: server.databaseUrl });
    expect(res.code, res.stderr).toBe(0);
    return (JSON.parse(res.stdout) as Card[]).find((r) => r.id === REQUEST)!;
  };
  const deliver = async () => {
    const res = await runImi(['reminders', 'run', '--json'], { DATABASE_URL: server.databaseUrl, MicrosoftAppId: '' });
    expect(res.code, res.stderr).toBe(0);
  };
  /** Presses a card button as Teams does, and returns the card that replaces the pressed one. */
  const press = async (user: TeamsUserOverride, button: Card, inputs: Record<string, string> = {}, locale = 'hu-HU') => {
    const res = await postActivity(server.url, actionExecute(connector.url, button.verb, { ...button.data, ...inputs }, { user, locale }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    return res.body.value as Card;
  };
  const say = async (user: TeamsUserOverride, text: string, locale: string) => {
    const before = toConversation(user.conversationId!).length;
    expect((await postActivity(server.url, teamsActivity('message-personal', connector.url, { user, text, locale }))).status).toBe(200);
    return cardsOf(toConversation(user.conversationId!).slice(before));
  };

  beforeAll(async () => {
    i18n = await createTranslator();
    connector = await startFakeConnector();
    server = await startServer({ MicrosoftAppId: '' });
    const added = await runImi(
      ['user', 'add', '--id', 'zsofia.teszt', '--authority', 'hu-enkk', '--name', 'Teszt Zsófia', '--lang', 'hu', '--roles', 'handler',
        '--areas', 'professional-qualifications', '--teams', `${RESPONDER.tenantId}:${RESPONDER.aadObjectId}`],
      { DATABASE_URL: server.databaseUrl },
    );
    expect(added.code, added.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    await connector?.close();
  });

  it('greets each user on install in their own language with the onboarding first steps', async () => {
    for (const [user, lang] of [[JONAS, 'de'], [RESPONDER, 'hu']] as const) {
      const res = await postActivity(server.url, teamsActivity('conversation-update-install', connector.url, { user }));
      expect(res.status).toBe(200);
      const [welcome] = cardsOf(toConversation(user.conversationId!));
      expect(texts(welcome!)).toEqual(expect.arrayContaining([i18n.t(lang, 'bot.welcome.hello', { name: user.name! }), i18n.t(lang, 'bot.welcome.firstSteps')]));
    }
  });

  // Several CLI runs (each a fresh process) make this the long one; the default 60 s is tight on two busy cores.
  it('walks a request from proposed deadline to closed, with proactive notifications to the requester', { timeout: 240_000 }, async () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    // The demo's partner already proposed today + 30 days; ours differs, so a wrongly saved form would show.
    const demoProposal = inDays(30);
    const newDeadline = inDays(31);

    // The responder opens the request by its id: the card in Hungarian, with the responder's buttons.
    const [opened] = await say(RESPONDER, REQUEST, 'hu-HU');
    expect(texts(opened!)).toContain(i18n.t('hu', 'bot.status.sent'));
    expect(actions(opened!).map((a) => a.verb)).toEqual(expect.arrayContaining(['request.accept', 'request.propose_deadline']));

    // Proposing a deadline opens a form in place of the card.
    const form = await press(RESPONDER, action(opened!, 'request.propose_deadline'));
    expect(walk(form).find((e) => e.type === 'Input.Date')).toMatchObject({ id: 'date', isRequired: true, label: expect.any(String) });
    const submit = action(form, 'request.propose_deadline');
    expect(submit.associatedInputs).toBe('auto');

    // Submitted without a reason: the same form comes back with the message under the field, nothing changes.
    const invalid = await press(RESPONDER, submit, { date: newDeadline, reason: '' });
    const reasonRequired = i18n.t('hu', 'errors.request.reasonRequired');
    const items = walk(invalid);
    const reasonAt = items.findIndex((e) => e.id === 'reason');
    expect(reasonAt).toBeGreaterThan(-1);
    expect(items.slice(reasonAt).find((e) => e.type === 'TextRun')).toMatchObject({ text: reasonRequired, color: 'Attention' });
    expect(walk(invalid).find((e) => e.id === 'date')).toMatchObject({ value: newDeadline });
    expect((await requestRow()).proposedDeadline).toBe(demoProposal);

    const proposed = await press(RESPONDER, action(invalid, 'request.propose_deadline'), { date: newDeadline, reason: 'Az adatokat a képzőintézmény archívumából kérjük be.' });
    expect(texts(proposed)[0]).toBe(i18n.t('hu', 'bot.done.propose_deadline', { id: REQUEST }));

    // Accepting from the refreshed card agrees the proposed deadline.
    const accepted = await press(RESPONDER, action(proposed, 'request.accept'));
    expect(texts(accepted)[0]).toBe(i18n.t('hu', 'bot.done.accept', { id: REQUEST }));
    expect(actions(accepted).map((a) => a.verb)).not.toContain('request.accept');
    expect(await requestRow()).toMatchObject({ status: 'accepted', agreedDeadline: newDeadline, deadline: newDeadline });

    // The requester hears of both in Teams, in German, unprompted.
    await deliver();
    const proposal = i18n.t('de', 'notify.request.deadline_proposed', { authority: HU_ENKK, id: REQUEST, deadline: formatDate(newDeadline, 'de') });
    expect(cardsOf(toConversation(JONAS.conversationId!)).some((c) => texts(c).includes(proposal))).toBe(true);
    const acceptedText = i18n.t('de', 'notify.request.accepted', { authority: HU_ENKK, id: REQUEST, deadline: formatDate(newDeadline, 'de') });
    expect(cardsOf(toConversation(JONAS.conversationId!)).some((c) => texts(c).includes(acceptedText))).toBe(true);

    // The answer form has a field per question; the answer goes out.
    const answerForm = await press(RESPONDER, action(accepted, 'request.answer'));
    const fields = walk(answerForm).filter((e) => e.type === 'Input.Text');
    expect(fields.length).toBeGreaterThan(0);
    const answers = Object.fromEntries(fields.map((f, i) => [f.id, `Válasz ${i + 1}: az érintett szerepel a nyilvántartásban.`]));
    const answered = await press(RESPONDER, action(answerForm, 'request.answer'), answers);
    expect(texts(answered)[0]).toBe(i18n.t('hu', 'bot.done.answer', { id: REQUEST }));

    // Teams throttles the first proactive attempt; the notification arrives once, after the wait.
    const answeredText = i18n.t('de', 'notify.request.answered', { authority: HU_ENKK, id: REQUEST });
    const throttledBefore = connector.calls.filter((c) => c.status === 429).length;
    connector.refuseNext(429, { retryAfterSeconds: 1 });
    await deliver();
    expect(connector.calls.filter((c) => c.status === 429)).toHaveLength(throttledBefore + 1);
    const answeredCards = cardsOf(toConversation(JONAS.conversationId!)).filter((c) => texts(c).includes(answeredText));
    expect(answeredCards).toHaveLength(1);
    // The outbox agrees: each of Jonas's notifications on this request went out once, through Teams.
    const notifications = await runImi(['notifications', 'list', '--json'], { DATABASE_URL: server.databaseUrl });
    const jonasRows = (JSON.parse(notifications.stdout) as Card[]).filter((n) => n.requestId === REQUEST && n.recipientId === 'jonas.weber');
    expect(jonasRows.map((n) => n.kind)).toEqual(expect.arrayContaining(['request.deadline_proposed', 'request.accepted', 'request.answered']));
    expect(jonasRows.every((n) => n.status === 'delivered' && n.channel === 'teams')).toBe(true);

    // Jonas opens the request from the notification and closes it, in German.
    const jonasCard = await press(JONAS, action(answeredCards[0]!, 'request.open'), {}, 'de-DE');
    expect(texts(jonasCard)).toContain(i18n.t('de', 'bot.status.answered'));
    const closed = await press(JONAS, action(jonasCard, 'request.close'), {}, 'de-DE');
    expect(texts(closed)[0]).toBe(i18n.t('de', 'bot.done.close', { id: REQUEST }));
    const before = await requestRow();
    expect(before.status).toBe('closed');

    // A button on a card shown before the request changed: the card is refreshed and says so, nothing changes.
    const stale = await press(RESPONDER, action(opened!, 'request.accept'));
    const warning = walk(stale).find((e) => e.type === 'TextRun')!;
    expect(warning.color).toBe('Warning');
    expect(warning.text).toContain(REQUEST);
    expect(texts(stale)).toContain(i18n.t('hu', 'bot.status.closed'));
    expect(actions(stale).map((a) => a.verb)).not.toContain('request.accept');
    expect(await requestRow()).toEqual(before);
  });

  it('answers every message activity as a reply in the same conversation, never as a new one', () => {
    for (const call of connector.delivered()) {
      expect(call.method).toBe('POST');
      expect(call.path).toMatch(/^\/v3\/conversations\/[^/]+\/activities/);
    }
  });
});

describe('Teams channel in production', () => {
  it('refuses to start without MicrosoftAppId, naming what to set', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', MicrosoftAppId: '', PORT: '0', DATABASE_URL: tempDatabaseUrl(), IMI_CRON: '0', IMI_DEMO: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(output).toMatch(/cannot start:.*MicrosoftAppId is empty/);
    expect(output).not.toMatch(/listening/);
  });
});

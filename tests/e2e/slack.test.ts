import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImi } from '../support/cli.ts';
import { postToSlackEndpoint, startFakeSlack, type FakeSlack, type FakeSlackCall } from '../support/fake-slack.ts';
import { startServer, type TestServer } from '../support/server.ts';
import {
  buttonsIn,
  closing,
  dmEvent,
  fieldsOf,
  formAction,
  homeOpenedEvent,
  mentionEvent,
  pressOnHome,
  pressOnMessage,
  slashCommand,
  submission,
  viewOf,
  type FoundButton,
  type SlackUser,
} from '../support/slack-payloads.ts';

/**
 * The Slack channel end to end: the real server (npm start) with Slack enabled, a fake Slack
 * Web API on 127.0.0.1, and requests signed the way Slack signs them.
 */

const SECRET = 'e2e-signing-secret-0123456789abcdef';
const TOKEN = 'xoxb-e2e-token';
const ANNA: SlackUser = { team: 'T0DEMOHU', user: 'U0ANNA' };
const MARIE: SlackUser = { team: 'T0DEMOFR', user: 'U0MARIE' };

type Json = Record<string, any>;

describe('Slack channel', () => {
  let fake: FakeSlack;
  let server: TestServer;
  let env: Record<string, string>;
  let events: string;

  const send = (json: unknown, options?: Parameters<typeof postToSlackEndpoint>[3]) => postToSlackEndpoint(events, SECRET, { json }, options);
  const interact = (form: Record<string, string>) => postToSlackEndpoint(events, SECRET, { form });
  const requests = async (): Promise<Json[]> => JSON.parse((await runImi(['requests', 'list', '--json'], env)).stdout);
  const notifications = async (): Promise<Json[]> => JSON.parse((await runImi(['notifications', 'list', '--json'], env)).stdout);
  const deliver = async () => {
    const run = await runImi(['reminders', 'run', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
  };
  const since = (mark: number, method: string) => fake.calls.slice(mark).filter((c) => c.method === method && c.status === 200 && c.response.ok);
  /** The message (channel, ts) a chat.postMessage created. */
  const messageOf = (c: FakeSlackCall) => ({ channel: String(c.args.channel), ts: String(c.response.ts) });
  const button = (call: FakeSlackCall, action: string): FoundButton => {
    const b = buttonsIn(call.args.blocks).find((x) => x.action === action);
    if (!b) throw new Error(`no ${action} button in ${JSON.stringify(buttonsIn(call.args.blocks).map((x) => x.action))}`);
    return b;
  };
  /** Waits for the modal opened with a trigger id. */
  const modalFor = (triggerId: string) =>
    fake.waitFor(() => fake.ok('views.open').find((c) => c.args.trigger_id === triggerId), `views.open with ${triggerId}`);
  const submit = async (who: SlackUser, view: Json, id: string, entries: Record<string, string | string[]>): Promise<Json> => {
    const res = await interact(submission(who, view, id, entries).form);
    expect(res.status).toBe(200);
    const text = await res.text();
    return text ? JSON.parse(text) : {};
  };

  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.locales.set('U0ANNA', 'hu-HU');
    fake.locales.set('U0MARIE', 'fr-FR');
    server = await startServer({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: fake.apiUrl });
    events = `${server.url}/slack/events`;
    env = { DATABASE_URL: server.databaseUrl, SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: fake.apiUrl };
    const added = await runImi(
      ['user', 'add', '--id', 'marie.roux', '--authority', 'fr-oni-paris', '--name', 'Marie Roux', '--lang', 'fr', '--roles', 'handler', '--areas', 'professional-qualifications', '--slack', 'T0DEMOFR:U0MARIE'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  describe('request verification', () => {
    it('answers Slack’s URL verification challenge', async () => {
      const res = await send({ token: 't', type: 'url_verification', challenge: 'abc123' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ challenge: 'abc123' });
    });

    it('refuses bad, stale and unsigned requests with 401 and processes none of them', async () => {
      const now = Math.floor(Date.now() / 1000);
      const refused = [
        await send(dmEvent(ANNA, 'help'), { secret: 'not-the-secret' }),
        await send(dmEvent(ANNA, 'help'), { timestamp: now - 6 * 60 }),
        await send(dmEvent(ANNA, 'help'), { timestamp: now + 6 * 60 }),
        await send(dmEvent(ANNA, 'help'), { headers: { 'x-slack-signature': null } }),
        await send(dmEvent(ANNA, 'help'), { headers: { 'x-slack-request-timestamp': null } }),
        await send(dmEvent(ANNA, 'help'), { headers: { 'x-slack-signature': null, 'x-slack-request-timestamp': null } }),
        await send(dmEvent(ANNA, 'help'), { headers: { 'x-slack-signature': 'v0=deadbeef' } }),
        await postToSlackEndpoint(events, SECRET, { form: slashCommand(ANNA, 'new', fake.responseUrl).form }, { secret: 'not-the-secret' }),
      ];
      expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 401]);
      // A signed marker afterwards is answered; the refused ones never were.
      const mark = fake.calls.length;
      expect((await send(dmEvent(ANNA, 'inbox'))).status).toBe(200);
      await fake.waitFor(() => since(mark, 'chat.postMessage').length >= 1, 'the answer to the marker');
      await fake.waitFor(() => since(mark, 'views.publish').length >= 1, 'the home refresh after the marker');
      expect(since(mark, 'chat.postMessage')).toHaveLength(1);
    });
  });

  describe('retried deliveries', () => {
    it('handles an event delivered three times (Slack retries) once', async () => {
      const mark = fake.calls.length;
      const event = dmEvent(ANNA, 'help');
      const first = await send(event);
      const retry1 = await send(event, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
      const retry2 = await send(event, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } });
      expect([first.status, retry1.status, retry2.status]).toEqual([200, 200, 200]);
      const marker = await send(dmEvent(ANNA, 'inbox'));
      expect(marker.status).toBe(200);
      await fake.waitFor(() => since(mark, 'chat.postMessage').length >= 2, 'the answers');
      await fake.waitFor(() => since(mark, 'views.publish').length >= 2, 'the home refreshes');
      expect(since(mark, 'chat.postMessage')).toHaveLength(2);
    });
  });

  describe('the conversation in Slack', () => {
    let requestId = '';
    let annaCard: { channel: string; ts: string };
    let marieCard: { channel: string; ts: string };
    let acceptOnFirstCard: FoundButton;

    it('answers a DM in the user’s language, with buttons carrying the action as JSON', async () => {
      const mark = fake.calls.length;
      await send(dmEvent(ANNA, 'help'));
      const post = await fake.waitFor(() => since(mark, 'chat.postMessage')[0], 'the help answer');
      expect(post.token).toBe(TOKEN);
      expect(post.args.channel).toBe('D0ANNA');
      // Anna chose Hungarian; the help offers "new request" as a button.
      expect(JSON.stringify(post.args.blocks)).toMatch(/Ön/);
      expect(buttonsIn(post.args.blocks).map((b) => b.action)).toContain('draft.new');
      expect(fake.ok('users.info').some((c) => c.args.user === 'U0ANNA' && String(c.args.include_locale) === 'true')).toBe(true);
    });

    it('creates a request through /imi new and its modals, refusing an invalid step without storing it', async () => {
      const cmd = slashCommand(ANNA, 'new', fake.responseUrl);
      const res = await interact(cmd.form);
      expect(res.status).toBe(200);
      let { view, id } = viewOf(await modalFor(cmd.triggerId));
      expect(formAction(view)).toBe('draft.area');

      let answer = await submit(ANNA, view, id, { area: 'professional-qualifications' });
      expect(answer.response_action).toBe('update');
      view = answer.view;
      expect(formAction(view)).toBe('draft.country');
      // The next step says which draft was saved.
      requestId = /IMI-\d{4}-\d{6}/.exec(JSON.stringify(view.blocks))![0];

      answer = await submit(ANNA, view, id, { country: 'FR' });
      expect(answer.response_action).toBe('update');
      view = answer.view;
      expect(formAction(view)).toBe('draft.authority');

      // An authority that is not competent: the field is named, nothing is stored.
      answer = await submit(ANNA, view, id, { authority: 'xx-unknown', country: 'FR' });
      expect(answer.response_action).toBe('errors');
      expect(Object.keys(answer.errors)).toEqual([view.blocks.find((b: Json) => b.type === 'input').block_id]);
      expect(Object.keys(answer.errors)[0]).toMatch(/\|authority$/);
      expect((await requests()).find((r) => r.id === requestId)!.responder).toBeNull();

      answer = await submit(ANNA, view, id, { authority: 'fr-oni-paris' });
      expect(answer.response_action).toBe('update');
      view = answer.view;
      expect(formAction(view)).toBe('draft.details');
      expect(fieldsOf(view)).toEqual(expect.arrayContaining(['questions', 'subject', 'freeText', 'deadline']));

      const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const options = view.blocks.find((b: Json) => b.block_id?.endsWith('|questions')).element.options.map((o: Json) => o.value);
      const mark = fake.calls.length;
      answer = await submit(ANNA, view, id, {
        questions: options.slice(0, 2),
        subject: 'Dr. <!channel> Example',
        freeText: 'Please confirm <https://evil.example|your bank> & thanks.',
        deadline,
      });
      expect(answer.response_action).toBe('clear');
      const review = await fake.waitFor(
        () => since(mark, 'chat.postMessage').find((c) => c.args.channel === 'D0ANNA' && buttonsIn(c.args.blocks).some((b) => b.action === 'request.send')),
        'the draft card in the DM',
      );
      const json = JSON.stringify(review.args.blocks);
      expect(json).toContain(requestId);
      expect(json).not.toContain('<!channel>');
      expect(json).toContain('&lt;!channel&gt;');
      expect(json).not.toContain('<https://evil.example|your bank>');
      annaCard = messageOf(review);
      const stored = (await requests()).find((r) => r.id === requestId)!;
      expect(stored).toMatchObject({ status: 'draft', responder: 'fr-oni-paris', requestedDeadline: deadline });
    });

    it('sends the request with the card’s button and updates that card in place', async () => {
      const draftPost = fake.ok('chat.postMessage').find((c) => String(c.response.ts) === annaCard.ts)!;
      const mark = fake.calls.length;
      const press = pressOnMessage(ANNA, button(draftPost, 'request.send'), annaCard);
      expect((await interact(press.form)).status).toBe(200);
      const update = await fake.waitFor(() => since(mark, 'chat.update').find((c) => c.args.ts === annaCard.ts), 'the card update');
      expect(update.args.channel).toBe('D0ANNA');
      expect(buttonsIn(update.args.blocks).map((b) => b.action)).not.toContain('request.send');
      expect((await requests()).find((r) => r.id === requestId)!.status).toBe('sent');
    });

    it('delivers the new request to the responder’s Slack DM, where it opens as a card', async () => {
      const mark = fake.calls.length;
      await deliver();
      const post = since(mark, 'chat.postMessage').find((c) => c.args.channel === 'D0MARIE' && JSON.stringify(c.args.blocks).includes(requestId));
      expect(post, 'a DM to Marie about the request').toBeDefined();
      expect(since(mark, 'conversations.open').map((c) => c.args.users)).toContain('U0MARIE');
      expect(post!.token).toBe(TOKEN);
      const rows = (await notifications()).filter((n) => n.requestId === requestId && n.recipientId === 'marie.roux');
      expect(rows.map((n) => [n.status, n.channel])).toEqual([['delivered', 'slack']]);

      const openMark = fake.calls.length;
      await interact(pressOnMessage(MARIE, button(post!, 'request.open'), messageOf(post!)).form);
      const card = await fake.waitFor(
        () => since(openMark, 'chat.postMessage').find((c) => c.args.channel === 'D0MARIE' && buttonsIn(c.args.blocks).some((b) => b.action === 'request.accept')),
        'the request card',
      );
      marieCard = messageOf(card);
      acceptOnFirstCard = button(card, 'request.accept');
    });

    it('lets the responder propose a new deadline in a modal; an invalid date is refused in place', async () => {
      const post = fake.ok('chat.postMessage').find((c) => String(c.response.ts) === marieCard.ts)!;
      const press = pressOnMessage(MARIE, button(post, 'request.propose_deadline'), marieCard);
      expect((await interact(press.form)).status).toBe(200);
      const { view, id } = viewOf(await modalFor(press.triggerId));
      expect(formAction(view)).toBe('request.propose_deadline');
      // Marie's language is French.
      expect(JSON.stringify(view)).toMatch(/délai|échéance|date/i);

      const refused = await submit(MARIE, view, id, { date: '2020-01-01', reason: 'Nous avons besoin de plus de temps.' });
      expect(refused.response_action).toBe('errors');
      expect(Object.keys(refused.errors)).toHaveLength(1);
      expect(Object.keys(refused.errors)[0]).toMatch(/\|date$/);
      const stored = (await requests()).find((r) => r.id === requestId)!;
      expect(stored.proposedDeadline).toBeNull();
      const later = new Date(Date.parse(stored.requestedDeadline) + 7 * 86_400_000).toISOString().slice(0, 10);
      const mark = fake.calls.length;
      const done = await submit(MARIE, view, id, { date: later, reason: 'Nous devons consulter les archives.' });
      expect(done.response_action).toBe('clear');
      const update = await fake.waitFor(() => since(mark, 'chat.update').find((c) => c.args.ts === marieCard.ts), 'the card update');
      expect(buttonsIn(update.args.blocks).map((b) => b.action)).toContain('request.accept');
      expect((await requests()).find((r) => r.id === requestId)!.proposedDeadline).toBe(later);
    });

    it('accepts with the updated card’s button, and a stale card’s button changes nothing', async () => {
      const updated = fake.ok('chat.update').filter((c) => c.args.ts === marieCard.ts).at(-1)!;
      let mark = fake.calls.length;
      await interact(pressOnMessage(MARIE, button(updated, 'request.accept'), marieCard).form);
      const acceptedCard = await fake.waitFor(() => since(mark, 'chat.update').find((c) => c.args.ts === marieCard.ts), 'the card update');
      expect(buttonsIn(acceptedCard.args.blocks).map((b) => b.action)).toContain('request.answer');

      // The first card's Accept button (an older version) pressed again: the card is refreshed, nothing changes.
      mark = fake.calls.length;
      await interact(pressOnMessage(MARIE, acceptOnFirstCard, marieCard).form);
      const refreshed = await fake.waitFor(() => since(mark, 'chat.update').find((c) => c.args.ts === marieCard.ts), 'the stale card refresh');
      expect(buttonsIn(refreshed.args.blocks).map((b) => b.action)).not.toContain('request.accept');
      const stored = (await requests()).find((r) => r.id === requestId)!;
      expect(stored).toMatchObject({ status: 'accepted', agreedDeadline: stored.proposedDeadline });
    });

    it('answers in a modal', async () => {
      const card = fake.ok('chat.update').filter((c) => c.args.ts === marieCard.ts).at(-1)!;
      const press = pressOnMessage(MARIE, button(card, 'request.answer'), marieCard);
      await interact(press.form);
      const { view, id } = viewOf(await modalFor(press.triggerId));
      expect(formAction(view)).toBe('request.answer');
      const entries = Object.fromEntries(fieldsOf(view).map((f) => [f, `Réponse à ${f} : oui.`]));
      const mark = fake.calls.length;
      expect((await submit(MARIE, view, id, entries)).response_action).toBe('clear');
      await fake.waitFor(() => since(mark, 'chat.update').find((c) => c.args.ts === marieCard.ts), 'the card update');
      expect((await requests()).find((r) => r.id === requestId)!.status).toBe('answered');
    });

    it('delivers every notification exactly once through a 429 storm, then the requester closes', async () => {
      const before = await notifications();
      const slackUsers = ['anna.kovacs', 'marie.roux'];
      const runStart = Date.now();
      const due = before.filter((n) => n.status === 'pending' && slackUsers.includes(n.recipientId) && Date.parse(n.nextAttemptAt) <= runStart);
      expect(due.filter((n) => n.recipientId === 'anna.kovacs' && n.requestId === requestId).length).toBeGreaterThanOrEqual(2);
      fake.rateLimit('chat.postMessage', 4, 1);
      const mark = fake.calls.length;
      await deliver();

      const attempts = fake.calls.slice(mark).filter((c) => c.method === 'chat.postMessage');
      expect(attempts.filter((c) => c.status === 429)).toHaveLength(4);
      const after = new Map((await notifications()).map((n) => [n.id, n]));
      // Every notification that was due for a Slack user went out, on Slack.
      expect(due.map((n) => [n.id, after.get(n.id)!.status, after.get(n.id)!.channel])).toEqual(due.map((n) => [n.id, 'delivered', 'slack']));
      // One successful post per notification delivered in this run: none lost, none twice.
      const wasDelivered = new Set(before.filter((n) => n.status === 'delivered').map((n) => n.id));
      const deliveredNow = [...after.values()].filter((n) => n.status === 'delivered' && n.channel === 'slack' && !wasDelivered.has(n.id));
      expect(since(mark, 'chat.postMessage')).toHaveLength(deliveredNow.length);
      const texts = since(mark, 'chat.postMessage').map((c) => `${c.args.channel} ${JSON.stringify(c.args.blocks)}`);
      expect(new Set(texts).size).toBe(texts.length);

      const answered = since(mark, 'chat.postMessage')
        .filter((c) => c.args.channel === 'D0ANNA' && buttonsIn(c.args.blocks).some((b) => b.values.requestId === requestId))
        .at(-1);
      expect(answered, 'Anna is told about her request').toBeDefined();
      const openMark = fake.calls.length;
      await interact(pressOnMessage(ANNA, button(answered!, 'request.open'), messageOf(answered!)).form);
      const card = await fake.waitFor(
        () => since(openMark, 'chat.postMessage').find((c) => buttonsIn(c.args.blocks).some((b) => b.action === 'request.close')),
        'the answered card',
      );
      expect(JSON.stringify(card.args.blocks)).toContain('Réponse à');
      const closeMark = fake.calls.length;
      await interact(pressOnMessage(ANNA, button(card, 'request.close'), messageOf(card)).form);
      await fake.waitFor(() => since(closeMark, 'chat.update').find((c) => c.args.ts === messageOf(card).ts), 'the card update');
      expect((await requests()).find((r) => r.id === requestId)!.status).toBe('closed');
    });

    it('shows the inbox and onboarding on the App Home tab', async () => {
      const mark = fake.calls.length;
      expect((await send(homeOpenedEvent(ANNA))).status).toBe(200);
      const publish = await fake.waitFor(() => since(mark, 'views.publish').find((c) => c.args.user_id === 'U0ANNA'), 'views.publish');
      const view = publish.args.view as Json;
      expect(view.type).toBe('home');
      const actions = buttonsIn(view.blocks).map((b) => b.action);
      expect(actions).toContain('request.open');
      // The onboarding checklist: each open item carries the button that completes it.
      expect(actions.some((a) => a.startsWith('onboarding') || a.startsWith('admin.') || a === 'training')).toBe(true);
      expect(view.blocks.length).toBeLessThanOrEqual(100);

      // A request opened from the Home tab shows in a modal, where its buttons work too.
      const open = buttonsIn(view.blocks).find((b) => b.action === 'request.open')!;
      const press = pressOnHome(ANNA, open, String(publish.response.view && (publish.response.view as Json).id));
      await interact(press.form);
      const modal = await modalFor(press.triggerId);
      expect(buttonsIn((modal.args.view as Json).blocks).some((b) => b.action === 'request.history')).toBe(true);
    });
  });

  describe('other entry points', () => {
    it('answers a mention in a channel privately: in the DM, with a note only the user sees', async () => {
      const mark = fake.calls.length;
      expect((await send(mentionEvent(ANNA, '<@U0IMIBOT> inbox'))).status).toBe(200);
      const note = await fake.waitFor(() => since(mark, 'chat.postEphemeral')[0], 'the ephemeral note');
      expect(note.args).toMatchObject({ channel: 'C0GENERAL', user: 'U0ANNA' });
      expect(since(mark, 'chat.postMessage').map((c) => c.args.channel)).toEqual(['D0ANNA']);
    });

    it('answers /imi typed in another channel in the DM and says so there', async () => {
      const mark = fake.calls.length;
      const before = fake.responses.length;
      const cmd = slashCommand(ANNA, 'help', fake.responseUrl, 'C0GENERAL');
      const res = await interact(cmd.form);
      expect(res.status).toBe(200);
      await fake.waitFor(() => fake.responses.length > before, 'the response_url note');
      expect(fake.responses.at(-1)).toMatchObject({ response_type: 'ephemeral' });
      expect(since(mark, 'chat.postMessage').map((c) => c.args.channel)).toEqual(['D0ANNA']);
    });

    it('changes the language with /imi language', async () => {
      const mark = fake.calls.length;
      await interact(slashCommand(MARIE, 'language de', fake.responseUrl).form);
      const post = await fake.waitFor(() => since(mark, 'chat.postMessage')[0], 'the answer');
      expect(post.args.channel).toBe('D0MARIE');
      expect(JSON.stringify(post.args.blocks)).toContain('Deutsch');
    });

    it('tells the conversation when a form is closed, and shows the outcome where the form came from', async () => {
      const mark = fake.calls.length;
      await send(dmEvent(ANNA, 'new'));
      const teaser = await fake.waitFor(
        () => since(mark, 'chat.postMessage').find((c) => buttonsIn(c.args.blocks).some((b) => b.action === 'new')),
        'the form offered in the DM',
      );
      const open = buttonsIn(teaser.args.blocks).find((b) => b.action === 'new')!;
      const press = pressOnMessage(ANNA, open, messageOf(teaser));
      await interact(press.form);
      const loading = await modalFor(press.triggerId);
      const filled = await fake.waitFor(() => since(mark, 'views.update').find((c) => c.args.view_id === viewOf(loading).id), 'the form in the modal');
      expect(formAction(filled.args.view as Json)).toBe('draft.area');
      expect((filled.args.view as Json).notify_on_close).toBe(true);
      const closeMark = fake.calls.length;
      await interact(closing(ANNA, filled.args.view as Json, viewOf(loading).id).form);
      const update = await fake.waitFor(() => since(closeMark, 'chat.update').find((c) => c.args.ts === messageOf(teaser).ts), 'the teaser update');
      expect(buttonsIn(update.args.blocks)).toEqual([]);
    });

    it('tells someone who is not registered whom to ask', async () => {
      const stranger = { team: 'T0DEMOHU', user: 'U0NOBODY' };
      const mark = fake.calls.length;
      await send(dmEvent(stranger, 'help'));
      const post = await fake.waitFor(() => since(mark, 'chat.postMessage')[0], 'the answer');
      expect(post.args.channel).toBe('D0NOBODY');
      expect(buttonsIn(post.args.blocks)).toEqual([]);
    });

    it('keeps serving when Slack rejects the token, and says why in the log', async () => {
      fake.failWith('chat.postMessage', 'invalid_auth');
      const mark = fake.calls.length;
      await send(dmEvent(ANNA, 'help'));
      await fake.waitFor(() => fake.calls.slice(mark).some((c) => c.method === 'chat.postMessage'), 'the post attempt');
      await fake.waitFor(() => server.output().includes('invalid_auth'), 'the log line');
      expect(server.output()).toMatch(/invalid_auth.*SLACK_BOT_TOKEN/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });
  });
});

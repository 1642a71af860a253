import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webChatHandlers, type HttpInput, type HttpOutput } from '../../adapters/web/web-chat.handlers.ts';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { createDraft } from '../../src/app/requests/create-draft.ts';
import { actOnRequest } from '../../src/app/requests/act-on-request.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { createConversation } from '../../src/conversation/engine.ts';
import { webChatPort } from '../../src/conversation/web-chat.port.ts';
import type { RenderedReply } from '../../src/conversation/types.ts';
import type { AreaCatalog } from '../../src/domain/area.ts';
import { COUNTRIES } from '../../src/domain/authority.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { openStore } from '../../src/store/knex-store.ts';
import { testCore } from '../support/core.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { field, hostileKey, hostileString, objectText, requestProblem, submission, wrongType } from '../support/hostile.ts';

/*
 * Hostile input against the web chat API, two ways:
 *  - IN-PROCESS (the 10k per form and per endpoint): the web chat's own handler functions
 *    (adapters/web/web-chat.handlers.ts: turn, signIn, session) over the real conversation engine
 *    (createConversation) on a real sqlite store with the demo dataset — what the server runs for
 *    each call, without the HTTP round trip, so ten thousand inputs per form stay affordable.
 *  - OVER HTTP (a sample per form and endpoint): raw JSON bodies with the same generators, plus
 *    malformed and oversized bodies, against ONE running server (8 calls at a time).
 * Never a 500, never a thrown error or the engine's "unexpected" answer, the server still healthy
 * at the end, and every stored request a valid draft or with all its send-time invariants.
 */

// Thousands of turns by the same few users: the per-user turn rate (IMI_TURN_RATE) is not what is tested here.
process.env.IMI_TURN_RATE = 'off';

const IN_PROCESS_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 120);
const BATCH = 8;

const LOGINS = ['anna.kovacs', 'jonas.weber', 'eszter.nagy', 'markus.huber'];
const future = (days: number) => DateTime.now().plus({ days }).toISODate()!;

interface World {
  requestIds: string[];
  versions: Map<string, number>;
  areas: AreaCatalog;
  authorityIds: string[];
}

/** Every form of src/conversation that takes typed input, with plausible and hostile values for its fields. */
function forms(w: World): Record<string, Record<string, fc.Arbitrary<unknown>>> {
  // Mostly real requests (the demo's and drafts made for the fuzz), so the dialogues get past the lookup.
  const requestId = field(fc.constantFrom(...w.requestIds), 12);
  const version = field(fc.constantFrom(...w.requestIds).map((id) => String(w.versions.get(id) ?? 1)));
  const submit = field(fc.constant('1'));
  const questionIds = [...w.areas.values()].flatMap((a) => a.questions);
  const text = field(fc.string({ maxLength: 200 }));
  const date = field(fc.constantFrom(future(10), future(30), future(400)));
  const card = { requestId, version, submit };
  return {
    // A valid area starts a new draft; kept rare so the store does not fill with thousands of them.
    'draft.area': { area: field(fc.constantFrom(...w.areas.keys()), 1) },
    'draft.country': { requestId, country: field(fc.constantFrom(...COUNTRIES)) },
    'draft.authority': { requestId, country: field(fc.constantFrom(...COUNTRIES)), authority: field(fc.constantFrom(...w.authorityIds)) },
    'draft.details': {
      requestId,
      questions: fc.oneof(field(fc.constantFrom(...questionIds)), fc.array(fc.constantFrom(...questionIds), { maxLength: 12 })),
      subject: text,
      freeText: text,
      deadline: date,
    },
    'request.propose_deadline': { ...card, date, reason: text },
    'request.answer': { ...card, free: text, ...Object.fromEntries(questionIds.slice(0, 6).map((q) => [q, text])) },
    'request.request_info': { ...card, message: text },
    'request.refer': { ...card, reason: text },
    'request.forward': { ...card, authority: field(fc.constantFrom(...w.authorityIds)) },
    'language.set': { language: field(fc.constantFrom('en', 'hu', 'de', 'fr', 'pl')) },
  };
}

/** Buttons and other action ids (little or no typed input, but values and ids come from the client all the same). */
const BUTTON_IDS = [
  'inbox.page',
  'request.send', 'request.accept', 'request.close', 'request.withdraw', 'request.open', 'request.history', 'request.original',
  'draft.edit', 'draft.new', 'form.cancel', 'inbox', 'help', 'onboarding', 'registers.search', 'registers.open', 'admin.users',
  'admin.authority', 'admin.invite.form', 'invite.redeem',
];

const TEXT_COMMANDS = ['', 'help', 'new', 'inbox', 'language', 'history', 'registers', 'training', 'onboarding', 'admin', 'IMI-2026-000001'];

/** A whole /api/chat/turn body: usually a well-formed action, sometimes broken at the top. */
const turnBody = (id: fc.Arbitrary<string>, values: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.tuple(id, values).map(([i, v]) => `{"action":{"id":${JSON.stringify(i)},"values":${v}}}`) },
    { weight: 1, arbitrary: fc.tuple(id, wrongType).map(([i, v]) => `{"action":{"id":${JSON.stringify(i)},"values":${JSON.stringify(v)}}}`) },
    { weight: 1, arbitrary: fc.tuple(id, values, hostileKey).map(([i, v, k]) => objectText([['action', { id: i, values: JSON.parse(v) }], [k, 1]])) },
  );

const textBody: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...TEXT_COMMANDS), hostileString).map(([c, s]) => JSON.stringify({ text: `${c} ${s}` })),
  hostileString.map((s) => JSON.stringify({ text: s })),
  wrongType.map((v) => `{"text":${JSON.stringify(v) ?? 'null'}}`),
);

const sessionBody: fc.Arbitrary<string> = fc.oneof(
  fc.oneof(fc.constantFrom(...LOGINS, 'nobody', 'anna.kovacs ', 'ANNA.KOVACS'), hostileString).map((login) => JSON.stringify({ login })),
  wrongType.map((v) => `{"login":${JSON.stringify(v) ?? 'null'}}`),
  fc.tuple(hostileKey, hostileString).map(([k, v]) => objectText([['login', 'anna.kovacs'], [k, v]])),
  fc.constantFrom('{}', '[]', 'null', '"anna.kovacs"', '{"__proto__":{"login":"anna.kovacs"}}'),
);

/** What every answer must be: no server error, a JSON body, and for a turn a reply without the "unexpected" text. */
function checkAnswer(out: HttpOutput, unexpected: Set<string>, what: string): void {
  if (out.status >= 500 || ![200, 400, 401, 403, 404, 413, 431].includes(out.status)) throw new Error(`${what}: status ${out.status}`);
  if (out.status === 200 && out.body && typeof out.body === 'object' && 'blocks' in out.body) {
    const texts = (out.body as RenderedReply).blocks.filter((b) => b.kind === 'text').map((b) => (b as { text: string }).text);
    const bad = texts.find((t) => unexpected.has(t));
    if (bad) throw new Error(`${what}: the engine failed unexpectedly ("${bad}")`);
  }
}

async function checkStore(store: Store, areas: AreaCatalog): Promise<string[]> {
  const authorities = new Map((await store.authorities.list()).map((a) => [a.id, a]));
  const problems: string[] = [];
  for (const r of await store.requests.list({})) {
    const problem = requestProblem(r, await store.history.of(r.id), authorities, areas);
    if (problem) problems.push(`${r.id} (${r.status}): ${problem}`);
  }
  return problems;
}

/** The string with lone surrogates replaced, as a browser would send it (encodeURIComponent refuses them). */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/** Runs `items` through `work`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

describe('web chat fuzz: hostile input never breaks the server or stores half a request', () => {
  let core: Awaited<ReturnType<typeof testCore>>;
  let handlers: ReturnType<typeof webChatHandlers>;
  let cookies: Map<string, string>;
  let world: World;
  let unexpected: Set<string>;
  let server: TestServer;
  const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    [core, server] = await Promise.all([testCore(), startServer({ IMI_TURN_RATE: 'off' })]);
    await loadDemo(core.deps, loadDemoData());
    const conversationDeps = { app: core.deps, i18n: core.i18n };
    handlers = webChatHandlers({
      conversation: createConversation(conversationDeps),
      web: webChatPort(conversationDeps, null),
      i18n: core.i18n,
      signInEnabled: true,
      secret: 'fuzz-secret-0123456789abcdef0123456789',
    });
    cookies = new Map();
    for (const login of LOGINS) {
      const out = await handlers.signIn({ headers: {}, body: { login }, query: {} });
      cookies.set(login, out.setCookie!.split(';')[0]!);
    }
    // Drafts of each handler at every step of the new-request dialogue, for the forms to work on.
    for (const [login, area, responder] of [
      ['anna.kovacs', 'professional-qualifications', 'de-lageso'],
      ['jonas.weber', 'professional-qualifications', 'hu-enkk'],
      ['markus.huber', 'services', 'at-ma63'],
    ] as const) {
      for (const step of [0, 1, 2]) {
        const draft = await createDraft(core.deps, { actorId: login, area, origin: 'web' });
        if (!draft.ok) throw new Error(draft.error.code);
        const changes = [{}, { responderAuthorityId: responder }, { responderAuthorityId: responder, questions: [], freeText: 'Bitte bestätigen.', requestedDeadline: future(20) }][step]!;
        await actOnRequest(core.deps, { actorId: login, requestId: draft.value.id, action: { type: 'update_draft', changes }, origin: 'web' });
      }
    }
    const requests = await core.deps.store.requests.list({});
    world = {
      requestIds: requests.map((r) => r.id),
      versions: new Map(requests.map((r) => [r.id, r.version])),
      areas: core.deps.areas,
      authorityIds: (await core.deps.store.authorities.list()).map((a) => a.id),
    };
    unexpected = new Set(core.i18n.languages.map((l) => core.i18n.t(l, 'bot.unexpected')));
  });
  afterAll(async () => {
    await server?.stop();
    await core?.close();
  });

  /** One in-process turn by a random signed-in user, through the web chat's handler. */
  const inProcessTurn = async (body: string, login: string) => {
    const out = await handlers.turn({ headers: { cookie: cookies.get(login)!, 'accept-language': 'en' }, body: JSON.parse(body), query: {} });
    checkAnswer(out, unexpected, `turn ${body.slice(0, 300)}`);
  };

  /** 10k inputs in batches of BATCH concurrent turns; fast-check shrinks a failing batch to its culprit. */
  const fuzzTurns = (body: fc.Arbitrary<string>) =>
    fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(body, fc.constantFrom(...LOGINS)), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await Promise.all(batch.map(([b, login]) => inProcessTurn(b, login)));
      }),
      { numRuns: Math.ceil(IN_PROCESS_RUNS / BATCH), endOnFailure: true },
    );

  it('in-process: 10k hostile submissions of every form, and of every button, leave only valid requests', async () => {
    const timings: string[] = [];
    const timed = async (name: string, body: fc.Arbitrary<string>) => {
      const started = performance.now();
      await fuzzTurns(body);
      timings.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)}s`);
      expect(await checkStore(core.deps.store, world.areas), `after ${name}`).toEqual([]);
    };
    const values = submission({
      requestId: field(fc.constantFrom(...world.requestIds), 12),
      version: field(fc.constant('1')),
      section: field(fc.constantFrom('needsAction', 'waiting', 'drafts')),
      page: field(fc.constantFrom('0', '1', '2')),
    });
    await timed('buttons', turnBody(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...BUTTON_IDS) }, { weight: 1, arbitrary: hostileString }), values));
    // draft.area last: each valid submission adds a draft, and inboxes grow with them.
    const all = Object.entries(forms(world)).sort(([a], [b]) => Number(a === 'draft.area') - Number(b === 'draft.area'));
    for (const [id, fields] of all) await timed(id, turnBody(fc.constant(id), submission(fields)));
    // The fuzz got past the door: requests were created, edited and moved through the lifecycle.
    const audit = await core.deps.store.audit.list(100_000);
    const actions = new Map<string, number>();
    for (const e of audit) actions.set(e.action, (actions.get(e.action) ?? 0) + 1);
    console.info(`fuzz: ${IN_PROCESS_RUNS} inputs per form in process: ${timings.join(', ')}; changes: ${JSON.stringify(Object.fromEntries(actions))}`);
    expect([...actions.keys()]).toEqual(expect.arrayContaining(['request.create', 'request.update_draft']));
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
  }, 900_000);

  it('in-process: 10k hostile chat texts (/api/chat/turn) and 10k hostile sign-ins and cookies (/api/chat/session)', async () => {
    await fuzzTurns(textBody);
    const signIns = fc.sample(sessionBody, { numRuns: IN_PROCESS_RUNS });
    await pool(signIns, BATCH, async (body) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return;
      }
      const out = await handlers.signIn({ headers: {}, body: parsed, query: {} });
      checkAnswer(out, unexpected, `signIn ${body.slice(0, 200)}`);
      if (out.status === 200) expect(LOGINS).toContain((out.body as { login: string }).login);
    });
    const forged = fc.sample(
      fc.oneof(
        hostileString.map((s) => `imi_session=${encodeURIComponent(wellFormed(s))}`),
        // Raw values too; malformed %-escapes have a test of their own below.
        hostileString.filter((s) => !s.includes('%')).map((s) => `imi_session=${s}`),
        fc.constantFrom('imi_session=anna.kovacs', 'imi_session=.', 'imi_session==', 'imi_session=%41nna.kovacs.x'),
        fc.tuple(fc.constantFrom(...cookies.values()), fc.nat()).map(([c, n]) => c.slice(0, c.length - 1 - (n % 5)) + 'A'),
        hostileString.filter((s) => !s.includes('%')),
        fc.constantFrom(...LOGINS).map((l) => `imi_session=${l}.${'A'.repeat(43)}`),
      ),
      { numRuns: IN_PROCESS_RUNS },
    );
    await pool(forged, BATCH, async (cookie) => {
      const input: HttpInput = { headers: { cookie }, body: {}, query: {} };
      const session = await handlers.session(input);
      checkAnswer(session, unexpected, `session ${cookie.slice(0, 200)}`);
      if (![...cookies.values()].includes(cookie)) expect(session.status).toBe(401);
    });
    expect(await checkStore(core.deps.store, world.areas)).toEqual([]);
  }, 600_000);

  it('over HTTP: a sample of every form and endpoint, malformed and oversized bodies, against one running server', async () => {
    const serverCookies = new Map<string, string>();
    for (const login of LOGINS) {
      const res = await fetch(`${server.url}/api/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login }) });
      expect(res.status).toBe(200);
      serverCookies.set(login, res.headers.get('set-cookie')!.split(';')[0]!);
    }
    const serverStore = openStore(server.databaseUrl);
    const serverRequests = await serverStore.requests.list({});
    const serverWorld: World = { ...world, requestIds: serverRequests.map((r) => r.id), versions: new Map(serverRequests.map((r) => [r.id, r.version])) };
    const calls: { path: string; method: string; body?: string; contentType?: string; cookie?: string }[] = [];
    const as = () => serverCookies.get(LOGINS[calls.length % LOGINS.length]!)!;
    for (const [id, fields] of Object.entries(forms(serverWorld))) {
      for (const body of fc.sample(turnBody(fc.constant(id), submission(fields)), HTTP_RUNS)) calls.push({ path: '/turn', method: 'POST', body, cookie: as() });
    }
    for (const body of fc.sample(textBody, HTTP_RUNS)) calls.push({ path: '/turn', method: 'POST', body, cookie: as() });
    for (const body of fc.sample(sessionBody, HTTP_RUNS)) calls.push({ path: '/session', method: 'POST', body });
    for (const cookie of fc.sample(hostileString, 40)) calls.push({ path: '/session', method: 'GET', cookie: `imi_session=${encodeURIComponent(wellFormed(cookie))}` });
    for (const cookie of ['imi_session=anna.kovacs', 'imi_session=%41nna.kovacs.x']) {
      calls.push({ path: '/session', method: 'GET', cookie });
      calls.push({ path: '/turn', method: 'POST', body: '{"text":"help"}', cookie });
    }
    const broken = ['{', '{"text":', 'null', '"text"', '[1,2]', '{"text":"a"}'.repeat(3), '\u0000', '{"action":{"id":"draft.area","values":{"area":"services"}},"x":1}'];
    for (const body of broken) {
      calls.push({ path: '/turn', method: 'POST', body, cookie: as() });
      calls.push({ path: '/session', method: 'POST', body });
      calls.push({ path: '/turn', method: 'POST', body, contentType: 'text/plain', cookie: as() });
    }
    calls.push({ path: '/turn', method: 'POST', body: JSON.stringify({ text: 'x'.repeat(70_000) }), cookie: as() });
    calls.push({ path: '/turn', method: 'POST', body: JSON.stringify({ text: 'x'.repeat(2_000_000) }), cookie: as() });
    calls.push({ path: '/turn', method: 'POST', body: JSON.stringify({ text: 'help' }) });

    const statuses = new Map<number, number>();
    await pool(calls, BATCH, async (c) => {
      const res = await fetch(`${server.url}/api/chat${c.path}`, {
        method: c.method,
        headers: { ...(c.body !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}), ...(c.cookie ? { cookie: c.cookie } : {}) },
        body: c.body,
      });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) throw new Error(`${c.method} ${c.path} ${c.body?.slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`);
      const body = text ? JSON.parse(text) : null;
      checkAnswer({ status: res.status, body }, unexpected, `${c.method} ${c.path} ${c.body?.slice(0, 300)}`);
    });
    // Every kind of answer was reached, so the sample was not all refused at the door.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401, 413]));

    expect(server.process.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.output()).not.toMatch(/conversation error|web chat error|request failed|Unhandled|TypeError|RangeError/);
    expect(await checkStore(serverStore, world.areas)).toEqual([]);
    await serverStore.close();
  }, 300_000);

  // Run last: the server logs the failure it finds, which the sample above checks for.
  it('refuses a session cookie that is not valid %-encoding with 401, not a 500 (in process and over HTTP)', async () => {
    const malformed = ['imi_session=%', 'imi_session=%E0%A4%A', 'imi_session=anna.kovacs.%ZZ', 'imi_session=%n%s%x'];
    for (const cookie of malformed) {
      const input: HttpInput = { headers: { cookie }, body: { text: 'help' }, query: {} };
      for (const handler of [handlers.session, handlers.turn, handlers.welcome, handlers.feed]) {
        const out = await handler(input).catch((err: Error) => ({ status: 500, body: String(err) }));
        expect(out.status, `${cookie}: ${JSON.stringify(out.body)}`).toBe(401);
      }
      for (const [method, path] of [['GET', '/session'], ['POST', '/turn'], ['GET', '/feed']] as const) {
        const res = await fetch(`${server.url}/api/chat${path}`, {
          method,
          headers: { cookie, 'content-type': 'application/json' },
          body: method === 'POST' ? '{"text":"help"}' : undefined,
        });
        expect(res.status, `${method} ${path} with ${cookie}`).toBe(401);
      }
    }
  });
});

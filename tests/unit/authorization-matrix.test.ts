import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import type { LegislativeArea } from '../../src/domain/area.ts';
import type { Authority } from '../../src/domain/authority.ts';
import type { ErrorCode } from '../../src/domain/errors.ts';
import { PERSONAL_FIELDS, accessOf, personalTexts, visibleRequest, withoutPersonalData } from '../../src/domain/personal-data.ts';
import { decide, type Action, type ActionType, type Request, type RequestStatus } from '../../src/domain/request.ts';
import type { Role, User } from '../../src/domain/user.ts';
import { actOnRequest, type ActionInput } from '../../src/app/requests/act-on-request.ts';
import { viewRequest } from '../../src/app/requests/view-request.ts';
import { inbox } from '../../src/app/requests/inbox.ts';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { openStore } from '../../src/store/knex-store.ts';
import type { Core } from '../../src/wiring.ts';
import { testCore } from '../support/core.ts';

/*
 * The authorization matrix, generated: random users × random requests × every action and view.
 * The rules are written out again below from the brief (Reg. 1024/2012 Art. 9 and the lifecycle
 * of shared/DESIGN.md) without calling the code under test:
 *   - users of the requesting authority, and of the responding one once the request reached it
 *     (not a draft, not a draft withdrawn before sending), see everything;
 *   - users with the coordinator role at the coordinating authority (coordinatorId, or the
 *     authority itself when it has none) of either party see a sent, non-training request's
 *     metadata, and its personal data only when it has been referred;
 *   - nobody else sees anything;
 *   - an action is taken by an active handler with rights in the area, on the side and from the
 *     statuses the lifecycle names.
 */

const AREA: LegislativeArea = {
  id: 'services',
  legalBasis: ['Directive 2006/123/EC'],
  defaultDeadlineDays: 15,
  workingDays: false,
  acceptWithinDays: 5,
  questions: ['q1', 'q2', 'q3'],
};
const OTHER_AREA = 'posting-of-workers';

/** A small universe: two countries, coordinators and coordinated authorities, one authority without coordinator. */
const authority = (id: string, country: string, coordinatorId: string | null, areas: string[]): Authority => ({
  id,
  name: id.toUpperCase(),
  country,
  language: 'en',
  timezone: 'UTC',
  areas,
  coordinatorId,
  contact: {},
  dataReviewedAt: null,
});
const AUTHORITIES: Authority[] = [
  authority('hu-coord', 'HU', null, []),
  authority('hu-a', 'HU', 'hu-coord', ['services', OTHER_AREA]),
  authority('hu-b', 'HU', 'hu-coord', ['services']),
  authority('de-coord', 'DE', null, []),
  authority('de-a', 'DE', 'de-coord', ['services']),
  authority('de-b', 'DE', 'de-coord', ['services', OTHER_AREA]),
  authority('at-solo', 'AT', null, ['services']),
];
const byId = (id: string | null) => AUTHORITIES.find((a) => a.id === id) ?? null;

const ROLES: Role[] = ['handler', 'local_admin', 'coordinator'];
const STATUSES: RequestStatus[] = ['draft', 'sent', 'accepted', 'answered', 'further_info_requested', 'closed', 'withdrawn'];
const ACTIONS: ActionType[] = ['update_draft', 'send', 'forward', 'propose_deadline', 'accept', 'answer', 'request_info', 'close', 'withdraw', 'refer'];
const AUTH_CODES: ErrorCode[] = ['REQUEST.NOT_YOUR_AUTHORITY', 'REQUEST.NOT_A_HANDLER', 'REQUEST.NO_AREA_RIGHTS', 'REQUEST.WRONG_STATUS'];

/** Independent statement of who acts when. */
const WHO: Record<ActionType, { sides: ('requester' | 'responder')[]; from: RequestStatus[] }> = {
  update_draft: { sides: ['requester'], from: ['draft'] },
  send: { sides: ['requester'], from: ['draft'] },
  forward: { sides: ['responder'], from: ['sent'] },
  propose_deadline: { sides: ['responder'], from: ['sent'] },
  accept: { sides: ['responder'], from: ['sent'] },
  answer: { sides: ['responder'], from: ['accepted', 'further_info_requested'] },
  request_info: { sides: ['requester'], from: ['answered'] },
  close: { sides: ['requester'], from: ['answered'] },
  withdraw: { sides: ['requester'], from: ['draft', 'sent', 'accepted'] },
  refer: { sides: ['requester', 'responder'], from: ['sent', 'accepted', 'answered', 'further_info_requested'] },
};

const reachedResponder = (r: Request) => !(r.status === 'draft' || (r.status === 'withdrawn' && r.sentAt === null));

function expectedSide(r: Request, u: User): 'requester' | 'responder' | null {
  if (u.authorityId === r.requesterAuthorityId) return 'requester';
  if (r.responderAuthorityId !== null && u.authorityId === r.responderAuthorityId && reachedResponder(r)) return 'responder';
  return null;
}

/** What the rule says a user may see: 'all', 'metadata' or 'nothing'. */
function expectedSight(r: Request, u: User, authorities: (id: string | null) => Authority | null): 'all' | 'metadata' | 'nothing' {
  if (!u.active) return 'nothing';
  if (expectedSide(r, u)) return 'all';
  if (r.training || !u.roles.includes('coordinator') || !reachedResponder(r)) return 'nothing';
  const coordinating = [r.requesterAuthorityId, r.responderAuthorityId]
    .map(authorities)
    .filter((a): a is Authority => a !== null)
    .map((a) => a.coordinatorId ?? a.id);
  if (!coordinating.includes(u.authorityId)) return 'nothing';
  return r.referral ? 'all' : 'metadata';
}

function expectedAllowed(r: Request, u: User, type: ActionType): boolean {
  const side = expectedSide(r, u);
  return (
    u.active &&
    side !== null &&
    WHO[type].sides.includes(side) &&
    u.roles.includes('handler') &&
    u.areas.includes(r.area) &&
    WHO[type].from.includes(r.status)
  );
}

/** Personal texts are marked so a leak is found by searching for the marker. */
const MARK = 'PII§';
const personal = fc.string({ maxLength: 12 }).map((s) => `${MARK}${s}`);

const userArb: fc.Arbitrary<User> = fc.record({
  id: fc.constantFrom('u1', 'u2', 'u3'),
  authorityId: fc.constantFrom(...AUTHORITIES.map((a) => a.id)),
  name: fc.constant('Official'),
  language: fc.constant(null),
  roles: fc.subarray(ROLES),
  areas: fc.subarray(['services', OTHER_AREA]),
  identities: fc.constant([]),
  active: fc.integer({ min: 0, max: 9 }).map((n) => n > 1),
});

const requestArb: fc.Arbitrary<Request> = fc
  .record({
    status: fc.constantFrom(...STATUSES),
    requester: fc.constantFrom(...AUTHORITIES.map((a) => a.id)),
    responder: fc.option(fc.constantFrom(...AUTHORITIES.map((a) => a.id)), { nil: null }),
    wasSent: fc.boolean(),
    referred: fc.boolean(),
    training: fc.boolean(),
    proposed: fc.boolean(),
    subjectName: personal,
    freeText: personal,
    answer: personal,
    info: personal,
    reason: personal,
    questions: fc.subarray(AREA.questions),
  })
  .map((g): Request => {
    const sent = g.status !== 'draft' && (g.status !== 'withdrawn' || g.wasSent);
    const at = '2026-03-01T10:00:00.000Z';
    return {
      id: 'IMI-2026-000001',
      area: 'services',
      requesterAuthorityId: g.requester,
      responderAuthorityId: sent ? (g.responder ?? 'de-a') : g.responder,
      createdBy: 'u0',
      questions: g.questions,
      freeText: g.freeText,
      freeTextLang: 'hu',
      subjectName: g.subjectName,
      requestedDeadline: '2026-12-31',
      proposedDeadline: g.proposed ? { date: '2027-01-31', reason: g.reason, by: 'u9' } : null,
      agreedDeadline: ['accepted', 'answered', 'further_info_requested', 'closed'].includes(g.status) ? '2026-12-31' : null,
      status: g.status,
      answers: ['answered', 'further_info_requested', 'closed'].includes(g.status) ? [{ at, by: 'u9', lang: 'de', items: { free: g.answer } }] : [],
      infoRequests: g.status === 'further_info_requested' ? [{ at, by: 'u0', lang: 'hu', message: g.info }] : [],
      referral: g.referred && sent ? { reason: g.reason, by: 'u0', at } : null,
      training: g.training,
      version: 3,
      createdAt: at,
      updatedAt: at,
      sentAt: sent ? at : null,
      acceptedAt: null,
      answeredAt: null,
      closedAt: g.status === 'closed' || g.status === 'withdrawn' ? at : null,
    };
  });

/** A well-formed action of each type, so an authorized attempt is refused for its content at most. */
const actionOf = (type: ActionType, text: string): Action => {
  switch (type) {
    case 'update_draft':
      return { type, changes: { freeText: text } };
    case 'forward':
      return { type, to: AUTHORITIES[5]! };
    case 'propose_deadline':
      return { type, date: '2027-02-15', reason: text };
    case 'answer':
      return { type, items: { free: text }, lang: 'de' };
    case 'request_info':
      return { type, message: text, lang: 'hu' };
    case 'refer':
      return { type, reason: text };
    default:
      return { type } as Action;
  }
};

/** Every string anywhere in a value. */
const stringsIn = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(stringsIn) : [];

const metadataOf = (r: Request) => {
  const { subjectName, freeText, answers, infoRequests, proposedDeadline, referral, ...rest } = r;
  return {
    ...rest,
    answers: answers.map((a) => ({ at: a.at, by: a.by, lang: a.lang, questions: Object.keys(a.items) })),
    infoRequests: infoRequests.map((i) => ({ at: i.at, by: i.by, lang: i.lang })),
    proposedDeadline: proposedDeadline && { date: proposedDeadline.date, by: proposedDeadline.by },
    referral: referral && { by: referral.by, at: referral.at },
    subjectName: typeof subjectName,
    freeText: typeof freeText,
  };
};

describe('authorization matrix (domain): random users × random requests × every action and view', () => {
  it('lists every personal field of a request, and removing them keeps the metadata', () => {
    expect([...PERSONAL_FIELDS].sort()).toEqual(
      ['answers.items', 'freeText', 'infoRequests.message', 'proposedDeadline.reason', 'referral.reason', 'subjectName'].sort(),
    );
    fc.assert(
      fc.property(requestArb, (r) => {
        const stripped = withoutPersonalData(r);
        expect(JSON.stringify(stripped)).not.toContain(MARK);
        expect(personalTexts(stripped)).toEqual([]);
        expect(metadataOf(stripped)).toEqual(metadataOf(r));
        expect(withoutPersonalData(stripped)).toEqual(stripped);
        // Every marked text of the request is one of its listed personal texts.
        const listed = personalTexts(r).map((t) => t.text).sort();
        const marked = stringsIn(r).filter((t) => t.startsWith(MARK));
        expect([...new Set(listed)].sort()).toEqual([...new Set(marked)].sort());
      }),
      { numRuns: 500 },
    );
  });

  it('shows a request to whom the rule says, and its personal data only to whom it says', () => {
    fc.assert(
      fc.property(requestArb, userArb, (r, u) => {
        const parties = { requester: byId(r.requesterAuthorityId), responder: byId(r.responderAuthorityId) };
        const sight = expectedSight(r, u, byId);
        const seen = visibleRequest(r, u, parties);
        const access = accessOf(r, u, parties);
        if (sight === 'nothing') {
          expect(seen).toBeNull();
          expect(access.kind).toBe('none');
          return;
        }
        expect(seen).not.toBeNull();
        expect(seen!.redacted).toBe(sight === 'metadata');
        expect(access.kind).toBe(expectedSide(r, u) ? 'party' : 'coordinator');
        if (sight === 'metadata') {
          expect(JSON.stringify(seen!.request)).not.toContain(MARK);
          expect(metadataOf(seen!.request)).toEqual(metadataOf(r));
        } else {
          expect(seen!.request).toEqual(r);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('lets exactly the rule’s actors take each action; every refusal names no personal data', () => {
    fc.assert(
      fc.property(requestArb, userArb, fc.constantFrom(...ACTIONS), personal, (r, u, type, text) => {
        const ctx = { actor: u, now: new Date('2026-03-02T10:00:00Z'), area: AREA, requester: byId(r.requesterAuthorityId)!, responder: byId(r.responderAuthorityId) };
        const result = decide(r, actionOf(type, text), ctx);
        if (!expectedAllowed(r, u, type)) {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(AUTH_CODES).toContain(result.error.code);
        } else if (!result.ok) {
          // Allowed, but the content was refused (e.g. a draft not ready to send): never for authorization.
          expect(AUTH_CODES).not.toContain(result.error.code);
        }
        if (!result.ok) expect(JSON.stringify(result.error)).not.toContain(MARK);
      }),
      { numRuns: 5000 },
    );
  });
});

/*
 * The same matrix on the real use cases and a real store (a sample: each run is a handful of
 * database round trips): the demo dataset, every demo user, every request and action.
 */
describe('authorization matrix (store): viewRequest, inbox and actOnRequest on the demo dataset', () => {
  let core: Core & { databaseUrl: string };
  let snapshots: ReturnType<typeof openStore>;
  let db: Knex;
  let authorities: Map<string, Authority>;

  beforeAll(async () => {
    core = await testCore();
    await loadDemo(core.deps, loadDemoData());
    snapshots = openStore(core.databaseUrl);
    db = snapshots.db;
    authorities = new Map((await core.deps.store.authorities.list()).map((a) => [a.id, a]));
  });
  afterAll(async () => {
    await snapshots?.close();
    await core?.close();
  });

  const authorityOf = (id: string | null) => (id ? authorities.get(id) ?? null : null);

  /** Everything an action may change, to show that a refused one changed nothing. */
  const snapshot = async () => ({
    requests: await db('requests').orderBy('id'),
    history: (await db('request_history').count({ n: '*' }))[0]!.n,
    outbox: (await db('outbox').count({ n: '*' }))[0]!.n,
    audit: (await db('audit_log').count({ n: '*' }))[0]!.n,
  });

  const inputOf = (type: ActionType, text: string, to: string): ActionInput => {
    const a = actionOf(type, text);
    return a.type === 'forward' ? { type: 'forward', to } : a;
  };

  it('answers views, inboxes and actions as the rule says, and a refused action changes and reveals nothing', async () => {
    const users = await core.deps.store.users.list();
    const requestIds = (await core.deps.store.requests.list({})).map((r) => r.id);
    const seen = { allowedActions: 0, refusedActions: 0, coordinatorViews: 0, partyViews: 0, hidden: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...users.map((u) => u.id)),
        fc.constantFrom(...requestIds),
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(...authorities.keys()),
        personal,
        fc.nat(),
        fc.boolean(),
        async (anyUserId, requestId, anyType, to, text, pick, aimed) => {
          const request = (await core.deps.store.requests.get(requestId))!;
          // Half of the runs aim at the request's own people and at actions its status allows, so
          // allowed outcomes are not left to chance; the other half take anyone and anything.
          const parties = users.filter((u) => u.authorityId === request.requesterAuthorityId || u.authorityId === request.responderAuthorityId);
          const userId = aimed && parties.length > 0 ? parties[pick % parties.length]!.id : anyUserId;
          const fitting = ACTIONS.filter((a) => WHO[a].from.includes(request.status));
          const type = aimed && fitting.length > 0 ? fitting[pick % fitting.length]! : anyType;
          const user = (await core.deps.store.users.get(userId))!;
          const sight = expectedSight(request, user, authorityOf);
          const marks = personalTexts(request).map((t) => t.text).filter((t) => t.length >= 4);

          const view = await viewRequest(core.deps, userId, requestId, { coordinators: true });
          const partyOnly = await viewRequest(core.deps, userId, requestId);
          if (sight === 'nothing') {
            seen.hidden++;
            expect(view.ok || view.error.code).toBe('REQUEST.NOT_FOUND');
            expect(partyOnly.ok || partyOnly.error.code).toBe('REQUEST.NOT_FOUND');
          } else {
            expect(view.ok).toBe(true);
            if (!view.ok) return;
            const isParty = expectedSide(request, user) !== null;
            expect(view.value.side).toBe(isParty ? expectedSide(request, user) : 'coordinator');
            expect(view.value.redacted).toBe(sight === 'metadata');
            if (sight === 'metadata') for (const m of marks) expect(JSON.stringify(view.value)).not.toContain(m);
            // Without asking for the coordinator's view, a coordinator who is no party is not answered.
            expect(partyOnly.ok).toBe(isParty);
            if (isParty) seen.partyViews++;
            else seen.coordinatorViews++;
          }
          for (const v of [view, partyOnly]) if (!v.ok) for (const m of marks) expect(JSON.stringify(v.error)).not.toContain(m);

          const box = await inbox(core.deps, userId);
          if (box.ok) {
            for (const item of [...box.value.needsAction, ...box.value.waiting, ...box.value.drafts]) {
              expect(expectedSide(item.request, user), `${userId} sees ${item.request.id} in the inbox`).not.toBeNull();
            }
          }

          const before = await snapshot();
          const done = await actOnRequest(core.deps, { actorId: userId, requestId, action: inputOf(type, text, to), origin: 'cli' });
          if (!expectedAllowed(request, user, type)) {
            seen.refusedActions++;
            expect(done.ok).toBe(false);
          }
          if (done.ok) {
            seen.allowedActions++;
            expect(expectedAllowed(request, user, type)).toBe(true);
          } else {
            expect(await snapshot()).toEqual(before);
            for (const m of marks) expect(JSON.stringify(done.error)).not.toContain(m);
            if (expectedAllowed(request, user, type)) expect(AUTH_CODES).not.toContain(done.error.code);
          }
        },
      ),
      { numRuns: 250 },
    );
    // The sample reached every kind of outcome, so none of the checks above was vacuous.
    expect(seen.allowedActions).toBeGreaterThan(0);
    expect(seen.refusedActions).toBeGreaterThan(0);
    expect(seen.coordinatorViews).toBeGreaterThan(0);
    expect(seen.partyViews).toBeGreaterThan(0);
    expect(seen.hidden).toBeGreaterThan(0);
  });
});

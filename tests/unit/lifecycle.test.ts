import { describe, expect, it } from 'vitest';
import type { LegislativeArea } from '../../src/domain/area.ts';
import type { Authority } from '../../src/domain/authority.ts';
import type { ErrorCode } from '../../src/domain/errors.ts';
import {
  decide,
  newDraft,
  type Action,
  type ActionContext,
  type ActionType,
  type HistoryEventType,
  type NotifySide,
  type Request,
  type RequestStatus,
} from '../../src/domain/request.ts';
import type { Role, User } from '../../src/domain/user.ts';

/*
 * The lifecycle, stated here on its own so the table below does not trust the code it checks
 * (see the glossary in shared/DESIGN.md):
 *   draft → sent → accepted → answered → closed; answered ⇄ further_info_requested;
 *   sent → sent when the responder forwards it within its country or proposes a new deadline;
 *   draft | sent | accepted → withdrawn by the requester; either side may refer an open request
 *   to the coordinators; the requester edits and sends drafts.
 * Only the two authorities of a request act on it, and the responder only once it was sent.
 * The actor needs the handler role and rights in the request's area.
 */
const PQ = 'professional-qualifications';
type Side = 'requester' | 'responder';

const RULES: Record<
  ActionType,
  { by: Side[]; from: RequestStatus[]; to: RequestStatus | 'same'; event: HistoryEventType; notify: (from: RequestStatus) => NotifySide[] }
> = {
  update_draft: { by: ['requester'], from: ['draft'], to: 'same', event: 'draft_updated', notify: () => [] },
  send: { by: ['requester'], from: ['draft'], to: 'sent', event: 'sent', notify: () => ['responder'] },
  forward: { by: ['responder'], from: ['sent'], to: 'sent', event: 'forwarded', notify: () => ['requester', 'responder'] },
  propose_deadline: { by: ['responder'], from: ['sent'], to: 'sent', event: 'deadline_proposed', notify: () => ['requester'] },
  accept: { by: ['responder'], from: ['sent'], to: 'accepted', event: 'accepted', notify: () => ['requester'] },
  answer: { by: ['responder'], from: ['accepted', 'further_info_requested'], to: 'answered', event: 'answered', notify: () => ['requester'] },
  request_info: { by: ['requester'], from: ['answered'], to: 'further_info_requested', event: 'further_info_requested', notify: () => ['responder'] },
  close: { by: ['requester'], from: ['answered'], to: 'closed', event: 'closed', notify: () => ['responder'] },
  withdraw: {
    by: ['requester'],
    from: ['draft', 'sent', 'accepted'],
    to: 'withdrawn',
    event: 'withdrawn',
    // A draft never reached the responder, so there is nobody to tell.
    notify: (from) => (from === 'draft' ? [] : ['responder']),
  },
  refer: {
    by: ['requester', 'responder'],
    from: ['sent', 'accepted', 'answered', 'further_info_requested'],
    to: 'same',
    event: 'referred',
    notify: () => ['coordinators'],
  },
};

const ALL_STATUSES: RequestStatus[] = ['draft', 'sent', 'accepted', 'answered', 'further_info_requested', 'closed', 'withdrawn'];

/** Who acts: which authority, and whether they hold the handler role and rights in the area. */
const ACTORS: Record<string, { authority: 'requester' | 'responder' | 'third'; handler: boolean; rights: boolean }> = {
  'requester handler': { authority: 'requester', handler: true, rights: true },
  'responder handler': { authority: 'responder', handler: true, rights: true },
  'third-authority handler': { authority: 'third', handler: true, rights: true },
  'requester non-handler': { authority: 'requester', handler: false, rights: true },
  'requester handler without area rights': { authority: 'requester', handler: true, rights: false },
  'responder non-handler': { authority: 'responder', handler: false, rights: true },
  'responder handler without area rights': { authority: 'responder', handler: true, rights: false },
};

function expectedOutcome(status: RequestStatus, type: ActionType, actorName: string): 'ok' | ErrorCode {
  const actor = ACTORS[actorName]!;
  const rule = RULES[type];
  const side: Side | null =
    actor.authority === 'requester' ? 'requester' : actor.authority === 'responder' && status !== 'draft' ? 'responder' : null;
  if (side === null || !rule.by.includes(side)) return 'REQUEST.NOT_YOUR_AUTHORITY';
  if (!actor.handler) return 'REQUEST.NOT_A_HANDLER';
  if (!actor.rights) return 'REQUEST.NO_AREA_RIGHTS';
  if (!rule.from.includes(status)) return 'REQUEST.WRONG_STATUS';
  return 'ok';
}

// ---- fixtures -------------------------------------------------------------------------------

const NOW = new Date('2026-03-10T10:00:00Z'); // a Tuesday

const area: LegislativeArea = {
  id: PQ,
  legalBasis: ['Directive 2005/36/EC'],
  defaultDeadlineDays: 14,
  workingDays: true,
  acceptWithinDays: 5,
  questions: ['pq-legally-established', 'pq-diploma-authentic', 'pq-disciplinary-action'],
};

const authority = (id: string, country: string, timezone: string, areas: string[]): Authority => ({
  id,
  name: `Authority ${id}`,
  country,
  language: country.toLowerCase(),
  timezone,
  areas,
  coordinatorId: null,
  contact: {},
  dataReviewedAt: null,
});

const HU_REQ = authority('hu-req', 'HU', 'Europe/Budapest', [PQ, 'services']);
const DE_RES = authority('de-res', 'DE', 'Europe/Berlin', [PQ]);
const DE_OTHER = authority('de-other', 'DE', 'Europe/Berlin', [PQ]);
const DE_SERVICES_ONLY = authority('de-services', 'DE', 'Europe/Berlin', ['services']);
const FR_THIRD = authority('fr-third', 'FR', 'Europe/Paris', [PQ]);
const HU_OTHER = authority('hu-other', 'HU', 'Europe/Budapest', [PQ]);

const user = (id: string, authorityId: string, roles: Role[], areas: string[]): User => ({
  id,
  authorityId,
  name: id,
  language: null,
  roles,
  areas,
  identities: [{ channel: 'web', externalId: id }],
  active: true,
});

function actorFor(name: string): User {
  const a = ACTORS[name]!;
  const authorityId = a.authority === 'requester' ? HU_REQ.id : a.authority === 'responder' ? DE_RES.id : FR_THIRD.id;
  const roles: Role[] = a.handler ? ['handler'] : ['local_admin'];
  return user(name.replace(/\W+/g, '-'), authorityId, roles, a.rights ? [PQ] : ['services']);
}

const REQ_HANDLER = actorFor('requester handler');
const RES_HANDLER = actorFor('responder handler');

/** A realistic request in a status: sent on 2 March, with the answers and dates its history implies. */
function requestIn(status: RequestStatus): Request {
  const sent = status !== 'draft';
  const accepted = ['accepted', 'answered', 'further_info_requested', 'closed'].includes(status);
  const answered = ['answered', 'further_info_requested', 'closed'].includes(status);
  return {
    id: 'IMI-2026-000042',
    area: PQ,
    requesterAuthorityId: HU_REQ.id,
    responderAuthorityId: DE_RES.id,
    createdBy: REQ_HANDLER.id,
    questions: ['pq-legally-established', 'pq-diploma-authentic'],
    freeText: 'Please confirm the diploma.',
    freeTextLang: 'hu',
    subjectName: 'Dr. Example Person',
    requestedDeadline: '2026-03-31',
    proposedDeadline: null,
    agreedDeadline: accepted ? '2026-03-31' : null,
    status,
    answers: answered ? [{ at: '2026-03-05T09:00:00.000Z', by: RES_HANDLER.id, lang: 'de', items: { 'pq-legally-established': 'Ja.' } }] : [],
    infoRequests:
      status === 'further_info_requested'
        ? [{ at: '2026-03-06T09:00:00.000Z', by: REQ_HANDLER.id, lang: 'hu', message: 'Since when?' }]
        : [],
    referral: null,
    training: false,
    version: 4,
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-06T09:00:00.000Z',
    sentAt: sent ? '2026-03-02T09:00:00.000Z' : null,
    acceptedAt: accepted ? '2026-03-03T09:00:00.000Z' : null,
    answeredAt: answered ? '2026-03-05T09:00:00.000Z' : null,
    closedAt: status === 'closed' || status === 'withdrawn' ? '2026-03-07T09:00:00.000Z' : null,
  };
}

/** A valid instance of every action, so that only the rules decide the outcome. */
const ACTIONS: Record<ActionType, Action> = {
  update_draft: { type: 'update_draft', changes: { freeText: 'Please also confirm the training content.' } },
  send: { type: 'send' },
  forward: { type: 'forward', to: DE_OTHER },
  propose_deadline: { type: 'propose_deadline', date: '2026-04-15', reason: 'We have to consult the archive.' },
  accept: { type: 'accept' },
  answer: { type: 'answer', items: { 'pq-diploma-authentic': 'Yes, it is authentic.' }, lang: 'de' },
  request_info: { type: 'request_info', message: 'Which year was the diploma issued?', lang: 'hu' },
  close: { type: 'close' },
  withdraw: { type: 'withdraw' },
  refer: { type: 'refer', reason: 'We disagree on the deadline.' },
};

const ctxFor = (actor: User, overrides: Partial<ActionContext> = {}): ActionContext => ({
  actor,
  now: NOW,
  area,
  requester: HU_REQ,
  responder: DE_RES,
  ...overrides,
});

// ---- the table ------------------------------------------------------------------------------

const CASES = ALL_STATUSES.flatMap((status) =>
  (Object.keys(RULES) as ActionType[]).flatMap((type) =>
    Object.keys(ACTORS).map((actorName) => ({ status, type, actorName, expected: expectedOutcome(status, type, actorName) })),
  ),
);

describe('lifecycle table: every status × action × actor', () => {
  it('covers 7 statuses × 10 actions × 7 actors, with allowed and forbidden cases', () => {
    expect(CASES).toHaveLength(7 * 10 * 7);
    expect(CASES.filter((c) => c.expected === 'ok').length).toBeGreaterThan(10);
  });

  it.each(CASES)('$status · $type · $actorName → $expected', ({ status, type, actorName, expected }) => {
    const request = requestIn(status);
    const before = structuredClone(request);
    const actor = actorFor(actorName);
    const result = decide(request, ACTIONS[type], ctxFor(actor));

    // decide() never changes what it is given, allowed or not.
    expect(request).toEqual(before);
    if (expected !== 'ok') {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(expected);
      return;
    }
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    const rule = RULES[type];
    const next = result.value.request;
    expect(next.status).toBe(rule.to === 'same' ? status : rule.to);
    expect(next.version).toBe(before.version + 1);
    expect(next.updatedAt).toBe(NOW.toISOString());
    expect(next.id).toBe(before.id);
    // Exactly one history event, of the right kind, by the actor, now.
    expect(Array.isArray(result.value.event)).toBe(false);
    expect(result.value.event).toMatchObject({ requestId: before.id, type: rule.event, actorId: actor.id, at: NOW.toISOString() });
    const notify = [...result.value.notify].sort();
    const side = actor.authorityId === HU_REQ.id ? 'requester' : 'responder';
    const expectedNotify = type === 'refer' ? ['coordinators', side === 'requester' ? 'responder' : 'requester'] : rule.notify(status);
    expect(notify).toEqual([...expectedNotify].sort());
  });
});

describe('what each allowed action records', () => {
  const run = (status: RequestStatus, type: ActionType, actor: User, action: Action = ACTIONS[type]) => {
    const r = decide(requestIn(status), action, ctxFor(actor));
    if (!r.ok) throw new Error(`expected ${type} to be allowed, got ${r.error.code}`);
    return r.value;
  };

  it('update_draft changes the draft only', () => {
    const { request } = run('draft', 'update_draft', REQ_HANDLER);
    expect(request.freeText).toBe('Please also confirm the training content.');
    expect(request.sentAt).toBeNull();
  });

  it('send stamps the sending time', () => {
    expect(run('draft', 'send', REQ_HANDLER).request.sentAt).toBe(NOW.toISOString());
  });

  it('forward hands the request to the new authority and drops a pending deadline proposal', () => {
    const sent = { ...requestIn('sent'), proposedDeadline: { date: '2026-04-20', reason: 'busy', by: RES_HANDLER.id } };
    const r = decide(sent, ACTIONS.forward, ctxFor(RES_HANDLER));
    expect(r.ok && r.value.request.responderAuthorityId).toBe(DE_OTHER.id);
    expect(r.ok && r.value.request.proposedDeadline).toBeNull();
    expect(r.ok && r.value.event.details).toEqual({ from: DE_RES.id, to: DE_OTHER.id });
  });

  it('propose_deadline keeps the requested deadline and records the proposal with its reason', () => {
    const { request } = run('sent', 'propose_deadline', RES_HANDLER);
    expect(request.requestedDeadline).toBe('2026-03-31');
    expect(request.proposedDeadline).toEqual({ date: '2026-04-15', reason: 'We have to consult the archive.', by: RES_HANDLER.id });
  });

  it('accept agrees on the requested deadline, or on the proposed one when there is one', () => {
    expect(run('sent', 'accept', RES_HANDLER).request.agreedDeadline).toBe('2026-03-31');
    const proposed = { ...requestIn('sent'), proposedDeadline: { date: '2026-04-20', reason: 'busy', by: RES_HANDLER.id } };
    const r = decide(proposed, { type: 'accept' }, ctxFor(RES_HANDLER));
    expect(r.ok && r.value.request.agreedDeadline).toBe('2026-04-20');
  });

  it('answer and request_info add a round each', () => {
    const answered = run('further_info_requested', 'answer', RES_HANDLER).request;
    expect(answered.answers).toHaveLength(2);
    expect(answered.answers[1]!.items).toEqual({ 'pq-diploma-authentic': 'Yes, it is authentic.' });
    const asked = run('answered', 'request_info', REQ_HANDLER).request;
    expect(asked.infoRequests).toHaveLength(1);
    expect(asked.infoRequests[0]!.message).toBe('Which year was the diploma issued?');
  });

  it('refer records who referred and why, from either side', () => {
    expect(run('accepted', 'refer', RES_HANDLER).request.referral).toEqual({
      reason: 'We disagree on the deadline.',
      by: RES_HANDLER.id,
      at: NOW.toISOString(),
    });
    expect(run('sent', 'refer', REQ_HANDLER).event.details).toEqual({ side: 'requester' });
  });

  it('close and withdraw stamp the closing time', () => {
    expect(run('answered', 'close', REQ_HANDLER).request.closedAt).toBe(NOW.toISOString());
    expect(run('accepted', 'withdraw', REQ_HANDLER).request.closedAt).toBe(NOW.toISOString());
  });
});

describe('who may act', () => {
  it('a draft withdrawn before it was sent stays invisible to the chosen responder', () => {
    const withdrawnDraft = { ...requestIn('withdrawn'), sentAt: null };
    const r = decide(withdrawnDraft, ACTIONS.refer, ctxFor(RES_HANDLER));
    expect(!r.ok && r.error.code).toBe('REQUEST.NOT_YOUR_AUTHORITY');
  });

  it('a deactivated handler acts no more', () => {
    const gone = { ...REQ_HANDLER, active: false };
    const r = decide(requestIn('draft'), ACTIONS.send, ctxFor(gone));
    expect(!r.ok && r.error.code).toBe('REQUEST.NOT_A_HANDLER');
  });

  it('only a handler with rights in the area opens a draft', () => {
    const area2 = { ...area };
    expect(newDraft({ id: 'X', area: PQ }, { actor: REQ_HANDLER, now: NOW, area: area2 }).ok).toBe(true);
    const noRole = newDraft({ id: 'X', area: PQ }, { actor: actorFor('requester non-handler'), now: NOW, area: area2 });
    expect(!noRole.ok && noRole.error.code).toBe('REQUEST.NOT_A_HANDLER');
    const noRights = newDraft({ id: 'X', area: PQ }, { actor: actorFor('requester handler without area rights'), now: NOW, area: area2 });
    expect(!noRights.ok && noRights.error.code).toBe('REQUEST.NO_AREA_RIGHTS');
    const unknown = newDraft({ id: 'X', area: 'astrology' }, { actor: REQ_HANDLER, now: NOW, area: undefined });
    expect(!unknown.ok && unknown.error.code).toBe('REQUEST.UNKNOWN_AREA');
  });

  it('a request cannot be referred twice', () => {
    const referred = { ...requestIn('accepted'), referral: { reason: 'x', by: REQ_HANDLER.id, at: '2026-03-08T00:00:00.000Z' } };
    const r = decide(referred, ACTIONS.refer, ctxFor(RES_HANDLER));
    expect(!r.ok && r.error.code).toBe('REQUEST.ALREADY_REFERRED');
  });
});

// ---- input validation -----------------------------------------------------------------------

const codeOf = (request: Request, action: Action, actor: User, overrides: Partial<ActionContext> = {}) => {
  const r = decide(request, action, ctxFor(actor, overrides));
  return r.ok ? 'ok' : r.error.code;
};

describe('sending a draft', () => {
  const draft = (changes: Partial<Request> = {}): Request => ({ ...requestIn('draft'), ...changes });
  const send = (request: Request, overrides: Partial<ActionContext> = {}) => codeOf(request, ACTIONS.send, REQ_HANDLER, overrides);

  it('needs a responding authority', () => {
    expect(send(draft({ responderAuthorityId: null }), { responder: null })).toBe('REQUEST.RESPONDER_REQUIRED');
  });
  it('cannot go to the own authority', () => {
    expect(send(draft({ responderAuthorityId: HU_REQ.id }), { responder: HU_REQ })).toBe('REQUEST.SAME_AUTHORITY');
  });
  it('goes to another member state', () => {
    expect(send(draft({ responderAuthorityId: HU_OTHER.id }), { responder: HU_OTHER })).toBe('REQUEST.SAME_COUNTRY');
  });
  it('goes to an authority competent for the area', () => {
    expect(send(draft({ responderAuthorityId: DE_SERVICES_ONLY.id }), { responder: DE_SERVICES_ONLY })).toBe(
      'REQUEST.RESPONDER_NOT_COMPETENT',
    );
  });
  it('asks something: a question of the set or free text', () => {
    expect(send(draft({ questions: [], freeText: '  ' }))).toBe('REQUEST.NOTHING_ASKED');
    expect(send(draft({ questions: [], freeText: 'Is the licence valid?' }))).toBe('ok');
    expect(send(draft({ questions: ['svc-insolvency'] }))).toBe('REQUEST.UNKNOWN_QUESTION');
  });
  it('needs a deadline after today', () => {
    expect(send(draft({ requestedDeadline: null }))).toBe('REQUEST.DEADLINE_REQUIRED');
    expect(send(draft({ requestedDeadline: '2026-03-09' }))).toBe('REQUEST.DEADLINE_IN_PAST');
    expect(send(draft({ requestedDeadline: '2026-03-10' }))).toBe('REQUEST.DEADLINE_IN_PAST');
    expect(send(draft({ requestedDeadline: '2026-03-11' }))).toBe('ok');
  });
  it('leaves the draft as it was when refused', () => {
    const d = draft({ requestedDeadline: null });
    const before = structuredClone(d);
    send(d);
    expect(d).toEqual(before);
  });
});

describe('editing a draft', () => {
  const edit = (changes: Record<string, unknown>) =>
    decide(requestIn('draft'), { type: 'update_draft', changes } as Action, ctxFor(REQ_HANDLER));

  it('refuses a deadline that is not a real date', () => {
    for (const value of ['next friday', '2026-02-30', '2026-13-01', '31.03.2026']) {
      const r = edit({ requestedDeadline: value });
      expect(!r.ok && r.error.code, value).toBe('REQUEST.DEADLINE_INVALID');
    }
  });
  it('clears the deadline when the field is emptied, instead of keeping an empty date', () => {
    const r = edit({ requestedDeadline: '  ' });
    expect(r.ok && r.value.request.requestedDeadline).toBeNull();
  });
  it('trims the subject name and limits text lengths', () => {
    const r = edit({ subjectName: '  Dr. Example  ' });
    expect(r.ok && r.value.request.subjectName).toBe('Dr. Example');
    const long = edit({ freeText: 'x'.repeat(10_001) });
    expect(!long.ok && long.error.code).toBe('REQUEST.TEXT_TOO_LONG');
  });
});

describe('proposing a new deadline', () => {
  const propose = (date: string, reason = 'Archive search needed.') =>
    codeOf(requestIn('sent'), { type: 'propose_deadline', date, reason }, RES_HANDLER);

  it('needs a real date after today, different from the requested one', () => {
    expect(propose('')).toBe('REQUEST.DEADLINE_REQUIRED');
    expect(propose('soon')).toBe('REQUEST.DEADLINE_INVALID');
    expect(propose('2026-02-29')).toBe('REQUEST.DEADLINE_INVALID');
    expect(propose('2026-03-01')).toBe('REQUEST.DEADLINE_IN_PAST');
    expect(propose('2026-03-10')).toBe('REQUEST.DEADLINE_IN_PAST');
    expect(propose('2026-03-31')).toBe('REQUEST.DEADLINE_UNCHANGED');
    expect(propose('2026-04-15')).toBe('ok');
  });
  it('needs a reason of sensible length', () => {
    expect(propose('2026-04-15', '   ')).toBe('REQUEST.REASON_REQUIRED');
    expect(propose('2026-04-15', 'x'.repeat(1_001))).toBe('REQUEST.TEXT_TOO_LONG');
  });
});

describe('accepting', () => {
  it('is refused when the deadline to agree on has passed meanwhile', () => {
    const late = { ...requestIn('sent'), requestedDeadline: '2026-03-09' };
    expect(codeOf(late, { type: 'accept' }, RES_HANDLER)).toBe('REQUEST.DEADLINE_IN_PAST');
  });
});

describe('answering and asking for more', () => {
  const answer = (items: Record<string, string>) =>
    codeOf(requestIn('accepted'), { type: 'answer', items, lang: 'de' }, RES_HANDLER);

  it('refuses an empty answer', () => {
    expect(answer({})).toBe('REQUEST.ANSWER_EMPTY');
    expect(answer({ 'pq-diploma-authentic': '   ', free: '' })).toBe('REQUEST.ANSWER_EMPTY');
  });
  it('answers only questions the request asked, or its free text', () => {
    expect(answer({ 'pq-disciplinary-action': 'None.' })).toBe('REQUEST.UNKNOWN_QUESTION');
    expect(answer({ free: 'The diploma is genuine.' })).toBe('ok');
  });
  it('keeps only the answered items, trimmed', () => {
    const r = decide(requestIn('accepted'), { type: 'answer', items: { 'pq-diploma-authentic': ' Yes. ', free: ' ' }, lang: 'de' }, ctxFor(RES_HANDLER));
    expect(r.ok && r.value.request.answers.at(-1)!.items).toEqual({ 'pq-diploma-authentic': 'Yes.' });
  });
  it('refuses an empty request for further information', () => {
    expect(codeOf(requestIn('answered'), { type: 'request_info', message: ' \n ', lang: 'hu' }, REQ_HANDLER)).toBe('REQUEST.MESSAGE_EMPTY');
  });
  it('refuses a referral without a reason', () => {
    expect(codeOf(requestIn('answered'), { type: 'refer', reason: '' }, REQ_HANDLER)).toBe('REQUEST.REASON_REQUIRED');
  });
});

describe('forwarding', () => {
  const forward = (to: Authority) => codeOf(requestIn('sent'), { type: 'forward', to }, RES_HANDLER);

  it('stays within the responding country', () => {
    expect(forward(FR_THIRD)).toBe('REQUEST.FORWARD_OTHER_COUNTRY');
  });
  it('goes to another authority', () => {
    expect(forward(DE_RES)).toBe('REQUEST.SAME_AUTHORITY');
  });
  it('goes to an authority competent for the area', () => {
    expect(forward(DE_SERVICES_ONLY)).toBe('REQUEST.RESPONDER_NOT_COMPETENT');
  });
  it('after forwarding, the new authority responds and the old one is out', () => {
    const r = decide(requestIn('sent'), ACTIONS.forward, ctxFor(RES_HANDLER));
    if (!r.ok) throw new Error(r.error.code);
    const newcomer = user('de-other-handler', DE_OTHER.id, ['handler'], [PQ]);
    expect(codeOf(r.value.request, { type: 'accept' }, newcomer, { responder: DE_OTHER })).toBe('ok');
    expect(codeOf(r.value.request, { type: 'accept' }, RES_HANDLER, { responder: DE_OTHER })).toBe('REQUEST.NOT_YOUR_AUTHORITY');
  });
});

describe('deadlines are dates in the acting authority’s time zone', () => {
  // 23:30 UTC on 10 March: still the 10th in Lisbon (UTC+0), already the 11th in Helsinki (UTC+2).
  const lateEvening = new Date('2026-03-10T23:30:00Z');
  const dueToday = { ...requestIn('sent'), requestedDeadline: '2026-03-10' };

  it('a responder in Lisbon may still accept a deadline of today', () => {
    const lisbon = { ...DE_RES, timezone: 'Europe/Lisbon' };
    expect(codeOf(dueToday, { type: 'accept' }, RES_HANDLER, { now: lateEvening, responder: lisbon })).toBe('ok');
  });
  it('for a responder in Helsinki the same deadline ended at its midnight', () => {
    const helsinki = { ...DE_RES, timezone: 'Europe/Helsinki' };
    expect(codeOf(dueToday, { type: 'accept' }, RES_HANDLER, { now: lateEvening, responder: helsinki })).toBe('REQUEST.DEADLINE_IN_PAST');
  });
  it('a requester’s "after today" is counted in the requester’s zone', () => {
    const draft = { ...requestIn('draft'), requestedDeadline: '2026-03-11' };
    // Budapest is already on the 11th at 23:30 UTC, so the 11th is no longer after today.
    expect(codeOf(draft, ACTIONS.send, REQ_HANDLER, { now: lateEvening })).toBe('REQUEST.DEADLINE_IN_PAST');
    expect(codeOf(draft, ACTIONS.send, REQ_HANDLER, { now: lateEvening, requester: { ...HU_REQ, timezone: 'Europe/Lisbon' } })).toBe('ok');
  });
});

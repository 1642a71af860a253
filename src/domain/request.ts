import type { Authority } from './authority.ts';
import type { LegislativeArea } from './area.ts';
import { parseIsoDate, todayIn, type IsoDate } from './deadlines.ts';
import { fail, ok, type Result } from './result.ts';
import { holdsRights, hasRole, type User } from './user.ts';

export const STATUSES = [
  'draft',
  'sent',
  'accepted',
  'answered',
  'further_info_requested',
  'closed',
  'withdrawn',
] as const;
export type RequestStatus = (typeof STATUSES)[number];

/** Statuses in which a request still asks something of someone. */
export const OPEN_STATUSES: RequestStatus[] = ['sent', 'accepted', 'answered', 'further_info_requested'];

export interface AnswerRound {
  at: string;
  by: string;
  lang: string;
  /** Answer text per question id; the key "free" answers the free text. */
  items: Record<string, string>;
}

export interface InfoRequest {
  at: string;
  by: string;
  lang: string;
  message: string;
}

/** An information request between two authorities of different member states. */
export interface Request {
  id: string;
  area: string;
  requesterAuthorityId: string;
  responderAuthorityId: string | null;
  createdBy: string;
  questions: string[];
  freeText: string;
  freeTextLang: string;
  /** Personal data: the professional or provider the request is about. */
  subjectName: string;
  requestedDeadline: IsoDate | null;
  proposedDeadline: { date: IsoDate; reason: string; by: string } | null;
  agreedDeadline: IsoDate | null;
  status: RequestStatus;
  answers: AnswerRound[];
  infoRequests: InfoRequest[];
  referral: { reason: string; by: string; at: string } | null;
  training: boolean;
  /** Raised by one on every change; a stale card carries an older version. */
  version: number;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  acceptedAt: string | null;
  answeredAt: string | null;
  closedAt: string | null;
}

export type Action =
  | { type: 'update_draft'; changes: DraftChanges }
  | { type: 'send' }
  | { type: 'forward'; to: Authority }
  | { type: 'propose_deadline'; date: string; reason: string }
  | { type: 'accept' }
  | { type: 'answer'; items: Record<string, string>; lang: string }
  | { type: 'request_info'; message: string; lang: string }
  | { type: 'close' }
  | { type: 'withdraw' }
  | { type: 'refer'; reason: string };

export type ActionType = Action['type'];

export interface DraftChanges {
  responderAuthorityId?: string | null;
  questions?: string[];
  freeText?: string;
  freeTextLang?: string;
  subjectName?: string;
  requestedDeadline?: string | null;
}

export type HistoryEventType =
  | 'created'
  | 'draft_updated'
  | 'sent'
  | 'forwarded'
  | 'deadline_proposed'
  | 'accepted'
  | 'answered'
  | 'further_info_requested'
  | 'closed'
  | 'withdrawn'
  | 'referred'
  /** Handed over to a colleague because its author was removed (issue 8, src/app/admin/remove-user.ts). */
  | 'reassigned';

/** One line of a request's history: what happened, who did it, when; details hold no personal data. */
export interface HistoryEvent {
  requestId: string;
  type: HistoryEventType;
  actorId: string;
  at: string;
  details: Record<string, string | number | null>;
}

/** Who is told about a transition; the use case turns a side into people and channels. */
export type NotifySide = 'requester' | 'responder' | 'coordinators';

export interface Transition {
  request: Request;
  event: HistoryEvent;
  notify: NotifySide[];
}

/** What a guard needs to know besides the request: who acts, when, and the authorities involved. */
export interface ActionContext {
  actor: User;
  now: Date;
  area: LegislativeArea;
  requester: Authority;
  responder: Authority | null;
}

export const MAX_TEXT = 10_000;
export const MAX_REASON = 1_000;

type Side = 'requester' | 'responder';

/** Which side of the exchange may take each action, and from which statuses. */
const RULES: Record<ActionType, { side: Side; from: RequestStatus[] }> = {
  update_draft: { side: 'requester', from: ['draft'] },
  send: { side: 'requester', from: ['draft'] },
  forward: { side: 'responder', from: ['sent'] },
  propose_deadline: { side: 'responder', from: ['sent'] },
  accept: { side: 'responder', from: ['sent'] },
  answer: { side: 'responder', from: ['accepted', 'further_info_requested'] },
  request_info: { side: 'requester', from: ['answered'] },
  close: { side: 'requester', from: ['answered'] },
  withdraw: { side: 'requester', from: ['draft', 'sent', 'accepted'] },
  refer: { side: 'requester', from: ['sent', 'accepted', 'answered', 'further_info_requested'] },
};

/** Refer may come from either side: the two disagree, and either may call the coordinators. */
const EITHER_SIDE: ActionType[] = ['refer'];

export const allowedFrom = (type: ActionType): readonly RequestStatus[] => RULES[type].from;

/**
 * Whether the responding authority has been reached. A draft, and a draft withdrawn before
 * sending, belong to the requester alone: the chosen responder must not see or act on them.
 */
export const reachedResponder = (request: Request): boolean =>
  request.status !== 'draft' && !(request.status === 'withdrawn' && request.sentAt === null);

/** The side of the exchange a user stands on, if any. */
export function sideOf(request: Request, user: User): Side | null {
  if (user.authorityId === request.requesterAuthorityId) return 'requester';
  if (request.responderAuthorityId !== null && user.authorityId === request.responderAuthorityId && reachedResponder(request)) {
    return 'responder';
  }
  return null;
}

/**
 * The single guard of the lifecycle: decides whether the actor may take the action now,
 * and if so what the request becomes and which history event records it.
 */
export function decide(request: Request, action: Action, ctx: ActionContext): Result<Transition> {
  const rule = RULES[action.type];
  const side = sideOf(request, ctx.actor);
  const sideOk = side === rule.side || (side !== null && EITHER_SIDE.includes(action.type));
  if (!sideOk) return fail('REQUEST.NOT_YOUR_AUTHORITY', { id: request.id });
  if (!hasRole(ctx.actor, 'handler')) return fail('REQUEST.NOT_A_HANDLER');
  if (!holdsRights(ctx.actor, request.area)) return fail('REQUEST.NO_AREA_RIGHTS', { area: request.area });
  if (!rule.from.includes(request.status)) {
    return fail('REQUEST.WRONG_STATUS', { id: request.id, status: request.status, action: action.type });
  }
  const at = ctx.now.toISOString();
  const base: Request = { ...request, version: request.version + 1, updatedAt: at };
  const event = (type: HistoryEventType, details: HistoryEvent['details'] = {}): HistoryEvent => ({
    requestId: request.id,
    type,
    actorId: ctx.actor.id,
    at,
    details,
  });
  const zone = side === 'responder' && ctx.responder ? ctx.responder.timezone : ctx.requester.timezone;
  const today = todayIn(ctx.now, zone);

  switch (action.type) {
    case 'update_draft': {
      const checked = checkDraftChanges(action.changes);
      if (!checked.ok) return checked;
      const next = { ...base, ...checked.value };
      return ok({ request: next, event: event('draft_updated'), notify: [] });
    }
    case 'send': {
      const ready = checkSendable(request, ctx, today);
      if (!ready.ok) return ready;
      return ok({
        request: { ...base, status: 'sent', sentAt: at },
        event: event('sent', { responder: request.responderAuthorityId, deadline: request.requestedDeadline }),
        notify: ['responder'],
      });
    }
    case 'forward': {
      const from = ctx.responder!;
      if (action.to.id === from.id) return fail('REQUEST.SAME_AUTHORITY', {}, 'authority');
      if (action.to.country !== from.country) {
        return fail('REQUEST.FORWARD_OTHER_COUNTRY', { country: from.country }, 'authority');
      }
      if (!action.to.areas.includes(request.area)) {
        return fail('REQUEST.RESPONDER_NOT_COMPETENT', { authority: action.to.name, area: request.area }, 'authority');
      }
      return ok({
        request: { ...base, responderAuthorityId: action.to.id, proposedDeadline: null },
        event: event('forwarded', { from: from.id, to: action.to.id }),
        notify: ['requester', 'responder'],
      });
    }
    case 'propose_deadline': {
      const date = checkFutureDate(action.date, today);
      if (!date.ok) return date;
      const reason = action.reason.trim();
      if (!reason) return fail('REQUEST.REASON_REQUIRED', {}, 'reason');
      if (reason.length > MAX_REASON) return fail('REQUEST.TEXT_TOO_LONG', { max: MAX_REASON }, 'reason');
      if (date.value === request.requestedDeadline) return fail('REQUEST.DEADLINE_UNCHANGED', {}, 'date');
      return ok({
        request: { ...base, proposedDeadline: { date: date.value, reason, by: ctx.actor.id } },
        event: event('deadline_proposed', { from: request.requestedDeadline, to: date.value }),
        notify: ['requester'],
      });
    }
    case 'accept': {
      const agreed = request.proposedDeadline?.date ?? request.requestedDeadline;
      if (!agreed || agreed < today) return fail('REQUEST.DEADLINE_IN_PAST', { date: agreed ?? '' }, 'date');
      return ok({
        request: { ...base, status: 'accepted', agreedDeadline: agreed, acceptedAt: at },
        event: event('accepted', { deadline: agreed }),
        notify: ['requester'],
      });
    }
    case 'answer': {
      const items = Object.fromEntries(
        Object.entries(action.items)
          .map(([k, v]) => [k, v.trim()] as const)
          .filter(([, v]) => v.length > 0),
      );
      if (Object.keys(items).length === 0) return fail('REQUEST.ANSWER_EMPTY', {}, 'answer');
      const tooLong = Object.entries(items).find(([, v]) => v.length > MAX_TEXT);
      if (tooLong) return fail('REQUEST.TEXT_TOO_LONG', { max: MAX_TEXT }, tooLong[0]);
      const unknown = Object.keys(items).find((k) => k !== 'free' && !request.questions.includes(k));
      if (unknown) return fail('REQUEST.UNKNOWN_QUESTION', { question: unknown }, unknown);
      const round: AnswerRound = { at, by: ctx.actor.id, lang: action.lang, items };
      return ok({
        request: { ...base, status: 'answered', answers: [...request.answers, round], answeredAt: at },
        event: event('answered', { round: request.answers.length + 1 }),
        notify: ['requester'],
      });
    }
    case 'request_info': {
      const message = action.message.trim();
      if (!message) return fail('REQUEST.MESSAGE_EMPTY', {}, 'message');
      if (message.length > MAX_TEXT) return fail('REQUEST.TEXT_TOO_LONG', { max: MAX_TEXT }, 'message');
      const asked: InfoRequest = { at, by: ctx.actor.id, lang: action.lang, message };
      return ok({
        request: { ...base, status: 'further_info_requested', infoRequests: [...request.infoRequests, asked] },
        event: event('further_info_requested', { round: request.infoRequests.length + 1 }),
        notify: ['responder'],
      });
    }
    case 'close':
      return ok({
        request: { ...base, status: 'closed', closedAt: at },
        event: event('closed'),
        notify: ['responder'],
      });
    case 'withdraw':
      return ok({
        request: { ...base, status: 'withdrawn', closedAt: at },
        event: event('withdrawn', { from: request.status }),
        notify: request.status === 'draft' ? [] : ['responder'],
      });
    case 'refer': {
      if (request.referral) return fail('REQUEST.ALREADY_REFERRED', { id: request.id });
      const reason = action.reason.trim();
      if (!reason) return fail('REQUEST.REASON_REQUIRED', {}, 'reason');
      if (reason.length > MAX_REASON) return fail('REQUEST.TEXT_TOO_LONG', { max: MAX_REASON }, 'reason');
      return ok({
        request: { ...base, referral: { reason, by: ctx.actor.id, at } },
        event: event('referred', { side }),
        notify: ['coordinators', side === 'requester' ? 'responder' : 'requester'],
      });
    }
  }
}

function checkFutureDate(text: string, today: string): Result<IsoDate> {
  if (!text.trim()) return fail('REQUEST.DEADLINE_REQUIRED', {}, 'date');
  const date = parseIsoDate(text);
  if (!date) return fail('REQUEST.DEADLINE_INVALID', { value: text.slice(0, 40) }, 'date');
  if (date <= today) return fail('REQUEST.DEADLINE_IN_PAST', { date }, 'date');
  return ok(date);
}

function checkDraftChanges(changes: DraftChanges): Result<DraftChanges> {
  const out: DraftChanges = { ...changes };
  // A question ticked twice (a client may send a list with repeats) is asked once.
  if (changes.questions !== undefined) out.questions = [...new Set(changes.questions)];
  if (changes.freeText !== undefined && changes.freeText.length > MAX_TEXT) {
    return fail('REQUEST.TEXT_TOO_LONG', { max: MAX_TEXT }, 'freeText');
  }
  if (changes.subjectName !== undefined) {
    if (changes.subjectName.length > 300) return fail('REQUEST.TEXT_TOO_LONG', { max: 300 }, 'subjectName');
    out.subjectName = changes.subjectName.trim();
  }
  // An emptied deadline field clears the deadline rather than storing "" as a date.
  if (changes.requestedDeadline !== undefined && changes.requestedDeadline !== null && !changes.requestedDeadline.trim()) {
    out.requestedDeadline = null;
  } else if (changes.requestedDeadline) {
    const date = parseIsoDate(changes.requestedDeadline);
    if (!date) return fail('REQUEST.DEADLINE_INVALID', { value: changes.requestedDeadline.slice(0, 40) }, 'deadline');
    out.requestedDeadline = date;
  }
  return ok(out);
}

/** Everything a draft needs before it can leave the requesting authority. */
function checkSendable(request: Request, ctx: ActionContext, today: IsoDate): Result<true> {
  const responder = ctx.responder;
  if (!responder) return fail('REQUEST.RESPONDER_REQUIRED', {}, 'authority');
  if (responder.id === ctx.requester.id) return fail('REQUEST.SAME_AUTHORITY', {}, 'authority');
  // IMI connects authorities of different member states; a national exchange has its own channels.
  if (responder.country === ctx.requester.country) {
    return fail('REQUEST.SAME_COUNTRY', { authority: responder.name, country: responder.country }, 'authority');
  }
  if (!responder.areas.includes(request.area)) {
    return fail('REQUEST.RESPONDER_NOT_COMPETENT', { authority: responder.name, area: request.area }, 'authority');
  }
  const unknown = request.questions.find((q) => !ctx.area.questions.includes(q));
  if (unknown) return fail('REQUEST.UNKNOWN_QUESTION', { question: unknown }, 'questions');
  if (request.questions.length === 0 && !request.freeText.trim()) return fail('REQUEST.NOTHING_ASKED', {}, 'questions');
  if (!request.requestedDeadline) return fail('REQUEST.DEADLINE_REQUIRED', {}, 'deadline');
  if (request.requestedDeadline <= today) {
    return fail('REQUEST.DEADLINE_IN_PAST', { date: request.requestedDeadline }, 'deadline');
  }
  return ok(true);
}

/** Starts a draft for the actor's authority; only in an area the actor holds rights in. */
export function newDraft(
  input: { id: string; area: string; training?: boolean },
  ctx: { actor: User; now: Date; area: LegislativeArea | undefined },
): Result<{ request: Request; event: HistoryEvent }> {
  if (!ctx.area) return fail('REQUEST.UNKNOWN_AREA', { area: input.area }, 'area');
  if (!hasRole(ctx.actor, 'handler')) return fail('REQUEST.NOT_A_HANDLER');
  if (!holdsRights(ctx.actor, ctx.area.id)) return fail('REQUEST.NO_AREA_RIGHTS', { area: ctx.area.id }, 'area');
  const at = ctx.now.toISOString();
  const request: Request = {
    id: input.id,
    area: ctx.area.id,
    requesterAuthorityId: ctx.actor.authorityId,
    responderAuthorityId: null,
    createdBy: ctx.actor.id,
    questions: [],
    freeText: '',
    freeTextLang: ctx.actor.language ?? 'en',
    subjectName: '',
    requestedDeadline: null,
    proposedDeadline: null,
    agreedDeadline: null,
    status: 'draft',
    answers: [],
    infoRequests: [],
    referral: null,
    training: input.training ?? false,
    version: 1,
    createdAt: at,
    updatedAt: at,
    sentAt: null,
    acceptedAt: null,
    answeredAt: null,
    closedAt: null,
  };
  return ok({ request, event: { requestId: input.id, type: 'created', actorId: ctx.actor.id, at, details: { area: ctx.area.id } } });
}

/** The deadline the parties currently work to. */
export const currentDeadline = (r: Request): IsoDate | null =>
  r.agreedDeadline ?? r.proposedDeadline?.date ?? r.requestedDeadline;

/** Request ids look like IMI-2026-000123: year of creation and a running number. */
export const formatRequestId = (year: number, seq: number): string => `IMI-${year}-${String(seq).padStart(6, '0')}`;

/**
 * Early checks of the details form of a draft, so the user can fix them on the form itself
 * instead of learning about them only when sending.
 */
export function checkDraftDetails(
  details: { questions: string[]; freeText: string; requestedDeadline: string },
  area: LegislativeArea,
  today: IsoDate,
): Result<{ requestedDeadline: IsoDate }> {
  const unknown = details.questions.find((q) => !area.questions.includes(q));
  if (unknown) return fail('REQUEST.UNKNOWN_QUESTION', { question: unknown }, 'questions');
  if (details.questions.length === 0 && !details.freeText.trim()) return fail('REQUEST.NOTHING_ASKED', {}, 'questions');
  if (details.freeText.length > MAX_TEXT) return fail('REQUEST.TEXT_TOO_LONG', { max: MAX_TEXT }, 'freeText');
  const date = checkFutureDate(details.requestedDeadline, today);
  if (!date.ok) return fail(date.error.code, date.error.params, 'deadline');
  return ok({ requestedDeadline: date.value });
}

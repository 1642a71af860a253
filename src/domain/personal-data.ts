import type { Authority } from './authority.ts';
import { reachedResponder, sideOf, type Request } from './request.ts';
import { hasRole, type User } from './user.ts';

/**
 * Where a request holds personal data (Regulation (EU) 1024/2012): the person it is about and
 * every free text, since officials write names, addresses and case details into them.
 * Everything else (ids, status, dates, authorities, question ids) is metadata.
 */
export const PERSONAL_FIELDS = [
  'subjectName',
  'freeText',
  'answers.items',
  'infoRequests.message',
  'proposedDeadline.reason',
  'referral.reason',
] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** One personal text of a request, with the language it was written in where the request records it. */
export interface PersonalText {
  field: PersonalField;
  text: string;
  lang: string | null;
}

/** Every personal text a request holds, empty ones left out. */
export function personalTexts(r: Request): PersonalText[] {
  const out: PersonalText[] = [
    { field: 'subjectName', text: r.subjectName, lang: null },
    { field: 'freeText', text: r.freeText, lang: r.freeTextLang },
    ...r.answers.flatMap((round) =>
      Object.values(round.items).map((text): PersonalText => ({ field: 'answers.items', text, lang: round.lang })),
    ),
    ...r.infoRequests.map((i): PersonalText => ({ field: 'infoRequests.message', text: i.message, lang: i.lang })),
    { field: 'proposedDeadline.reason', text: r.proposedDeadline?.reason ?? '', lang: null },
    { field: 'referral.reason', text: r.referral?.reason ?? '', lang: null },
  ];
  return out.filter((t) => t.text !== '');
}

export const hasPersonalData = (r: Request): boolean => personalTexts(r).length > 0;

/**
 * The request with every personal field emptied. Answer rounds keep their question ids, and
 * info requests, proposals and referrals keep who and when, so the trail of the exchange stays readable.
 */
export function withoutPersonalData(r: Request): Request {
  return {
    ...r,
    subjectName: '',
    freeText: '',
    answers: r.answers.map((round) => ({ ...round, items: Object.fromEntries(Object.keys(round.items).map((k) => [k, ''])) })),
    infoRequests: r.infoRequests.map((i) => ({ ...i, message: '' })),
    proposedDeadline: r.proposedDeadline ? { ...r.proposedDeadline, reason: '' } : null,
    referral: r.referral ? { ...r.referral, reason: '' } : null,
  };
}

/** The authority whose coordinators oversee an authority: its coordinator, or itself when it has none. */
export const coordinatingAuthorityOf = (a: Authority): string => a.coordinatorId ?? a.id;

/** What a user may see of a request (Art. 9: only the authorities involved see its personal data). */
export type Access =
  | { kind: 'party'; side: 'requester' | 'responder'; personalData: true }
  /** Metadata for oversight; the personal data only once the request is referred to the coordinators. */
  | { kind: 'coordinator'; personalData: boolean }
  | { kind: 'none' };

/**
 * The need-to-know rule. Users of the requesting authority, and of the responding authority once
 * the request reached it, see everything. Coordinators of either authority see sent requests'
 * metadata, and their personal data when referred. Training sandboxes are their user's alone.
 * `parties` are the request's requesting and responding authorities as stored.
 */
export function accessOf(
  request: Request,
  user: User,
  parties: { requester: Authority | null; responder: Authority | null },
): Access {
  if (!user.active) return { kind: 'none' };
  const side = sideOf(request, user);
  if (side) return { kind: 'party', side, personalData: true };
  if (request.training || !hasRole(user, 'coordinator') || !reachedResponder(request)) return { kind: 'none' };
  const oversees = [parties.requester, parties.responder].some(
    (a) => a !== null && (a.id === request.requesterAuthorityId || a.id === request.responderAuthorityId) && coordinatingAuthorityOf(a) === user.authorityId,
  );
  return oversees ? { kind: 'coordinator', personalData: request.referral !== null } : { kind: 'none' };
}

/** The request as a user may see it, or null when they may not see it at all. */
export function visibleRequest(
  request: Request,
  user: User,
  parties: { requester: Authority | null; responder: Authority | null },
): { request: Request; access: Exclude<Access, { kind: 'none' }>; redacted: boolean } | null {
  const access = accessOf(request, user, parties);
  if (access.kind === 'none') return null;
  return access.personalData
    ? { request, access, redacted: false }
    : { request: withoutPersonalData(request), access, redacted: true };
}

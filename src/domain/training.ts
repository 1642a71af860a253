import type { Request } from './request.ts';

/**
 * Training mode: a sandbox per user with a simulated partner authority abroad. The partner's
 * behaviour is a pure schedule over the request's state and the clock, so a job or the user's
 * next turn can advance it and a test can walk through it with a settable clock.
 */

/** Training request ids have their own numbering, so the live sequence keeps no gaps. */
export const formatTrainingId = (year: number, seq: number): string => `TRN-${year}-${String(seq).padStart(6, '0')}`;

export const isTrainingId = (id: string): boolean => id.startsWith('TRN-');

/** The simulated authority of a country: a real authority row, flagged as training. */
export const trainingPartnerId = (country: string): string => `training-partner-${country.toLowerCase()}`;

/** The simulated official who acts for the partner authority. */
export const trainingPartnerUserId = (country: string): string => `training-partner-${country.toLowerCase()}.bot`;

/** The partner country for a user: the first candidate that is not the user's own country. */
export const partnerCountryFor = (userCountry: string, candidates: string[]): string =>
  candidates.find((c) => c !== userCountry) ?? candidates[0]!;

/** Minutes the partner waits before each step; short, so a whole lifecycle fits in a session. */
export const TRAINING_SCHEDULE = {
  proposeAfterMinutes: 1,
  acceptAfterMinutes: 1,
  answerAfterMinutes: 3,
  followUpAfterMinutes: 1,
};

/** Days the partner adds to the requested deadline when it proposes a new one. */
export const PROPOSED_EXTRA_DAYS = 7;

export type PartnerStepType = 'propose_deadline' | 'accept' | 'answer' | 'request_info' | 'close';

export interface PartnerStep {
  type: PartnerStepType;
  /** When the partner takes the step. */
  at: Date;
}

/**
 * "Sometimes proposing a new deadline": every second training request (by its number), so a
 * trainee who sends two requests sees both ways, and a test knows which way a request goes.
 */
export const proposesNewDeadline = (requestId: string): boolean => Number(requestId.slice(-6)) % 2 === 0;

const after = (iso: string, minutes: number): Date => new Date(Date.parse(iso) + minutes * 60_000);

/**
 * The partner's next step on a training request, and when it is due; null when the next move is
 * the trainee's. As responder it (sometimes proposes a new deadline, then) accepts and answers, and
 * answers again when asked for more; as requester of the request it sent the trainee it asks once
 * for further information and then closes. `updatedAt` is the time of the last change.
 */
export function nextPartnerStep(request: Request, partnerAuthorityId: string): PartnerStep | null {
  if (!request.training) return null;
  const s = TRAINING_SCHEDULE;
  if (request.responderAuthorityId === partnerAuthorityId) {
    switch (request.status) {
      case 'sent':
        if (request.proposedDeadline === null && proposesNewDeadline(request.id)) {
          return { type: 'propose_deadline', at: after(request.updatedAt, s.proposeAfterMinutes) };
        }
        return { type: 'accept', at: after(request.updatedAt, s.acceptAfterMinutes) };
      case 'accepted':
      case 'further_info_requested':
        return { type: 'answer', at: after(request.updatedAt, s.answerAfterMinutes) };
      default:
        return null;
    }
  }
  if (request.requesterAuthorityId === partnerAuthorityId && request.status === 'answered') {
    const type = request.infoRequests.length === 0 ? 'request_info' : 'close';
    return { type, at: after(request.updatedAt, s.followUpAfterMinutes) };
  }
  return null;
}

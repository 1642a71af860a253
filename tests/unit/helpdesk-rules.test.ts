import { describe, expect, it } from 'vitest';
import { answerTicket, normalizeQuestion, openTicket } from '../../src/domain/helpdesk.ts';
import { onboardingChecklist, type OnboardingFacts } from '../../src/domain/onboarding.ts';
import { newDraft, type Request } from '../../src/domain/request.ts';
import { nextPartnerStep, partnerCountryFor, proposesNewDeadline } from '../../src/domain/training.ts';
import type { User } from '../../src/domain/user.ts';
import type { LegislativeArea } from '../../src/domain/area.ts';

const user = (over: Partial<User> = {}): User => ({
  id: 'u', authorityId: 'hu-a', name: 'U', language: 'hu', roles: ['handler'], areas: ['services'], identities: [], active: true, ...over,
});

describe('training schedule', () => {
  const area: LegislativeArea = { id: 'services', legalBasis: [], defaultDeadlineDays: 15, workingDays: true, acceptWithinDays: 5, questions: ['q1'] };
  const base = (id: string, over: Partial<Request>): Request => {
    const made = newDraft({ id, area: 'services', training: true }, { actor: user(), now: new Date('2026-11-25T09:00:00Z'), area });
    if (!made.ok) throw new Error(made.error.code);
    return { ...made.value.request, responderAuthorityId: 'training-partner-ie', updatedAt: '2026-11-25T09:00:00.000Z', ...over };
  };

  it('accepts a minute after sending, or first proposes a new deadline on every second request', () => {
    expect(proposesNewDeadline('TRN-2026-000001')).toBe(false);
    expect(proposesNewDeadline('TRN-2026-000002')).toBe(true);
    expect(nextPartnerStep(base('TRN-2026-000001', { status: 'sent' }), 'training-partner-ie'))
      .toEqual({ type: 'accept', at: new Date('2026-11-25T09:01:00.000Z') });
    expect(nextPartnerStep(base('TRN-2026-000002', { status: 'sent' }), 'training-partner-ie')?.type).toBe('propose_deadline');
    const proposed = base('TRN-2026-000002', { status: 'sent', proposedDeadline: { date: '2026-12-22', reason: 'r', by: 'bot' } });
    expect(nextPartnerStep(proposed, 'training-partner-ie')?.type).toBe('accept');
  });

  it('answers three minutes after accepting and after being asked for more; waits for the trainee otherwise', () => {
    expect(nextPartnerStep(base('TRN-2026-000001', { status: 'accepted' }), 'training-partner-ie'))
      .toEqual({ type: 'answer', at: new Date('2026-11-25T09:03:00.000Z') });
    expect(nextPartnerStep(base('TRN-2026-000001', { status: 'further_info_requested' }), 'training-partner-ie')?.type).toBe('answer');
    expect(nextPartnerStep(base('TRN-2026-000001', { status: 'answered' }), 'training-partner-ie')).toBeNull();
    expect(nextPartnerStep(base('TRN-2026-000001', { status: 'draft' }), 'training-partner-ie')).toBeNull();
  });

  it('as requester asks once for more information, then closes', () => {
    const incoming = (infoRequests: Request['infoRequests']) =>
      base('TRN-2026-000003', { status: 'answered', requesterAuthorityId: 'training-partner-ie', responderAuthorityId: 'hu-a', infoRequests });
    expect(nextPartnerStep(incoming([]), 'training-partner-ie')?.type).toBe('request_info');
    expect(nextPartnerStep(incoming([{ at: '', by: '', lang: 'en', message: 'm' }]), 'training-partner-ie')?.type).toBe('close');
  });

  it('never acts on a live request, and never sits in the trainee\'s own country', () => {
    expect(nextPartnerStep({ ...base('IMI-2026-000001', { status: 'sent' }), training: false }, 'training-partner-ie')).toBeNull();
    expect(partnerCountryFor('HU', ['IE', 'MT'])).toBe('IE');
    expect(partnerCountryFor('IE', ['IE', 'MT'])).toBe('MT');
  });
});

describe('onboarding rules', () => {
  const facts = (over: Partial<OnboardingFacts> = {}): OnboardingFacts => ({
    now: new Date('2026-11-25T09:00:00Z'), inboxOpenedAt: null, partnersViewedAt: null, handledAreas: ['services'],
    backupsByArea: { services: 1 }, dataReviewedAt: null, trainingCompletedAt: null, usersReviewedAt: null, ...over,
  });
  const item = (f: OnboardingFacts, id: string) => onboardingChecklist(f).find((i) => i.id === id);

  it('counts a yearly confirmation for twelve months', () => {
    expect(item(facts({ dataReviewedAt: '2025-11-26T09:00:00Z' }), 'authority-data')).toMatchObject({ done: true, dueAgainAt: '2026-11-26T09:00:00.000Z' });
    expect(item(facts({ dataReviewedAt: '2025-11-24T09:00:00Z' }), 'authority-data')?.done).toBe(false);
    expect(item(facts(), 'users-removed')).toMatchObject({ done: false, doneAt: null, dueAgainAt: null });
  });

  it('wants a backup in every handled area', () => {
    expect(item(facts({ handledAreas: ['services', 'posting-of-workers'], backupsByArea: { services: 2 } }), 'backup-colleague'))
      .toMatchObject({ done: false, missingAreas: ['posting-of-workers'] });
    expect(item(facts({ handledAreas: [] }), 'backup-colleague')).toBeUndefined();
  });
});

describe('helpdesk tickets', () => {
  const asker = user({ id: 'asker' });
  const coordinator = user({ id: 'coord', authorityId: 'hu-nimic', roles: ['coordinator'], areas: [] });
  const now = new Date('2026-11-25T09:00:00Z');

  it('are answered once, by a coordinator of the authority they were handed to', () => {
    const t = openTicket({ id: 'HD-2026-000001', question: ' Kérdés? ', lang: 'hu' }, { asker, coordinatorAuthorityId: 'hu-nimic', now });
    if (!t.ok) throw new Error(t.error.code);
    expect(t.value).toMatchObject({ question: 'Kérdés?', status: 'open' });
    expect(answerTicket(t.value, user({ id: 'other', authorityId: 'de-nimic', roles: ['coordinator'] }), 'x', 'de', now))
      .toMatchObject({ ok: false, error: { code: 'HELPDESK.NOT_COORDINATOR' } });
    expect(answerTicket(t.value, coordinator, '  ', 'hu', now)).toMatchObject({ ok: false, error: { code: 'HELPDESK.ANSWER_EMPTY' } });
    const answered = answerTicket(t.value, coordinator, 'Válasz.', 'hu', now);
    if (!answered.ok) throw new Error(answered.error.code);
    expect(answerTicket(answered.value, coordinator, 'Még egy', 'hu', now)).toMatchObject({ ok: false, error: { code: 'HELPDESK.TICKET_ANSWERED' } });
  });

  it('group questions that differ only in case, accents and punctuation', () => {
    expect(normalizeQuestion('Mi a HATÁRIDŐ?!')).toBe(normalizeQuestion('mi a hatarido'));
  });
});

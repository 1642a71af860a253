import { addAuthority, updateAuthority } from '../../src/app/people/register-authority.ts';
import { addUser } from '../../src/app/people/register-user.ts';
import { actOnRequest, type ActionInput } from '../../src/app/requests/act-on-request.ts';
import { createDraft } from '../../src/app/requests/create-draft.ts';
import type { AppDeps } from '../../src/app/deps.ts';
import type { RenderedReply, ChannelSender, SendOutcome } from '../../src/conversation/types.ts';
import type { Channel, Identity, Role } from '../../src/domain/user.ts';

export const PQ = 'professional-qualifications';
const SYSTEM = { id: 'test', origin: 'system' as const };

/** The person every test request is about: must never show up in a notification. */
export const SUBJECT = 'Kovács János Ödön';

function must<T>(what: string, r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}`);
  return r.value;
}

interface Person {
  id: string;
  authorityId: string;
  language: string | null;
  roles: Role[];
  areas?: string[];
  identities?: Identity[];
}

/**
 * Hungarian requesters (Budapest) and German responders (Berlin), each authority with two
 * handlers and a local admin, and a coordinator per country. One German handler reads French.
 * Every authority's data counts as reviewed now, so only the reminders a test is about go out.
 */
export const PEOPLE: Person[] = [
  { id: 'hu.coord', authorityId: 'hu-nimic', language: 'hu', roles: ['coordinator'] },
  { id: 'hu.one', authorityId: 'hu-a', language: 'hu', roles: ['handler'], areas: [PQ] },
  { id: 'hu.two', authorityId: 'hu-a', language: null, roles: ['handler'], areas: [PQ] },
  { id: 'hu.admin', authorityId: 'hu-a', language: 'hu', roles: ['local_admin'] },
  { id: 'de.coord', authorityId: 'de-nimic', language: 'de', roles: ['coordinator'] },
  { id: 'de.one', authorityId: 'de-b', language: 'de', roles: ['handler'], areas: [PQ] },
  { id: 'de.two', authorityId: 'de-b', language: 'fr', roles: ['handler'], areas: [PQ] },
  { id: 'de.admin', authorityId: 'de-b', language: null, roles: ['local_admin'] },
];

export async function seedWorld(deps: AppDeps): Promise<void> {
  const authorities = [
    { id: 'hu-nimic', name: 'Nemzeti IMI-koordinátor', country: 'HU', areas: [], coordinatorId: null },
    { id: 'hu-a', name: 'Egészségügyi Hatóság', country: 'HU', areas: [PQ], coordinatorId: 'hu-nimic' },
    { id: 'de-nimic', name: 'Nationaler IMI-Koordinator', country: 'DE', areas: [], coordinatorId: null },
    { id: 'de-b', name: 'Landesamt für Gesundheit', country: 'DE', areas: [PQ], coordinatorId: 'de-nimic' },
  ];
  for (const a of authorities) {
    must(a.id, await addAuthority(deps, a, SYSTEM));
    must(a.id, await updateAuthority(deps, { id: a.id, dataReviewedAt: deps.clock.now().toISOString() }, SYSTEM));
  }
  for (const p of PEOPLE) {
    must(p.id, await addUser(deps, { id: p.id, authorityId: p.authorityId, name: p.id, language: p.language, roles: p.roles, areas: p.areas ?? [], identities: p.identities }, SYSTEM));
  }
}

export const act = async (deps: AppDeps, actorId: string, requestId: string, action: ActionInput) =>
  must(`${action.type} ${requestId}`, await actOnRequest(deps, { actorId, requestId, action, origin: 'system' }));

/** A request from hu-a to de-b, sent now by hu.one with the given deadline. */
export async function sendRequest(deps: AppDeps, deadline: string): Promise<string> {
  const draft = must('draft', await createDraft(deps, { actorId: 'hu.one', area: PQ, origin: 'system' }));
  await act(deps, 'hu.one', draft.id, {
    type: 'update_draft',
    changes: { responderAuthorityId: 'de-b', questions: ['pq-legally-established'], subjectName: SUBJECT, requestedDeadline: deadline },
  });
  await act(deps, 'hu.one', draft.id, { type: 'send' });
  return draft.id;
}

/** A channel that records what it is asked to send, and answers with scripted outcomes (then success). */
export function recordingSender(channel: Channel = 'web', script: SendOutcome[] = []) {
  const sent: { externalId: string; reply: RenderedReply }[] = [];
  const attempts: string[] = [];
  const outcomes = [...script];
  const sender = {
    channel,
    async send(externalId: string, reply: RenderedReply): Promise<SendOutcome> {
      attempts.push(externalId);
      const outcome = outcomes.shift() ?? { ok: true };
      if (outcome.ok) sent.push({ externalId, reply });
      return outcome;
    },
  } satisfies ChannelSender;
  return { sender, sent, attempts };
}

/** All text of a rendered reply, for looking for words in it. */
export const textOf = (reply: RenderedReply): string => JSON.stringify(reply.blocks);

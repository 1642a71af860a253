import { createHash } from 'node:crypto';
import { personalTexts, withoutPersonalData } from '../../domain/personal-data.ts';
import type { Request } from '../../domain/request.ts';
import type { UnitOfWork } from '../ports/repositories.ts';

/**
 * The key under which src/app/translation/translate-for-reader.ts caches the translations of a
 * text written in `from`. Kept in step with it by tests/integration/retention.test.ts, which
 * fills the cache through translateForReader and checks that erasure empties it.
 */
export const translationHash = (text: string, from: string): string =>
  createHash('sha256').update(`${from}\u0000${text}`).digest('hex');

/** Cache keys of every personal text of a request that the chat may have machine-translated. */
export const translationHashesOf = (r: Request): string[] => [
  ...new Set(personalTexts(r).flatMap((t) => (t.lang ? [translationHash(t.text, t.lang)] : []))),
];

export interface Erasure {
  request: Request;
  /** How many personal texts were removed. */
  fields: number;
  /** How many cached machine translations of them were removed. */
  translations: number;
}

/**
 * Removes a request's personal data and the cached translations of its texts, inside the caller's
 * transaction, and records when. Returns null when the request changed meanwhile (try again).
 */
export async function erasePersonalData(tx: UnitOfWork, request: Request, at: string): Promise<Erasure | null> {
  const fields = personalTexts(request).length;
  const translations = await tx.retention.purgeTranslations(translationHashesOf(request));
  const erased: Request = { ...withoutPersonalData(request), version: request.version + 1, updatedAt: at };
  if (fields > 0 && !(await tx.requests.update(erased, request.version))) return null;
  await tx.retention.markDeleted(request.id, at);
  return { request: fields > 0 ? erased : request, fields, translations };
}

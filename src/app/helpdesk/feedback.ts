import { fail, ok, type Result } from '../../domain/result.ts';
import type { AppDeps, Origin } from '../deps.ts';
import type { RatingSummary, UnansweredSummary } from '../ports/helpdesk.repository.ts';

export interface RateAnswer {
  /** FaqAnswer.questionId of the answer rated. */
  questionId: number;
  /** The rater; must be the asker when the question had one. */
  userId: string | null;
  helpful: boolean;
  origin: Origin;
}

/** Stores 👍 or 👎 for an answer; a second rating of the same answer replaces the first. */
export async function rateAnswer(deps: AppDeps, input: RateAnswer): Promise<Result<{ questionId: number; helpful: boolean }>> {
  return deps.store.transaction(async (tx) => {
    const asked = await tx.helpdesk.question(input.questionId);
    // Someone else's answer is "not found" too, so record ids cannot be probed.
    if (!asked || !asked.answered || (asked.userId !== null && asked.userId !== input.userId)) {
      return fail('HELPDESK.ANSWER_NOT_FOUND', { id: input.questionId });
    }
    const at = deps.clock.now().toISOString();
    await tx.helpdesk.rate(asked.id, input.userId, input.helpful, at);
    await tx.audit.append({
      at,
      actorId: input.userId ?? 'cli',
      channel: input.origin,
      action: 'helpdesk.rate',
      target: asked.entryId ?? '',
      details: { question: asked.id, helpful: input.helpful },
    });
    return ok({ questionId: asked.id, helpful: input.helpful });
  });
}

export interface FaqReport {
  /** Questions below the confidence threshold, most asked first. */
  unanswered: UnansweredSummary[];
  /** Entries rated unhelpful at least as often as helpful (and at least once), worst first. */
  poorlyRated: (RatingSummary & { question: string | null })[];
}

/** What the knowledge base lacks: questions it could not answer, and answers people did not find helpful. */
export async function faqReport(deps: AppDeps, questionOf?: (lang: string, entryId: string) => string | null): Promise<FaqReport> {
  const unanswered = await deps.store.helpdesk.unanswered();
  const poorlyRated = (await deps.store.helpdesk.ratings())
    .filter((r) => r.unhelpful > 0 && r.unhelpful >= r.helpful)
    .sort((a, b) => b.unhelpful - b.helpful - (a.unhelpful - a.helpful) || b.unhelpful - a.unhelpful)
    .map((r) => ({ ...r, question: questionOf?.(r.lang, r.entryId) ?? null }));
  return { unanswered, poorlyRated };
}

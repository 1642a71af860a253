import type { Ticket } from '../../domain/helpdesk.ts';
import type { FaqQuestionRecord } from './helpdesk.repository.ts';

/** When a record's personal data were blocked and deleted under the retention rules. */
export interface RetentionMarkers {
  blockedAt: string | null;
  personalDataDeletedAt: string | null;
}

/** Retention cutoffs (ISO instants) a store may pre-select with; the caller decides exactly. */
export interface RetentionCutoffs {
  blockCutoff: string;
  deleteCutoff: string;
}

/** A record that may be due, with the instant its retention counts from. */
export type DueRecord<Id> = { id: Id; closedAt: string } & RetentionMarkers;

/** A hand-over ticket as stored, blocked and erased ones included. */
export type TicketRecord = Ticket & RetentionMarkers;

/** A question put to the FAQ as stored, with its asker's rating of the answer. */
export type FaqQuestionRetained = FaqQuestionRecord &
  RetentionMarkers & { rating: { userId: string | null; helpful: boolean; at: string } | null };

/**
 * Retention bookkeeping beside the requests (migration 006) and the helpdesk's tickets and FAQ
 * questions (migration 011), and clean-up of copies of their texts.
 */
export interface RetentionRepository {
  /** One request's markers, or null when there is no such request. */
  markers(requestId: string): Promise<RetentionMarkers | null>;
  /**
   * Requests that may be due: closed at or before `blockCutoff` and not yet blocked, or closed at
   * or before `deleteCutoff` and not yet deleted (ISO instants; the caller decides exactly).
   */
  due(cutoffs: RetentionCutoffs): Promise<({ id: string } & RetentionMarkers)[]>;
  markBlocked(requestId: string, at: string): Promise<void>;
  markDeleted(requestId: string, at: string): Promise<void>;
  /** Removes cached machine translations of texts by the hashes they are cached under; returns the rows removed. */
  purgeTranslations(hashes: string[]): Promise<number>;

  /** Every ticket, blocked and erased ones included, oldest first: for export and erasure. */
  tickets(): Promise<TicketRecord[]>;
  /** One ticket as stored, or null. */
  ticket(id: string): Promise<TicketRecord | null>;
  /** Answered tickets that may be due, the same way as `due` (an answered ticket is closed; `closedAt` is when it was answered). */
  ticketsDue(cutoffs: RetentionCutoffs): Promise<DueRecord<string>[]>;
  markTicketBlocked(id: string, at: string): Promise<void>;
  /**
   * Empties a ticket's question and answer and the copies of them (and of the names) in its
   * notifications, and records when. Returns how many texts and notifications it emptied; a
   * ticket already erased is left alone (zeros).
   */
  eraseTicket(id: string, at: string): Promise<{ fields: number; notifications: number }>;

  /** Every FAQ question, blocked and erased ones included, oldest first: for export and erasure. */
  faqQuestions(): Promise<FaqQuestionRetained[]>;
  /** FAQ questions that may be due, the same way as `due` (`closedAt` is when it was asked). */
  faqQuestionsDue(cutoffs: RetentionCutoffs): Promise<DueRecord<number>[]>;
  markFaqQuestionsBlocked(ids: number[], at: string): Promise<void>;
  /**
   * Empties FAQ questions' texts and removes who asked them and who rated their answers (the
   * ratings stay for the report), and records when. Returns the ids it erased; erased ones are skipped.
   */
  eraseFaqQuestions(ids: number[], at: string): Promise<number[]>;
}

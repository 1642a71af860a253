import type { Ticket } from '../../domain/helpdesk.ts';
import type { Origin } from '../deps.ts';

/** One question put to the FAQ, answered or not: the source of feedback and of the report. */
export interface FaqQuestionRecord {
  id: number;
  userId: string | null;
  /** The language the answer was given in. */
  lang: string;
  question: string;
  /** The entry shown, or the best candidate when the question fell below the threshold. */
  entryId: string | null;
  score: number;
  answered: boolean;
  origin: Origin;
  askedAt: string;
}

/** Questions the FAQ could not answer, grouped by their normalised text. */
export interface UnansweredSummary {
  question: string;
  /** The language the askers were answered in (one of them, when several). */
  lang: string;
  count: number;
  lastAskedAt: string;
  bestEntryId: string | null;
  bestScore: number;
}

/** How an entry fared in one language: how often it was shown and how it was rated. */
export interface RatingSummary {
  entryId: string;
  lang: string;
  shown: number;
  helpful: number;
  unhelpful: number;
}

/**
 * The helpdesk's questions, ratings and tickets. Records the retention run blocked, or whose
 * personal data were erased, read as absent here (lists, lookups, the report); only the
 * RetentionRepository sees them.
 */
export interface HelpdeskRepository {
  /** Records a question and what it got; returns the record's id. */
  logQuestion(q: Omit<FaqQuestionRecord, 'id'>): Promise<number>;
  question(id: number): Promise<FaqQuestionRecord | null>;
  /** Stores a 👍/👎 for an answer; rating the same answer again replaces the earlier rating. */
  rate(questionId: number, userId: string | null, helpful: boolean, at: string): Promise<void>;
  unanswered(): Promise<UnansweredSummary[]>;
  ratings(): Promise<RatingSummary[]>;
  /** The next running number of ticket ids for a year. */
  nextTicketNumber(year: number): Promise<number>;
  insertTicket(t: Ticket): Promise<void>;
  getTicket(id: string): Promise<Ticket | null>;
  /** Saves a changed ticket if it is still open; returns false when someone answered it meanwhile. */
  answerTicket(t: Ticket): Promise<boolean>;
  /** Tickets a user asked, newest first. */
  ticketsOfAsker(userId: string): Promise<Ticket[]>;
  /** Tickets handed to an authority's coordinators, open ones first, then newest first. */
  ticketsForCoordinators(authorityId: string): Promise<Ticket[]>;
}

/** What the bot remembers of a user's start, where the rest of the data cannot tell. */
export interface OnboardingState {
  userId: string;
  inboxOpenedAt: string | null;
  partnersViewedAt: string | null;
  trainingMode: boolean;
  trainingStartedAt: string | null;
}

export interface OnboardingRepository {
  /** A user's state; a user never seen has an empty one. */
  state(userId: string): Promise<OnboardingState>;
  saveState(s: OnboardingState): Promise<void>;
  /** Notes that the bot has met the user; true only the first time, so the first reply can greet them with the checklist. */
  markSeen(userId: string): Promise<boolean>;
  /** The local admin's last confirmation that users who left were removed from the authority. */
  usersReviewed(authorityId: string): Promise<{ at: string; by: string } | null>;
  confirmUsersReviewed(authorityId: string, at: string, by: string): Promise<void>;
}

/** Which training requests belong to whose sandbox, and which authorities are simulated. */
export interface TrainingRepository {
  /** Flags an authority as a simulated training partner, hidden from live lists. */
  markPartner(authorityId: string): Promise<void>;
  isPartner(authorityId: string): Promise<boolean>;
  partnerIds(): Promise<string[]>;
  /** The next running number of training request ids for a year. */
  nextNumber(year: number): Promise<number>;
  /** Puts a training request into a user's sandbox. */
  link(requestId: string, userId: string, at: string): Promise<void>;
  /** Ids of the training requests in a user's sandbox. */
  requestsOf(userId: string): Promise<string[]>;
  /** Whose sandbox a training request is in. */
  ownerOf(requestId: string): Promise<string | null>;
  /** Deletes training requests with their history and sandbox links; live requests are never touched. */
  deleteRequests(ids: string[]): Promise<number>;
}

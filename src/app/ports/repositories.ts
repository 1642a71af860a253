import type { Authority } from '../../domain/authority.ts';
import type { HistoryEvent, Request, RequestStatus } from '../../domain/request.ts';
import type { Channel, Identity, User } from '../../domain/user.ts';
import type { AuditEntry, OutboxRow, OutboxStatus, NewNotification } from './records.ts';
import type { ChannelStateRepository } from './channel-state.repository.ts';
import type { TranslationRepository } from './translation.repository.ts';
import type { InvitationRepository, RegisterRepository } from './admin.repository.ts';
import type { ReminderRepository } from './reminder.repository.ts';
import type { HelpdeskRepository, OnboardingRepository, TrainingRepository } from './helpdesk.repository.ts';
import type { RetentionRepository } from './retention.repository.ts';
import type { LeaseRepository } from './lease.repository.ts';
import type { BulkRepository, ChartRepository, ScoreboardRepository } from './coordinator.repository.ts';

export interface AuthorityRepository {
  /** One authority, or null. */
  get(id: string): Promise<Authority | null>;
  /** All live authorities (simulated training partners excluded), ordered by country then name. */
  list(): Promise<Authority[]>;
  /** Inserts a new authority; the caller has checked that the id is free. */
  insert(a: Authority): Promise<void>;
  /** Replaces the stored authority with the same id. */
  update(a: Authority): Promise<void>;
}

export interface UserRepository {
  /** One user (active or not), or null. */
  get(id: string): Promise<User | null>;
  /** The active user bound to a channel identity, or null. */
  byIdentity(identity: Identity): Promise<User | null>;
  /** Active users of an authority. */
  ofAuthority(authorityId: string): Promise<User[]>;
  /** Every user, active or not. */
  list(): Promise<User[]>;
  insert(u: User): Promise<void>;
  /** Replaces a user's profile, roles, areas and identities. */
  update(u: User): Promise<void>;
  /** Stores the language a user chose. */
  setLanguage(id: string, language: string | null): Promise<void>;
}

export interface RequestFilter {
  /** Requests where this authority is requester or responder. */
  authorityId?: string;
  statuses?: RequestStatus[];
  training?: boolean;
}

export interface RequestRepository {
  get(id: string): Promise<Request | null>;
  list(filter: RequestFilter): Promise<Request[]>;
  insert(r: Request): Promise<void>;
  /**
   * Saves a changed request if nobody changed it meanwhile (its stored version is
   * `expectedVersion`); returns false otherwise and writes nothing.
   */
  update(r: Request, expectedVersion: number): Promise<boolean>;
  /** The next running number of request ids for a year. */
  nextSequence(year: number): Promise<number>;
}

export interface HistoryRepository {
  append(e: HistoryEvent): Promise<void>;
  of(requestId: string): Promise<HistoryEvent[]>;
}

export interface OutboxRepository {
  /** Queues a notification; a second row with the same key is ignored (returns false). */
  add(n: NewNotification): Promise<boolean>;
  list(status?: OutboxStatus): Promise<OutboxRow[]>;
  /** Rows delivered to one recipient on one channel after a row id, oldest first. */
  deliveredTo(recipientId: string, channel: Channel, afterId: number, limit: number): Promise<OutboxRow[]>;
  /** Pending rows due at `now`, oldest first, marked as claimed until `leaseUntil`. */
  claim(now: Date, limit: number, leaseUntil: Date): Promise<OutboxRow[]>;
  markDelivered(id: number, at: Date, channel: Channel): Promise<void>;
  /** Records a failed attempt: back to pending at `retryAt`, or failed for good when retryAt is null. */
  markAttemptFailed(id: number, reason: string, retryAt: Date | null): Promise<void>;
  /** How many notifications wait (pending, due or not) and how many failed for good: the backlog /metrics shows. */
  backlog(): Promise<{ pending: number; failed: number }>;
}

export interface AuditRepository {
  append(e: AuditEntry): Promise<void>;
  list(limit?: number): Promise<AuditEntry[]>;
}

/** What /healthz reports about the database. */
export interface DatabaseStatus {
  engine: 'sqlite' | 'postgres';
  migration: string | null;
}

/** Everything a use case may read and write, inside one transaction. */
export interface UnitOfWork {
  authorities: AuthorityRepository;
  users: UserRepository;
  requests: RequestRepository;
  history: HistoryRepository;
  outbox: OutboxRepository;
  audit: AuditRepository;
  reminders: ReminderRepository;
  channelState: ChannelStateRepository;
  translations: TranslationRepository;
  invitations: InvitationRepository;
  registers: RegisterRepository;
  helpdesk: HelpdeskRepository;
  onboarding: OnboardingRepository;
  training: TrainingRepository;
  retention: RetentionRepository;
  leases: LeaseRepository;
  scoreboard: ScoreboardRepository;
  charts: ChartRepository;
  bulk: BulkRepository;
}

/** The store: repositories outside a transaction for reads, and transactions for changes. */
export interface Store extends UnitOfWork {
  /** Runs `work` in one transaction: all of its writes land, or none. */
  transaction<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** The engine and the latest applied migration (null before any); rejects when the database does not answer. */
  status(): Promise<DatabaseStatus>;
  /** Applies pending migrations; returns how many ran. */
  migrate(): Promise<number>;
  close(): Promise<void>;
}

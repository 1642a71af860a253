import type { Authority } from '../../domain/authority.ts';
import type { Period, ScoreCounts } from '../../domain/scoreboard.ts';
import type { Identity, User } from '../../domain/user.ts';
import type { AuditEntry } from './records.ts';

/** Which authorities a coordinator tool looks at: all, or those one authority coordinates; optionally one country. */
export interface AuthorityScope {
  /** Authorities whose coordinator is this authority (itself excluded); absent = every authority. */
  coordinatorId?: string;
  country?: string;
}

/** An authority as the scoreboard lists it: no contact data, no people. */
export interface ScopedAuthority {
  id: string;
  name: string;
  country: string;
  timezone: string;
}

/** The counts of one responding authority in one legislative area. */
export interface ScoreRow extends ScoreCounts {
  authorityId: string;
  area: string;
}

export interface ScoreboardRepository {
  /** Live authorities in the scope (training partners excluded), ordered by country then name. */
  authorities(scope: AuthorityScope): Promise<ScopedAuthority[]>;
  /**
   * The counts per responding authority and area, added up by the database: live requests only
   * (training excluded), sent in the period as read in each authority's time zone; open and
   * overdue as of `now`. Groups with nothing to count are left out.
   */
  counts(scope: AuthorityScope, period: Period, now: Date, area?: string): Promise<ScoreRow[]>;
}

/** A chart behind an unguessable link, until it expires. */
export interface ChartRepository {
  save(token: string, spec: string, createdAt: string, expiresAt: string): Promise<void>;
  /** The stored spec if the token exists and has not expired at `now`. */
  find(token: string, now: string): Promise<string | null>;
  /** Forgets charts expired at `now`; returns how many. */
  purge(now: string): Promise<number>;
}

/** What a request export carries: metadata only, never the subject, texts or answers. */
export interface RequestMetadata {
  id: string;
  area: string;
  status: string;
  requester: string;
  responder: string | null;
  requestedDeadline: string | null;
  agreedDeadline: string | null;
  createdAt: string;
  sentAt: string | null;
  acceptedAt: string | null;
  answeredAt: string | null;
  closedAt: string | null;
}

/** Reads and writes of many rows at once, for imports and exports of a coordinator's records. */
export interface BulkRepository {
  /** Stored authorities with these ids (training partners too, flagged), by id. */
  authoritiesByIds(ids: string[]): Promise<Map<string, { authority: Authority; training: boolean }>>;
  /** Stored users with these ids (removed ones too), with their identities, by id. */
  usersByIds(ids: string[]): Promise<Map<string, User>>;
  /** Which user holds each of these identities, keyed "channel:externalId". */
  identityOwners(identities: Identity[]): Promise<Map<string, string>>;
  /** Inserts new authorities in chunks. */
  insertAuthorities(list: Authority[]): Promise<void>;
  /** Inserts new users and their identities in chunks. */
  insertUsers(list: User[]): Promise<void>;
  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** Metadata of live requests sent or received by authorities in the scope, ordered by id. */
  requestMetadata(scope: AuthorityScope): Promise<RequestMetadata[]>;
}

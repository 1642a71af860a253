import type { Invitation } from '../../domain/admin.ts';
import type { RegisterEntry } from '../../domain/register.ts';

export interface InvitationRepository {
  /** Stores a new invitation; returns its id. */
  insert(inv: Omit<Invitation, 'id'>): Promise<number>;
  /** The invitation whose code hashes to this value, or null. */
  byCodeHash(codeHash: string): Promise<Invitation | null>;
  /** Marks it used by a new user, unless it already was (returns false then and changes nothing). */
  markUsed(id: number, at: string, userId: string): Promise<boolean>;
  /** Invitations of an authority, newest first. */
  ofAuthority(authorityId: string): Promise<Invitation[]>;
}

export interface RegisterFilter {
  country?: string;
  area?: string;
}

export interface RegisterRepository {
  /**
   * The registers directory: the entries shipped in data/registers merged with those authorities
   * added; a stored entry with the same id as a shipped one replaces it. Ordered by country, id.
   */
  list(filter?: RegisterFilter): Promise<RegisterEntry[]>;
  get(id: string): Promise<RegisterEntry | null>;
  /** Adds an entry or replaces the stored one with the same id. */
  upsert(entry: RegisterEntry): Promise<void>;
}

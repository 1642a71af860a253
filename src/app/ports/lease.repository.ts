/** A named lease and who holds it until when. */
export interface Lease {
  name: string;
  holder: string;
  /** When the current holder first took it (renewals keep it). */
  since: string;
  expiresAt: string;
}

/**
 * Leader leases: jobs that must run on one instance at a time (reminder scan, retention) run
 * where the lease is held. A holder renews before expiry; a dead holder's lease simply lapses.
 */
export interface LeaseRepository {
  /**
   * Takes or renews the lease `name` for `holder` until `until`, if it is free, expired at `now`
   * or already `holder`'s. True when `holder` holds it now.
   */
  acquire(name: string, holder: string, now: Date, until: Date): Promise<boolean>;
  /** Gives the lease up if `holder` has it, so another instance can take it at once. */
  release(name: string, holder: string, now: Date): Promise<void>;
  /** The lease as stored, expired or not; null when nobody ever took it. */
  current(name: string): Promise<Lease | null>;
}

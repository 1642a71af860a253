import crypto from 'node:crypto';
import os from 'node:os';
import type { AppDeps } from '../app/deps.ts';

/** The lease the reminder scan and the retention run are led under. */
export const JOBS_LEASE = 'scheduled-jobs';

export const DEFAULT_LEASE_SECONDS = 30;

export interface LeadershipOptions {
  /** Lease name in the leases table. */
  name?: string;
  /** How long a lease lasts unless renewed; a dead leader is replaced within this time. */
  ttlMs?: number;
  /** Who this instance is in the leases table; host, pid and a random part by default. */
  holder?: string;
  log(line: string): void;
}

/** Whether this instance is the one that runs the jobs meant for one instance at a time. */
export interface Leadership {
  readonly name: string;
  readonly holder: string;
  /** True when this instance holds the lease now; takes or renews it first when that is due. */
  leads(): Promise<boolean>;
  /** The last known answer without asking the database (for metrics). */
  leading(): boolean;
  /** Stops renewing and gives the lease up, so another instance takes over at its next try. */
  stop(): Promise<void>;
}

/** A holder id that tells an operator which host and process leads. */
export const defaultHolder = (): string => `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;

/**
 * Leader election over the leases table, for any number of instances on one database. Every
 * instance tries to take or renew the lease every third of its lifetime; the holder renews it,
 * the others find it taken until it lapses. An instance counts itself leader only until two
 * thirds of the lease are gone without a renewal, so it has stopped before anyone else may start
 * (clocks of the instances in step, as NTP keeps them). The jobs led this way are idempotent
 * anyway: the lease saves duplicate work, exclusivity is not what keeps them correct.
 */
export function startLeadership(deps: Pick<AppDeps, 'store' | 'clock'>, options: LeadershipOptions): Leadership {
  const name = options.name ?? JOBS_LEASE;
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_SECONDS * 1000;
  const holder = options.holder ?? defaultHolder();
  let validUntil = 0;
  let held = false;
  let stopped = false;
  let pending: Promise<boolean> | null = null;

  const attempt = (): Promise<boolean> =>
    (pending ??= (async () => {
      if (stopped) return false;
      const now = deps.clock.now();
      let ok = false;
      try {
        ok = await deps.store.leases.acquire(name, holder, now, new Date(now.getTime() + ttlMs));
      } catch (err) {
        // Without an answer this instance cannot know it still leads, so it stops leading.
        options.log(`imi-bot: lease ${name} could not be renewed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (ok !== held) options.log(ok ? `imi-bot: this instance (${holder}) now leads the scheduled jobs` : `imi-bot: this instance (${holder}) no longer leads the scheduled jobs`);
      held = ok;
      validUntil = ok ? now.getTime() + (ttlMs * 2) / 3 : 0;
      return ok;
    })().finally(() => {
      pending = null;
    }));

  const timer = setInterval(() => void attempt(), Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  void attempt();

  const leading = () => held && !stopped && deps.clock.now().getTime() < validUntil;
  return {
    name,
    holder,
    leading,
    async leads() {
      return leading() || (await attempt());
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await pending;
      if (held) {
        held = false;
        await deps.store.leases.release(name, holder, deps.clock.now()).catch(() => {});
      }
    },
  };
}

/** IMI_LEADER_LEASE_SECONDS: how long a leader's lease lasts (default 30); a bad value stops the process with its name. */
export function leaseSecondsFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IMI_LEADER_LEASE_SECONDS?.trim();
  if (!raw) return DEFAULT_LEASE_SECONDS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > 3600) {
    throw new Error(`IMI_LEADER_LEASE_SECONDS="${raw}" is not valid: give a number of seconds from 1 to 3600`);
  }
  return n;
}

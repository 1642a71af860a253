/** The current time; injected so tests and the reminder CLI (`--now`) can set it. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tells a fixed time; for `--now` and for tests. */
export const fixedClock = (at: Date): Clock => ({ now: () => at });

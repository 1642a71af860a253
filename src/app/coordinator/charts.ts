import { randomBytes } from 'node:crypto';
import type { Light } from '../../domain/scoreboard.ts';
import type { AppDeps } from '../deps.ts';

/**
 * A chart as data: every word already in the reader's language, every value a number. It is
 * stored behind a random token and drawn when its link is fetched, so the link carries no data.
 */
export interface ChartSpec {
  title: string;
  subtitle: string;
  /** One panel per indicator, side by side; `marks` are the threshold lines drawn across it. */
  columns: { label: string; max: number; marks: number[] }[];
  rows: { label: string; cells: { value: number | null; text: string; light: Light }[] }[];
  /** What each light means, shown under the chart next to its symbol. */
  legend: { light: Light; text: string }[];
}

/** Links live one day: long enough to read a scoreboard again, short enough not to linger in chat logs. */
export const CHART_TTL_MS = 24 * 60 * 60 * 1000;

/** At most this many rows: a chart is for a glance; the list beside it has every authority. */
export const MAX_CHART_ROWS = 15;

const TOKEN = /^[A-Za-z0-9_-]{32}$/;

export interface PublishedChart {
  token: string;
  /** Relative to the server's root; channels that need an absolute URL prefix their public base. */
  path: string;
  expiresAt: string;
}

/** Stores a chart under a fresh 192-bit token and forgets charts that have expired. */
export async function publishChart(deps: AppDeps, spec: ChartSpec, ttlMs = CHART_TTL_MS): Promise<PublishedChart> {
  const now = deps.clock.now();
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const trimmed: ChartSpec = { ...spec, rows: spec.rows.slice(0, MAX_CHART_ROWS) };
  await deps.store.transaction(async (tx) => {
    await tx.charts.purge(now.toISOString());
    await tx.charts.save(token, JSON.stringify(trimmed), now.toISOString(), expiresAt);
  });
  return { token, path: `/charts/${token}.png`, expiresAt };
}

/** The chart behind a token, or null when the token is malformed, unknown or expired. */
export async function openChart(deps: AppDeps, token: string): Promise<{ spec: ChartSpec } | null> {
  if (!TOKEN.test(token)) return null;
  const stored = await deps.store.charts.find(token, deps.clock.now().toISOString());
  return stored === null ? null : { spec: JSON.parse(stored) as ChartSpec };
}

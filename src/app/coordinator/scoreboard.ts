import { parseIsoDate, todayIn } from '../../domain/deadlines.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import {
  addCounts,
  checkPeriod,
  DEFAULT_PERIOD_DAYS,
  figuresOf,
  lastDays,
  SCOREBOARD_RULES,
  ZERO_COUNTS,
  type Figures,
  type Period,
  type ScoreCounts,
} from '../../domain/scoreboard.ts';
import type { AppDeps } from '../deps.ts';
import type { AdminActor } from '../admin/principal.ts';
import { resolveScope, type ScopeInput } from './scope.ts';

export interface ScoreboardInput extends ScopeInput {
  /** First and last day (YYYY-MM-DD), both included; by default the last 90 days up to today. */
  from?: string;
  to?: string;
  /** Only requests of this legislative area. */
  area?: string;
}

export type AuthorityScore = { id: string; name: string; country: string } & Figures;

/** The scoreboard of a scope: per authority, per area, per country and in total. No personal data. */
export interface Scoreboard {
  period: Period;
  generatedAt: string;
  scope: { coordinator: string | null; country: string | null; area: string | null };
  rules: typeof SCOREBOARD_RULES;
  total: Figures;
  countries: ({ country: string } & Figures)[];
  areas: ({ area: string } & Figures)[];
  authorities: AuthorityScore[];
}

function sumBy<K>(rows: { key: K; counts: ScoreCounts }[]): Map<K, ScoreCounts> {
  const out = new Map<K, ScoreCounts>();
  for (const { key, counts } of rows) out.set(key, addCounts(out.get(key) ?? ZERO_COUNTS, counts));
  return out;
}

/**
 * The Single Market Scoreboard indicators for the authorities a coordinator coordinates (all
 * of them for the operator). The database adds the requests up per authority and area; the
 * roll-ups to areas, countries and the total are sums of those few rows.
 */
export async function showScoreboard(deps: AppDeps, input: ScoreboardInput, by: AdminActor): Promise<Result<Scoreboard>> {
  const resolved = await resolveScope(deps, input, by);
  if (!resolved.ok) return resolved;
  const { scope, timezone } = resolved.value;
  const area = input.area?.trim() || undefined;
  if (area && !deps.areas.has(area)) return fail('REQUEST.UNKNOWN_AREA', { area }, 'area');
  const now = deps.clock.now();
  const to = input.to?.trim() || todayIn(now, timezone);
  const from = input.from?.trim() || (parseIsoDate(to) ? lastDays(to, DEFAULT_PERIOD_DAYS).from : to);
  const period = checkPeriod(from, to);
  if (!period.ok) return period;

  const authorities = await deps.store.scoreboard.authorities(scope);
  const rows = await deps.store.scoreboard.counts(scope, period.value, now, area);
  const byAuthority = sumBy(rows.map((r) => ({ key: r.authorityId, counts: r })));
  const byArea = sumBy(rows.map((r) => ({ key: r.area, counts: r })));
  const countryOf = new Map(authorities.map((a) => [a.id, a.country]));
  const byCountry = sumBy([
    ...authorities.map((a) => ({ key: a.country, counts: ZERO_COUNTS })),
    ...rows.map((r) => ({ key: countryOf.get(r.authorityId) ?? '', counts: r })),
  ]);
  const total = rows.reduce<ScoreCounts>((sum, r) => addCounts(sum, r), ZERO_COUNTS);

  return ok({
    period: period.value,
    generatedAt: now.toISOString(),
    scope: { coordinator: scope.coordinatorId ?? null, country: scope.country ?? null, area: area ?? null },
    rules: SCOREBOARD_RULES,
    total: figuresOf(total),
    countries: [...byCountry].sort(([a], [b]) => a.localeCompare(b)).map(([country, c]) => ({ country, ...figuresOf(c) })),
    areas: [...byArea].sort(([a], [b]) => a.localeCompare(b)).map(([a, c]) => ({ area: a, ...figuresOf(c) })),
    authorities: authorities.map((a) => ({ id: a.id, name: a.name, country: a.country, ...figuresOf(byAuthority.get(a.id) ?? ZERO_COUNTS) })),
  });
}

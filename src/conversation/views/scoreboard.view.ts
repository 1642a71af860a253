import type { ChartSpec } from '../../app/coordinator/charts.ts';
import type { AuthorityScore, Scoreboard } from '../../app/coordinator/scoreboard.ts';
import { SCOREBOARD_RULES, severity, worstLight, type Figures, type Light } from '../../domain/scoreboard.ts';
import { text, verbatim } from '../render.ts';
import type { Block, Button, TextLike, Tone } from '../types.ts';
import { dateText, tr, type TurnContext } from '../turn-context.ts';

/**
 * The scoreboard as view models: a card with the totals, their traffic lights (a symbol and a
 * word each, never colour alone) and a chart; a list of authorities, those needing attention
 * first; a list per legislative area. Every channel lays these out in its own way.
 */

export const PAGE_SIZE = 10;

export const TONE_OF: Record<Light, Tone> = { green: 'success', amber: 'warning', red: 'danger', none: 'neutral' };

const lightsOf = (f: Figures): Light[] => [f.acceptedWithin7Days.light, f.averageDaysToAnswer.light, f.answeredByDeadline.light];

/** Authorities worst first; those with nothing to measure last, by name. */
export function worstFirst(authorities: AuthorityScore[]): AuthorityScore[] {
  const measured = (a: AuthorityScore) => a.received > 0 || a.open > 0;
  return [...authorities].sort(
    (a, b) => Number(measured(b)) - Number(measured(a)) || severity(b) - severity(a) || a.name.localeCompare(b.name),
  );
}

const number = (ctx: TurnContext, x: number): string => new Intl.NumberFormat(ctx.lang, { maximumFractionDigits: 1 }).format(x);

const percent = (ctx: TurnContext, x: number | null): TextLike =>
  x === null ? text('scoreboard.noData') : text('scoreboard.percent', { value: number(ctx, x) });

const days = (ctx: TurnContext, x: number | null): TextLike =>
  x === null ? text('scoreboard.noData') : verbatim(number(ctx, x));

const symbol = (light: Light): TextLike => text(`scoreboard.symbol.${light}`);

/** The three indicators and the open count of one row, as one line of text. */
export function figuresLine(ctx: TurnContext, f: Figures): TextLike {
  return text('scoreboard.line', {
    accepted: text('scoreboard.part.accepted', { days: SCOREBOARD_RULES.acceptanceDays, symbol: symbol(f.acceptedWithin7Days.light), value: percent(ctx, f.acceptedWithin7Days.percent) }),
    answerDays: text('scoreboard.part.answerDays', { symbol: symbol(f.averageDaysToAnswer.light), value: days(ctx, f.averageDaysToAnswer.days) }),
    onTime: text('scoreboard.part.onTime', { symbol: symbol(f.answeredByDeadline.light), value: percent(ctx, f.answeredByDeadline.percent) }),
    open: text('scoreboard.part.open', { open: f.open, overdue: f.overdue }),
  });
}

function shareValue(ctx: TurnContext, s: Figures['acceptedWithin7Days']): TextLike {
  if (s.percent === null) return text('scoreboard.value.none', { light: text('scoreboard.light.none') });
  return text('scoreboard.value.share', { light: text(`scoreboard.light.${s.light}`), percent: number(ctx, s.percent), count: s.count, of: s.of });
}

function daysValue(ctx: TurnContext, d: Figures['averageDaysToAnswer']): TextLike {
  if (d.days === null) return text('scoreboard.value.none', { light: text('scoreboard.light.none') });
  return text('scoreboard.value.days', { light: text(`scoreboard.light.${d.light}`), days: number(ctx, d.days), answered: d.answered });
}

export const periodButtons = (): Button[] => [
  { action: 'scoreboard.period', label: text('scoreboard.period.last30'), value: { days: '30' } },
  { action: 'scoreboard.period', label: text('scoreboard.period.last90'), value: { days: '90' } },
  { action: 'scoreboard.period', label: text('scoreboard.period.last365'), value: { days: '365' } },
];

/** The totals card; `chartUrl` when a chart was published for it. */
export function totalsCard(ctx: TurnContext, b: Scoreboard, chartUrl: string | null, chartRows: number): Block {
  const worst = worstLight(lightsOf(b.total));
  const R = SCOREBOARD_RULES;
  return {
    kind: 'card',
    title: text('scoreboard.title', { from: dateText(ctx, b.period.from), to: dateText(ctx, b.period.to) }),
    subtitle: text('scoreboard.subtitle', { authorities: b.authorities.length, received: b.total.received }),
    badge: { text: text(`scoreboard.light.${worst}`), tone: TONE_OF[worst] },
    fields: [
      { label: text('scoreboard.indicator.accepted', { days: R.acceptanceDays, target: R.acceptanceTarget }), value: shareValue(ctx, b.total.acceptedWithin7Days) },
      { label: text('scoreboard.indicator.answerDays', { good: R.answerGreenBelow, poor: R.answerRedAbove }), value: daysValue(ctx, b.total.averageDaysToAnswer) },
      { label: text('scoreboard.indicator.onTime', { target: R.deadlineTarget }), value: shareValue(ctx, b.total.answeredByDeadline) },
      { label: text('scoreboard.indicator.open'), value: text('scoreboard.value.open', { open: b.total.open, overdue: b.total.overdue }) },
    ],
    ...(chartUrl ? { image: { url: `${ctx.deps.publicUrl ?? ''}${chartUrl}`, alt: text('scoreboard.chart.alt', { rows: chartRows }) } } : {}),
    actions: periodButtons(),
  };
}

/** One page of the authorities, worst first, each with its own marker. */
export function authorityList(ctx: TurnContext, b: Scoreboard, page: number): Block {
  const sorted = worstFirst(b.authorities);
  const start = page * PAGE_SIZE;
  const rest = sorted.length - start - PAGE_SIZE;
  return {
    kind: 'list',
    title: text('scoreboard.authorities', { total: sorted.length }),
    empty: text('scoreboard.noAuthorities'),
    items: sorted.slice(start, start + PAGE_SIZE).map((a) => {
      const light = worstLight(lightsOf(a));
      return { text: verbatim(a.name), detail: figuresLine(ctx, a), tone: TONE_OF[light] };
    }),
    ...(rest > 0
      ? { more: { action: 'scoreboard.more', label: text('scoreboard.more'), value: { from: b.period.from, to: b.period.to, page: String(page + 1) } } }
      : {}),
  };
}

/** The same figures per legislative area, when there is more than one. */
export function areaList(ctx: TurnContext, b: Scoreboard): Block | null {
  if (b.areas.length < 2) return null;
  return {
    kind: 'list',
    title: text('scoreboard.areas'),
    items: b.areas.map((a) => ({
      text: text(`domain.area.${a.area}.name`),
      detail: figuresLine(ctx, a),
      tone: TONE_OF[worstLight(lightsOf(a))],
    })),
  };
}

/** The chart of the authorities needing the most attention, in the reader's words. */
export function chartSpec(ctx: TurnContext, b: Scoreboard, rows: AuthorityScore[]): ChartSpec {
  const R = SCOREBOARD_RULES;
  const longest = Math.max(0, ...rows.map((a) => a.averageDaysToAnswer.days ?? 0));
  const cellText = (value: number | null, unit: 'percent' | 'days') =>
    value === null ? '–' : unit === 'percent' ? tr(ctx, 'scoreboard.percent', { value: number(ctx, value) }) : number(ctx, value);
  return {
    title: tr(ctx, 'scoreboard.title', { from: dateText(ctx, b.period.from), to: dateText(ctx, b.period.to) }),
    subtitle: tr(ctx, 'scoreboard.chart.subtitle'),
    columns: [
      { label: tr(ctx, 'scoreboard.short.accepted', { days: R.acceptanceDays }), max: 100, marks: [R.acceptanceTarget] },
      { label: tr(ctx, 'scoreboard.short.answerDays'), max: Math.max(30, Math.ceil(longest / 5) * 5), marks: [R.answerGreenBelow, R.answerRedAbove] },
      { label: tr(ctx, 'scoreboard.short.onTime'), max: 100, marks: [R.deadlineTarget] },
    ],
    rows: rows.map((a) => ({
      label: a.name,
      cells: [
        { value: a.acceptedWithin7Days.percent, text: cellText(a.acceptedWithin7Days.percent, 'percent'), light: a.acceptedWithin7Days.light },
        { value: a.averageDaysToAnswer.days, text: cellText(a.averageDaysToAnswer.days, 'days'), light: a.averageDaysToAnswer.light },
        { value: a.answeredByDeadline.percent, text: cellText(a.answeredByDeadline.percent, 'percent'), light: a.answeredByDeadline.light },
      ],
    })),
    legend: (['green', 'amber', 'red', 'none'] as const).map((light) => ({ light, text: tr(ctx, `scoreboard.light.${light}`) })),
  };
}

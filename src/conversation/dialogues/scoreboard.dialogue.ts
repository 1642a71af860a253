import { MAX_CHART_ROWS, publishChart } from '../../app/coordinator/charts.ts';
import { showScoreboard, type ScoreboardInput } from '../../app/coordinator/scoreboard.ts';
import { todayIn } from '../../domain/deadlines.ts';
import { lastDays, MAX_PERIOD_DAYS } from '../../domain/scoreboard.ts';
import { text } from '../render.ts';
import { errorReply, reply, type Outcome, type TurnContext } from '../turn-context.ts';
import { areaList, authorityList, chartSpec, periodButtons, totalsCard, worstFirst } from '../views/scoreboard.view.ts';
import { one, type Values } from './values.ts';

/**
 * `scoreboard` for coordinators: how the authorities they coordinate respond, for the last 90
 * days, the last N days (`scoreboard 30`) or a period (`scoreboard 2026-01-01 2026-03-31`).
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const today = (ctx: TurnContext) => todayIn(ctx.deps.app.clock.now(), ctx.authority.timezone);

const usage = (): Outcome => reply({ kind: 'text', text: text('scoreboard.usage') }, { kind: 'card', title: text('scoreboard.choose'), fields: [], actions: periodButtons() });

/** Reads the words after the command: nothing, a number of days, or one or two dates. */
function periodOf(ctx: TurnContext, words: string): ScoreboardInput | null {
  const parts = words.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return {};
  if (parts.length === 1 && /^\d{1,4}$/.test(parts[0]!)) {
    const n = Number(parts[0]);
    return n >= 1 && n < MAX_PERIOD_DAYS ? lastDays(today(ctx), n) : null;
  }
  if (parts.length <= 2 && parts.every((p) => ISO_DATE.test(p))) return { from: parts[0], to: parts[1] };
  return null;
}

async function show(ctx: TurnContext, input: ScoreboardInput, page: number): Promise<Outcome> {
  const result = await showScoreboard(ctx.deps.app, input, { id: ctx.user.id, origin: ctx.turn.channel });
  if (!result.ok) return errorReply(result.error);
  const board = result.value;
  if (page > 0) return reply(authorityList(ctx, board, page));
  const charted = worstFirst(board.authorities).filter((a) => a.received > 0).slice(0, MAX_CHART_ROWS);
  const chart = charted.length > 0 ? await publishChart(ctx.deps.app, chartSpec(ctx, board, charted)) : null;
  const blocks = [totalsCard(ctx, board, chart?.path ?? null, charted.length), authorityList(ctx, board, 0)];
  const areas = areaList(ctx, board);
  return reply(...blocks, ...(areas ? [areas] : []));
}

/** The text command. */
export async function scoreboardTurn(ctx: TurnContext, words: string): Promise<Outcome> {
  const input = periodOf(ctx, words);
  return input ? show(ctx, input, 0) : usage();
}

/** "scoreboard.*" actions: another period, the next page of authorities; null for other ids. */
export async function scoreboardAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  if (id === 'scoreboard.period') {
    const days = Number(one(values, 'days'));
    if (![30, 90, 365].includes(days)) return usage();
    return show(ctx, lastDays(today(ctx), days), 0);
  }
  if (id === 'scoreboard.more') {
    const page = Number(one(values, 'page'));
    if (!Number.isInteger(page) || page < 1 || page > 1000) return usage();
    return show(ctx, { from: one(values, 'from'), to: one(values, 'to') }, page);
  }
  return null;
}

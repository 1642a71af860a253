import { createTurnLimiter, turnRateFromEnv, type TurnLimiter } from '../app/security/turn-limiter.ts';
import type { Translator } from '../i18n/i18n.ts';
import { localize, text } from './render.ts';
import type { RenderedReply, Turn } from './types.ts';

/** Stops a user's turns while they exceed the turn rate, with a polite answer in their language. */
export interface TurnGate {
  /** Null when the turn may go ahead; otherwise the reply that asks the user to wait. */
  check(turn: Pick<Turn, 'channel' | 'externalId'>, lang: string): RenderedReply | null;
}

/** The gate of the conversation engine; the limiter defaults to IMI_TURN_RATE (30 a minute, bursts of 10). */
export function createTurnGate(i18n: Translator, limiter: TurnLimiter = createTurnLimiter(turnRateFromEnv())): TurnGate {
  return {
    check(turn, lang) {
      const permit = limiter.take(`${turn.channel}:${turn.externalId}`);
      if (permit.allowed) return null;
      return localize(i18n, lang, {
        blocks: [{ kind: 'text', text: text('security.rateLimited', { count: permit.retryAfterSeconds }), tone: 'warning' }],
      });
    },
  };
}

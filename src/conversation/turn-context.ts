import type { AppDeps } from '../app/deps.ts';
import type { HelpdeskDeps } from '../app/helpdesk/ask-faq.ts';
import type { TrainingDeps } from '../app/training/training-script.ts';
import type { Authority } from '../domain/authority.ts';
import type { DomainError } from '../domain/result.ts';
import type { User } from '../domain/user.ts';
import { formatDate, type Translator } from '../i18n/i18n.ts';
import { errorKey } from '../i18n/error-messages.ts';
import { text } from './render.ts';
import type { Reply, TextLike, Turn } from './types.ts';

export interface ConversationDeps {
  app: AppDeps;
  i18n: Translator;
  /** The FAQ knowledge base (helpdesk-wiring.ts); without it free text gets the help list. */
  helpdesk?: HelpdeskDeps;
  /** The simulated partner's script (helpdesk-wiring.ts); without it training mode is unavailable. */
  training?: TrainingDeps;
  /** The server's public address; links to our own pages (chart images) are made absolute with it. */
  publicUrl?: string | null;
}

/** Everything a dialogue step knows about the turn it answers. */
export interface TurnContext {
  deps: ConversationDeps;
  turn: Turn;
  user: User;
  authority: Authority;
  /** The language of the reply; a `language` command may change it mid-turn. */
  lang: string;
}

/** A dialogue step's answer: the reply, and whether it replaces the card the action came from. */
export interface Outcome {
  reply: Reply;
  replacesCard?: boolean;
  /** The language to speak when the dialogue knows better than the turn (a stranger who just became a user). */
  lang?: string;
}

export const reply = (...blocks: Reply['blocks']): Outcome => ({ reply: { blocks } });

/** The text of a domain error, as a TextLike for view models. */
export const errorText = (error: DomainError): TextLike => text(errorKey(error.code), error.params);

/** A one-line error reply. */
export const errorReply = (error: DomainError): Outcome => reply({ kind: 'text', text: errorText(error), tone: 'danger' });

/** Translates now, for texts composed of several translated parts. */
export const tr = (ctx: TurnContext, key: string, params?: Record<string, string | number | null>): string =>
  ctx.deps.i18n.t(ctx.lang, key, params);

/**
 * A pure function of a string key with its answers kept, up to `max` of them (then it starts
 * afresh): dates and language names are formatted on every turn, and each takes luxon or an
 * Intl object far longer than a lookup.
 */
export function remembered<R>(compute: (key: string) => R, max = 5000): (key: string) => R {
  const answers = new Map<string, R>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined && !answers.has(key)) {
      answer = compute(key);
      if (answers.size >= max) answers.clear();
      answers.set(key, answer);
    }
    return answer as R;
  };
}

const formattedDate = remembered((key) => {
  const [isoDate, lang] = key.split('\n') as [string, string];
  return formatDate(isoDate, lang);
});

export const dateText = (ctx: TurnContext, isoDate: string | null): string => (isoDate ? formattedDate(`${isoDate}\n${ctx.lang}`) : '—');

const languageNames = remembered((key) => {
  const [code, inLang] = key.split('\n') as [string, string];
  try {
    return new Intl.DisplayNames([inLang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
});

/** A language's name in another language, from the platform's CLDR data. */
export const languageName = (code: string, inLang: string): string => languageNames(`${code}\n${inLang}`);

import { fail, ok, type Result } from '../../domain/result.ts';
import type { AppDeps, Origin } from '../deps.ts';
import { contactFor, placeholderValues, resolveContacts, type HelpContacts, type ResolvedContact } from './contacts.ts';
import { confidentMatch, type FaqIndex, type FaqMatch } from './faq-index.ts';
import { fillTemplate, type KbEntry } from './knowledge-base.ts';

/** What the helpdesk use cases need besides the core: the searchable knowledge base and area names. */
export interface HelpdeskDeps extends AppDeps {
  faq: FaqIndex;
  /** A legislative area's name in a language (the channels' translator); the id when not given. */
  areaName?: (lang: string, areaId: string) => string;
  /** The chat command word in a language (the conversation's own); the knowledge base's when not given. */
  commandWord?: (lang: string, command: string) => string | null;
}

export interface AskFaq {
  text: string;
  /** The asker; without one (the operator CLI) answers name no real person. */
  userId?: string | null;
  /** The language to answer in; otherwise the user's, then the question's, then the authority's. */
  lang?: string | null;
  origin: Origin;
}

export interface FaqSuggestion {
  id: string;
  /** The entry's main phrasing in the answer language. */
  question: string;
  score: number;
}

export interface FaqAnswer {
  answered: boolean;
  /** The entry answered with; null below the threshold. */
  id: string | null;
  /** Confidence of the best match, 0–1. */
  score: number;
  /** The answer with the asker's real coordinator, local admins and helpdesk filled in; null below the threshold. */
  answer: string | null;
  /** Below the threshold: up to three entries the user may have meant. */
  suggestions: FaqSuggestion[];
  /** The language the answer and suggestions are in. */
  lang: string;
  /** The language the question was recognised in, when it could be told. */
  detectedLang: string | null;
  /** The record of this question: what 👍/👎 (rateAnswer) and the hand-over (handOverQuestion) refer to. */
  questionId: number;
  /** Whom the answer sends the user to; below the threshold, their coordinator. */
  contact: ResolvedContact;
  /** Whether the question can be handed over: a registered asker with a coordinator other than themselves. */
  canHandOver: boolean;
}

/** Suggestions weaker than this are noise, not "did you mean". */
const SUGGESTION_FLOOR = 0.1;
const MAX_SUGGESTIONS = 3;
/** A question longer than this is cut for search and log; nobody asks the FAQ an essay. */
const MAX_QUESTION = 2_000;

const supported = (faq: FaqIndex, lang: string | null | undefined): string | null =>
  lang && faq.languages.includes(lang) ? lang : null;

async function asker(deps: HelpdeskDeps, userId: string | null | undefined): Promise<Result<HelpContacts>> {
  const contacts = await resolveContacts(deps.store, userId ?? null);
  if (userId && (!contacts.user || !contacts.user.active)) return fail('USER.NOT_FOUND', { id: userId }, 'user');
  return ok(contacts);
}

function render(deps: HelpdeskDeps, lang: string, entry: KbEntry, contacts: HelpContacts): string {
  const areaName = (id: string) => deps.areaName?.(lang, id) ?? id;
  const national = contacts.coordinatorAuthority !== null && contacts.coordinatorAuthority.id === contacts.nationalAuthority?.id;
  const template = national && entry.answerNationalOnly ? entry.answerNationalOnly : entry.answer;
  const values = placeholderValues(contacts, deps.faq.kb(lang), areaName);
  for (const name of Object.keys(deps.faq.kb(lang).commands)) {
    const word = deps.commandWord?.(lang, name);
    if (word) values[`cmd.${name}`] = word;
  }
  return fillTemplate(template, values);
}

const canHandOver = (c: HelpContacts): boolean =>
  c.user !== null && c.coordinators.some((u) => u.id !== c.user!.id);

/**
 * Answers a helpdesk question from the knowledge base, in the asker's language and naming the
 * asker's own coordinator, local admins and helpdesk. The question may be written in any supported
 * language: it is searched in the language it looks like and in the answer language, and the better
 * match wins. Below the confidence threshold it answers with suggestions instead. Every question is
 * recorded, for feedback and for the report of unanswered questions.
 */
export async function askFaq(deps: HelpdeskDeps, input: AskFaq): Promise<Result<FaqAnswer>> {
  const text = input.text.trim().slice(0, MAX_QUESTION);
  if (!text) return fail('HELPDESK.QUESTION_EMPTY', {}, 'question');
  const found = await asker(deps, input.userId);
  if (!found.ok) return found;
  const contacts = found.value;
  const detected = deps.faq.detect(text);
  const lang =
    supported(deps.faq, input.lang) ??
    supported(deps.faq, contacts.user?.language) ??
    detected ??
    supported(deps.faq, contacts.authority?.language) ??
    'en';
  // Searched in the language the question is written in; stems of one language match
  // look-alike words of another ("registered" in the French index), so only one is searched.
  const matches: FaqMatch[] = deps.faq.search(text, detected ?? lang).matches;
  const top = matches[0] ?? null;
  const chosen = confidentMatch(matches, deps.faq.threshold);
  const entry = chosen ? deps.faq.entry(lang, chosen.id) : null;
  const suggestions = entry
    ? []
    : matches
        .filter((m) => m.score >= SUGGESTION_FLOOR)
        .slice(0, MAX_SUGGESTIONS)
        .map((m) => ({ id: m.id, question: deps.faq.entry(lang, m.id)?.questions[0] ?? m.id, score: m.score }));
  const questionId = await deps.store.helpdesk.logQuestion({
    userId: contacts.user?.id ?? null,
    lang,
    question: text,
    entryId: top?.id ?? null,
    score: top?.score ?? 0,
    answered: entry !== null,
    origin: input.origin,
    askedAt: deps.clock.now().toISOString(),
  });
  return ok({
    answered: entry !== null,
    id: entry?.id ?? null,
    score: top?.score ?? 0,
    answer: entry ? render(deps, lang, entry, contacts) : null,
    suggestions,
    lang,
    detectedLang: detected,
    questionId,
    contact: contactFor(entry?.contact ?? 'coordinator', contacts),
    canHandOver: canHandOver(contacts),
  });
}

/**
 * Shows one entry, e.g. the "did you mean" suggestion the user picked or a help-menu topic;
 * recorded like an answer, so it can be rated.
 */
export async function showFaqEntry(
  deps: HelpdeskDeps,
  input: { entryId: string; userId?: string | null; lang?: string | null; origin: Origin },
): Promise<Result<FaqAnswer>> {
  const found = await asker(deps, input.userId);
  if (!found.ok) return found;
  const contacts = found.value;
  const lang = supported(deps.faq, input.lang) ?? supported(deps.faq, contacts.user?.language) ??
    supported(deps.faq, contacts.authority?.language) ?? 'en';
  const entry = deps.faq.entry(lang, input.entryId);
  if (!entry) return fail('HELPDESK.UNKNOWN_ENTRY', { id: input.entryId });
  const questionId = await deps.store.helpdesk.logQuestion({
    userId: contacts.user?.id ?? null,
    lang,
    question: entry.questions[0]!,
    entryId: entry.id,
    score: 1,
    answered: true,
    origin: input.origin,
    askedAt: deps.clock.now().toISOString(),
  });
  return ok({
    answered: true,
    id: entry.id,
    score: 1,
    answer: render(deps, lang, entry, contacts),
    suggestions: [],
    lang,
    detectedLang: null,
    questionId,
    contact: contactFor(entry.contact, contacts),
    canHandOver: canHandOver(contacts),
  });
}

import { buildFaqIndex, type FaqIndex } from './app/helpdesk/faq-index.ts';
import type { HelpdeskDeps } from './app/helpdesk/ask-faq.ts';
import type { KnowledgeBase } from './app/helpdesk/knowledge-base.ts';
import type { TrainingDeps, TrainingScript } from './app/training/training-script.ts';
import { loadKnowledgeBase, loadTrainingScript } from './store/helpdesk-data.ts';
import type { Core } from './wiring.ts';

let knowledge: KnowledgeBase | null = null;
let index: FaqIndex | null = null;
let script: TrainingScript | null = null;

/** data/faq, read and checked once per process. */
const knowledgeBase = (): KnowledgeBase => (knowledge ??= loadKnowledgeBase());

/** The FAQ index, built once per process from data/faq (stemming the knowledge base takes a moment). */
export const faqIndex = (): FaqIndex => (index ??= buildFaqIndex(knowledgeBase()));

/**
 * The FAQ index as the helpdesk sees it: built on its first use, the first question, rather than
 * at start-up, where stemming every language's knowledge base was a large part of the wait for
 * /healthz. Each turn copies the helpdesk deps; this object is copied, not the index built.
 */
const faqOnFirstUse: FaqIndex = {
  get languages() {
    return faqIndex().languages;
  },
  get threshold() {
    return faqIndex().threshold;
  },
  kb: (lang) => faqIndex().kb(lang),
  entry: (lang, id) => faqIndex().entry(lang, id),
  search: (text, lang) => faqIndex().search(text, lang),
  detect: (text) => faqIndex().detect(text),
};

/** What the helpdesk use cases need: the core plus the FAQ index and area names in the user's language. */
export const helpdeskDeps = (core: Core): HelpdeskDeps => {
  // Read and checked now all the same: a broken data/faq file stops the start, not the first question.
  knowledgeBase();
  return {
    ...core.deps,
    faq: faqOnFirstUse,
    areaName: (lang, areaId) => core.i18n.t(lang, `domain.area.${areaId}.name`),
    // The conversation recognises "word|alias"; answers name the first word.
    commandWord: (lang, command) =>
      core.i18n.has(lang, `bot.commands.${command}`) ? core.i18n.t(lang, `bot.commands.${command}`).split('|')[0]! : null,
  };
};

/** What the training use cases need: the core plus the simulated partner's script. */
export const trainingDeps = (core: Core): TrainingDeps => ({ ...core.deps, training: (script ??= loadTrainingScript()) });

import { buildFaqIndex, type FaqIndex } from './app/helpdesk/faq-index.ts';
import type { HelpdeskDeps } from './app/helpdesk/ask-faq.ts';
import type { TrainingDeps, TrainingScript } from './app/training/training-script.ts';
import { loadKnowledgeBase, loadTrainingScript } from './store/helpdesk-data.ts';
import type { Core } from './wiring.ts';

let index: FaqIndex | null = null;
let script: TrainingScript | null = null;

/** The FAQ index, built once per process from data/faq (stemming the knowledge base takes a moment). */
export const faqIndex = (): FaqIndex => (index ??= buildFaqIndex(loadKnowledgeBase()));

/** What the helpdesk use cases need: the core plus the FAQ index and area names in the user's language. */
export const helpdeskDeps = (core: Core): HelpdeskDeps => ({
  ...core.deps,
  faq: faqIndex(),
  areaName: (lang, areaId) => core.i18n.t(lang, `domain.area.${areaId}.name`),
  // The conversation recognises "word|alias"; answers name the first word.
  commandWord: (lang, command) =>
    core.i18n.has(lang, `bot.commands.${command}`) ? core.i18n.t(lang, `bot.commands.${command}`).split('|')[0]! : null,
});

/** What the training use cases need: the core plus the simulated partner's script. */
export const trainingDeps = (core: Core): TrainingDeps => ({ ...core.deps, training: (script ??= loadTrainingScript()) });

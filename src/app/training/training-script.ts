import type { AppDeps } from '../deps.ts';

/** What the simulated partner writes, in one language (data/training/<lang>.json). */
export interface TrainingTexts {
  answer: string;
  freeTextAnswer: string;
  deadlineReason: string;
  infoRequest: string;
  incomingFreeText: string;
  incomingSubject: string;
}

/** The simulated partner: where it is, what it is called, and what it writes in each language. */
export interface TrainingScript {
  partners: {
    /** Countries the partner may be in; a user gets the first that is not their own. */
    countries: string[];
    /** The partner authority's language. */
    language: string;
    /** Authority name, with {{country}}. */
    name: string;
    /** Name of the simulated official who acts for it. */
    officialName: string;
  };
  texts: Record<string, TrainingTexts>;
}

/** What the training use cases need besides the core: the partner's script. */
export interface TrainingDeps extends AppDeps {
  training: TrainingScript;
}

/** The partner's texts in a language, English where the language has none yet. */
export const textsIn = (script: TrainingScript, lang: string | null | undefined): { lang: string; texts: TrainingTexts } =>
  lang && script.texts[lang] ? { lang, texts: script.texts[lang]! } : { lang: 'en', texts: script.texts.en! };

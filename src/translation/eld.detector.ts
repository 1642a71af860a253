import { eld } from 'eld/medium';
import type { LanguageDetector } from '../app/ports/machine-translator.ts';

/** Efficient Language Detector (n-gram based, runs locally, no service needed). */
export const eldDetector: LanguageDetector = {
  detect(text) {
    const result = eld.detect(text);
    const language = result.language && result.language !== 'und' ? result.language : null;
    // Norwegian arrives as "nb"/"no" depending on the model; the product uses "no".
    return { language: language === 'nb' ? 'no' : language, reliable: language !== null && result.isReliable() };
  },
};

import type { MachineTranslator } from '../app/ports/machine-translator.ts';
import { deepl } from './deepl.translator.ts';
import { libreTranslate } from './libretranslate.translator.ts';

/** The translation service the environment names: LibreTranslate, else DeepL, else none. */
export function chooseTranslator(env: NodeJS.ProcessEnv = process.env): MachineTranslator | null {
  if (env.TRANSLATOR_URL) return libreTranslate(env.TRANSLATOR_URL, env.TRANSLATOR_API_KEY || undefined);
  if (env.DEEPL_API_KEY) return deepl(env.DEEPL_API_KEY, env.DEEPL_API_URL || undefined);
  return null;
}

import type { MachineTranslator } from '../app/ports/machine-translator.ts';

/** DeepL's target codes differ from plain ISO codes for a few languages. */
const TARGETS: Record<string, string> = { en: 'EN-GB', pt: 'PT-PT', no: 'NB' };

/** DeepL API v2; free-plan keys (ending ":fx") use the free endpoint. */
export function deepl(apiKey: string, baseUrl?: string, timeoutMs = 5000): MachineTranslator {
  const base = baseUrl ?? (apiKey.endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com');
  const url = new URL('v2/translate', base.endsWith('/') ? base : `${base}/`);
  return {
    provider: 'DeepL',
    async translate(text, from, to) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `DeepL-Auth-Key ${apiKey}` },
        body: JSON.stringify({ text: [text], source_lang: (from === 'no' ? 'nb' : from).toUpperCase(), target_lang: TARGETS[to] ?? to.toUpperCase() }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`DeepL answered ${res.status}`);
      const body = (await res.json()) as { translations?: { text?: unknown }[] };
      const translated = body.translations?.[0]?.text;
      if (typeof translated !== 'string') throw new Error('DeepL sent no translation');
      return translated;
    },
  };
}

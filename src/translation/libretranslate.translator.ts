import type { MachineTranslator } from '../app/ports/machine-translator.ts';

/** A LibreTranslate server (self-hostable, open source): POST /translate. */
export function libreTranslate(baseUrl: string, apiKey?: string, timeoutMs = 5000): MachineTranslator {
  const url = new URL('translate', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  return {
    provider: 'LibreTranslate',
    async translate(text, from, to) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ q: text, source: from, target: to, format: 'text', ...(apiKey ? { api_key: apiKey } : {}) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`LibreTranslate answered ${res.status}`);
      const body = (await res.json()) as { translatedText?: unknown };
      if (typeof body.translatedText !== 'string') throw new Error('LibreTranslate sent no translatedText');
      return body.translatedText;
    },
  };
}

import type { Translator } from '../i18n/i18n.ts';
import type { Block, RenderedReply, Reply, TextLike } from './types.ts';

/**
 * Translated texts, by translator, language, key and (short) parameters: most of a reply is
 * fixed labels and the same few values, and i18next takes far longer to build a text than a Map
 * to find it. Bounded, as parameters come from data.
 */
const translated = new WeakMap<Translator, Map<string, string>>();
const MAX_TRANSLATED = 5000;
/** Texts with longer parameters (free text, lists) are built each time rather than kept. */
const MAX_PARAMS_LENGTH = 200;

function translate(i18n: Translator, lang: string, key: string, params?: Record<string, string | number | null>): string {
  const encoded = params ? JSON.stringify(params) : '';
  if (encoded.length > MAX_PARAMS_LENGTH) return i18n.t(lang, key, params);
  let texts = translated.get(i18n);
  if (!texts) translated.set(i18n, (texts = new Map()));
  const id = `${lang}\n${key}\n${encoded}`;
  let value = texts.get(id);
  if (value === undefined) {
    value = i18n.t(lang, key, params);
    if (texts.size >= MAX_TRANSLATED) texts.clear();
    texts.set(id, value);
  }
  return value;
}

/** Resolves a text (and texts nested in its parameters) in one language. */
export function resolveText(i18n: Translator, lang: string, text: TextLike): string {
  if ('verbatim' in text) return text.verbatim;
  if (!text.params) return translate(i18n, lang, text.key);
  const params: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(text.params)) {
    params[k] = v !== null && typeof v === 'object' ? resolveText(i18n, lang, v) : v;
  }
  return translate(i18n, lang, text.key, params);
}

/** Translates every text of a reply, so channels only lay out strings. */
export function localize(i18n: Translator, lang: string, reply: Reply, replacesCard = false): RenderedReply {
  const t = (x: TextLike) => resolveText(i18n, lang, x);
  const tOpt = (x: TextLike | undefined) => (x === undefined ? undefined : t(x));
  const button = (b: { action: string; label: TextLike; value?: Record<string, string>; style?: 'primary' | 'danger' | 'default' }) => ({
    ...b,
    label: t(b.label),
  });
  const blocks = reply.blocks.map((b): Block<string> => {
    switch (b.kind) {
      case 'text':
        return { ...b, text: t(b.text) };
      case 'card':
        return {
          ...b,
          title: t(b.title),
          subtitle: tOpt(b.subtitle),
          badge: b.badge ? { text: t(b.badge.text), tone: b.badge.tone } : undefined,
          fields: b.fields.map((f) => ({ label: t(f.label), value: t(f.value) })),
          sections: b.sections?.map((s) => ({ title: t(s.title), body: t(s.body), note: tOpt(s.note) })),
          actions: b.actions.map(button),
          image: b.image ? { url: b.image.url, alt: t(b.image.alt) } : undefined,
        };
      case 'form':
        return {
          ...b,
          title: t(b.title),
          intro: tOpt(b.intro),
          submitLabel: t(b.submitLabel),
          cancel: b.cancel ? button(b.cancel) : undefined,
          fields: b.fields.map((f) => ({
            ...f,
            label: t(f.label),
            hint: tOpt(f.hint),
            error: tOpt(f.error),
            options: f.options?.map((o) => ({ value: o.value, label: t(o.label) })),
          })),
        };
      case 'list':
        return {
          ...b,
          title: t(b.title),
          empty: tOpt(b.empty),
          more: b.more ? button(b.more) : undefined,
          items: b.items.map((i) => ({ ...i, text: t(i.text), detail: tOpt(i.detail), actions: i.actions?.map(button) })),
        };
    }
  });
  return { lang, blocks, ...(replacesCard ? { replacesCard } : {}) };
}

/** Shorthands for building view models. */
export const text = (key: string, params?: Record<string, string | number | null | TextLike>): TextLike =>
  ({ key, params });
export const verbatim = (value: string): TextLike => ({ verbatim: value });

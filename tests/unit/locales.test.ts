import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR, availableLanguages, readLanguage } from '../../src/i18n/locales.ts';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Flattens a language's messages to key → text. */
function flatten(node: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, String(node));
  }
  return out;
}

const paramsOf = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!).sort();

/** Keys with their plural variants folded together, mapped to the union of their parameters. */
function folded(messages: Map<string, string>): Map<string, { params: Set<string>; plurals: Set<string> }> {
  const out = new Map<string, { params: Set<string>; plurals: Set<string> }>();
  for (const [key, text] of messages) {
    const base = key.replace(PLURAL, '');
    const entry = out.get(base) ?? { params: new Set<string>(), plurals: new Set<string>() };
    paramsOf(text).forEach((p) => entry.params.add(p));
    const plural = PLURAL.exec(key)?.[1];
    if (plural) entry.plurals.add(plural);
    out.set(base, entry);
  }
  return out;
}

const languages = availableLanguages();
const english = folded(flatten(readLanguage('en')));

describe('locales', () => {
  it('include the four complete languages', () => {
    expect(languages).toEqual(expect.arrayContaining(['en', 'hu', 'de', 'fr']));
  });

  it.each(languages)('%s has the same files as en', (lang) => {
    const files = (l: string) => fs.readdirSync(path.join(LOCALES_DIR, l)).filter((f) => f.endsWith('.json')).sort();
    expect(files(lang)).toEqual(files('en'));
  });

  it.each(languages)('%s has exactly the keys of en, with the same parameters', (lang) => {
    const mine = folded(flatten(readLanguage(lang)));
    expect([...mine.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, entry] of english) {
      expect([...mine.get(key)!.params].sort(), `${lang}: ${key}`).toEqual([...entry.params].sort());
    }
  });

  it.each(languages)('%s has every plural form its grammar needs', (lang) => {
    const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const [key, entry] of folded(flatten(readLanguage(lang)))) {
      if (!english.get(key)?.plurals.size) continue;
      for (const category of needed) expect(entry.plurals.has(category), `${lang}: ${key}_${category}`).toBe(true);
    }
  });

  it.each(languages)('%s has no empty message', (lang) => {
    for (const [key, text] of flatten(readLanguage(lang))) expect(text.trim(), `${lang}: ${key}`).not.toBe('');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');

export type Messages = Record<string, unknown>;

/** Every language that has a folder in locales/, in alphabetical order. */
export const availableLanguages = (dir = LOCALES_DIR): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

/** One language's messages: each file of its folder under a top-level key named after the file. */
export function readLanguage(lang: string, dir = LOCALES_DIR): Messages {
  const folder = path.join(dir, lang);
  const out: Messages = {};
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    out[file.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
  }
  return out;
}

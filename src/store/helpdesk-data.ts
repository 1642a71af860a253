import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CONTACT_ROLES, PLACEHOLDERS, type KnowledgeBase, type LanguageKb } from '../app/helpdesk/knowledge-base.ts';
import type { TrainingScript } from '../app/training/training-script.ts';
import { DATA_DIR, readDataFile } from './reference-data.ts';

const PlaceholderValues = z.object(Object.fromEntries(PLACEHOLDERS.map((p) => [p, z.string().min(1)])) as Record<
  (typeof PLACEHOLDERS)[number],
  z.ZodString
>);

const LanguageKbSchema = z.object({
  language: z.string().regex(/^[a-z]{2,3}$/),
  stopWordExceptions: z.array(z.string()).default([]),
  fallbacks: PlaceholderValues,
  commands: z.record(z.string(), z.string()),
  entries: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        contact: z.enum(CONTACT_ROLES),
        questions: z.array(z.string().min(3)).min(4),
        keywords: z.array(z.string()).default([]),
        answer: z.string().min(10),
        answerNationalOnly: z.string().min(10).optional(),
      }),
    )
    .min(1),
});

const KNOWN = new Set<string>(PLACEHOLDERS);

/** Checks what a schema cannot: unique ids, known placeholders, and only ids that English has. */
function checkLanguage(kb: LanguageKb, file: string, reference: Set<string> | null): void {
  const seen = new Set<string>();
  for (const e of kb.entries) {
    if (seen.has(e.id)) throw new Error(`${file}: entry "${e.id}" appears twice`);
    seen.add(e.id);
    if (reference && !reference.has(e.id)) throw new Error(`${file}: entry "${e.id}" is not in en.json`);
    for (const [, name] of `${e.answer}${e.answerNationalOnly ?? ''}`.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) {
      const command = name!.startsWith('cmd.') ? name!.slice(4) : null;
      if (command ? !(command in kb.commands) : !KNOWN.has(name!)) {
        throw new Error(`${file}: entry "${e.id}" uses the unknown placeholder {{${name}}}`);
      }
    }
  }
}

/**
 * The helpdesk knowledge base: data/faq/<lang>.json, one file per language so languages can be
 * added one at a time. English is the reference: other languages may lack entries, never add ids.
 */
export function loadKnowledgeBase(dir = path.join(DATA_DIR, 'faq')): KnowledgeBase {
  const files = fs.readdirSync(dir).filter((f) => /^[a-z]{2,3}\.json$/.test(f)).sort();
  const languages = files.map((f) => {
    const kb = readDataFile(f, LanguageKbSchema, dir) as LanguageKb;
    if (`${kb.language}.json` !== f) throw new Error(`${path.join(dir, f)}: "language" must be "${f.slice(0, -5)}"`);
    return kb;
  });
  const en = languages.find((l) => l.language === 'en');
  if (!en) throw new Error(`${dir}: en.json is missing; it is the reference language`);
  const reference = new Set(en.entries.map((e) => e.id));
  for (const kb of languages) checkLanguage(kb, path.join(dir, `${kb.language}.json`), kb === en ? null : reference);
  return languages;
}

const TrainingTextsSchema = z.object({
  answer: z.string().min(1),
  freeTextAnswer: z.string().min(1),
  deadlineReason: z.string().min(1),
  infoRequest: z.string().min(1),
  incomingFreeText: z.string().min(1),
  incomingSubject: z.string().min(1),
});

const TrainingPartnersSchema = z.object({
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(2),
  language: z.string(),
  name: z.string().includes('{{country}}'),
  officialName: z.string().min(1),
});

/** The simulated partner's script: data/training/partners.json and a text file per language. */
export function loadTrainingScript(dir = path.join(DATA_DIR, 'training')): TrainingScript {
  const partners = readDataFile('partners.json', TrainingPartnersSchema, dir);
  const texts = Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => /^[a-z]{2,3}\.json$/.test(f))
      .map((f) => [f.slice(0, -5), readDataFile(f, TrainingTextsSchema, dir)]),
  );
  if (!texts.en) throw new Error(`${dir}: en.json is missing`);
  return { partners, texts };
}

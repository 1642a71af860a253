import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RegisterEntry } from '../domain/register.ts';
import { DATA_DIR, readDataFile } from './reference-data.ts';

const Texts = z.record(z.string().regex(/^[a-z]{2,3}$/), z.string().min(1));

const SeedSchema = z.array(
  z.object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    country: z.string().regex(/^[A-Z]{2}$/),
    areas: z.array(z.string()).min(1),
    name: Texts.refine((t) => t.en !== undefined, 'needs an English name'),
    description: Texts.refine((t) => t.en !== undefined, 'needs an English description'),
    url: z.string().url(),
    free: z.boolean(),
  }),
);

/** The registers shipped in data/registers/*.json (one file per country), checked against the schema. */
export function loadSeedRegisters(dir = path.join(DATA_DIR, 'registers')): RegisterEntry[] {
  if (!fs.existsSync(dir)) return [];
  const entries = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => readDataFile(f, SeedSchema, dir))
    .map((e): RegisterEntry => ({ ...e, ownerAuthorityId: null, updatedAt: null }));
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.id)) throw new Error(`data/registers: the id "${e.id}" is used twice`);
    seen.add(e.id);
  }
  return entries;
}

let cached: RegisterEntry[] | null = null;

/** Read once per process: the files only change with a new release. */
export const seedRegisters = (): RegisterEntry[] => (cached ??= loadSeedRegisters());

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { catalogOf, type AreaCatalog } from '../domain/area.ts';

export const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data');

const AreaSchema = z.object({
  id: z.string().regex(/^[a-z-]+$/),
  legalBasis: z.array(z.string()),
  defaultDeadlineDays: z.number().int().positive(),
  workingDays: z.boolean(),
  acceptWithinDays: z.number().int().positive(),
  questions: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1),
});

/** Reads a JSON file of data/ and checks it against its schema, naming the file on failure. */
export function readDataFile<T>(name: string, schema: z.ZodType<T>, dir = DATA_DIR): T {
  const file = path.join(dir, name);
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The legislative areas and their question sets. */
export const loadAreas = (dir = DATA_DIR): AreaCatalog => catalogOf(readDataFile('areas.json', z.array(AreaSchema), dir));

const IdentitySchema = z.object({ channel: z.enum(['slack', 'teams', 'web']), externalId: z.string() });

const DemoSchema = z.object({
  authorities: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      country: z.string(),
      language: z.string(),
      timezone: z.string(),
      areas: z.array(z.string()),
      coordinatorId: z.string().nullable(),
      contact: z.object({ email: z.string().optional(), phone: z.string().optional(), address: z.string().optional(), helpdesk: z.string().optional() }),
      dataReviewedAt: z.string().nullable().optional(),
    }),
  ),
  users: z.array(
    z.object({
      id: z.string(),
      authorityId: z.string(),
      name: z.string(),
      language: z.string().nullable(),
      roles: z.array(z.enum(['handler', 'local_admin', 'coordinator'])),
      areas: z.array(z.string()),
      identities: z.array(IdentitySchema),
    }),
  ),
  requests: z.array(
    z.object({
      ref: z.string(),
      area: z.string(),
      by: z.string(),
      to: z.string(),
      questions: z.array(z.string()),
      freeText: z.string(),
      freeTextLang: z.string(),
      subjectName: z.string(),
      deadlineInDays: z.number(),
      startDaysAgo: z.number(),
      steps: z.array(
        z.object({
          action: z.enum(['update_draft', 'send', 'forward', 'propose_deadline', 'accept', 'answer', 'request_info', 'close', 'withdraw', 'refer']),
          by: z.string(),
          daysAfterStart: z.number().optional(),
          to: z.string().optional(),
          date_in_days_from_now: z.number().optional(),
          reason: z.string().optional(),
          items: z.record(z.string(), z.string()).optional(),
          lang: z.string().optional(),
          message: z.string().optional(),
        }),
      ),
    }),
  ),
});

/** The demo dataset: authorities, users and requests in every status. */
export const loadDemoData = (dir = DATA_DIR) => readDataFile('demo.json', DemoSchema, dir);

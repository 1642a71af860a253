import { beforeAll, describe, expect, it } from 'vitest';
import { runImi, type CliResult } from '../support/cli.ts';
import { tempDatabaseUrl } from '../support/temp-db.ts';

const env = { DATABASE_URL: tempDatabaseUrl('imi-faq') };

interface AskJson {
  answered: boolean;
  id: string | null;
  score: number;
  answer: string | null;
  suggestions: { id: string; question: string; score: number }[];
}

/** The --json contract: a zero exit and stdout that is one JSON document and nothing else. */
function jsonOf<T>(r: CliResult): T {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** The error contract: a non-zero exit, nothing on stdout, exactly one line on stderr. */
function oneLineError(r: CliResult): string {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

beforeAll(async () => {
  expect((await runImi(['demo'], env)).code).toBe(0);
});

describe('imi faq ask', () => {
  it('answers with exactly the contract fields, naming the user\'s coordinator', async () => {
    const out = jsonOf<AskJson>(await runImi(['faq', 'ask', 'Who is my IMI coordinator?', '--user', 'jonas.weber', '--json'], env));
    expect(Object.keys(out).sort()).toEqual(['answer', 'answered', 'id', 'score', 'suggestions']);
    expect(out).toMatchObject({ answered: true, id: 'national-coordinator', suggestions: [] });
    expect(out.score).toBeGreaterThanOrEqual(0.5);
    expect(out.score).toBeLessThanOrEqual(1);
    // Jonas has German as his language, so the answer is German whatever the question's language.
    expect(out.answer).toContain('Thomas Schneider');
    expect(out.answer).toMatch(/Koordination/);
  });

  it('takes the question as several bare words and answers in the --lang given', async () => {
    const out = jsonOf<AskJson>(await runImi(['faq', 'ask', 'how', 'do', 'I', 'register', 'a', 'backup', 'colleague', '--lang', 'fr', '--json'], env));
    expect(out).toMatchObject({ answered: true, id: 'backup-colleague' });
    expect(out.answer).toMatch(/suppléant|remplacer/);
  });

  it('gives up to three suggestions below the threshold, and answered false', async () => {
    const out = jsonOf<AskJson>(await runImi(['faq', 'ask', 'training', '--json'], env));
    expect(out).toMatchObject({ answered: false, id: null, answer: null });
    expect(out.suggestions.length).toBeGreaterThan(0);
    expect(out.suggestions.length).toBeLessThanOrEqual(3);
    for (const s of out.suggestions) expect(s).toEqual({ id: expect.any(String), question: expect.any(String), score: expect.any(Number) });
    expect(out.suggestions.map((s) => s.id)).toContain('training-environment');
  });

  it('keeps off-topic questions below the threshold', async () => {
    for (const q of ['what is the weather', 'recipe for goulash']) {
      const out = jsonOf<AskJson>(await runImi(['faq', 'ask', q, '--json'], env));
      expect(out.answered, q).toBe(false);
      expect(out.score, q).toBeLessThan(0.5);
    }
  });

  it('fails in one line on a missing question, an unknown language and an unknown user', async () => {
    expect(oneLineError(await runImi(['faq', 'ask', '--json'], env))).toMatch(/question/i);
    expect(oneLineError(await runImi(['faq', 'ask', 'help', '--lang', 'xx', '--json'], env))).toMatch(/--lang/);
    expect(oneLineError(await runImi(['faq', 'ask', 'help', '--user', 'nobody', '--json'], env))).toMatch(/nobody/);
  });
});

describe('imi faq report', () => {
  it('lists unanswered questions with counts', async () => {
    await runImi(['faq', 'ask', 'Recipe for goulash?', '--json'], env);
    const report = jsonOf<{ unanswered: { question: string; count: number }[]; poorlyRated: unknown[] }>(
      await runImi(['faq', 'report', '--json'], env),
    );
    expect(report.poorlyRated).toEqual([]);
    const goulash = report.unanswered.find((u) => /goulash/i.test(u.question));
    expect(goulash?.count).toBe(2);
    expect(report.unanswered.find((u) => /weather/.test(u.question))?.count).toBe(1);
  });

  it('prints a readable report without --json', async () => {
    const r = await runImi(['faq', 'report'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2×.*goulash/i);
  });
});

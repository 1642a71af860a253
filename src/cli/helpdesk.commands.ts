import { askFaq } from '../app/helpdesk/ask-faq.ts';
import { faqReport } from '../app/helpdesk/feedback.ts';
import { faqIndex, helpdeskDeps } from '../helpdesk-wiring.ts';
import { CliError, domainFailure, str, type Command } from './command.ts';

export const helpdeskCommands: Command[] = [
  {
    path: ['faq', 'ask'],
    summary: "Ask the helpdesk FAQ a question; with --user, the answer names that user's coordinator.",
    positional: 'TEXT',
    flags: {
      lang: { type: 'string', help: 'the language to answer in, e.g. hu' },
      user: { type: 'string', help: 'the id of the user asking, e.g. anna.kovacs' },
    },
    async run(ctx, f, words) {
      const text = words.join(' ').trim();
      if (!text) throw new CliError('Write the question after "imi faq ask", e.g. imi faq ask "How do I register a backup colleague?"');
      const lang = str(f.lang);
      if (lang !== undefined && !faqIndex().languages.includes(lang)) {
        throw new CliError(`--lang: the FAQ speaks ${faqIndex().languages.join(', ')} (got "${lang}").`);
      }
      const core = await ctx.core();
      const r = await askFaq(helpdeskDeps(core), { text, lang, userId: str(f.user), origin: 'cli' });
      if (!r.ok) throw domainFailure(core, r.error);
      const a = r.value;
      if (a.answered) {
        ctx.out(`[${a.id}, confidence ${a.score.toFixed(2)}, ${a.lang}]`);
        ctx.out(a.answer!);
      } else {
        ctx.out(`No confident answer (best ${a.score.toFixed(2)}, threshold ${faqIndex().threshold}).`);
        for (const s of a.suggestions) ctx.out(`  did you mean: ${s.question} [${s.id}, ${s.score.toFixed(2)}]`);
        if (a.suggestions.length === 0) ctx.out('  No similar questions in the knowledge base.');
      }
      // The JSON contract names exactly these fields.
      return { answered: a.answered, id: a.id, score: a.score, answer: a.answer, suggestions: a.suggestions };
    },
  },
  {
    path: ['faq', 'report'],
    summary: 'Questions the FAQ could not answer (with counts) and answers rated unhelpful.',
    flags: {},
    async run(ctx) {
      const core = await ctx.core();
      const report = await faqReport(core.deps, (lang, id) => faqIndex().entry(lang, id)?.questions[0] ?? null);
      ctx.out('Unanswered questions (below the confidence threshold):');
      for (const u of report.unanswered) {
        ctx.out(`  ${String(u.count).padStart(4)}×  [${u.lang}] ${u.question}  (last ${u.lastAskedAt}${u.bestEntryId ? `, closest ${u.bestEntryId} ${u.bestScore.toFixed(2)}` : ''})`);
      }
      if (report.unanswered.length === 0) ctx.out('  none');
      ctx.out('Poorly rated answers:');
      for (const p of report.poorlyRated) {
        ctx.out(`  ${p.entryId} [${p.lang}]  👍 ${p.helpful}  👎 ${p.unhelpful}  shown ${p.shown}${p.question ? `  — ${p.question}` : ''}`);
      }
      if (report.poorlyRated.length === 0) ctx.out('  none');
      return report;
    },
  },
];

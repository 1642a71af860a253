import os from 'node:os';
import { z } from 'zod';
import { fixedClock } from '../app/ports/clock.ts';
import { runRetention } from '../app/retention/run-retention.ts';
import { eraseSubject, exportSubject } from '../app/retention/data-subject.ts';
import { eraseHelpdeskSubject, helpdeskAbout } from '../app/retention/helpdesk-subject.ts';
import { requestSummary } from './requests.commands.ts';
import { CliError, type Command, type Flags } from './command.ts';

const IsoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO 8601 instant, e.g. 2027-06-01T09:00:00Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a real date');

const RunFlags = z.object({ now: IsoInstant.optional() });

/** A person's name as typed by the operator; control characters would only hide what was asked for. */
const SubjectName = z
  .string()
  .trim()
  .min(2, 'needs at least two characters')
  .max(300, 'is longer than any name we store (300 characters)')
  .refine((v) => !/\p{Cc}/u.test(v), 'must not contain control characters')
  .refine((v) => /\p{L}/u.test(v), 'must contain letters');

const SubjectFlags = z.object({
  name: SubjectName,
  by: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be a user name or id (letters, digits, . _ @ -, up to 64)').optional(),
});

/** Validates flags with a schema; the first problem becomes one line naming its flag. */
function parse<T>(schema: z.ZodType<T>, f: Flags): T {
  const parsed = schema.safeParse(f);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = issue.path[0] !== undefined ? `--${String(issue.path[0])}` : 'flags';
  throw new CliError(`${flag} ${issue.message}${typeof f[String(issue.path[0])] === 'string' ? ` (got "${String(f[String(issue.path[0])]).slice(0, 80)}")` : ''}.`);
}

/** Who runs the command, for the audit trail: --by, else the operating-system user. */
function operator(by: string | undefined): string {
  if (by) return by;
  try {
    return os.userInfo().username.slice(0, 64) || 'cli';
  } catch {
    return (process.env.USER ?? process.env.USERNAME ?? 'cli').slice(0, 64);
  }
}

export const retentionCommands: Command[] = [
  {
    path: ['retention', 'run'],
    summary: 'Block personal data 6 months and delete them 3 years after closure (Reg. 1024/2012 Art. 14).',
    flags: { now: { type: 'string', help: 'run as if it were this ISO 8601 instant, e.g. 2027-06-01T09:00:00Z' } },
    async run(ctx, f) {
      const { now } = parse(RunFlags, f);
      const core = await ctx.core();
      const deps = now ? { ...core.deps, clock: fixedClock(new Date(now)) } : core.deps;
      const report = await runRetention(deps);
      ctx.out(`Retention run at ${report.now}: blocked ${report.blocked.length}, deleted the personal data of ${report.deleted.length} request(s).`);
      for (const id of report.blocked) ctx.out(`  blocked  ${id}`);
      for (const id of report.deleted) ctx.out(`  deleted  ${id}`);
      if (report.translationsPurged > 0) ctx.out(`  removed ${report.translationsPurged} cached machine translation(s) of deleted texts`);
      const h = report.helpdesk;
      if (h.ticketsBlocked.length + h.ticketsDeleted.length + h.faqQuestionsBlocked + h.faqQuestionsDeleted > 0) {
        ctx.out(`Helpdesk: blocked ${h.ticketsBlocked.length} and deleted the texts of ${h.ticketsDeleted.length} ticket(s); blocked ${h.faqQuestionsBlocked} and deleted ${h.faqQuestionsDeleted} FAQ question(s).`);
        for (const id of h.ticketsBlocked) ctx.out(`  blocked  ${id}`);
        for (const id of h.ticketsDeleted) ctx.out(`  deleted  ${id}`);
      }
      return report;
    },
  },
  {
    path: ['subject', 'export'],
    summary: 'Every request and helpdesk record about a person, with its personal data and history (Art. 19 access).',
    flags: { name: { type: 'string', required: true, help: "the person's name; accents, case and word order do not matter" } },
    async run(ctx, f) {
      const { name } = parse(SubjectFlags.pick({ name: true }), f);
      const core = await ctx.core();
      const records = await exportSubject(core.deps, name);
      const rows = records.map(({ request, history, retention }) => ({
        ...requestSummary(request),
        subjectName: request.subjectName,
        questions: request.questions,
        freeText: request.freeText,
        freeTextLang: request.freeTextLang,
        proposedDeadline: request.proposedDeadline,
        answers: request.answers,
        infoRequests: request.infoRequests,
        referral: request.referral,
        retention,
        history,
      }));
      for (const r of rows) {
        ctx.out(`${r.id}  ${r.status}  ${r.area}  ${r.requester} → ${r.responder ?? '-'}  (${r.retention.stage})`);
        ctx.out(`  subject: ${r.subjectName}`);
        if (r.freeText) ctx.out(`  free text (${r.freeTextLang}): ${r.freeText}`);
        r.answers.forEach((a, i) => Object.entries(a.items).forEach(([q, t]) => ctx.out(`  answer ${i + 1} to ${q} (${a.lang}): ${t}`)));
        r.infoRequests.forEach((m) => ctx.out(`  further information asked (${m.lang}): ${m.message}`));
        if (r.proposedDeadline?.reason) ctx.out(`  deadline proposal: ${r.proposedDeadline.date} — ${r.proposedDeadline.reason}`);
        if (r.referral?.reason) ctx.out(`  referral: ${r.referral.reason}`);
        for (const e of r.history) ctx.out(`  ${e.at}  ${e.type} by ${e.actorId}`);
      }
      if (rows.length === 0) ctx.out('No requests about this person.');
      // Helpdesk records follow the requests, told apart by `kind` (request rows keep their shape).
      const helpdesk = await helpdeskAbout(core.deps, name);
      const tickets = helpdesk.tickets.map(({ ticket, matched, stage }) => {
        const { blockedAt, personalDataDeletedAt, ...rest } = ticket;
        return { kind: 'helpdesk-ticket' as const, ...rest, matched, retention: { blockedAt, personalDataDeletedAt, stage } };
      });
      const questions = helpdesk.faqQuestions.map(({ question, matched, stage }) => {
        const { blockedAt, personalDataDeletedAt, ...rest } = question;
        return { kind: 'faq-question' as const, ...rest, matched, retention: { blockedAt, personalDataDeletedAt, stage } };
      });
      for (const t of tickets) {
        ctx.out(`${t.id}  helpdesk ticket  ${t.status}  ${t.askerId} (${t.askerAuthorityId}) → ${t.coordinatorAuthorityId}  [${t.matched.join(', ')}]  (${t.retention.stage})`);
        ctx.out(`  question (${t.questionLang}): ${t.question}`);
        if (t.answer) ctx.out(`  answer (${t.answerLang}) by ${t.answeredBy}: ${t.answer}`);
      }
      for (const q of questions) {
        ctx.out(`FAQ question ${q.id}  ${q.answered ? 'answered' : 'unanswered'}  ${q.askedAt} by ${q.userId ?? '-'}  [${q.matched.join(', ')}]  (${q.retention.stage})`);
        ctx.out(`  question (${q.lang}): ${q.question}`);
        if (q.rating) ctx.out(`  rated ${q.rating.helpful ? 'helpful' : 'not helpful'} by ${q.rating.userId ?? '-'} at ${q.rating.at}`);
      }
      return [...rows, ...tickets, ...questions];
    },
  },
  {
    path: ['subject', 'erase'],
    summary: "Erase a person's personal data from every request and helpdesk record about them (Art. 19 erasure).",
    flags: {
      name: { type: 'string', required: true, help: "the person's name; accents, case and word order do not matter" },
      by: { type: 'string', help: 'who asks for the erasure, for the audit trail (default: the operating-system user)' },
    },
    async run(ctx, f) {
      const { name, by } = parse(SubjectFlags, f);
      const core = await ctx.core();
      const who = { actorId: operator(by), origin: 'cli' as const };
      const erased = await eraseSubject(core.deps, name, who);
      for (const e of erased) ctx.out(`${e.id}  ${e.status}  erased ${e.fields} personal field(s), ${e.translations} cached translation(s)`);
      if (erased.length === 0) ctx.out('No requests about this person.');
      // Helpdesk records follow, told apart by `kind` (request items keep their shape).
      const helpdesk = await eraseHelpdeskSubject(core.deps, name, who);
      for (const e of helpdesk) {
        ctx.out(
          e.kind === 'helpdesk-ticket'
            ? `${e.id}  helpdesk ticket  ${e.status}  erased ${e.fields} text(s), ${e.notifications} notification copy(ies)`
            : `FAQ question ${e.id}  ${e.status}  erased its text, who asked it and who rated it`,
        );
      }
      return [...erased, ...helpdesk.map((e) => ({ ...e, translations: 0 }))];
    },
  },
];

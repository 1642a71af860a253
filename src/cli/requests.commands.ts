import { currentDeadline, type Request } from '../domain/request.ts';
import type { OutboxStatus } from '../app/ports/records.ts';
import { CliError, str, type Command } from './command.ts';

/** What scripts see of a request: metadata only, never the personal data in it. */
export const requestSummary = (r: Request) => ({
  id: r.id,
  status: r.status,
  area: r.area,
  requester: r.requesterAuthorityId,
  responder: r.responderAuthorityId,
  requestedDeadline: r.requestedDeadline,
  proposedDeadline: r.proposedDeadline?.date ?? null,
  agreedDeadline: r.agreedDeadline,
  deadline: currentDeadline(r),
  referred: r.referral !== null,
  training: r.training,
  createdAt: r.createdAt,
  sentAt: r.sentAt,
  closedAt: r.closedAt,
});

export const requestCommands: Command[] = [
  {
    path: ['requests', 'list'],
    summary: 'List requests (metadata only), optionally of one authority.',
    flags: { authority: { type: 'string', help: 'only requests this authority sent or received' } },
    async run(ctx, f) {
      const core = await ctx.core();
      const authorityId = str(f.authority);
      if (authorityId && !(await core.deps.store.authorities.get(authorityId))) {
        throw new CliError(`--authority: there is no authority with the id "${authorityId}".`);
      }
      const rows = (await core.deps.store.requests.list({ authorityId, training: false })).map(requestSummary);
      for (const r of rows) {
        ctx.out(`${r.id}  ${r.status.padEnd(22)} ${r.area.padEnd(28)} ${r.requester} → ${r.responder ?? '-'}  deadline ${r.deadline ?? '-'}`);
      }
      if (rows.length === 0) ctx.out('No requests.');
      return rows;
    },
  },
  {
    path: ['notifications', 'list'],
    summary: 'List queued, delivered or failed notifications.',
    flags: { status: { type: 'string', help: 'pending, delivered or failed' } },
    async run(ctx, f) {
      const status = str(f.status);
      if (status && !['pending', 'delivered', 'failed'].includes(status)) {
        throw new CliError(`--status must be pending, delivered or failed (got "${status}").`);
      }
      const core = await ctx.core();
      const rows = await core.deps.store.outbox.list(status as OutboxStatus | undefined);
      for (const n of rows) {
        ctx.out(`#${n.id} ${n.status.padEnd(9)} ${n.kind.padEnd(32)} to ${n.recipientId}${n.requestId ? ` (${n.requestId})` : ''}${n.lastError ? ` — ${n.lastError}` : ''}`);
      }
      if (rows.length === 0) ctx.out('No notifications.');
      return rows;
    },
  },
];

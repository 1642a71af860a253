/*
 * A delivery worker in a process of its own, for tests/e2e/reminders-cli.test.ts: it runs the
 * real outbox worker and dispatcher with a channel that appends each send to RECORD_FILE, and
 * with EXIT_AFTER=n it exits abruptly when asked to send the (n+1)th notification, mid-batch.
 */
import fs from 'node:fs';
import { fixedClock } from '../../src/app/ports/clock.ts';
import { deliverOutbox } from '../../src/app/notifications/deliver-outbox.ts';
import type { ChannelSender, RenderedReply } from '../../src/conversation/types.ts';
import { buildNotifier } from '../../src/delivery-wiring.ts';
import { openCore } from '../../src/wiring.ts';

const { DATABASE_URL, RECORD_FILE, NOW, EXIT_AFTER } = process.env;
const exitAfter = EXIT_AFTER ? Number(EXIT_AFTER) : Infinity;
let sends = 0;

const recorder = {
  channel: 'web',
  async send(externalId: string, reply: RenderedReply) {
    if (sends === exitAfter) process.exit(3);
    sends++;
    const first = reply.blocks[0];
    fs.appendFileSync(RECORD_FILE!, `${externalId}\t${first?.kind === 'text' ? first.text : ''}\n`);
    return { ok: true };
  },
} satisfies ChannelSender;

const core = await openCore(DATABASE_URL!, fixedClock(new Date(NOW!)));
const report = await deliverOutbox(core.deps, buildNotifier(core, [recorder]), { batchSize: 4 });
await core.close();
process.stdout.write(`${report.delivered.length}\n`);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/wiring.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** Polls until `check` holds; the server's jobs run on their own schedule, so there is no moment to wait for. */
async function eventually(check: () => Promise<boolean>, what: string, limitMs = 45_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm start with IMI_CRON on', () => {
  let server: TestServer;
  let reader: Core;
  beforeAll(async () => {
    server = await startServer({ IMI_CRON: '1', IMI_DELIVERY_CRON: '* * * * * *' });
    reader = await openCore(server.databaseUrl);
  });
  afterAll(async () => {
    await reader?.close();
    await server?.stop();
  });

  it('delivers the queued notifications of the demo dataset on its own', async () => {
    await eventually(async () => {
      const rows = (await reader.deps.store.outbox.list()).filter((r) => r.kind.startsWith('request.'));
      return rows.length > 0 && rows.every((r) => r.status === 'delivered' && r.channel === 'web');
    }, 'lifecycle notifications delivered');
  });

  it("shows what went to the web feed in the web chat, in the reader's language", async () => {
    const signIn = await fetch(`${server.url}/api/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'anna.kovacs' }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const feed = (await (await fetch(`${server.url}/api/chat/feed`, { headers: { cookie } })).json()) as {
      items: { reply: { lang: string; blocks: unknown[] } }[];
    };
    expect(feed.items.length).toBeGreaterThan(0);
    expect(feed.items.every((i) => i.reply.lang === 'hu')).toBe(true);
    // A German authority sent her authority a request (demo request r3).
    expect(JSON.stringify(feed.items)).toContain('Hatóságához új információkérés érkezett');
  });

  it('scans for reminders at start, catching up on what is due', async () => {
    // The demo dataset has an overdue request whose responder's coordinator is to be told.
    await eventually(
      async () => (await reader.deps.store.outbox.list()).some((r) => r.kind === 'reminder.escalation'),
      'an escalation queued',
    );
  });

  it('stops its jobs and exits cleanly on SIGTERM', async () => {
    await server.stop();
    expect(server.process.exitCode).toBe(0);
    expect(server.output()).not.toMatch(/failed/);
  });
});

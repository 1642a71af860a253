import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework connector service (what Teams' serviceUrl points at).
 * It records every activity the bot sends, replies and proactive messages alike, and can be told
 * to refuse the next sends (429 with Retry-After, 403, 502, …) the way the real service does.
 */

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  /** The activity replied to (POST …/activities/:id) or updated (PUT …/activities/:id). */
  activityId?: string;
  authorization?: string;
  activity: Record<string, unknown>;
  /** The status the fake answered with. */
  status: number;
}

export interface FakeConnector {
  /** The serviceUrl to put into activities, with its trailing slash. */
  url: string;
  /** Every call, refused ones included, in arrival order. */
  calls: ConnectorCall[];
  /** The activities that were accepted (status 2xx), i.e. what the user would see. */
  delivered(): ConnectorCall[];
  /** Accepted message activities carrying an Adaptive Card, with the card. */
  cards(): { call: ConnectorCall; card: Record<string, unknown> }[];
  /** Answers the next `times` sends with `status` (and Retry-After seconds, when given). */
  refuseNext(status: number, options?: { retryAfterSeconds?: number; times?: number; code?: string }): void;
  /** Resolves when `predicate` holds for the accepted calls, or fails after `timeoutMs`. */
  waitFor(predicate: (delivered: ConnectorCall[]) => boolean, timeoutMs?: number): Promise<ConnectorCall[]>;
  clear(): void;
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const refusals: { status: number; retryAfterSeconds?: number; code: string }[] = [];
  let counter = 0;

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = ROUTE.exec(url.pathname);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        send(404, { error: { code: 'NotFound', message: `no route ${req.method} ${url.pathname}` } });
        return;
      }
      let activity: Record<string, unknown> = {};
      try {
        activity = raw ? JSON.parse(raw) : {};
      } catch {
        send(400, { error: { code: 'BadArgument', message: 'body is not JSON' } });
        return;
      }
      const refusal = refusals.shift();
      const status = refusal ? refusal.status : req.method === 'PUT' ? 200 : 201;
      calls.push({
        method: req.method!,
        path: url.pathname,
        conversationId: decodeURIComponent(match[1]!),
        ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        activity,
        status,
      });
      if (refusal) {
        const headers: Record<string, string> = refusal.retryAfterSeconds !== undefined ? { 'retry-after': String(refusal.retryAfterSeconds) } : {};
        send(refusal.status, { error: { code: refusal.code, message: `refused by the fake connector (${refusal.status})` } }, headers);
        return;
      }
      send(status, { id: req.method === 'PUT' ? match[2] : `fake-activity-${++counter}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const delivered = () => calls.filter((c) => c.status >= 200 && c.status < 300);
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    delivered,
    cards: () =>
      delivered().flatMap((call) => {
        const attachments = (call.activity.attachments ?? []) as { contentType?: string; content?: Record<string, unknown> }[];
        return attachments
          .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive' && a.content)
          .map((a) => ({ call, card: a.content! }));
      }),
    refuseNext(status, options = {}) {
      for (let i = 0; i < (options.times ?? 1); i++) {
        refusals.push({ status, retryAfterSeconds: options.retryAfterSeconds, code: options.code ?? (status === 429 ? 'Throttled' : 'Refused') });
      }
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(delivered())) {
        if (Date.now() > deadline) throw new Error(`fake connector: condition not met; delivered:\n${JSON.stringify(delivered(), null, 1).slice(0, 4000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return delivered();
    },
    clear() {
      calls.length = 0;
      refusals.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

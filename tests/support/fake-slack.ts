import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local fake of the Slack Web API on 127.0.0.1: answers the methods imi-bot calls the way Slack
 * does, records every call, and can answer 429 with Retry-After or a Slack error on demand.
 * Also plays Slack's side of requests to us: signed events, commands and interaction payloads.
 */

export interface FakeSlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  /** What the fake answered: 200, or 429 when it was rate limiting. */
  status: number;
  response: Record<string, unknown>;
  /** When the fake received it (Date.now()). */
  at?: number;
}

export interface FakeSlack {
  /** The Web API base URL to give the server as SLACK_API_URL. */
  apiUrl: string;
  /** A response_url for slash commands and interactions; posts to it are recorded. */
  responseUrl: string;
  calls: FakeSlackCall[];
  /** Successful calls of one method (429s left out). */
  ok(method: string): FakeSlackCall[];
  responses: Record<string, unknown>[];
  /** The next `times` calls of `method` get 429 with `Retry-After: retryAfter`. */
  rateLimit(method: string, times: number, retryAfterSeconds: number): void;
  /**
   * From now on a sustained limit, as Slack keeps per method and workspace: at most `perSecond`
   * calls of `method` in each 1-second window (counted from its first call); the rest get 429
   * with Retry-After in whole seconds until the window ends. Refused calls do not count.
   */
  limitRate(method: string, perSecond: number): void;
  /** The next `times` calls of `method` fail with a Slack error such as "invalid_auth". */
  failWith(method: string, error: string, times?: number): void;
  /** Slack locales by user id (users.info); default en-US. */
  locales: Map<string, string>;
  /** Waits until `check` returns something truthy (work after an ack is asynchronous). */
  waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}');
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The WebClient sends objects and arrays (blocks, view) as JSON inside the form.
    out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const responses: Record<string, unknown>[] = [];
  const limits = new Map<string, { times: number; retryAfter: number }>();
  const rates = new Map<string, { perSecond: number; start: number | null; window: number; used: number }>();
  const failures = new Map<string, { error: string; times: number }>();
  const locales = new Map<string, string>();
  let seq = 0;
  const ts = () => `${1764100000 + seq}.${String(++seq).padStart(6, '0')}`;

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://demo.slack.com/', team: 'Demo', user: 'imi-bot', team_id: 'T0DEMOHU', user_id: 'U0IMIBOT', bot_id: 'B0IMIBOT' };
      case 'users.info': {
        const user = String(args.user);
        return { ok: true, user: { id: user, name: user.toLowerCase(), locale: locales.get(user) ?? 'en-US' } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } };
      case 'chat.postMessage': {
        const t = ts();
        return { ok: true, channel: args.channel, ts: t, message: { text: args.text, blocks: args.blocks, ts: t } };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts() };
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        const id = typeof args.view_id === 'string' ? args.view_id : `V${String(++seq).padStart(6, '0')}`;
        return { ok: true, view: { ...(args.view as object), id } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/response/')) {
        responses.push(parseBody(raw, req.headers['content-type']));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const args = parseBody(raw, req.headers['content-type']);
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || null;
      const limit = limits.get(method);
      if (limit && limit.times > 0) {
        limit.times--;
        const response = { ok: false, error: 'ratelimited' };
        calls.push({ method, args, token, status: 429, response, at: Date.now() });
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limit.retryAfter) }).end(JSON.stringify(response));
        return;
      }
      const rate = rates.get(method);
      if (rate) {
        const now = Date.now();
        rate.start ??= now;
        const window = Math.floor((now - rate.start) / 1000);
        if (window !== rate.window) {
          rate.window = window;
          rate.used = 0;
        }
        if (rate.used >= rate.perSecond) {
          const retryAfter = Math.max(1, Math.ceil((rate.start + (window + 1) * 1000 - now) / 1000));
          const response = { ok: false, error: 'ratelimited' };
          calls.push({ method, args, token, status: 429, response, at: now });
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) }).end(JSON.stringify(response));
          return;
        }
        rate.used++;
      }
      const failure = failures.get(method);
      let response: Record<string, unknown>;
      if (failure && failure.times > 0) {
        failure.times--;
        response = { ok: false, error: failure.error };
      } else {
        response = answer(method, args);
      }
      calls.push({ method, args, token, status: 200, response, at: Date.now() });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: `${base}/response/${crypto.randomUUID()}`,
    calls,
    ok: (method) => calls.filter((c) => c.method === method && c.status === 200 && c.response.ok === true),
    responses,
    rateLimit: (method, times, retryAfter) => limits.set(method, { times, retryAfter }),
    limitRate: (method, perSecond) => rates.set(method, { perSecond, start: null, window: -1, used: 0 }),
    failWith: (method, error, times = 1) => failures.set(method, { error, times }),
    locales,
    async waitFor(check, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = check();
        if (got) return got;
        if (Date.now() > deadline) throw new Error(`fake Slack: gave up waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Slack's request signature: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function slackSignature(secret: string, body: string, timestamp: number): string {
  return `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackPost {
  /** Seconds since the epoch to sign with; now by default. */
  timestamp?: number;
  /** Overrides or removes (null) headers, e.g. a wrong signature. */
  headers?: Record<string, string | null>;
  /** Signs with another secret. */
  secret?: string;
}

/** Posts to /slack/events as Slack does: JSON for events, a form for commands and interactions. */
export async function postToSlackEndpoint(
  url: string,
  secret: string,
  body: { json: unknown } | { form: Record<string, string> },
  options: SlackPost = {},
): Promise<Response> {
  const raw = 'json' in body ? JSON.stringify(body.json) : new URLSearchParams(body.form).toString();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'json' in body ? 'application/json' : 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(options.secret ?? secret, raw, timestamp),
  };
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  return fetch(url, { method: 'POST', headers, body: raw });
}

import crypto from 'node:crypto';
import { z } from 'zod';
import type { ConversationPort, WebChatPort } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';
import { negotiateLanguage } from '../../src/i18n/i18n.ts';
import { DEFAULT_TIMING, runEventStream, startCursor, type EventSink, type EventStreamTiming } from './web-events.ts';

/** A request as the handlers see it: no express, only what they need. */
export interface HttpInput {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  query: Record<string, unknown>;
}

export interface HttpOutput {
  status: number;
  body: unknown;
  setCookie?: string;
}

/** A 200 answer that stays open and writes server-sent events until the client leaves. */
export interface HttpStream {
  status: 200;
  stream(sink: EventSink): Promise<void>;
}

export interface WebChatOptions {
  conversation: ConversationPort;
  web: WebChatPort;
  i18n: Translator;
  /** Whether the local sign-in (pick any user) is offered. */
  signInEnabled: boolean;
  /** Signs session cookies; a random one per process logs everyone out on restart, which is fine locally. */
  secret: string;
  /** Poll and keep-alive intervals of the event stream; the defaults suit production. */
  timing?: EventStreamTiming;
}

const COOKIE = 'imi_session';
/** The page's own labels; everything else on it comes from the replies. */
const PAGE_STRINGS = [
  'title', 'tagline', 'signInTitle', 'signInNotice', 'user', 'signIn', 'signOut', 'message', 'send', 'placeholder', 'conversation',
  'language', 'quickActions', 'newRequest', 'inbox', 'help', 'skipToMessage', 'you', 'bot', 'notification', 'updated',
  'progress', 'live', 'offline', 'networkError', 'required', 'characters', 'signedInAs',
  'role.handler', 'role.local_admin', 'role.coordinator',
];
/** Request statuses, so the page can show the status in a list row as a badge. */
const STATUSES = ['draft', 'sent', 'accepted', 'answered', 'further_info_requested', 'closed', 'withdrawn'];
const MAX_TEXT = 12_000;

const TurnBody = z.union([
  z.object({ text: z.string().max(MAX_TEXT) }).strict(),
  z
    .object({
      action: z.object({
        id: z.string().min(1).max(100),
        values: z.record(z.string().max(100), z.union([z.string().max(MAX_TEXT), z.array(z.string().max(200)).max(100)])).default({}),
      }),
    })
    .strict(),
]);

const SessionBody = z.object({ login: z.string().min(1).max(200) }).strict();

const sign = (secret: string, login: string) => crypto.createHmac('sha256', secret).update(login).digest('base64url');

function readCookie(headers: HttpInput['headers'], name: string): string | null {
  const raw = headers.cookie;
  const all = (Array.isArray(raw) ? raw.join(';') : raw ?? '').split(';');
  for (const part of all) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null; // not valid %-encoding: no session, not a server error
    }
  }
  return null;
}

/** The signed-in login of a request, or null. */
export function sessionLogin(opts: WebChatOptions, headers: HttpInput['headers']): string | null {
  const value = readCookie(headers, COOKIE);
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const login = value.slice(0, dot);
  const mac = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(sign(opts.secret, login));
  return mac.length === expected.length && crypto.timingSafeEqual(mac, expected) ? login : null;
}

const browserLanguage = (opts: WebChatOptions, headers: HttpInput['headers']) => {
  const accept = String(headers['accept-language'] ?? '').split(',').map((s) => s.split(';')[0]!.trim());
  return negotiateLanguage(opts.i18n.languages, ...accept);
};

/** A message for a problem with the HTTP call itself, in the browser's language. */
const problem = (opts: WebChatOptions, input: HttpInput, status: number, key: string): HttpOutput => ({
  status,
  body: { error: opts.i18n.t(browserLanguage(opts, input.headers), key) },
});

export const webChatHandlers = (opts: WebChatOptions) => ({
  /** A body that could not even be parsed. */
  async badBody(input: HttpInput): Promise<HttpOutput> {
    return problem(opts, input, 400, 'web.badRequest');
  },

  /** The page's labels in `?lang=` (the conversation's language once known), else the browser's. */
  async config(input: HttpInput): Promise<HttpOutput> {
    const asked = typeof input.query.lang === 'string' ? input.query.lang : '';
    const lang = asked && opts.i18n.languages.includes(asked) ? asked : browserLanguage(opts, input.headers);
    const strings = Object.fromEntries(PAGE_STRINGS.map((k) => [k, opts.i18n.t(lang, `web.page.${k}`)]));
    const statuses = Object.fromEntries(STATUSES.map((s) => [s, opts.i18n.t(lang, `bot.status.${s}`)]));
    return { status: 200, body: { signInEnabled: opts.signInEnabled, lang, languages: opts.i18n.languages, strings, statuses } };
  },

  async users(input: HttpInput): Promise<HttpOutput> {
    if (!opts.signInEnabled) return problem(opts, input, 403, 'web.signInDisabled');
    return { status: 200, body: await opts.web.signInChoices() };
  },

  async signIn(input: HttpInput): Promise<HttpOutput> {
    if (!opts.signInEnabled) return problem(opts, input, 403, 'web.signInDisabled');
    const parsed = SessionBody.safeParse(input.body);
    if (!parsed.success) return problem(opts, input, 400, 'web.badRequest');
    if (!(await opts.web.canSignIn(parsed.data.login))) return problem(opts, input, 404, 'web.unknownUser');
    const value = encodeURIComponent(`${parsed.data.login}.${sign(opts.secret, parsed.data.login)}`);
    return {
      status: 200,
      body: { login: parsed.data.login },
      setCookie: `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict`,
    };
  },

  async signOut(): Promise<HttpOutput> {
    return { status: 200, body: { ok: true }, setCookie: `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` };
  },

  async session(input: HttpInput): Promise<HttpOutput> {
    const login = sessionLogin(opts, input.headers);
    if (!login || !(await opts.web.canSignIn(login))) return problem(opts, input, 401, 'web.notSignedIn');
    const me = (await opts.web.signInChoices()).find((c) => c.login === login);
    return { status: 200, body: me ?? { login } };
  },

  async turn(input: HttpInput): Promise<HttpOutput> {
    const login = sessionLogin(opts, input.headers);
    if (!login) return problem(opts, input, 401, 'web.notSignedIn');
    const parsed = TurnBody.safeParse(input.body);
    if (!parsed.success) return problem(opts, input, 400, 'web.badRequest');
    const locale = browserLanguage(opts, input.headers);
    const reply = await opts.conversation.handle({ channel: 'web', externalId: login, locale, ...parsed.data });
    return { status: 200, body: reply };
  },

  async welcome(input: HttpInput): Promise<HttpOutput> {
    const login = sessionLogin(opts, input.headers);
    if (!login) return problem(opts, input, 401, 'web.notSignedIn');
    return { status: 200, body: await opts.conversation.welcome({ channel: 'web', externalId: login, locale: browserLanguage(opts, input.headers) }) };
  },

  async feed(input: HttpInput): Promise<HttpOutput> {
    const login = sessionLogin(opts, input.headers);
    if (!login) return problem(opts, input, 401, 'web.notSignedIn');
    const after = Number(input.query.after ?? 0);
    const items = await opts.web.feed(login, Number.isSafeInteger(after) && after >= 0 ? after : 0);
    return { status: 200, body: { items, last: items.at(-1)?.id ?? after } };
  },

  /** Server-sent events of the signed-in user's feed; GET /feed stays as the fallback. */
  async events(input: HttpInput): Promise<HttpOutput | HttpStream> {
    const login = sessionLogin(opts, input.headers);
    if (!login || !(await opts.web.canSignIn(login))) return problem(opts, input, 401, 'web.notSignedIn');
    const from = startCursor(input.headers, input.query);
    if (from === undefined) return problem(opts, input, 400, 'web.badRequest');
    return { status: 200, stream: (sink) => runEventStream(opts.web, login, from, sink, opts.timing ?? DEFAULT_TIMING) };
  },
});

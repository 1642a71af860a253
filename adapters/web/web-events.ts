import type { WebChatPort } from '../../src/conversation/types.ts';

/**
 * Server-sent events for the web chat: the user's notification feed pushed as it grows.
 * The feed itself is pull-based (delivered outbox rows), so the stream polls it on the
 * server, where a poll is a cheap query, instead of every open page polling over HTTP.
 */

/** Where a stream writes; the express binding provides it. */
export interface EventSink {
  write(chunk: string): void;
  /** False once the client has gone or the server is stopping. */
  isOpen(): boolean;
  /** Settles when the client goes, so a waiting stream stops at once rather than at its next poll. */
  closed: Promise<void>;
}

export interface EventStreamTiming {
  /** How often the feed is read for the signed-in user. */
  pollMs: number;
  /** How often a comment line is sent on a quiet stream, so proxies do not close it as idle. */
  keepAliveMs: number;
  /** The reconnect delay the browser is told to use. */
  retryMs: number;
}

export const DEFAULT_TIMING: EventStreamTiming = { pollMs: 1000, keepAliveMs: 15_000, retryMs: 3000 };

type FeedItem = Awaited<ReturnType<WebChatPort['feed']>>[number];

const frame = (id: number, event: string, data: unknown) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Where a stream starts: the browser's Last-Event-ID on reconnect (so nothing delivered while
 * it was away is lost), else `?after=N`, else null for "from now". Undefined when malformed.
 */
export function startCursor(headers: Record<string, string | string[] | undefined>, query: Record<string, unknown>): number | null | undefined {
  const header = headers['last-event-id'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? (typeof query.after === 'string' ? query.after : undefined);
  if (raw === undefined || raw === '') return null;
  return /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

/** Reads every feed page after `after`; the port hands out a page at a time. */
async function drain(web: WebChatPort, login: string, after: number, each: (item: FeedItem) => void): Promise<number> {
  let last = after;
  for (;;) {
    const items = await web.feed(login, last);
    if (items.length === 0) return last;
    for (const item of items) each(item);
    last = items.at(-1)!.id;
  }
}

const pause = (ms: number, closed: Promise<void>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void closed.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Runs one stream until the client leaves: a `ready` event carrying the cursor (so that even a
 * reconnect before any notification resumes at the right place), then one `notification` event
 * per feed item, id = the feed id, and keep-alive comments in between.
 */
export async function runEventStream(
  web: WebChatPort,
  login: string,
  from: number | null,
  sink: EventSink,
  timing: EventStreamTiming = DEFAULT_TIMING,
  log: (line: string) => void = (line) => console.error(line),
): Promise<void> {
  // "From now" skips what was delivered before the page opened: that is in the inbox already.
  let last = from ?? (await drain(web, login, 0, () => {}));
  if (!sink.isOpen()) return;
  sink.write(`retry: ${timing.retryMs}\n\n`);
  sink.write(frame(last, 'ready', { last }));
  let quietSince = Date.now();
  let failing = false;
  while (sink.isOpen()) {
    try {
      last = await drain(web, login, last, (item) => {
        if (!sink.isOpen()) return;
        sink.write(frame(item.id, 'notification', item));
        quietSince = Date.now();
      });
      failing = false;
    } catch (err) {
      // A passing database hiccup should not end the stream; the cursor has not moved, so the next poll catches up.
      if (!failing) log(`imi-bot: web chat event stream: ${err instanceof Error ? err.message : String(err)}`);
      failing = true;
    }
    if (!sink.isOpen()) break;
    if (Date.now() - quietSince >= timing.keepAliveMs) {
      sink.write(': keep-alive\n\n');
      quietSince = Date.now();
    }
    await pause(timing.pollMs, sink.closed);
  }
}

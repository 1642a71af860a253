import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import type { ChannelContext } from '../../src/mounts.ts';
import type { Mount } from '../../src/server.ts';
import type { WebChatPort } from '../../src/conversation/types.ts';
import { webChatHandlers, type HttpInput, type HttpOutput, type HttpStream } from './web-chat.handlers.ts';
import type { EventSink } from './web-events.ts';

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

/** Binds a plain handler to express: the only place here that knows express. */
const bind = (handler: (input: HttpInput) => Promise<HttpOutput>) => async (req: Request, res: Response) => {
  try {
    const out = await handler({ headers: req.headers, body: req.body, query: req.query as Record<string, unknown> });
    if (out.setCookie) res.setHeader('Set-Cookie', out.setCookie);
    res.status(out.status).json(out.body);
  } catch (err) {
    console.error('imi-bot: web chat error:', err);
    res.status(500).json({ error: 'internal error' });
  }
};

/**
 * Binds a streaming handler: a problem is answered as JSON, a stream as text/event-stream
 * that ends when the client leaves or the server stops.
 */
const bindStream = (handler: (input: HttpInput) => Promise<HttpOutput | HttpStream>) => async (req: Request, res: Response) => {
  try {
    const out = await handler({ headers: req.headers, body: req.body, query: req.query as Record<string, unknown> });
    if (!('stream' in out)) {
      res.status(out.status).json(out.body);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    // Stops reverse proxies (nginx) from buffering events; Connection: close frees the socket
    // when the stream ends, so a stopping server is not kept waiting for it.
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('Connection', 'close');
    res.flushHeaders();
    let gone = false;
    const closed = new Promise<void>((resolve) => res.once('close', () => ((gone = true), resolve())));
    // server.close() stops listening at once but waits for open connections: a stream notices and ends.
    const server = (req.socket as { server?: { listening?: boolean } }).server;
    const sink: EventSink = {
      write: (chunk) => void res.write(chunk),
      isOpen: () => !gone && !res.writableEnded && server?.listening !== false,
      closed,
    };
    await out.stream(sink);
    if (!res.writableEnded) res.end();
  } catch (err) {
    console.error('imi-bot: web chat event stream error:', err);
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    else if (!res.writableEnded) res.end();
  }
};

/** The built-in web chat: a page at / and its JSON API under /api/chat. */
export function webChatMount(ctx: ChannelContext, web: WebChatPort): Mount {
  const h = webChatHandlers({
    conversation: ctx.conversation,
    web,
    i18n: ctx.i18n,
    signInEnabled: ctx.config.webChat,
    secret: process.env.SESSION_SECRET || crypto.randomBytes(32).toString('hex'),
  });
  return {
    mount(app: Express) {
      const api = express.Router();
      api.use(express.json({ limit: '64kb' }));
      api.get('/config', bind(h.config));
      api.get('/users', bind(h.users));
      api.get('/session', bind(h.session));
      api.post('/session', bind(h.signIn));
      api.delete('/session', bind(h.signOut));
      api.post('/turn', bind(h.turn));
      api.post('/welcome', bind(h.welcome));
      api.get('/feed', bind(h.feed));
      api.get('/events', bindStream(h.events));
      // A body that is not JSON gets the same plain answer as any other bad request.
      api.use((err: unknown, req: Request, res: Response, next: (e?: unknown) => void) => {
        if (err && typeof err === 'object' && 'type' in err) {
          void bind(h.badBody)(req, res);
          return;
        }
        next(err);
      });
      app.use('/api/chat', api);
      app.use(express.static(PUBLIC_DIR, { index: 'index.html' }));
    },
  };
}

import type { ErrorRequestHandler, RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';

/** Largest request body any route accepts; channels parse with their own, smaller limits. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Security headers for every response. The CSP fits the web chat page: its scripts (ES modules),
 * style sheets and fetch/EventSource calls come from this origin, the favicon is a data: URL; no
 * inline script runs, nothing frames the page. HSTS and upgrade-insecure-requests only in production,
 * where the server sits behind https; on http://localhost they would break the local chat.
 */
export function securityHeaders(production: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        // The page sets one CSS variable through a style attribute (adapters/web/public/render.js);
        // attributes cannot load anything or run code. Drop this once it uses element.style instead.
        'style-src-attr': ["'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(production ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}

const withSecure = (cookie: string): string => (/;\s*secure\s*(;|$)/i.test(cookie) ? cookie : `${cookie}; Secure`);

/**
 * Marks every cookie Secure in production (behind https) and on TLS connections, whichever
 * channel sets it, so a session cookie never travels over plain http there.
 */
export function secureCookies(production: boolean): RequestHandler {
  return (req, res, next) => {
    if (production || req.secure) {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = ((name: string, value: number | string | readonly string[]) => {
        if (name.toLowerCase() !== 'set-cookie') return setHeader(name, value);
        return setHeader(name, Array.isArray(value) ? value.map(withSecure) : typeof value === 'string' ? withSecure(value) : value);
      }) as typeof res.setHeader;
    }
    next();
  };
}

/** Refuses a body announced as larger than any route takes, before anything reads it. */
export function bodySizeCap(max = MAX_BODY_BYTES): RequestHandler {
  return (req, res, next) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(length) && length > max) {
      res.setHeader('Connection', 'close');
      res.status(413).json({ error: 'request body too large' });
      return;
    }
    next();
  };
}

/**
 * The last error handler: a client's mistake (malformed JSON, too large) keeps its 4xx status,
 * anything else is logged (redacted) and answered 500 without details.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status = Number((err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode);
    if (res.headersSent) {
      log.error({ err, method: req.method, path: req.path }, 'imi-bot: request failed after the answer began');
      res.end();
      return;
    }
    if (status >= 400 && status < 500) {
      res.status(status).json({ error: status === 413 ? 'request body too large' : 'bad request' });
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'imi-bot: request failed');
    res.status(500).json({ error: 'internal error' });
  };
}

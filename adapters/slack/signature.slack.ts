import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Slack request signing, checked before Bolt sees a request. Bolt checks too (kept on), but it
 * lets through timestamps from the future and answers a malformed signature with 400; here every
 * request that cannot be proven to come from Slack within the last 5 minutes gets 401.
 */

export const REPLAY_WINDOW_SECONDS = 5 * 60;
const BODY_LIMIT_BYTES = 1024 * 1024;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Verifies `x-slack-signature` over `v0:{timestamp}:{raw body}` (https://api.slack.com/authentication/verifying-requests-from-slack). */
export function verifySlackSignature(
  signingSecret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const signature = headers['x-slack-signature'];
  const timestamp = headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return { ok: false, reason: 'signature headers missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'timestamp invalid' };
  if (Math.abs(nowSeconds - Number(timestamp)) > REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'timestamp outside the 5-minute window' };
  const m = /^v0=([0-9a-f]{64})$/.exec(signature);
  if (!m) return { ok: false, reason: 'signature malformed' };
  const expected = crypto.createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest();
  const given = Buffer.from(m[1]!, 'hex');
  return crypto.timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

/** The signature a request from Slack carries: for tests and local tools that play Slack. */
export function signSlackRequest(signingSecret: string, rawBody: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const hash = crypto.createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hash}` };
}

async function readRawBody(req: Request): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Express middleware: 401 unless the request is signed. It leaves the raw body on `req.rawBody`,
 * where Bolt's ExpressReceiver looks first, so the body stream is read only once.
 */
export function slackSignatureGuard(signingSecret: string, log: (message: string) => void) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let raw: Buffer | null;
    try {
      raw = await readRawBody(req);
    } catch {
      res.status(400).end();
      return;
    }
    if (raw === null) {
      res.status(413).end();
      return;
    }
    const check = verifySlackSignature(signingSecret, req.headers, raw.toString('utf8'));
    if (!check.ok) {
      log(`slack: rejected a request to ${req.path} (${check.reason})`);
      res.status(401).end();
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
}

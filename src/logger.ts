import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields that never reach a log line, at the top level and one or two levels down (pino's
 * redaction does not search deeper): credentials and signatures of the channels, cookies,
 * authorization headers, and the personal data of requests (src/domain/personal-data.ts).
 */
const SENSITIVE = [
  'authorization', 'Authorization', 'cookie', 'Cookie', '["set-cookie"]', '["x-slack-signature"]', '["x-hub-signature"]',
  'token', 'accessToken', 'access_token', 'refreshToken', 'botToken', 'bot_token', 'idToken', 'id_token',
  'password', 'appPassword', 'MicrosoftAppPassword', 'secret', 'clientSecret', 'client_secret', 'signingSecret', 'signature',
  'sessionSecret', 'SESSION_SECRET', 'SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'apiKey', 'api_key', 'DEEPL_API_KEY',
  'subjectName', 'freeText', 'answers', 'infoRequests', 'proposedDeadline', 'referral', 'items',
];

export const REDACT_PATHS: string[] = [
  ...SENSITIVE,
  ...SENSITIVE.map((k) => (k.startsWith('[') ? `*${k}` : `*.${k}`)),
  ...SENSITIVE.map((k) => (k.startsWith('[') ? `*.*${k}` : `*.*.${k}`)),
];

/** Credentials that sometimes end up inside a message text (an SDK's error message, a URL). */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  [/\b(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted jwt]'],
  [/([?&](?:token|key|code|signature|sig|secret)=)[^&\s]+/gi, '$1[redacted]'],
  // user:password@ in connection strings such as DATABASE_URL=postgres://…
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1[redacted]@'],
];

/** A text with credential-like parts replaced; personal data inside free text cannot be told apart, so none is logged as text. */
export const scrub = (text: string): string => SECRET_PATTERNS.reduce((t, [re, by]) => t.replace(re, by), text);

export interface LoggerOptions {
  /** Shown as `name` on every line. */
  name?: string;
  /** pino level; LOG_LEVEL or "info" by default. */
  level?: string;
  /** Where lines go; by default info and below to stdout, warnings and errors to stderr. */
  destination?: DestinationStream;
}

/** Error messages and stacks are written by libraries and may quote a token. */
function scrubbedError(err: Error) {
  const s = pino.stdSerializers.err(err);
  return { ...s, message: scrub(String(s.message ?? '')), ...(typeof s.stack === 'string' ? { stack: scrub(s.stack) } : {}) };
}

/** A structured JSON logger with credentials and personal data redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination =
    options.destination ??
    pino.multistream(
      [
        { level: 'trace', stream: pino.destination({ fd: 1, sync: true }) },
        { level: 'warn', stream: pino.destination({ fd: 2, sync: true }) },
      ],
      { dedupe: true },
    );
  return pino(
    {
      name: options.name ?? 'imi-bot',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: scrubbedError },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

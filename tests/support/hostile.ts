import fc from 'fast-check';
import { MAX_REASON, MAX_TEXT, STATUSES, type HistoryEvent, type Request } from '../../src/domain/request.ts';
import type { Authority } from '../../src/domain/authority.ts';
import type { AreaCatalog } from '../../src/domain/area.ts';
import { parseIsoDate } from '../../src/domain/deadlines.ts';

/** Strings attackers and broken clients send: injections, template and path tricks, prototype keys. */
export const INJECTIONS = [
  "' OR 1=1 --", "'); DROP TABLE requests; --", '" OR ""="', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
  '{{id}}', '{{constructor.constructor("return process")()}}', '${process.exit(1)}', '`rm -rf /`', '../../../../etc/passwd',
  '%00', '%n%s%x', 'javascript:alert(1)', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '{"__proto__":{"polluted":1}}', 'IMI-2026-000001', 'imi-2026-000001', 'IMI-0000-000000', 'IMI-9999-999999', 'NaN',
  'Infinity', '-1', '1e309', '0x10', 'null', 'undefined', 'true', '[]', '{}', ' ', '\t', '\n', '\r\n',
];

/** Dates that are not dates, or not acceptable ones. */
export const BAD_DATES = [
  '2026-02-30', '2026-13-01', '2026-00-10', '9999-12-31', '0000-00-00', '2026-1-1', '2026-12-01T00:00:00Z', '+275760-09-13',
  '2020-01-01', '1970-01-01', '', 'tomorrow', '31.12.2026', '12/31/2026', '2026-12-31 ', ' 2026-12-31', '２０２６-１２-３１',
];

/** Unicode that trips naive code: lone surrogates, direction overrides, zero-width, combining marks, BOM. */
export const UNICODE_EDGES = [
  '\uD800', '\uDFFF', 'a\uD800b', '\u202Eevil', '\u200B', '\u200D', 'e\u0301', '\u0301', '👩‍⚕️', '🏳️‍🌈', '\uFEFF',
  'İ', 'ß', 'ﬁ', 'Ⅻ', '\u0000', '\u0007', '\u001B[31m', '\u2028', '\u2029', '𝕳𝖚𝖓𝖌𝖆𝖗𝖞', 'Åström Ødegård', 'Kovács Ánna',
];

const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat(['\u007F', '\u0085', '\u00A0']);

/** Long strings around every limit: the domain's, the form's, the HTTP layer's. */
export const HUGE = [
  'x'.repeat(MAX_TEXT + 1), 'é'.repeat(MAX_TEXT), 'a'.repeat(12_001), '\u0000'.repeat(5_000), '👩‍⚕️'.repeat(2_000),
  'r'.repeat(MAX_REASON + 1), 's'.repeat(301), 'q'.repeat(201),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...CONTROL), maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS, ...BAD_DATES, ...UNICODE_EDGES) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
);

/** JSON values of the wrong type for a field that should be a string. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant({ length: 1 }),
  fc.array(fc.integer(), { maxLength: 3 }), fc.constant([[]]), fc.constant({ requestId: 1 }), fc.array(fc.string(), { minLength: 101, maxLength: 102 }),
);

/**
 * A form field's value: often a plausible one (`validWeight` in 11), often hostile, sometimes a
 * list or the wrong type.
 */
export const field = (valid: fc.Arbitrary<string>, validWeight = 4): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: validWeight, arbitrary: valid },
    { weight: 5, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.array(fc.oneof(valid, hostileString), { maxLength: 4 }) },
    { weight: 1, arbitrary: wrongType },
  );

/** Keys a client should never send, including those that reach an object's prototype. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'submit', 'requestId', 'version', ''),
  fc.string({ maxLength: 12 }),
  fc.constant('k'.repeat(101)),
);

/**
 * A JSON object text with these entries as own keys. Built by hand because assigning "__proto__"
 * in JavaScript sets the prototype instead of a key; a client can send it as a key all the same.
 */
export const objectText = (entries: [string, unknown][]): string =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v === undefined ? 'null' : JSON.stringify(v)}`).join(',')}}`;

/** A form submission: the form's fields with their arbitraries, plus a few unexpected keys. */
export const submission = (fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.array(fc.tuple(hostileKey, fc.oneof(hostileString, wrongType)), { maxLength: 2 }),
    )
    .map(([known, extra]) => objectText([...Object.entries(known), ...extra]));

/** The stored requests' invariants: a valid draft, or everything sending requires (domain checkSendable). */
export function requestProblem(r: Request, history: HistoryEvent[], authorities: Map<string, Authority>, areas: AreaCatalog): string | null {
  const area = areas.get(r.area);
  const str = (v: unknown) => typeof v === 'string';
  if (!area) return `unknown area ${r.area}`;
  if (!(STATUSES as readonly string[]).includes(r.status)) return `status ${r.status}`;
  if (!Number.isInteger(r.version) || r.version < 1) return `version ${r.version}`;
  if (!authorities.has(r.requesterAuthorityId)) return 'requester missing';
  if (!Array.isArray(r.questions) || !r.questions.every((q) => str(q) && area.questions.includes(q))) return `questions ${JSON.stringify(r.questions)}`;
  if (new Set(r.questions).size !== r.questions.length) return `duplicate questions ${JSON.stringify(r.questions)}`;
  if (!str(r.freeText) || r.freeText.length > MAX_TEXT) return 'free text';
  if (!str(r.subjectName) || r.subjectName.length > 300) return 'subject name';
  if (r.requestedDeadline !== null && parseIsoDate(r.requestedDeadline) !== r.requestedDeadline) return `deadline ${r.requestedDeadline}`;
  if (r.responderAuthorityId !== null && !authorities.has(r.responderAuthorityId)) return 'responder missing';
  for (const round of r.answers) {
    if (!Object.entries(round.items).every(([k, v]) => str(v) && v.length <= MAX_TEXT && (k === 'free' || r.questions.includes(k)))) return 'answers';
  }
  if (!r.infoRequests.every((i) => str(i.message) && i.message.length <= MAX_TEXT)) return 'info requests';
  if (r.proposedDeadline && (r.proposedDeadline.reason.length > MAX_REASON || !parseIsoDate(r.proposedDeadline.date))) return 'proposal';
  if (r.referral && (!str(r.referral.reason) || r.referral.reason.length > MAX_REASON)) return 'referral';
  const sent = r.status !== 'draft' && !(r.status === 'withdrawn' && r.sentAt === null);
  if (!sent) return r.sentAt === null ? null : 'draft with sentAt';
  const requester = authorities.get(r.requesterAuthorityId)!;
  const responder = r.responderAuthorityId ? authorities.get(r.responderAuthorityId) : undefined;
  if (!responder) return 'sent without responder';
  if (responder.country === requester.country) return 'same country';
  if (!responder.areas.includes(r.area)) return 'responder not competent';
  if (r.questions.length === 0 && !r.freeText.trim()) return 'nothing asked';
  if (!r.requestedDeadline || !r.sentAt) return 'sent without deadline or sentAt';
  if (!history.some((e) => e.type === 'sent')) return 'no sent event';
  if (['accepted', 'answered', 'further_info_requested', 'closed'].includes(r.status) && (!r.agreedDeadline || !r.acceptedAt)) return 'accepted without deadline';
  if (['answered', 'further_info_requested', 'closed'].includes(r.status) && r.answers.length === 0) return 'answered without answers';
  if (['closed', 'withdrawn'].includes(r.status) && !r.closedAt) return 'closed without closedAt';
  return null;
}

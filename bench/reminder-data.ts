import path from 'node:path';
import type { Knex } from 'knex';
import { fixedClock } from '../src/app/ports/clock.ts';
import { loadDemo } from '../src/app/demo/load-demo.ts';
import type { ReminderRule } from '../src/domain/reminders.ts';
import { loadDemoData } from '../src/store/reference-data.ts';
import { openStore } from '../src/store/knex-store.ts';
import { openCore } from '../src/wiring.ts';

/**
 * Request tables for the reminder-scan benchmark, written straight into sqlite with a few
 * set-based statements: going through the use cases would take hours at a million requests.
 *
 * The scan runs on Wednesday 2026-11-25 at 10:00 UTC, inside the working hours of every demo
 * authority (all in Central European zones), so "as of" is now and the day is a working day.
 */
export const SCAN_AT = '2026-11-25T10:00:00.000Z';
const TODAY = SCAN_AT.slice(0, 10);

/**
 * Kinds of due request, by index among the due ones modulo 20, with the rules each must yield.
 * Dates are fixed around TODAY (a Wednesday): Thu 26, Fri 27 and Mon 30 are 1–3 working days ahead.
 */
const DUE_KINDS: { kind: string; upTo: number; rules: ReminderRule[] }[] = [
  { kind: 'not_accepted', upTo: 4, rules: ['not_accepted'] },
  { kind: 'approaching', upTo: 8, rules: ['deadline_approaching'] },
  { kind: 'reached', upTo: 10, rules: ['deadline_reached'] },
  { kind: 'overdue', upTo: 14, rules: ['overdue'] },
  { kind: 'escalation', upTo: 17, rules: ['overdue', 'escalation'] },
  { kind: 'proposal', upTo: 20, rules: ['proposal_unseen'] },
];

/**
 * Everything else, by a hash of the row number into per mille: mostly closed history, and open
 * requests that owe nothing today (sent a few days ago, deadlines well ahead). Training requests
 * with past deadlines would be due if they were live ones.
 */
const REST_KINDS: [string, number][] = [
  ['closed', 780],
  ['withdrawn', 830],
  ['answered', 890],
  ['draft', 910],
  ['training', 915],
  ['sent_recent', 930],
  ['accepted_far', 990],
  ['info_far', 1000],
];

export interface ReminderData {
  total: number;
  due: number;
  /** Open requests whose reminder went out on an earlier scan: candidates that owe nothing new. */
  reminded: number;
  /** Request id → the rules the scan must queue for it, exactly. */
  expected: Map<string, ReminderRule[]>;
}

const requestId = (n: number): string => `IMI-${2016 + Math.floor(n / 100_000)}-${String(n % 100_000).padStart(6, '0')}`;
const ID_SQL = `'IMI-' || (2016 + n / 100000) || '-' || substr('000000' || (n % 100000), -6)`;

/** A migrated sqlite file with the demo authorities and users (no requests), to copy for each size. */
export async function referenceDatabase(dir: string): Promise<string> {
  const file = path.join(dir, 'reference.db');
  const core = await openCore(`sqlite:${file}`, fixedClock(new Date(SCAN_AT)));
  try {
    await core.deps.store.migrate();
    await loadDemo(core.deps, { ...loadDemoData(), requests: [] });
  } finally {
    await core.close();
  }
  return file;
}

/** Requester → responder pairs of different countries that share an area, with a requester handler as author. */
function pairs(): { area: string; requester: string; responder: string; by: string }[] {
  const demo = loadDemoData();
  const out: { area: string; requester: string; responder: string; by: string }[] = [];
  for (const a of demo.authorities) {
    for (const area of a.areas) {
      const by = demo.users.find((u) => u.authorityId === a.id && u.roles.includes('handler') && u.areas.includes(area));
      if (!by) continue;
      for (const b of demo.authorities) {
        if (b.country !== a.country && b.areas.includes(area)) out.push({ area, requester: a.id, responder: b.id, by: by.id });
      }
    }
  }
  return out;
}

/** SQL of an instant `days` (fractional) from the scan. */
const at = (days: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', julianday('${SCAN_AT}') + (${days}))`;
/** SQL of the date `days` from the scan's date. */
const day = (days: string) => `date(julianday('${TODAY}') + (${days}))`;

/**
 * Fills a copy of the reference database with `total` requests, `due` of them due at SCAN_AT
 * and `due / 2` reminded before, all in one transaction.
 */
export async function fillRequests(file: string, total: number, due: number): Promise<ReminderData> {
  const stride = Math.floor(total / due);
  if (stride < 3) throw new Error(`too many due requests (${due}) for ${total}`);
  const reminded = Math.floor(due / 2);
  const p = pairs();
  const store = openStore(`sqlite:${file}`);
  const db: Knex = store.db;
  try {
    // Generation only, on a throw-away file: a big page cache, no rollback journal and no syncs.
    // The file goes back to WAL afterwards, as the server runs it.
    await db.raw('PRAGMA cache_size = -400000');
    await db.raw('PRAGMA synchronous = OFF');
    await db.raw('PRAGMA journal_mode = OFF');
    await db.transaction(async (tx) => {
      // Building an index once over the filled table is several times faster than growing it row by row;
      // the same statements recreate exactly what the migrations made.
      const indexes: { sql: string; name: string }[] = await tx.raw(
        `select name, sql from sqlite_master where type = 'index' and tbl_name in ('requests', 'request_history') and sql is not null`,
      );
      for (const i of indexes) await tx.raw(`drop index "${i.name}"`);
      const kind = `case
        when n % ${stride} = 1 and n / ${stride} < ${due} then case ${DUE_KINDS.map((k) => `when (n / ${stride}) % 20 < ${k.upTo} then '${k.kind}'`).join(' ')} end
        when n % ${stride} = 2 and n / ${stride} < ${reminded} then case when (n / ${stride}) % 2 = 0 then 'reminded_sent' else 'reminded_approaching' end
        else case ${REST_KINDS.map(([k, upTo]) => `when h < ${upTo} then '${k}'`).join(' ')} end
      end`;
      // Per kind: status, sent_at, requested and agreed deadline, closed_at, proposed deadline, training.
      const col = (values: Record<string, string>, fallback = 'null') =>
        `case kind ${Object.entries(values).map(([k, v]) => `when '${k}' then ${v}`).join(' ')} else ${fallback} end`;
      const past = '10 + n % 3000';
      const statusSql = col(
        {
          not_accepted: `'sent'`, proposal: `'sent'`, reminded_sent: `'sent'`, sent_recent: `'sent'`,
          escalation: `case when n % 2 = 0 then 'further_info_requested' else 'accepted' end`, info_far: `'further_info_requested'`,
          closed: `'closed'`, withdrawn: `'withdrawn'`, answered: `'answered'`, draft: `'draft'`,
        },
        `'accepted'`,
      );
      const sentAt = col(
        {
          not_accepted: at('-(8 + n % 5)'), proposal: at('-2'), reminded_sent: at('-20'), sent_recent: at('-(n % 72) / 24.0'),
          approaching: at('-10'), reached: at('-10'), overdue: at('-12'), escalation: at('-(30 + n % 20)'), reminded_approaching: at('-10'),
          accepted_far: at('-(n % 20)'), info_far: at('-(n % 20 + 10)'), training: at('-(n % 60 + 10)'),
          closed: at(`-(${past} + 20)`), withdrawn: `case when n % 3 = 0 then null else ${at(`-(${past} + 20)`)} end`, answered: at('-(n % 40 + 15)'),
        },
      );
      const deadline = col(
        {
          not_accepted: day('25 + n % 10'), proposal: day('20'), reminded_sent: day('30'), sent_recent: day('10 + n % 50'),
          approaching: `case (n / ${stride}) % 3 when 0 then '2026-11-26' when 1 then '2026-11-27' else '2026-11-30' end`,
          reached: `'${TODAY}'`, overdue: `case when n % 2 = 0 then '2026-11-23' else '2026-11-24' end`, escalation: day('-(10 + n % 20)'),
          reminded_approaching: `'2026-11-30'`, accepted_far: day('10 + n % 110'), info_far: day('10 + n % 110'), training: day('-(1 + n % 60)'),
          closed: day(`-(${past})`), withdrawn: day(`-(${past})`), answered: day('-(n % 30)'), draft: day('n % 60 - 20'),
        },
      );
      const agreed = `case when status in ('accepted', 'further_info_requested', 'answered', 'closed') then requested end`;
      const closedAt = col({ closed: at(`-(${past} - 5)`), withdrawn: at(`-(${past} - 5)`) });
      // A deadline proposal stays in the body after acceptance; most are long settled.
      const proposed = col(
        { proposal: day('30'), closed: `case when h % 7 = 0 then requested end`, accepted_far: `case when h % 5 = 0 then requested end` },
      );
      const body = `json_object(
        'questions', json_array('pq-legally-established', 'pq-suspension-or-prohibition'),
        'freeText', 'The professional concerned practised in the responding member state and now applies for recognition here; please confirm the facts asked. Case ' || n,
        'freeTextLang', 'en',
        'subjectName', 'Subject ' || n || ' (fictitious)',
        'proposedDeadline', case when proposed is null then null else json_object('date', proposed, 'reason', 'Archive search takes longer', 'by', 'bench') end,
        'answers', json_array(), 'infoRequests', json_array(), 'referral', null,
        'acceptedAt', case when agreed is null then null else sent_at end, 'answeredAt', null)`;
      await tx.raw(
        `with recursive seq(n) as (select 0 union all select n + 1 from seq where n < ${total - 1}),
        pairs(p, area, requester, responder, by) as (values ${p.map(() => '(?, ?, ?, ?, ?)').join(', ')}),
        hashed as (select n, (n * 7919 + 13) % 1000 as h from seq),
        kinds as materialized (select n, h, ${kind} as kind from hashed),
        base as materialized (select n, h, kind, ${statusSql} as status, ${sentAt} as sent_at, ${deadline} as requested from kinds),
        full as materialized (select base.*, ${agreed} as agreed, ${closedAt} as closed_at, ${proposed} as proposed from base)
        insert into requests (id, area, requester_authority_id, responder_authority_id, created_by, status, training,
          requested_deadline, agreed_deadline, version, created_at, updated_at, sent_at, closed_at, accepted_at, answered_at, body)
        select ${ID_SQL}, pairs.area, pairs.requester, case when kind = 'draft' and n % 2 = 0 then null else pairs.responder end, pairs.by,
          status, kind = 'training', requested, agreed, 1 + n % 5,
          coalesce(sent_at, ${at('-(n % 400)')}), coalesce(closed_at, sent_at, ${at('-(n % 400)')}), sent_at, closed_at,
          case when agreed is null then null else sent_at end, null, ${body}
        from full join pairs on pairs.p = n % ${p.length}`,
        p.flatMap((x, i) => [i, x.area, x.requester, x.responder, x.by]),
      );
      await tx.raw(
        `insert into request_history (request_id, type, actor_id, at, details)
        select id, 'deadline_proposed', 'bench', strftime('%Y-%m-%dT%H:%M:%fZ', julianday(sent_at) + 1 / 24.0),
          json_object('from', requested_deadline, 'to', json_extract(body, '$.proposedDeadline.date'))
        from requests where json_extract(body, '$.proposedDeadline') is not null`,
      );
      for (const i of indexes) await tx.raw(i.sql);
      const earlier = (days: number) => new Date(Date.parse(SCAN_AT) - days * 86_400_000).toISOString();
      const rows = [];
      for (let i = 0; i < reminded; i++) {
        const id = requestId(i * stride + 2);
        const responder = p[(i * stride + 2) % p.length]!.responder;
        rows.push(
          i % 2 === 0
            ? { key: `reminder:${id}:not_accepted:${responder}`, rule: 'not_accepted', request_id: id, authority_id: responder, created_at: earlier(13) }
            : { key: `reminder:${id}:deadline_approaching:2026-11-30:3`, rule: 'deadline_approaching', request_id: id, authority_id: responder, created_at: earlier(1) },
        );
      }
      for (let i = 0; i < rows.length; i += 100) await tx('reminders_sent').insert(rows.slice(i, i + 100));
    });
    await db.raw('PRAGMA journal_mode = WAL');
  } finally {
    await store.close();
  }
  const expected = new Map<string, ReminderRule[]>();
  for (let i = 0; i < due; i++) expected.set(requestId(i * stride + 1), DUE_KINDS.find((k) => i % 20 < k.upTo)!.rules);
  return { total, due, reminded, expected };
}

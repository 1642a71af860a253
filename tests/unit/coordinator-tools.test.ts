import { describe, expect, it } from 'vitest';
import { CsvError, decodeUtf8, parseCsv, toCsv } from '../../src/cli/csv.ts';
import { answerLight, checkPeriod, figuresOf, ZERO_COUNTS } from '../../src/domain/scoreboard.ts';
import { offsetSpans } from '../../src/store/local-days.ts';

describe('CSV files as spreadsheets write them', () => {
  it('reads semicolons when the header uses them, with quotes, accents, CRLF and a BOM', () => {
    const bytes = new TextEncoder().encode('\uFEFFid;name;address\r\nhu-1;"Pécs; Fő ""utca""";"a,\r\nb"\r\n\r\nhu-2;Győr;\r\n');
    const t = parseCsv(decodeUtf8(bytes));
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['id', 'name', 'address']);
    expect(t.records).toEqual([
      { line: 2, fields: ['hu-1', 'Pécs; Fő "utca"', 'a,\r\nb'] },
      { line: 5, fields: ['hu-2', 'Győr', ''] },
    ]);
  });

  it('reads commas by default and keeps a record with too few fields as it is', () => {
    const t = parseCsv('id,name\nx,"a;b"\ny\n');
    expect(t.delimiter).toBe(',');
    expect(t.records.map((r) => r.fields)).toEqual([['x', 'a;b'], ['y']]);
  });

  it('refuses an unclosed quote, an empty file and text that is not UTF-8', () => {
    expect(() => parseCsv('id,name\nx,"open\n')).toThrow(/line 2/);
    expect(() => parseCsv('')).toThrow(CsvError);
    expect(() => decodeUtf8(Uint8Array.from([0x69, 0x64, 0x0a, 0xe9, 0x74, 0xe9]))).toThrow(/UTF-8/);
  });

  it('writes what it reads back', () => {
    const rows = [{ id: 'a', name: 'x, "y"\nz' }, { id: 'b', name: ' padded ' }];
    const back = parseCsv(toCsv(['id', 'name'], rows));
    expect(back.records.map((r) => r.fields)).toEqual([['a', 'x, "y"\nz'], ['b', ' padded ']]);
  });
});

describe('scoreboard lights', () => {
  it('follow the figure shown: 79.96 % is shown as 80 % and is green', () => {
    const f = figuresOf({ ...ZERO_COUNTS, acceptanceDue: 2501, acceptedInTime: 2000 });
    expect(f.acceptedWithin7Days).toMatchObject({ percent: 80, light: 'green' });
    expect(figuresOf({ ...ZERO_COUNTS, acceptanceDue: 10, acceptedInTime: 6 }).acceptedWithin7Days.light).toBe('amber');
    expect(figuresOf({ ...ZERO_COUNTS, acceptanceDue: 10, acceptedInTime: 5 }).acceptedWithin7Days.light).toBe('red');
  });

  it('for the time to answer: green under 16 days, red over 25, amber between', () => {
    expect([15.9, 16, 25, 25.1, null].map(answerLight)).toEqual(['green', 'amber', 'amber', 'red', 'none']);
  });

  it('check the period', () => {
    expect(checkPeriod('2026-01-01', '2026-01-01').ok).toBe(true);
    expect(checkPeriod('2026-01-02', '2026-01-01').ok).toBe(false);
    expect(checkPeriod('2026-02-29', '2026-03-01').ok).toBe(false);
  });
});

describe('time zone offsets for the database', () => {
  it('finds the exact instants Budapest changes to and from summer time in 2026', () => {
    const spans = offsetSpans('Europe/Budapest', new Date('2026-01-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z'));
    expect(spans).toEqual([
      { until: '2026-03-29T01:00:00.000Z', minutes: 60 },
      { until: '2026-10-25T01:00:00.000Z', minutes: 120 },
      { until: null, minutes: 60 },
    ]);
    expect(offsetSpans('UTC', new Date('2026-01-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z'))).toEqual([{ until: null, minutes: 0 }]);
  });
});

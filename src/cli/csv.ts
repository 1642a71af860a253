/**
 * CSV as spreadsheets write it (RFC 4180): fields separated by commas or, as Excel does in
 * much of Europe, semicolons; fields in double quotes may hold separators, line breaks and
 * doubled quotes. The separator is read off the header line.
 */

export interface CsvRecord {
  /** The line the record starts on; the header is line 1. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  delimiter: ',' | ';';
  header: string[];
  records: CsvRecord[];
}

/** A file that cannot be read as CSV at all (not a problem of one row). */
export class CsvError extends Error {}

/** Decodes UTF-8 strictly, so that a file saved in another encoding is refused instead of garbled. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new CsvError('the file is not UTF-8 text; save it as "CSV UTF-8" (comma or semicolon separated)');
  }
}

/** The separator of a header line: the one that occurs more often outside quotes; comma on a tie. */
export function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas += 1;
    else if (!quoted && c === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

export function parseCsv(text: string): CsvTable {
  const delimiter = detectDelimiter(text);
  const rows: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    // A line with nothing on it is spacing, not a record.
    if (!(fields.length === 1 && fields[0]!.trim() === '' && !fieldStarted)) rows.push({ line: start, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line += 1;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
      fieldStarted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      start = line;
    } else field += c;
  }
  if (quoted) throw new CsvError(`line ${start}: a quoted field is not closed (a " is missing)`);
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();
  const [header, ...records] = rows;
  if (!header) throw new CsvError('the file is empty: the first line must name the columns');
  return { delimiter, header: header.fields.map((h) => h.trim()), records };
}

const needsQuotes = (value: string, delimiter: string): boolean =>
  value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim();

/** Writes rows under a header; fields are quoted only when they need it. */
export function toCsv(columns: readonly string[], rows: Record<string, string | null | undefined>[], delimiter = ','): string {
  const cell = (v: string | null | undefined) => {
    const s = v ?? '';
    return needsQuotes(s, delimiter) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(delimiter), ...rows.map((r) => columns.map((c) => cell(r[c])).join(delimiter))].join('\n') + '\n';
}

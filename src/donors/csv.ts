/**
 * A small RFC 4180 CSV reader and writer (no dependency: runs in workerd and Node).
 * Reads UTF-8 with or without Excel's BOM, CRLF or LF, quoted fields with "" escapes and
 * line breaks; reports the physical line where each record starts, for error messages.
 */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

export function parseCsv(text: string, opts: { delimiter?: string } = {}): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // A file saved in another encoding (Windows-1258, VNI, TCVN3…) decodes with replacement
  // characters or NULs: refuse it instead of storing mangled Vietnamese names.
  const broken = s.search(/[\uFFFD\u0000]/);
  if (broken >= 0) {
    const line = s.slice(0, broken).split('\n').length;
    throw new CsvSyntaxError(line, 'the file is not valid UTF-8 text; save it as "CSV UTF-8" and upload it again');
  }
  const delim = opts.delimiter ?? detectDelimiter(s);
  const out: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let sawAny = false;
  const endRecord = () => {
    cells.push(cell);
    // Skip empty lines (a lone empty cell), including a trailing newline at end of file.
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    sawAny = false;
  };
  while (i < s.length) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = s[i];
        if (next !== undefined && next !== delim && next !== '\n' && next !== '\r') throw new CsvSyntaxError(line, 'text after a closing quote');
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (cell !== '') throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
      quoted = true;
      sawAny = true;
      i++;
      continue;
    }
    if (ch === delim) {
      cells.push(cell);
      cell = '';
      sawAny = true;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && s[i + 1] === '\n') i++;
      i++;
      line++;
      recordLine = line;
      continue;
    }
    cell += ch;
    sawAny = true;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is not closed');
  if (sawAny || cell !== '' || cells.length > 0) endRecord();
  return out;
}

/** Excel in a Vietnamese or European locale writes ";" — look at the header line. */
function detectDelimiter(s: string): string {
  const first = s.slice(0, s.search(/\r?\n|$/));
  const commas = (first.match(/,/g) ?? []).length;
  const semis = (first.match(/;/g) ?? []).length;
  return semis > commas ? ';' : ',';
}

/**
 * One text cell of every CSV the app writes (exports, reports). A spreadsheet runs a cell that
 * starts with = + - @ (or tab / CR) as a formula: such cells get a leading apostrophe so names and
 * notes stay text. Quoted (RFC 4180) when it holds a quote, comma, semicolon (the separator of
 * Excel in many locales) or line break, or begins or ends with a space that a reader might trim.
 */
export function escapeCsvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[",\r\n;]/.test(s) || s !== s.trim()) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** One CSV line's cells, escaped and joined (no line end). */
export const csvLine = (cells: readonly unknown[]): string => cells.map(escapeCsvCell).join(',');

/** A CSV file from its lines: a BOM and CRLF line ends, so Excel opens Vietnamese text correctly. */
export const csvDocument = (lines: readonly string[]): string => '\ufeff' + lines.join('\r\n') + '\r\n';

export function toCsv(header: string[], rows: unknown[][]): string {
  return csvDocument([header, ...rows].map(csvLine));
}

/** "Số tiền" → "so tien": header matching ignores case, diacritics and punctuation. */
export function headerKey(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Maps each wanted column to its index, from a list of accepted header names. */
export function mapHeader<K extends string>(header: string[], wanted: Record<K, string[]>): { index: Partial<Record<K, number>>; unknown: string[] } {
  const keys = header.map(headerKey);
  const index: Partial<Record<K, number>> = {};
  for (const [k, names] of Object.entries(wanted) as [K, string[]][]) {
    const i = keys.findIndex((h) => names.includes(h));
    if (i >= 0) index[k] = i;
  }
  const known = new Set(Object.values(index) as number[]);
  return { index, unknown: header.filter((_, i) => !known.has(i)) };
}

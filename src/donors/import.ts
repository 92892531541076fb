import { and, eq, isNull, sql } from 'drizzle-orm';
import { donors, DONOR_KINDS, type DonorKind } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { CsvSyntaxError, headerKey, mapHeader, parseCsv } from './csv';
import { keysetCsvStream } from '../lib/csv-stream';
import { createDonor, nameKey, phoneKey, segmentCondition, type DonorInput, type DonorSegment } from './donors';

const COLUMNS = {
  name: ['name', 'ten', 'ho ten', 'ho va ten', 'ten nha tai tro'],
  kind: ['kind', 'type', 'loai'],
  email: ['email', 'e mail', 'thu dien tu'],
  phone: ['phone', 'dien thoai', 'so dien thoai', 'sdt'],
  locale: ['locale', 'language', 'ngon ngu'],
  consent: ['email consent', 'consent', 'dong y nhan email', 'dong y'],
  anonymous: ['anonymous', 'an danh'],
  tags: ['tags', 'nhan', 'the'],
  country: ['country', 'quoc gia'],
  notes: ['notes', 'ghi chu'],
};

const KIND_WORDS: Record<string, DonorKind> = {
  person: 'person',
  individual: 'person',
  'ca nhan': 'person',
  group: 'group',
  nhom: 'group',
  organisation: 'organisation',
  organization: 'organisation',
  company: 'organisation',
  'to chuc': 'organisation',
  'cong ty': 'organisation',
  'doanh nghiep': 'organisation',
};

function parseBool(v: string): boolean | null {
  const k = headerKey(v);
  if (['', 'no', 'false', '0', 'khong', 'n'].includes(k)) return false;
  if (['yes', 'true', '1', 'co', 'y', 'x'].includes(k)) return true;
  return null;
}

export interface DonorImportRow {
  line: number;
  name: string;
  email: string | null;
  action: 'create' | 'existing';
  /** Another donor with the same phone or name (created anyway; staff can merge). */
  possibleDuplicateOf: string | null;
  existingId?: string;
}

export interface DonorImportResult {
  dryRun: boolean;
  errors: { line: number; message: string }[];
  rows: DonorImportRow[];
  created: number;
}

/**
 * Imports donors from CSV (UTF-8 with Vietnamese diacritics; Excel's BOM and ";" accepted).
 * All rows are checked first: any error → the list of errors with line numbers, nothing
 * written. An email already known is not imported twice.
 */
export async function importDonors(db: Db, orgId: string, input: { csv: string; dryRun: boolean }): Promise<DonorImportResult> {
  const result: DonorImportResult = { dryRun: input.dryRun, errors: [], rows: [], created: 0 };
  let records;
  try {
    records = parseCsv(input.csv);
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      result.errors.push({ line: err.line, message: err.message.replace(/^line \d+: /, '') });
      return result;
    }
    throw err;
  }
  if (records.length < 1) return { ...result, errors: [{ line: 1, message: 'the file is empty' }] };
  const [head, ...rows] = records;
  const { index } = mapHeader(head!.cells, COLUMNS);
  if (index.name === undefined) return { ...result, errors: [{ line: head!.line, message: 'missing column "name" (or "Họ tên")' }] };

  const existing = await db
    .select({ id: donors.id, email: donors.email, phoneKey: donors.phoneKey, nameKey: donors.nameKey })
    .from(donors)
    .where(and(eq(donors.orgId, orgId), isNull(donors.mergedIntoId)));
  const byEmail = new Map(existing.filter((d) => d.email).map((d) => [d.email!.toLowerCase(), d.id]));
  const byPhone = new Map(existing.filter((d) => d.phoneKey).map((d) => [d.phoneKey!, d.id]));
  const byName = new Map(existing.map((d) => [d.nameKey, d.id]));

  const toCreate: { line: number; input: DonorInput }[] = [];
  for (const r of rows) {
    const cell = (k: keyof typeof COLUMNS) => (index[k] === undefined ? '' : (r.cells[index[k]!] ?? '').trim());
    const errs: string[] = [];
    if (r.cells.length > head!.cells.length) errs.push(`expected ${head!.cells.length} columns, found ${r.cells.length}`);
    // A cell a spreadsheet would run as a formula is refused, not stored (phone numbers may start with +).
    for (const k of ['name', 'email', 'tags', 'country', 'notes', 'kind', 'locale'] as const) {
      if (/^[=@]/.test(cell(k)) || /^[+-]\s*[A-Za-z(]/.test(cell(k))) errs.push(`column "${k}" starts like a spreadsheet formula (${cell(k).slice(0, 1)}…); remove it`);
    }
    const name = cell('name');
    if (!name) errs.push('the name is empty');
    if (name.length > 200) errs.push('the name is longer than 200 characters');
    const email = cell('email').toLowerCase() || null;
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errs.push(`"${email.slice(0, 60)}" is not an email address`);
    const kindWord = headerKey(cell('kind'));
    const kind = kindWord ? KIND_WORDS[kindWord] ?? (DONOR_KINDS as readonly string[]).find((k) => k === kindWord) : 'person';
    if (!kind) errs.push(`kind "${cell('kind').slice(0, 30)}" is not person, group or organisation`);
    const localeWord = headerKey(cell('locale'));
    const locale = !localeWord || ['vi', 'tieng viet', 'vietnamese'].includes(localeWord) ? 'vi' : ['en', 'english', 'tieng anh'].includes(localeWord) ? 'en' : null;
    if (!locale) errs.push(`language "${cell('locale').slice(0, 20)}" is not vi or en`);
    const consent = parseBool(cell('consent'));
    if (consent === null) errs.push(`consent "${cell('consent').slice(0, 20)}" is not yes or no`);
    const anonymous = parseBool(cell('anonymous'));
    if (anonymous === null) errs.push(`anonymous "${cell('anonymous').slice(0, 20)}" is not yes or no`);
    if (errs.length) {
      for (const m of errs) result.errors.push({ line: r.line, message: m });
      continue;
    }
    if (email && byEmail.has(email)) {
      result.rows.push({ line: r.line, name, email, action: 'existing', possibleDuplicateOf: null, existingId: byEmail.get(email) });
      continue;
    }
    const pk = phoneKey(cell('phone'));
    const possible = (pk && byPhone.get(pk)) || byName.get(nameKey(name)) || null;
    const input: DonorInput = {
      name,
      kind: kind as DonorKind,
      email,
      phone: cell('phone') || null,
      locale: locale as 'vi' | 'en',
      emailConsent: consent!,
      anonymous: anonymous!,
      tags: cell('tags').split(/[;|]/).map((t) => t.trim()).filter(Boolean),
      country: cell('country') || null,
      notes: cell('notes') || null,
    };
    result.rows.push({ line: r.line, name, email, action: 'create', possibleDuplicateOf: possible });
    toCreate.push({ line: r.line, input });
    // Later rows of the same file see this one.
    const placeholder = `line:${r.line}`;
    if (email) byEmail.set(email, placeholder);
    if (pk && !byPhone.has(pk)) byPhone.set(pk, placeholder);
    if (!byName.has(nameKey(name))) byName.set(nameKey(name), placeholder);
  }
  if (result.errors.length) return { ...result, rows: [] };
  if (input.dryRun) return { ...result, created: toCreate.length };
  await db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    for (const c of toCreate) await createDonor(tx, orgId, c.input);
  });
  return { ...result, created: toCreate.length };
}

export const DONOR_CSV_HEADER = ['id', 'kind', 'name', 'email', 'phone', 'locale', 'email_consent', 'anonymous', 'tags', 'country', 'created', 'gifts', 'net_given_minor_units'] as const;

/** Donors per page of the export: one keyset step over (name_key, id). */
export const DONOR_EXPORT_PAGE_ROWS = 2000;

interface DonorCsvRow {
  id: string;
  name_key: string;
  kind: string;
  name: string;
  email: string | null;
  phone: string | null;
  locale: string;
  email_consent: boolean;
  anonymous: boolean;
  tags: string[];
  country: string | null;
  created_at: string;
  gifts: string;
  totals: string | null;
}

/**
 * All live donors (or a segment) with their lifetime giving, as CSV safe to open in a spreadsheet,
 * sorted by name and streamed a page at a time (keysetCsvStream): a province's 200,000 donors are
 * never held in memory at once. Each page's gifts are looked up for its donors only. The request
 * must keep its database until `done`.
 */
export function donorsCsvStream(db: Db, orgId: string, segment?: DonorSegment) {
  const page = (after: DonorCsvRow | null) =>
    queryRows<DonorCsvRow>(
      db,
      sql`select d.id, d.name_key, d.kind, d.name, d.email, d.phone, d.locale, d.email_consent, d.anonymous, d.tags, d.country,
            to_char(d.created_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as created_at,
            (select count(*) from donations x where x.org_id = d.org_id and x.donor_id = d.id)::text as gifts,
            (select string_agg(t.currency || ' ' || t.total::text, '; ' order by t.currency) from (
               select x.currency, sum(x.amount_minor) - coalesce(sum((select sum(r.amount_minor) from refunds r where r.donation_id = x.id)), 0) as total
               from donations x where x.org_id = d.org_id and x.donor_id = d.id group by x.currency) t) as totals
          from donors d where d.org_id = ${orgId} and d.merged_into_id is null
            ${segment ? sql`and ${segmentCondition(segment, { id: sql`d.id`, orgId: sql`d.org_id` })}` : sql``}
            ${after ? sql`and (d.name_key, d.id) > (${after.name_key}, ${after.id}::uuid)` : sql``}
          order by d.name_key, d.id
          limit ${DONOR_EXPORT_PAGE_ROWS}`,
    );
  return keysetCsvStream<DonorCsvRow>({
    header: DONOR_CSV_HEADER,
    pageRows: DONOR_EXPORT_PAGE_ROWS,
    page,
    cells: (r) => [r.id, r.kind, r.name, r.email, r.phone, r.locale, r.email_consent ? 'yes' : 'no', r.anonymous ? 'yes' : 'no', (r.tags ?? []).join('; '), r.country, r.created_at, r.gifts, r.totals ?? ''],
  });
}

import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { checkoutSessions, donations, donors, paymentReferences, type DonorKind } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { invalid, notFound } from '../http/problem';
import { writeAudit, type AuditEntry } from '../auth/audit';
import { vietnamYearStart } from '../giving/money';

export type Donor = typeof donors.$inferSelect;

/** "Nguyễn Văn  An" → "nguyen van an": lower case, no diacritics (đ → d), single spaces. */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Vietnamese numbers in national form: "+84 912 345 678", "0084912345678" and "0912.345.678" → "0912345678". */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let d = phone.replace(/[^\d+]/g, '');
  if (d.startsWith('+84')) d = '0' + d.slice(3);
  else if (d.startsWith('0084')) d = '0' + d.slice(4);
  else if (d.startsWith('84') && d.length === 11) d = '0' + d.slice(2);
  d = d.replace(/\+/g, '');
  return d.length >= 6 ? d : null;
}

const VN_SURNAMES = new Set(
  'nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh trinh mai cao luong lam truong ta ha kieu chu quach thai doan van tong luu khuc'.split(' '),
);

/**
 * What a public page may show of a person: the given name only. Vietnamese names put the
 * given name last ("Nguyễn Văn An" → "An"); others first ("Emily Carter" → "Emily").
 * Groups and organisations appear under their name (they give publicly as a body).
 */
export function publicDisplayName(d: { name: string; kind: DonorKind; anonymous: boolean } | null, anonymous: boolean, locale: 'vi' | 'en'): string {
  const anon = locale === 'vi' ? 'Ẩn danh' : 'Anonymous';
  if (!d || anonymous || d.anonymous) return anon;
  if (d.kind !== 'person') return d.name;
  const words = d.name.trim().split(/\s+/);
  if (words.length === 0 || !words[0]) return anon;
  return VN_SURNAMES.has(nameKey(words[0])) ? words[words.length - 1]! : words[0];
}

export interface DonorInput {
  kind?: DonorKind;
  name: string;
  email?: string | null;
  phone?: string | null;
  locale?: 'vi' | 'en';
  emailConsent?: boolean;
  anonymous?: boolean;
  tags?: string[];
  country?: string | null;
  notes?: string | null;
}

function clean(input: DonorInput) {
  const name = input.name.trim();
  if (!name) throw invalid('The donor needs a name.', [{ path: 'name', message: 'required' }]);
  const email = input.email?.trim() ? input.email.trim().toLowerCase() : null;
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid('The email address is not valid.', [{ path: 'email', message: 'not an email address' }]);
  return {
    kind: input.kind ?? 'person',
    name,
    email,
    phone: input.phone?.trim() || null,
    phoneKey: phoneKey(input.phone),
    nameKey: nameKey(name),
    locale: input.locale ?? 'vi',
    emailConsent: input.emailConsent ?? false,
    anonymous: input.anonymous ?? false,
    tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))],
    country: input.country?.trim() || null,
    notes: input.notes?.trim() || null,
  };
}

export async function createDonor(db: Db, orgId: string, input: DonorInput): Promise<Donor> {
  const [row] = await db.insert(donors).values({ orgId, ...clean(input) }).returning();
  return row!;
}

export async function updateDonor(db: Db, orgId: string, id: string, input: DonorInput, now: Date): Promise<Donor> {
  const [row] = await db
    .update(donors)
    .set({ ...clean(input), updatedAt: now })
    .where(and(eq(donors.orgId, orgId), eq(donors.id, id), isNull(donors.mergedIntoId)))
    .returning();
  if (!row) throw notFound('Donor');
  return row;
}

export async function getDonor(db: Db, orgId: string, id: string): Promise<Donor> {
  const [row] = await db.select().from(donors).where(and(eq(donors.orgId, orgId), eq(donors.id, id))).limit(1);
  if (!row) throw notFound('Donor');
  return row;
}

/** The live donor for an id, following merges. */
export async function resolveDonor(db: Db, orgId: string, id: string): Promise<Donor> {
  let d = await getDonor(db, orgId, id);
  for (let i = 0; i < 5 && d.mergedIntoId; i++) d = await getDonor(db, orgId, d.mergedIntoId);
  return d;
}

/**
 * Online and bank-transfer donors identify themselves by email: the same address finds the
 * same donor (never a second record), a new one creates it.
 */
export async function findOrCreateDonorByEmail(db: Db, orgId: string, input: DonorInput & { email: string }): Promise<Donor> {
  const email = input.email.trim().toLowerCase();
  const [existing] = await db
    .select()
    .from(donors)
    .where(and(eq(donors.orgId, orgId), sql`lower(${donors.email}) = ${email}`, isNull(donors.mergedIntoId)))
    .orderBy(asc(donors.createdAt))
    .limit(1);
  if (existing) return existing;
  return createDonor(db, orgId, { ...input, email });
}

/** Donors a form can pick from (not merged away), by name: id and name only. */
export async function listDonorChoices(db: Db, orgId: string) {
  return db.select({ id: donors.id, name: donors.name }).from(donors).where(and(eq(donors.orgId, orgId), isNull(donors.mergedIntoId))).orderBy(asc(donors.nameKey)).limit(1000);
}

/**
 * Who gave when, for fundraising: `gave` — gave in the year; `lapsed` — gave the year before and
 * not (yet) in the year (the "last year but not this year" list a fund calls before Tết).
 * Years are calendar years in Vietnam time; refunded gifts still count as given.
 */
export type DonorSegment = { kind: 'gave' | 'lapsed'; year: number };

function gaveIn(year: number, donor: { id: SQLWrapper; orgId: SQLWrapper }): SQL {
  return sql`exists (select 1 from donations g where g.org_id = ${donor.orgId} and g.donor_id = ${donor.id}
    and g.received_at >= ${vietnamYearStart(year)}::timestamptz and g.received_at < ${vietnamYearStart(year + 1)}::timestamptz)`;
}

/** The segment as a condition on a donor row (the donors table, or another alias of it in raw SQL). */
export function segmentCondition(segment: DonorSegment, donor: { id: SQLWrapper; orgId: SQLWrapper } = { id: donors.id, orgId: donors.orgId }): SQL {
  return segment.kind === 'gave' ? gaveIn(segment.year, donor) : sql`(${gaveIn(segment.year - 1, donor)} and not ${gaveIn(segment.year, donor)})`;
}

export async function listDonors(db: Db, orgId: string, opts: { q?: string; tag?: string; segment?: DonorSegment; limit?: number; offset?: number } = {}) {
  const conds = [eq(donors.orgId, orgId), isNull(donors.mergedIntoId)];
  if (opts.q?.trim()) {
    const q = opts.q.trim();
    const key = `%${nameKey(q)}%`;
    const pk = phoneKey(q);
    conds.push(or(ilike(donors.nameKey, key), ilike(donors.email, `%${q}%`), ...(pk ? [ilike(donors.phoneKey, `%${pk}%`)] : []))!);
  }
  if (opts.tag) conds.push(sql`${opts.tag} = any(${donors.tags})`);
  if (opts.segment) conds.push(segmentCondition(opts.segment));
  return db
    .select()
    .from(donors)
    .where(and(...conds))
    .orderBy(asc(donors.nameKey))
    .limit(opts.limit ?? 100)
    .offset(opts.offset ?? 0);
}

/** Lifetime totals per currency (gross, refunded) and gift count of one donor. */
export async function donorTotals(db: Db, orgId: string, donorId: string) {
  const rows = await queryRows<{ currency: string; gross: string; refunded: string; gifts: string; first_at: string | null; last_at: string | null }>(
    db,
    sql`select d.currency, sum(d.amount_minor)::text as gross,
          coalesce(sum((select sum(r.amount_minor) from refunds r where r.donation_id = d.id)), 0)::text as refunded,
          count(*)::text as gifts, min(d.received_at)::text as first_at, max(d.received_at)::text as last_at
        from donations d where d.org_id = ${orgId} and d.donor_id = ${donorId}
        group by d.currency order by d.currency`,
  );
  return rows.map((r) => ({
    currency: r.currency,
    grossMinor: BigInt(r.gross),
    refundedMinor: BigInt(r.refunded),
    netMinor: BigInt(r.gross) - BigInt(r.refunded),
    gifts: Number(r.gifts),
  }));
}

/** Each listed donor's last gift: when, and how much in which currency. */
export async function lastGifts(db: Db, orgId: string, donorIds: string[]) {
  if (!donorIds.length) return new Map<string, { receivedAt: Date; amountMinor: bigint; currency: string }>();
  const rows = await db
    .selectDistinctOn([donations.donorId], { donorId: donations.donorId, receivedAt: donations.receivedAt, amountMinor: donations.amountMinor, currency: donations.currency })
    .from(donations)
    .where(and(eq(donations.orgId, orgId), inArray(donations.donorId, donorIds)))
    .orderBy(donations.donorId, desc(donations.receivedAt));
  return new Map(rows.map((r) => [r.donorId!, { receivedAt: r.receivedAt, amountMinor: r.amountMinor, currency: r.currency }]));
}

export interface DuplicatePair {
  a: Donor;
  b: Donor;
  reasons: ('email' | 'phone' | 'name')[];
}

const DUPLICATE_REASONS = { 1: 'email', 2: 'phone', 3: 'name' } as const;

/**
 * Pairs of live donors sharing an email, a normalised phone number or a normalised name: the
 * strongest first (most reasons shared), then by the earlier donor; `a` is the older record.
 * At most `limit` pairs; `total` says how many there are. Set-based: only the keys held by two or
 * more donors are looked up, so a province's 200,000 donors are never loaded into the server.
 */
export async function findDuplicateDonors(db: Db, orgId: string, opts: { limit?: number } = {}): Promise<{ pairs: DuplicatePair[]; total: number }> {
  const limit = opts.limit ?? 200;
  const rows = await queryRows<{ a_id: string; b_id: string; reasons: number[]; total: string }>(
    db,
    sql`with cand as (
          select 1 as reason, lower(email) as k from donors where org_id = ${orgId} and email is not null group by 2 having count(*) > 1
          union all select 2, phone_key from donors where org_id = ${orgId} and phone_key is not null group by 2 having count(*) > 1
          union all select 3, name_key from donors where org_id = ${orgId} and name_key <> '' group by 2 having count(*) > 1
        ),
        members as (
          select c.reason, c.k, d.id, d.created_at from cand c join donors d on d.org_id = ${orgId} and lower(d.email) = c.k where c.reason = 1 and d.merged_into_id is null
          union all select c.reason, c.k, d.id, d.created_at from cand c join donors d on d.org_id = ${orgId} and d.phone_key = c.k where c.reason = 2 and d.merged_into_id is null
          union all select c.reason, c.k, d.id, d.created_at from cand c join donors d on d.org_id = ${orgId} and d.name_key = c.k where c.reason = 3 and d.merged_into_id is null
        ),
        pairs as (
          select a.id as a_id, b.id as b_id, a.created_at as a_at, b.created_at as b_at, a.reason
          from members a join members b on b.reason = a.reason and b.k = a.k and (a.created_at, a.id) < (b.created_at, b.id)
        )
        select a_id, b_id, array_agg(reason order by reason) as reasons, (count(*) over ())::text as total
        from pairs group by a_id, b_id, a_at, b_at
        order by count(*) desc, a_at, b_at, a_id, b_id
        limit ${limit}`,
  );
  if (!rows.length) return { pairs: [], total: 0 };
  const ids = [...new Set(rows.flatMap((r) => [r.a_id, r.b_id]))];
  const byId = new Map((await db.select().from(donors).where(and(eq(donors.orgId, orgId), inArray(donors.id, ids)))).map((d) => [d.id, d]));
  return {
    pairs: rows.map((r) => ({ a: byId.get(r.a_id)!, b: byId.get(r.b_id)!, reasons: r.reasons.map((n) => DUPLICATE_REASONS[Number(n) as 1 | 2 | 3]) })),
    total: Number(rows[0]!.total),
  };
}

/**
 * Folds `mergeId` into `keepId`: every gift, checkout and transfer reference moves to the kept
 * donor, empty fields are filled from the other, tags are united, and the merged record stays
 * (pointing at the kept one) so old links still resolve. One transaction.
 */
export async function mergeDonors(db: Db, orgId: string, keepId: string, mergeId: string, audit: Omit<AuditEntry, 'action'>) {
  if (keepId === mergeId) throw invalid('Choose two different donors.');
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const rows = await tx
      .select()
      .from(donors)
      .where(and(eq(donors.orgId, orgId), inArray(donors.id, [keepId, mergeId]), isNull(donors.mergedIntoId)))
      .for('update');
    const keep = rows.find((r) => r.id === keepId);
    const merge = rows.find((r) => r.id === mergeId);
    if (!keep || !merge) throw notFound('Donor');
    const moved = await tx.update(donations).set({ donorId: keepId }).where(and(eq(donations.orgId, orgId), eq(donations.donorId, mergeId))).returning({ id: donations.id });
    await tx.update(checkoutSessions).set({ donorId: keepId }).where(and(eq(checkoutSessions.orgId, orgId), eq(checkoutSessions.donorId, mergeId)));
    await tx.update(paymentReferences).set({ donorId: keepId }).where(and(eq(paymentReferences.orgId, orgId), eq(paymentReferences.donorId, mergeId)));
    await tx
      .update(donors)
      .set({
        email: keep.email ?? merge.email,
        phone: keep.phone ?? merge.phone,
        phoneKey: keep.phoneKey ?? merge.phoneKey,
        country: keep.country ?? merge.country,
        notes: [keep.notes, merge.notes].filter(Boolean).join('\n') || null,
        tags: [...new Set([...keep.tags, ...merge.tags])],
        emailConsent: keep.emailConsent || merge.emailConsent,
        stripeCustomerId: keep.stripeCustomerId ?? merge.stripeCustomerId,
        updatedAt: audit.at ?? new Date(),
      })
      .where(eq(donors.id, keepId));
    await tx.update(donors).set({ mergedIntoId: keepId, updatedAt: audit.at ?? new Date() }).where(eq(donors.id, mergeId));
    await writeAudit(tx, { ...audit, orgId, action: 'donor.merged', subjectType: 'donor', subjectId: keepId, data: { mergedId: mergeId, donationsMoved: moved.length } });
    return { keptId: keepId, donationsMoved: moved.length };
  });
}

export async function recentDonationsOfDonor(db: Db, orgId: string, donorId: string, limit = 200) {
  return db
    .select()
    .from(donations)
    .where(and(eq(donations.orgId, orgId), eq(donations.donorId, donorId)))
    .orderBy(desc(donations.receivedAt))
    .limit(limit);
}

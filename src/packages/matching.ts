import { and, eq, sql, type SQL } from 'drizzle-orm';
import { packageUnits } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { caseAgeBand, vnYear, type AgeBand } from '../cases/cases';
import { URGENCY_LABELS } from '../cases/labels';
import { formatDate, formatMoney, type Locale } from '../ui/i18n';
import { isUuid } from '../lib/ids';
import { getDrive } from './drives';
import { recordUnitEvent, type PackageDrive } from './units';
import { pgConstraint, pgErrorCode } from '../db/errors';

/*
 * Matching funded units to children.
 *
 * THE FAIRNESS RULE (what suggestions follow, in this order; each suggestion says why):
 *   1. children not yet served in this drive come first (a served child is only offered by hand,
 *      with an override reason);
 *   2. then those who received the least support in the last 12 months: fewest gift packages
 *      delivered to them (any drive), then the least value (in-kind distributions will count here
 *      once that capability records them per case);
 *   3. then the longest waiting: since their last delivered package, or since the case opened;
 *   4. then the most urgent (critical, high, medium, low);
 *   5. then the case code, so the order is stable.
 * Only open cases that fit the drive's eligibility (age reached this year, any of its categories,
 * its locations and everything under them) are ever offered.
 */

export interface Candidate {
  caseId: string;
  code: string;
  ageBand: AgeBand;
  gender: string;
  locationName: string;
  categories: string[];
  urgency: string;
  openedAt: Date;
  servedInDrive: boolean;
  packages12m: number;
  value12mMinor: bigint;
  waitingSince: Date;
}

interface CandidateRow {
  id: string;
  code: string;
  birth_year: number;
  gender: string;
  location_name: string;
  categories: string[];
  urgency: string;
  opened_at: Date | string;
  served: boolean;
  n12: number;
  v12: string;
  waiting_since: Date | string;
  [k: string]: unknown;
}

const arr = (xs: readonly string[], type: 'uuid' | 'text') => sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::${sql.raw(type)}[]`;

/** The WHERE conditions that make a case eligible for a drive (c = cases). */
function eligibilitySql(drive: PackageDrive, asOf: Date): SQL {
  const y = vnYear(asOf);
  const parts: SQL[] = [sql`c.org_id = ${drive.orgId}`, sql`c.status <> 'closed'`, sql`c.opened_at <= ${asOf}`];
  if (drive.minAge != null) parts.push(sql`c.birth_year <= ${y - drive.minAge}`);
  if (drive.maxAge != null) parts.push(sql`c.birth_year >= ${y - drive.maxAge}`);
  if (drive.categories.length) parts.push(sql`c.categories && ${arr(drive.categories, 'text')}`);
  if (drive.locationIds.length) {
    parts.push(
      sql`exists (select 1 from locations l join locations r on l.path like r.path || '%'
                   where l.id = c.location_id and r.org_id = ${drive.orgId} and r.id = any(${arr(drive.locationIds, 'uuid')}))`,
    );
  }
  return sql.join(parts, sql` and `);
}

/**
 * Eligible open cases in fairness order, in ONE query (support received and "served in this
 * drive" are worked out in the same statement, no per-case queries).
 *
 * A child had a package in the last 12 months exactly when its case's last delivery
 * (cases.last_delivered_at, kept by a trigger) falls in them. So the candidates split, in the
 * rule's order, into runs: not served and not helped lately first (count and value zero, ranked by
 * waiting time alone), then the children helped lately, then the served ones. The 12-month sums
 * (one index-only pass over a year of deliveries) are added up only when the requested page
 * reaches past that first run; usually it does not, and 50,000 cases are ranked without adding up
 * a single delivery. Sorting by "helped lately" before the count keeps the order exact either way.
 */
export async function rankedCandidates(
  db: Db,
  drive: PackageDrive,
  opts: { asOf: Date; includeServed?: boolean; caseId?: string; code?: string; limit?: number; offset?: number },
): Promise<{ items: Candidate[]; total: number }> {
  const since = new Date(opts.asOf.getTime() - 365 * 86_400_000);
  const limit = Math.min(opts.limit ?? 50, 500);
  const offset = opts.offset ?? 0;
  const extra: SQL[] = [];
  if (!opts.includeServed) extra.push(sql`not x.served`);
  if (opts.caseId) extra.push(sql`c.id = ${opts.caseId}`);
  if (opts.code) extra.push(sql`c.code ilike ${opts.code.replace(/[%_\\]/g, '') + '%'}`);
  const where = sql`${eligibilitySql(drive, opts.asOf)} ${extra.length ? sql`and ${sql.join(extra, sql` and `)}` : sql``}`;
  // The ranking reads only narrow columns of the candidates; the rest of a row (age, gender,
  // commune, categories) is fetched for the page's children alone.
  const rows = await queryRows<CandidateRow & { total: number }>(
    db,
    sql`with cand as materialized (
          select c.id, c.code, c.urgency, c.opened_at, c.last_delivered_at, x.served,
                 coalesce(c.last_delivered_at >= ${since}, false) as recent,
                 case c.urgency when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end as urgency_rank
            from cases c
            cross join lateral (
              select exists (select 1 from package_units pu where pu.drive_id = ${drive.id} and pu.case_id = c.id and pu.status in ('matched','delivered')) as served
            ) x
           where ${where}
        ),
        runs as (
          select count(*)::int as total, count(*) filter (where not served and not recent) as quiet from cand
        ),
        support as (
          -- Needed only when the page reaches past the first run (the others follow it).
          select pu.case_id, count(*)::int as n12, sum(pu.value_minor) as v12
            from package_units pu
           where pu.org_id = ${drive.orgId} and pu.status = 'delivered' and pu.delivered_at >= ${since}
             and (select quiet from runs) < ${limit + offset}
           group by pu.case_id
        ),
        page as (
          -- Only the id and the sort keys go through the sort (a page far down sorts every candidate).
          select k.id, k.served, k.recent, coalesce(sp.n12, 0) as n12, coalesce(sp.v12, 0) as v12,
                 coalesce(k.last_delivered_at, k.opened_at) as waiting_since, k.urgency_rank, k.code
            from cand k
            left join support sp on sp.case_id = k.id
           order by served, recent, n12, v12, waiting_since, urgency_rank, code
           limit ${limit} offset ${offset}
        )
        select p.id, p.code, c.birth_year, c.gender, l.name as location_name, c.categories, c.urgency, c.opened_at,
               p.served, p.n12::int as n12, p.v12::text as v12, p.waiting_since, r.total
          from page p
          cross join runs r
          join cases c on c.id = p.id
          join locations l on l.id = c.location_id
         order by p.served, p.recent, p.n12, p.v12, p.waiting_since, p.urgency_rank, p.code`,
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((r) => ({
      caseId: r.id,
      code: r.code,
      ageBand: caseAgeBand(r.birth_year, opts.asOf),
      gender: r.gender,
      locationName: r.location_name,
      categories: r.categories,
      urgency: r.urgency,
      openedAt: new Date(r.opened_at),
      servedInDrive: r.served,
      packages12m: Number(r.n12),
      value12mMinor: BigInt(r.v12),
      waitingSince: new Date(r.waiting_since),
    })),
  };
}

/**
 * Cases of the organisation whose stored last delivery (cases.last_delivered_at, kept by the
 * package_units trigger) differs from the latest of their delivered units. Always empty; tests,
 * the load run and the bench generator check it (`sechia_case_last_delivery_drift`, migration 0021).
 */
export async function lastDeliveryDrift(db: Db, orgId: string) {
  return queryRows<{ case_id: string; stored: Date | string | null; fresh: Date | string | null }>(
    db,
    sql`select * from sechia_case_last_delivery_drift(${orgId})`,
  );
}

/** The short "why" line of a suggestion, in the viewer's language. */
export function explainCandidate(c: Candidate, locale: Locale, currency: string): string {
  const urgency = URGENCY_LABELS[c.urgency]?.[locale] ?? c.urgency;
  const since = formatDate(c.waitingSince, locale);
  if (locale === 'en') {
    return [
      c.servedInDrive ? 'already has a package of this drive' : 'not yet served in this drive',
      c.packages12m === 0 ? 'no packages in the last 12 months' : `${c.packages12m} package(s) (${formatMoney(c.value12mMinor, currency, locale)}) in the last 12 months`,
      `waiting since ${since}`,
      `urgency: ${urgency.toLowerCase()}`,
    ].join(' · ');
  }
  return [
    c.servedInDrive ? 'đã có suất quà của đợt này' : 'chưa nhận suất nào của đợt này',
    c.packages12m === 0 ? 'chưa nhận suất quà nào trong 12 tháng qua' : `đã nhận ${c.packages12m} suất (${formatMoney(c.value12mMinor, currency, locale)}) trong 12 tháng qua`,
    `chờ từ ${since}`,
    `mức khẩn cấp: ${urgency.toLowerCase()}`,
  ].join(' · ');
}

export interface Suggestion {
  unitId: string;
  candidate: Candidate;
}

/**
 * Pairs the drive's funded units (oldest first) with candidates in fairness order, page by
 * page: the k-th funded unit gets the k-th child. Two queries in all, whatever the page size.
 */
export async function suggestMatches(db: Db, orgId: string, driveId: string, opts: { asOf: Date; limit?: number; offset?: number }) {
  const drive = await getDrive(db, orgId, driveId);
  const limit = Math.min(opts.limit ?? 50, 500);
  const offset = opts.offset ?? 0;
  const units = await queryRows<{ id: string; total: number }>(
    db,
    sql`select id, count(*) over ()::int as total from package_units where org_id = ${orgId} and drive_id = ${drive.id} and status = 'funded'
        order by created_at, donation_id, unit_no limit ${limit} offset ${offset}`,
  );
  const { items, total } = await rankedCandidates(db, drive, { asOf: opts.asOf, limit, offset });
  const suggestions: Suggestion[] = [];
  for (let i = 0; i < Math.min(units.length, items.length); i++) suggestions.push({ unitId: units[i]!.id, candidate: items[i]! });
  return { drive, suggestions, fundedTotal: Number(units[0]?.total ?? 0), candidateTotal: total };
}

export interface MatchInput {
  driveId: string;
  unitId: string;
  caseId: string;
  /** 'suggested': accepting a suggestion; 'manual': picked by hand, with a reason. */
  mode: 'suggested' | 'manual';
  reason?: string | null;
  /** A second package of this drive for the same child needs a coordinator's reason. */
  overrideReason?: string | null;
  actorId: string | null;
  now: Date;
}


/**
 * Matches one funded unit to one child. The unit moves by a conditional UPDATE (status must
 * still be 'funded'), and the partial unique index on (drive, case) refuses a second package
 * for the same child: of two coordinators acting at once, one wins, the other gets a 409.
 */
export async function matchPackageUnit(db: Db, orgId: string, input: MatchInput) {
  const errors: { path: string; message: string }[] = [];
  const reason = input.reason?.trim() || null;
  const override = input.overrideReason?.trim() || null;
  if (input.mode === 'manual' && !reason) errors.push({ path: 'reason', message: 'required when picking by hand' });
  if ((reason?.length ?? 0) > 500) errors.push({ path: 'reason', message: 'at most 500 characters' });
  if ((override?.length ?? 0) > 500) errors.push({ path: 'overrideReason', message: 'at most 500 characters' });
  if (!isUuid(input.caseId)) errors.push({ path: 'caseId', message: 'unknown case' });
  if (!isUuid(input.unitId)) errors.push({ path: 'unitId', message: 'unknown package unit' });
  if (errors.length) throw invalid('The match has invalid fields.', errors);
  const drive = await getDrive(db, orgId, input.driveId);
  try {
    return await db.transaction(async (txx) => {
      const tx = txx as unknown as Db;
      // The case cannot close under us while we match (FOR SHARE), and must be open and eligible now.
      const [caseRow] = await queryRows<{ id: string; status: string }>(tx, sql`select id, status from cases where id = ${input.caseId} and org_id = ${orgId} for share`);
      if (!caseRow) throw invalid('Unknown case.', [{ path: 'caseId', message: 'unknown case' }]);
      if (caseRow.status === 'closed') throw conflict('This case is closed; closed cases receive no packages.', { errors: [{ path: 'caseId', message: 'closed' }] });
      const fit = await rankedCandidates(tx, drive, { asOf: input.now, includeServed: true, caseId: input.caseId, limit: 1 });
      const cand = fit.items[0];
      if (!cand) throw invalid("This child does not fit the drive's eligibility (age, categories or location).", [{ path: 'caseId', message: 'not eligible for this drive' }]);
      if (cand.servedInDrive && !override) {
        throw conflict('This child already has a package of this drive. A coordinator may override with a reason.', { errors: [{ path: 'overrideReason', message: 'required for a second package' }] });
      }
      const [unit] = await tx
        .update(packageUnits)
        .set({ status: 'matched', caseId: input.caseId, matchReason: reason, overrideReason: cand.servedInDrive ? override : null, matchedAt: input.now, matchedBy: input.actorId })
        .where(and(eq(packageUnits.orgId, orgId), eq(packageUnits.driveId, drive.id), eq(packageUnits.id, input.unitId), eq(packageUnits.status, 'funded')))
        .returning();
      if (!unit) {
        const [u] = await tx.select({ status: packageUnits.status }).from(packageUnits).where(and(eq(packageUnits.orgId, orgId), eq(packageUnits.driveId, drive.id), eq(packageUnits.id, input.unitId)));
        if (!u) throw notFound('Package unit');
        throw conflict(`This package is no longer waiting for a child (it is ${u.status}); someone else may have matched it.`, { errors: [{ path: 'unitId', message: u.status }] });
      }
      await recordUnitEvent(tx, {
        orgId,
        unitId: unit.id,
        kind: 'matched',
        from: 'funded',
        to: 'matched',
        caseId: input.caseId,
        reason: cand.servedInDrive ? override : reason,
        data: { mode: input.mode, ...(cand.servedInDrive ? { override: true } : {}) },
        actorId: input.actorId,
        at: input.now,
      });
      return unit;
    });
  } catch (err) {
    if (pgErrorCode(err) === '23505' && (pgConstraint(err) ?? 'package_units_one_per_child_idx') === 'package_units_one_per_child_idx') {
      throw conflict('This child was just given a package of this drive by someone else.', { errors: [{ path: 'caseId', message: 'already has a package of this drive' }] });
    }
    throw err;
  }
}

/** Accepts every current suggestion of a drive (up to `limit`), each in its own transaction. */
export async function autoMatchDrive(db: Db, orgId: string, driveId: string, opts: { actorId: string | null; now: Date; limit?: number }) {
  const { suggestions } = await suggestMatches(db, orgId, driveId, { asOf: opts.now, limit: opts.limit ?? 500 });
  let matched = 0;
  let skipped = 0;
  for (const s of suggestions) {
    try {
      await matchPackageUnit(db, orgId, { driveId, unitId: s.unitId, caseId: s.candidate.caseId, mode: 'suggested', actorId: opts.actorId, now: opts.now });
      matched++;
    } catch (err) {
      // Someone else took the unit or the child meanwhile: skip it, the next run offers another.
      if (err instanceof Error && 'status' in err && (err as { status: number }).status === 409) skipped++;
      else throw err;
    }
  }
  return { matched, skipped };
}

/** Takes a matched (not yet delivered) unit back from a child, with a reason. */
export async function unmatchUnit(db: Db, orgId: string, input: { unitId: string; reason: string; actorId: string | null; now: Date }) {
  if (!input.reason.trim()) throw invalid('Say why the match is undone.', [{ path: 'reason', message: 'required' }]);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [before] = await tx.select().from(packageUnits).where(and(eq(packageUnits.orgId, orgId), eq(packageUnits.id, input.unitId))).for('update');
    if (!before) throw notFound('Package unit');
    if (before.status !== 'matched') throw conflict(`Only a matched package can be unmatched; this one is ${before.status}.`);
    const [unit] = await tx
      .update(packageUnits)
      .set({ status: 'funded', caseId: null, matchReason: null, overrideReason: null, matchedAt: null, matchedBy: null })
      .where(and(eq(packageUnits.id, before.id), eq(packageUnits.status, 'matched')))
      .returning();
    await recordUnitEvent(tx, { orgId, unitId: before.id, kind: 'unmatched', from: 'matched', to: 'funded', caseId: before.caseId, reason: input.reason.trim().slice(0, 500), actorId: input.actorId, at: input.now });
    return unit!;
  });
}

/**
 * What a report covers: the organisation, one campaign or one grant, and a period of
 * Vietnamese calendar days. Indicators read the records through the SQL fragments here, so
 * every indicator of a report applies the same restriction.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { campaigns, funders, grants, locations, organisations, donors, type GrantPurpose } from '../db/schema';
import type { Db } from '../db/types';
import { notFound } from '../http/problem';
import { vnDayStart } from '../cases/cases';
import type { ScopeKind, Text } from './model';

export interface Period {
  /** Inclusive Vietnamese calendar days, YYYY-MM-DD. */
  from: string;
  to: string;
}

export type ScopeSpec = { kind: 'organisation' } | { kind: 'campaign'; campaignId: string } | { kind: 'grant'; grantId: string };

export interface ReportScope {
  orgId: string;
  kind: ScopeKind;
  label: Text;
  orgName: string;
  orgShortCode: string;
  baseCurrency: string;
  /** Funds whose money the report counts; null: every fund of the organisation. */
  fundIds: string[] | null;
  /** Campaigns whose gifts and packages count; null: all. */
  campaignIds: string[] | null;
  /** Cases (and their services, packages, goods) that count; null: all cases. */
  cases: { categories: string[]; locationIds: string[] | null } | null;
  /** Outreach and hotline restricted to these locations (subtrees expanded); null: all. */
  locationIds: string[] | null;
  grant?: typeof grants.$inferSelect & { funderName: string; funderRef: string | null; funderType: string; funderLanguage: 'vi' | 'en' };
  campaign?: typeof campaigns.$inferSelect;
}

export const uuidList = (ids: readonly string[]): SQL => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
export const textArray = (xs: readonly string[]): SQL => (xs.length ? sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]` : sql`array[]::text[]`);

/** Instants bounding a period: [start, end). ISO strings with casts work the same on both drivers. */
export function periodBounds(p: Period): { start: SQL; end: SQL } {
  return {
    start: sql`${vnDayStart(p.from).toISOString()}::timestamptz`,
    end: sql`${new Date(vnDayStart(p.to).getTime() + 86_400_000).toISOString()}::timestamptz`,
  };
}

/** `<alias>.fund_id in (...)` or true. */
export function fundFilter(scope: ReportScope, column: SQL): SQL {
  return scope.fundIds === null ? sql`true` : scope.fundIds.length ? sql`${column} in (${uuidList(scope.fundIds)})` : sql`false`;
}

/** Restriction on a `cases` row aliased `c`. */
export function caseFilter(scope: ReportScope): SQL {
  if (!scope.cases) return sql`true`;
  const parts: SQL[] = [];
  if (scope.cases.categories.length) parts.push(sql`c.categories && ${textArray(scope.cases.categories)}`);
  if (scope.cases.locationIds) parts.push(scope.cases.locationIds.length ? sql`c.location_id in (${uuidList(scope.cases.locationIds)})` : sql`false`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** Restriction on a row's location column (outreach, hotline). */
export function locationFilter(scope: ReportScope, column: SQL): SQL {
  if (scope.locationIds === null) return sql`true`;
  return scope.locationIds.length ? sql`${column} in (${uuidList(scope.locationIds)})` : sql`false`;
}

async function expandLocations(db: Db, orgId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const roots = await db.select({ path: locations.path }).from(locations).where(and(eq(locations.orgId, orgId), sql`${locations.id} in (${uuidList(ids)})`));
  if (!roots.length) return [];
  const rows = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.orgId, orgId), sql`(${sql.join(roots.map((r) => sql`${locations.path} like ${`${r.path}%`}`), sql` or `)})`));
  return rows.map((r) => r.id);
}

export async function resolveScope(db: Db, orgId: string, spec: ScopeSpec): Promise<ReportScope> {
  const [org] = await db.select().from(organisations).where(eq(organisations.id, orgId)).limit(1);
  if (!org) throw notFound('Organisation');
  const base = { orgId, orgName: org.name, orgShortCode: org.shortCode, baseCurrency: org.baseCurrency };
  if (spec.kind === 'organisation') {
    return { ...base, kind: 'organisation', label: { vi: org.name, en: org.name }, fundIds: null, campaignIds: null, cases: null, locationIds: null };
  }
  if (spec.kind === 'campaign') {
    const [c] = await db.select().from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, spec.campaignId))).limit(1);
    if (!c) throw notFound('Campaign');
    return {
      ...base,
      kind: 'campaign',
      label: { vi: c.title, en: c.titleEn || c.title },
      fundIds: [c.fundId],
      campaignIds: [c.id],
      cases: null,
      locationIds: null,
      campaign: c,
    };
  }
  const [row] = await db
    .select({ g: grants, funderName: donors.name, funderRef: funders.iatiRef, funderType: funders.orgType, funderLanguage: funders.language })
    .from(grants)
    .innerJoin(funders, eq(funders.id, grants.funderId))
    .innerJoin(donors, eq(donors.id, funders.donorId))
    .where(and(eq(grants.orgId, orgId), eq(grants.id, spec.grantId)))
    .limit(1);
  if (!row) throw notFound('Grant');
  const g = row.g;
  const purpose: GrantPurpose = g.purpose ?? {};
  const locs = purpose.locationIds?.length ? await expandLocations(db, orgId, purpose.locationIds) : null;
  const restrictedCases = (purpose.categories?.length ?? 0) > 0 || locs !== null;
  return {
    ...base,
    kind: 'grant',
    label: { vi: g.title, en: g.titleEn || g.title },
    fundIds: [g.fundId],
    campaignIds: purpose.campaignIds?.length ? purpose.campaignIds : null,
    cases: restrictedCases ? { categories: purpose.categories ?? [], locationIds: locs } : null,
    locationIds: locs,
    grant: { ...g, funderName: row.funderName, funderRef: row.funderRef, funderType: row.funderType, funderLanguage: row.funderLanguage },
  };
}

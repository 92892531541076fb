/**
 * Reports and their frozen versions. Generating computes the model from the records and stores
 * it as JSON (append-only); a link, an email or a download always renders one stored version, so
 * what a funder saw can be shown again exactly. Regenerating makes the next version; `diffVersions`
 * says which indicator values changed.
 */
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { reportLinks, reports, reportVersions, users, type REPORT_SCOPES } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { randomToken, sha256Hex } from '../lib/crypto';
import type { Locale } from '../ui/i18n';
import { allIndicators, type Indicator, type ReportModel, type Text } from './model';
import { buildReportModel } from './builder';
import { resolveScope, type Period, type ScopeSpec } from './scope';

// ---------------------------------------------------------------------------------------------
// JSON with bigints: {"$bigint": "123"}.

export function modelToJson(model: ReportModel): unknown {
  return JSON.parse(JSON.stringify(model, (_k, v) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v)));
}

export function modelFromJson(json: unknown): ReportModel {
  return JSON.parse(JSON.stringify(json), (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.$bigint === 'string' ? BigInt(v.$bigint) : v,
  ) as ReportModel;
}

// ---------------------------------------------------------------------------------------------

export type ReportRow = typeof reports.$inferSelect;
export type VersionRow = typeof reportVersions.$inferSelect;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function checkPeriod(p: Period): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const valid = (d: string) => ISO_DAY.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  if (!valid(p.from)) errors.push({ path: 'periodFrom', message: 'must be a date YYYY-MM-DD' });
  if (!valid(p.to)) errors.push({ path: 'periodTo', message: 'must be a date YYYY-MM-DD' });
  if (!errors.length && p.from > p.to) errors.push({ path: 'periodTo', message: 'must not be before the start of the period' });
  return errors;
}

export interface NewReport {
  scope: ScopeSpec;
  period: Period;
  language: Locale;
}

/** Creates a report and its first version, in one transaction. */
export async function createReport(db: Db, orgId: string, input: NewReport, actor: { userId: string | null; now: Date }) {
  const errors = checkPeriod(input.period);
  if (errors.length) throw invalid('The report has invalid fields.', errors);
  // Resolving the scope checks the campaign or grant belongs to the organisation (404 otherwise).
  await resolveScope(db, orgId, input.scope);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [report] = await tx
      .insert(reports)
      .values({
        orgId,
        scopeKind: input.scope.kind as (typeof REPORT_SCOPES)[number],
        campaignId: input.scope.kind === 'campaign' ? input.scope.campaignId : null,
        grantId: input.scope.kind === 'grant' ? input.scope.grantId : null,
        periodFrom: input.period.from,
        periodTo: input.period.to,
        language: input.language,
        createdBy: actor.userId,
        createdAt: actor.now,
      })
      .returning();
    const version = await generateVersion(tx, orgId, report!.id, actor);
    return { report: report!, version };
  });
}

export function scopeSpecOf(r: ReportRow): ScopeSpec {
  return r.scopeKind === 'campaign' ? { kind: 'campaign', campaignId: r.campaignId! } : r.scopeKind === 'grant' ? { kind: 'grant', grantId: r.grantId! } : { kind: 'organisation' };
}

export async function getReport(db: Db, orgId: string, id: string): Promise<ReportRow> {
  const [r] = await db.select().from(reports).where(and(eq(reports.orgId, orgId), eq(reports.id, id))).limit(1);
  if (!r) throw notFound('Report');
  return r;
}

/**
 * Computes the report again from the records and stores it as the next version. The unique
 * (report, version) index makes two concurrent generations end as versions n and n+1, or one
 * of them fail with a conflict, never two versions with the same number.
 */
export async function generateVersion(db: Db, orgId: string, reportId: string, actor: { userId: string | null; now: Date }): Promise<VersionRow> {
  const report = await getReport(db, orgId, reportId);
  const scope = await resolveScope(db, orgId, scopeSpecOf(report));
  const [last] = await db
    .select({ version: reportVersions.version })
    .from(reportVersions)
    .where(eq(reportVersions.reportId, reportId))
    .orderBy(desc(reportVersions.version))
    .limit(1);
  const version = (last?.version ?? 0) + 1;
  const model = await buildReportModel(db, scope, { from: report.periodFrom, to: report.periodTo }, { language: report.language, generatedAt: actor.now, version });
  const rows = await db
    .insert(reportVersions)
    .values({ orgId, reportId, version, model: modelToJson(model), createdBy: actor.userId, createdAt: actor.now })
    .onConflictDoNothing()
    .returning();
  if (!rows[0]) throw conflict('Another version of this report was generated at the same time; reload and try again.');
  return rows[0];
}

export async function listReports(db: Db, orgId: string) {
  return queryReports(db, orgId);
}

async function queryReports(db: Db, orgId: string) {
  const rows = await db
    .select({
      report: reports,
      // The outer column written out: in a one-table select drizzle leaves columns unqualified, and
      // inside this subquery a bare "id" would be the version's own (the count was always 0).
      versions: sql<number>`(select count(*) from report_versions v where v.report_id = "reports"."id")::int`,
    })
    .from(reports)
    .where(eq(reports.orgId, orgId))
    .orderBy(desc(reports.createdAt));
  return rows.map((r) => ({ ...r.report, versions: Number(r.versions) }));
}

export async function listVersions(db: Db, orgId: string, reportId: string) {
  return db
    .select({ id: reportVersions.id, version: reportVersions.version, createdAt: reportVersions.createdAt, createdBy: users.name })
    .from(reportVersions)
    .leftJoin(users, eq(users.id, reportVersions.createdBy))
    .where(and(eq(reportVersions.orgId, orgId), eq(reportVersions.reportId, reportId)))
    .orderBy(desc(reportVersions.version));
}

export async function getVersion(db: Db, orgId: string, reportId: string, version: number): Promise<VersionRow> {
  const [v] = await db
    .select()
    .from(reportVersions)
    .where(and(eq(reportVersions.orgId, orgId), eq(reportVersions.reportId, reportId), eq(reportVersions.version, version)))
    .limit(1);
  if (!v) throw notFound('Report version');
  return v;
}

export async function latestVersion(db: Db, orgId: string, reportId: string): Promise<VersionRow> {
  const [v] = await db
    .select()
    .from(reportVersions)
    .where(and(eq(reportVersions.orgId, orgId), eq(reportVersions.reportId, reportId)))
    .orderBy(desc(reportVersions.version))
    .limit(1);
  if (!v) throw notFound('Report version');
  return v;
}

// ---------------------------------------------------------------------------------------------
// Diff between versions: indicator values only (the raw model; callers publish what they show).

export interface IndicatorChange {
  id: string;
  label: Text;
  unit: Indicator['unit'];
  people: boolean;
  before: number | bigint | null;
  after: number | bigint | null;
}

export function diffModels(before: ReportModel, after: ReportModel): IndicatorChange[] {
  const a = new Map(allIndicators(before).map((i) => [i.id, i]));
  const b = new Map(allIndicators(after).map((i) => [i.id, i]));
  const changes: IndicatorChange[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    const vx = x ? x.value : null;
    const vy = y ? y.value : null;
    if (vx !== null && vy !== null && BigInt(vx) === BigInt(vy)) continue;
    const ind = (y ?? x)!;
    changes.push({ id, label: ind.label, unit: ind.unit, people: ind.unit === 'count' && ind.people, before: vx, after: vy });
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Links without an account: a random token shown once; only its SHA-256 is stored.

export const LINK_DAYS_DEFAULT = 30;
export const LINK_DAYS_MAX = 365;

export async function createReportLink(db: Db, orgId: string, versionId: string, opts: { days?: number; userId: string | null; now: Date }) {
  const days = opts.days ?? LINK_DAYS_DEFAULT;
  if (!Number.isInteger(days) || days < 1 || days > LINK_DAYS_MAX) throw invalid('The link has invalid fields.', [{ path: 'days', message: `must be 1 to ${LINK_DAYS_MAX} days` }]);
  const [v] = await db.select({ id: reportVersions.id }).from(reportVersions).where(and(eq(reportVersions.orgId, orgId), eq(reportVersions.id, versionId))).limit(1);
  if (!v) throw notFound('Report version');
  const token = randomToken(32);
  const expiresAt = new Date(opts.now.getTime() + days * 86_400_000);
  const [row] = await db.insert(reportLinks).values({ orgId, versionId, tokenHash: await sha256Hex(token), expiresAt, createdBy: opts.userId, createdAt: opts.now }).returning();
  return { id: row!.id, token, expiresAt };
}

/** The version a token opens, or null when the token is unknown, expired or revoked. */
export async function versionForToken(db: Db, token: string, now: Date): Promise<VersionRow | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .select({ v: reportVersions })
    .from(reportLinks)
    .innerJoin(reportVersions, eq(reportVersions.id, reportLinks.versionId))
    .where(and(eq(reportLinks.tokenHash, await sha256Hex(token)), gt(reportLinks.expiresAt, now), isNull(reportLinks.revokedAt)))
    .limit(1);
  return row?.v ?? null;
}

export async function revokeReportLink(db: Db, orgId: string, linkId: string, now: Date) {
  const rows = await db
    .update(reportLinks)
    .set({ revokedAt: now })
    .where(and(eq(reportLinks.orgId, orgId), eq(reportLinks.id, linkId), isNull(reportLinks.revokedAt)))
    .returning({ id: reportLinks.id });
  if (!rows.length) throw notFound('Report link');
}

export async function listReportLinks(db: Db, orgId: string, reportId: string) {
  return db
    .select({ id: reportLinks.id, version: reportVersions.version, expiresAt: reportLinks.expiresAt, revokedAt: reportLinks.revokedAt, createdAt: reportLinks.createdAt })
    .from(reportLinks)
    .innerJoin(reportVersions, eq(reportVersions.id, reportLinks.versionId))
    .where(and(eq(reportLinks.orgId, orgId), eq(reportVersions.reportId, reportId)))
    .orderBy(desc(reportLinks.createdAt));
}

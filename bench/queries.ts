import { sql } from 'drizzle-orm';
import { caseActivitySummary } from '../src/cases/activity';
import type { Db } from '../src/db/types';
import { queryRows } from '../src/db/types';
import { medianMs, round } from './lib';

/** What one year's impact report reads, and the column each floor scan sums. */
export const REPORT_TABLES: Record<string, string> = {
  donations: 'amount_minor',
  refunds: 'amount_minor',
  ledger_entries: 'amount_minor',
  case_transitions: 'id',
  case_services: 'duration_minutes',
  hotline_calls: 'duration_minutes',
  outreach_events: 'participants',
};

/** The floor: plain full scans (count(*) and one sum) of each table the report reads. */
export async function measureFloor(db: Db, runs: number) {
  const tables: Record<string, { medianMs: number; rows: number }> = {};
  let total = 0;
  for (const [t, col] of Object.entries(REPORT_TABLES)) {
    let rows = 0;
    const m = await medianMs(runs, async () => {
      const [r] = await queryRows<{ n: string }>(db, sql.raw(`select count(*)::text as n, sum(${col})::text as s from ${t}`));
      rows = Number(r!.n);
    });
    tables[t] = { medianMs: m.median, rows };
    total += m.median;
  }
  return { totalMs: round(total), tables };
}

/** Stand-in for the report's money section: gifts and refunds of one year by channel, currency and campaign/fund. */
export async function moneyBySource(db: Db, orgId: string, year: number, fundId?: string) {
  const start = `${year}-01-01T00:00:00+07:00`;
  const end = `${year + 1}-01-01T00:00:00+07:00`;
  return queryRows<{ channel: string; currency: string; source: string; gifts: number; given: string; refunded: string }>(
    db,
    sql`select d.channel, d.currency, coalesce(c.slug, f.kind) as source, count(*)::int as gifts,
          sum(d.amount_minor)::text as given, coalesce(sum(r.refunded), 0)::text as refunded
        from donations d
        join funds f on f.id = d.fund_id
        left join campaigns c on c.id = d.campaign_id
        left join (select donation_id, sum(amount_minor) as refunded from refunds where org_id = ${orgId} group by donation_id) r on r.donation_id = d.id
        where d.org_id = ${orgId} and d.received_at >= ${start}::timestamptz and d.received_at < ${end}::timestamptz
          ${fundId ? sql`and d.fund_id = ${fundId}` : sql``}
        group by 1, 2, 3`,
  );
}

async function tryImport(paths: string[]) {
  for (const p of paths) {
    try {
      return { path: p, mod: (await import(p)) as Record<string, unknown> };
    } catch {
      /* not merged yet */
    }
  }
  return null;
}

/** The impact report (issue 7) and stand-ins, against the floor. */
export async function measureReport(db: Db, orgId: string, year: number, runs: number) {
  const floor = await measureFloor(db, runs);
  const [grant] = await queryRows<{ id: string }>(db, sql`select id from funds where org_id = ${orgId} and kind = 'grant' order by name limit 1`);
  const period = { from: `${year}-01-01`, to: `${year}-12-31` };
  const activity = await medianMs(runs, () => caseActivitySummary(db, orgId, period));
  const moneyOrg = await medianMs(runs, () => moneyBySource(db, orgId, year));
  const moneyGrant = await medianMs(runs, () => moneyBySource(db, orgId, year, grant!.id));
  const standInOrg = round(activity.median + moneyOrg.median);
  const standInGrant = round(activity.median + moneyGrant.median);
  // Floor for the stand-in: the tables it reads (the report proper also reads the ledger).
  const standInTables = ['donations', 'refunds', 'case_transitions', 'case_services', 'hotline_calls', 'outreach_events'];
  const standInFloor = round(standInTables.reduce((s, t) => s + floor.tables[t]!.medianMs, 0));
  const report = await tryImport(['../src/reports/impact', '../src/impact/report', '../src/reports/impact-report']);
  return {
    year,
    floor,
    standIn: {
      caseActivitySummaryMs: activity.median,
      moneyBySourceOrgMs: moneyOrg.median,
      moneyBySourceGrantMs: moneyGrant.median,
      organisationScopeMs: standInOrg,
      grantScopeMs: standInGrant,
      floorOfTablesReadMs: standInFloor,
      ratioOrganisation: round(standInOrg / standInFloor, 3),
      ratioGrant: round(standInGrant / standInFloor, 3),
      target: '≤ 2× the floor',
      note: 'stand-in until the report builder (issue 7) is merged: caseActivitySummary + money by source for the year (organisation, then one grant fund)',
    },
    report: report
      ? { status: 'skipped', reason: `module ${report.path} found; wire its builder into bench/queries.ts after the merge` }
      : { status: 'skipped', reason: 'pending merge: the impact-report builder (issue 7) is not in this branch' },
  };
}

export async function measureMatching() {
  const m = await tryImport(['../src/packages/matching', '../src/matching/suggest']);
  return m
    ? { status: 'skipped', reason: `module ${m.path} found; wire suggestions for a 500-unit drive over 50,000 cases after the merge` }
    : { status: 'skipped', reason: 'pending merge: the matching screen (issue 5) is not in this branch' };
}

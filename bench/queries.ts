import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/types';
import { queryRows } from '../src/db/types';
import { rankedCandidates, suggestMatches } from '../src/packages/matching';
import { getDrive } from '../src/packages/drives';
import { createReport, generateVersion } from '../src/reports/versions';
import type { ScopeSpec } from '../src/reports/scope';
import { medianMs, round } from './lib';
import { pageCentreFigures, refreshCentreFigures } from '../src/reports/public-figures';

/**
 * The tables the impact report aggregates over (src/reports/builder.ts, indicators.ts), and the
 * column each floor scan sums. Left out: tables it reads one row of by key (organisations,
 * donors, funders, grants, reports, report_versions) — a full scan of 200,000 donors would
 * inflate the floor with work the report never does.
 */
export const REPORT_TABLES: Record<string, string> = {
  donations: 'amount_minor',
  ledger_entries: 'amount_minor',
  ledger_postings: 'extract(epoch from occurred_at)',
  ledger_day_totals: 'amount_minor',
  funds: 'length(name)',
  cases: 'birth_year',
  case_transitions: 'id',
  case_services: 'duration_minutes',
  case_categories: 'sort',
  hotline_calls: 'duration_minutes',
  outreach_events: 'participants',
  locations: 'length(path)',
  package_drives: 'target_count',
  package_units: 'value_minor',
  inkind_distributions: 'headcount',
  stock_movements: 'quantity',
  grant_targets: 'target_value',
};

/**
 * The report's money figures come from the ledger's lines and postings, but it reads them as the
 * day totals a trigger keeps (ledger_day_totals, migration 0016): a pre-aggregation, which is what
 * the floor is there to reward. The floor keeps the record tables and adds the day totals; the
 * floor of only the tables the report's queries touch is reported beside it, for candour.
 */
export const SUMMARISED_BY_DAY_TOTALS = ['ledger_entries', 'ledger_postings'];

/** The floor: plain full scans (count(*) and one sum) of each table the report reads. */
export async function measureFloor(db: Db, runs: number) {
  const tables: Record<string, { medianMs: number; rows: number }> = {};
  let total = 0;
  let touched = 0;
  for (const [t, col] of Object.entries(REPORT_TABLES)) {
    let rows = 0;
    const m = await medianMs(runs, async () => {
      const [r] = await queryRows<{ n: string }>(db, sql.raw(`select count(*)::text as n, sum(${col})::text as s from ${t}`));
      rows = Number(r!.n);
    });
    tables[t] = { medianMs: m.median, rows };
    total += m.median;
    if (!SUMMARISED_BY_DAY_TOTALS.includes(t)) touched += m.median;
  }
  return { totalMs: round(total), touchedTablesMs: round(touched), tables };
}

/**
 * The impact report for one year, as the report pages and API compute it: a report is created
 * once (its first version is the warm-up), then `generateVersion` — resolve the scope, run every
 * indicator, breakdown and the sources-and-uses table, store the frozen model — is timed, the
 * same call the "Regenerate" button and `POST …/reports/{id}/versions` make.
 */
async function timeReport(db: Db, orgId: string, scope: ScopeSpec, year: number, runs: number) {
  const actor = { userId: null, now: new Date(`${year + 1}-01-15T09:00:00+07:00`) };
  const { report } = await createReport(db, orgId, { scope, period: { from: `${year}-01-01`, to: `${year}-12-31` }, language: 'vi' }, actor);
  return medianMs(runs, () => generateVersion(db, orgId, report.id, actor));
}

export async function measureReport(db: Db, orgId: string, year: number, runs: number) {
  const floor = await measureFloor(db, runs);
  const [grant] = await queryRows<{ id: string; code: string }>(db, sql`select id, code from grants where org_id = ${orgId} order by code limit 1`);
  const org = await timeReport(db, orgId, { kind: 'organisation' }, year, runs);
  const g = grant ? await timeReport(db, orgId, { kind: 'grant', grantId: grant.id }, year, runs) : null;
  return {
    year,
    floor,
    organisation: { medianMs: org.median, samples: org.samples, ratioToFloor: round(org.median / floor.totalMs, 3), ratioToTouchedTables: round(org.median / floor.touchedTablesMs, 3) },
    grant: g
      ? { code: grant!.code, medianMs: g.median, samples: g.samples, ratioToFloor: round(g.median / floor.totalMs, 3), ratioToTouchedTables: round(g.median / floor.touchedTablesMs, 3) }
      : { status: 'skipped', reason: 'no grant in the generated data (grants module skipped)' },
    target: '≤ 2× the floor',
    note: 'generateVersion (src/reports/versions.ts) for the calendar year: resolveScope + buildReportModel + storing the version; floor = count(*)+sum scans of REPORT_TABLES in the same run (the record tables, ledger lines and postings included, plus the ledger day totals the report reads in their place); ratioToTouchedTables = against the scans of only the tables its queries touch (without ledger_entries and ledger_postings)',
  };
}

/**
 * The matching screen's suggestions for the latest drive (the generator leaves it with up to 500
 * funded, unmatched units and no eligibility restriction, so every open case is a candidate):
 * `suggestMatches` as the page calls it (50 a page), and with 500 as "Accept all suggestions"
 * (autoMatchDrive) asks for. As of noon on the last day of the report year.
 */
export async function measureMatching(db: Db, orgId: string, year: number, runs: number) {
  const [drive] = await queryRows<{ id: string }>(db, sql`select id from package_drives where org_id = ${orgId} and status = 'active' order by starts_on desc, created_at desc limit 1`);
  if (!drive) return { status: 'skipped', reason: 'no active drive in the generated data (packages module skipped)' };
  const asOf = new Date(`${year}-12-31T12:00:00+07:00`);
  let shape = { fundedUnits: 0, candidates: 0, suggestions: 0 };
  const page = await medianMs(runs, async () => {
    const r = await suggestMatches(db, orgId, drive.id, { asOf, limit: 50, offset: 0 });
    shape = { fundedUnits: r.fundedTotal, candidates: r.candidateTotal, suggestions: r.suggestions.length };
  });
  let all = 0;
  const acceptAll = await medianMs(runs, async () => {
    all = (await suggestMatches(db, orgId, drive.id, { asOf, limit: 500 })).suggestions.length;
  });
  // The worst page: the last one, past the children not helped lately, where the 12-month sums
  // of every child are needed and the whole candidate list is sorted.
  const lastOffset = Math.max(0, shape.candidates - 50);
  const lastPage = await medianMs(runs, async () => {
    await rankedCandidates(db, await getDrive(db, orgId, drive.id), { asOf, limit: 50, offset: lastOffset });
  });
  const [cases] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from cases where org_id = ${orgId}`);
  return {
    cases: Number(cases!.n),
    ...shape,
    page: { limit: 50, medianMs: page.median, samples: page.samples },
    acceptAll: { limit: 500, suggestions: all, medianMs: acceptAll.median, samples: acceptAll.samples },
    lastCandidatePage: { limit: 50, offset: lastOffset, medianMs: lastPage.median, samples: lastPage.samples },
    target: '≤ 200 ms',
    note: 'suggestMatches (src/packages/matching.ts) for the latest drive, as the matching page (50) and autoMatchDrive (500) call it; lastCandidatePage: the ranked list\'s last page of 50 (rankedCandidates), the worst case: every child\'s 12-month sums and a full sort',
  };
}

/**
 * The centre's public page figures (src/reports/public-figures.ts) for a whole year: the year so
 * far as seen on its last day, the most the page ever reads. Computing them is what a refresh
 * costs (after a response, at most once per 15 minutes a centre); a visit reads the stored row.
 */
export async function measurePublicFigures(db: Db, orgId: string, year: number, runs: number) {
  const lastDay = new Date(`${year}-12-31T12:00:00+07:00`);
  let figures: Record<string, string> = {};
  const m = await medianMs(runs, async () => {
    const r = await refreshCentreFigures(db, orgId, lastDay);
    figures = Object.fromEntries(r.figures.map((f) => [f.id, f.value === null ? 'withheld' : String(f.value.value)]));
  });
  const visit = await medianMs(runs, async () => {
    const r = await pageCentreFigures(db, orgId, lastDay);
    if (r.refresh) throw new Error('the stored figures should be fresh');
  });
  return {
    medianMs: m.median,
    samples: m.samples,
    visitMedianMs: visit.median,
    visitSamples: visit.samples,
    figures,
    note: 'medianMs: refreshCentreFigures for the year so far on 31 December (four indicators of the funder report, organisation scope, then the stored row replaced); visitMedianMs: pageCentreFigures reading the stored row, as each visit does',
  };
}

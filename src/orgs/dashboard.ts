import { sql } from 'drizzle-orm';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';

/**
 * Counts shown on the dashboard. Each capability adds its own line here; every count is a
 * query scoped to the organisation, never a stored number.
 */
export interface DashboardCounts {
  staff: number;
  locations: number;
  [key: string]: number | string;
}

export async function dashboardCounts(db: Db, orgId: string): Promise<DashboardCounts> {
  const [row] = await queryRows<{ staff: string; locations: string; cases: string; donors: string; donations: string; packages: string; raised: string }>(
    db,
    sql`select
      (select count(distinct user_id) from memberships where org_id = ${orgId}) as staff,
      (select count(*) from locations where org_id = ${orgId}) as locations,
      (select count(*) from cases where org_id = ${orgId} and status <> 'closed') as cases,
      (select count(*) from donors where org_id = ${orgId} and merged_into_id is null) as donors,
      (select count(*) from donations where org_id = ${orgId}) as donations,
      (select count(*) from package_units where org_id = ${orgId} and status <> 'cancelled') as packages,
      ((select coalesce(sum(d.amount_minor), 0) from donations d join organisations o on o.id = d.org_id
          where d.org_id = ${orgId} and d.currency = o.base_currency)
       - (select coalesce(sum(r.amount_minor), 0) from refunds r join donations d on d.id = r.donation_id join organisations o on o.id = d.org_id
          where d.org_id = ${orgId} and d.currency = o.base_currency))::text as raised`,
  );
  // `cases` counts open cases (intake, assessment or intervention).
  return {
    staff: Number(row?.staff ?? 0),
    locations: Number(row?.locations ?? 0),
    cases: Number(row?.cases ?? 0),
    donors: Number(row?.donors ?? 0),
    donations: Number(row?.donations ?? 0),
    // Gift packages paid for (not cancelled), whatever their stage.
    packages: Number(row?.packages ?? 0),
    /** Gifts in the organisation's base currency, net of refunds, in minor units (a string: bigint). */
    raised: row?.raised ?? '0',
  };
}

import { sql } from 'drizzle-orm';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { keysetCsvStream } from '../lib/csv-stream';

export const DONATION_CSV_HEADER = [
  'id',
  'received_on',
  'channel',
  'currency',
  'amount_minor_units',
  'refunded_minor_units',
  'recurring',
  'anonymous',
  'donor_id',
  'donor_name',
  'campaign',
  'fund',
  'receipt',
] as const;

/** Rows per query: each page is one keyset step over (received_at, id), so memory stays flat at any size. */
export const EXPORT_PAGE_ROWS = 2000;

interface Row {
  id: string;
  received_at: string;
  received_on: string;
  channel: string;
  currency: string;
  amount_minor: string;
  refunded: string;
  recurring: boolean;
  anonymous: boolean;
  donor_id: string | null;
  donor_name: string | null;
  campaign: string | null;
  fund: string;
  receipt: string | null;
}

async function page(db: Db, orgId: string, after: { at: string; id: string } | null, range: { from?: Date; to?: Date }) {
  return queryRows<Row>(
    db,
    sql`select d.id, d.received_at::text as received_at,
          to_char(d.received_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as received_on,
          d.channel, d.currency, d.amount_minor::text as amount_minor,
          coalesce((select sum(r.amount_minor) from refunds r where r.donation_id = d.id), 0)::text as refunded,
          d.recurring, d.anonymous, d.donor_id, dn.name as donor_name, c.slug as campaign, f.name as fund,
          (select rc.code from receipts rc where rc.donation_id = d.id and rc.kind = 'receipt') as receipt
        from donations d
        join funds f on f.id = d.fund_id
        left join donors dn on dn.id = d.donor_id
        left join campaigns c on c.id = d.campaign_id
        where d.org_id = ${orgId}
          ${range.from ? sql`and d.received_at >= ${range.from.toISOString()}::timestamptz` : sql``}
          ${range.to ? sql`and d.received_at < ${range.to.toISOString()}::timestamptz` : sql``}
          ${after ? sql`and (d.received_at, d.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
        order by d.received_at, d.id
        limit ${EXPORT_PAGE_ROWS}`,
  );
}

const cells = (r: Row) => [
  r.id,
  r.received_on,
  r.channel,
  r.currency,
  r.amount_minor,
  r.refunded,
  r.recurring ? 'yes' : 'no',
  r.anonymous ? 'yes' : 'no',
  r.donor_id,
  r.donor_name,
  r.campaign,
  r.fund,
  r.receipt,
];

/**
 * Every donation of the organisation (optionally a date range, Vietnam time) as CSV (UTF-8 BOM,
 * CRLF, oldest first), streamed page by page (keysetCsvStream). The request must keep its
 * database until `done`.
 */
export function donationsCsvStream(db: Db, orgId: string, range: { from?: Date; to?: Date } = {}) {
  return keysetCsvStream<Row>({
    header: DONATION_CSV_HEADER,
    pageRows: EXPORT_PAGE_ROWS,
    page: (after) => page(db, orgId, after ? { at: after.received_at, id: after.id } : null, range),
    cells,
  });
}

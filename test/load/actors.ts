import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/types';
import { createApiToken } from '../../src/auth/auth';

export interface LoadContext {
  db: Db;
  orgId: string;
  appUrl: string;
  http: (path: string, init: RequestInit & { label: string }) => Promise<Response>;
  count: (what: string) => void;
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Load actors of capabilities beyond giving (in-kind distribution, gift-package matching and
 * delivery). Each returns named async actions run in the mixed load.
 */
export async function extraLoadActors(ctx: LoadContext): Promise<Record<string, () => Promise<void>>> {
  const actors: Record<string, () => Promise<void>> = {};
  const coordinator = await createApiToken(ctx.db, { orgId: ctx.orgId, name: 'load coordinator', role: 'coordinator' });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${coordinator.token}` };

  // In-kind: exercise books at the centre office, given out in groups faster than they come in,
  // so distributions race for the last books and some are refused.
  const [books] = await queryRows<{ item_id: string; location_id: string }>(
    ctx.db,
    sql`select b.item_id, b.location_id from stock_balances b join inkind_items i on i.id = b.item_id
        where b.org_id = ${ctx.orgId} and i.category = 'school_supplies' and b.quantity > 0 order by b.quantity desc limit 1`,
  ).catch(() => []);
  if (books) {
    let n = 0;
    actors.inkindDistribution = async () => {
      const res = await ctx.http('/api/v1/orgs/hai-phong/inkind/distributions', {
        method: 'POST',
        label: 'in-kind distribution',
        headers,
        body: JSON.stringify({ kind: 'event', locationId: books.location_id, distributedOn: today(), eventName: `Phát vở ${n++}`, headcount: 30, lines: [{ itemId: books.item_id, quantity: 30 }] }),
      });
      ctx.count(res.status === 409 ? 'inkindRefusedShortStock' : 'inkindDistribution');
    };
    actors.inkindIntake = async () => {
      await ctx.http('/api/v1/orgs/hai-phong/inkind/intakes', {
        method: 'POST',
        label: 'in-kind intake',
        headers,
        body: JSON.stringify({ anonymous: true, receivedOn: today(), locationId: books.location_id, lines: [{ itemId: books.item_id, quantity: 20, condition: 'new' }] }),
      });
      ctx.count('inkindIntake');
    };
  }
  // Gift packages: finance funds a drive with offline gifts while coordinators auto-match it and
  // deliver what is matched, all at once; the database must never give a child two units.
  const [drive] = await queryRows<{ id: string }>(
    ctx.db,
    sql`select drive_id as id from package_units where org_id = ${ctx.orgId} and status in ('funded', 'matched') group by drive_id order by count(*) desc limit 1`,
  ).catch(() => []);
  if (drive) {
    const finance = await createApiToken(ctx.db, { orgId: ctx.orgId, name: 'load finance (packages)', role: 'finance' });
    let k = 0;
    actors.fundPackages = async () => {
      await ctx.http(`/api/v1/orgs/hai-phong/package-drives/${drive.id}/offline-gifts`, {
        method: 'POST',
        label: 'package gift',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${finance.token}` },
        body: JSON.stringify({ channel: 'cash', quantity: 2, receivedOn: today(), reference: `LOAD-PKG-${k++}` }),
      });
      ctx.count('fundPackages');
    };
    actors.autoMatch = async () => {
      await ctx.http(`/api/v1/orgs/hai-phong/package-drives/${drive.id}/auto-match`, { method: 'POST', label: 'auto-match', headers });
      ctx.count('autoMatch');
    };
    actors.deliverMatched = async () => {
      const matched = await queryRows<{ id: string }>(
        ctx.db,
        sql`select id from package_units where drive_id = ${drive.id} and status = 'matched' order by random() limit 3`,
      );
      if (!matched.length) return;
      const res = await ctx.http(`/api/v1/orgs/hai-phong/package-drives/${drive.id}/deliveries`, {
        method: 'POST',
        label: 'deliver',
        headers,
        body: JSON.stringify({ unitIds: matched.map((m) => m.id), deliveredOn: today(), place: 'Nhà văn hóa', staff: 'CTXH' }),
      });
      ctx.count(res.status === 201 ? 'deliverMatched' : 'deliverRaceLost');
    };
  }
  return actors;
}

import { expect } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Harness } from '../support/harness';
import { createItem, type Item } from '../../src/inkind/stock';
import { stockBalances } from '../../src/db/schema';
import { queryRows } from '../../src/db/types';

export const API = '/api/v1/orgs/hai-phong/inkind';
export const TODAY = '2026-09-20';

export interface Catalogue {
  shirts: Item;
  toys: Item;
  rice: Item;
  books: Item;
}

export async function makeCatalogue(h: Harness): Promise<Catalogue> {
  const orgId = h.demo.orgId;
  return {
    shirts: await createItem(h.db, orgId, { nameVi: 'Áo sơ mi trắng', nameEn: 'White school shirt', category: 'clothing', unit: 'piece', unitValueMinor: 120_000n, valuationSource: 'donor_invoice' }),
    toys: await createItem(h.db, orgId, { nameVi: 'Đồ chơi xếp hình', nameEn: 'Building blocks', category: 'toys', unit: 'set', unitValueMinor: 150_000n, valuationSource: 'market_survey' }),
    rice: await createItem(h.db, orgId, { nameVi: 'Gạo', nameEn: 'Rice', category: 'food', unit: 'kg', unitValueMinor: 18_000n, valuationSource: 'market_survey' }),
    books: await createItem(h.db, orgId, { nameVi: 'Vở học sinh', nameEn: 'Exercise books', category: 'school_supplies', unit: 'book', unitValueMinor: 10_000n, valuationSource: 'staff_estimate' }),
  };
}

/** Receives goods through the API (as a coordinator) and returns the intake id. */
export async function receive(h: Harness, locationId: string, lines: { itemId: string; quantity: number; unitValueMinor?: number }[], extra: Record<string, unknown> = {}) {
  const res = await h.request(`${API}/intakes`, {
    as: 'coordinator',
    method: 'POST',
    json: { receivedOn: TODAY, locationId, lines: lines.map((l) => ({ condition: 'new', ...l })), ...extra },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; valueMinor: number; acknowledgement: string };
}

export async function balance(h: Harness, itemId: string, locationId: string): Promise<{ quantity: number; valueMinor: bigint }> {
  const [row] = await h.db.select().from(stockBalances).where(and(eq(stockBalances.itemId, itemId), eq(stockBalances.locationId, locationId)));
  return { quantity: row?.quantity ?? 0, valueMinor: row ? BigInt(row.valueMinor) : 0n };
}

/** Every balance row against the sum of its movements: must be identical, row for row. */
export async function expectBalancesTieOut(h: Harness) {
  const drift = await queryRows<{ item_id: string; location_id: string }>(
    h.db,
    sql`select coalesce(b.item_id, m.item_id) as item_id, coalesce(b.location_id, m.location_id) as location_id
        from stock_balances b
        full join (select item_id, location_id, sum(quantity) as q, sum(value_minor) as v from stock_movements group by item_id, location_id) m
          on m.item_id = b.item_id and m.location_id = b.location_id
        where b.quantity is distinct from m.q::int or b.value_minor is distinct from m.v::bigint`,
  );
  expect(drift).toEqual([]);
  const negative = await queryRows(h.db, sql`select 1 from stock_balances where quantity < 0 or value_minor < 0`);
  expect(negative).toEqual([]);
  // The money ledger holds goods at the value of the stock on hand.
  const [tie] = await queryRows<{ ledger: string; stock: string }>(
    h.db,
    sql`select (select coalesce(sum(amount_minor), 0) from ledger_entries where org_id = ${h.demo.orgId} and account = 'in_kind_goods')::text as ledger,
               (select coalesce(sum(value_minor), 0) from stock_balances where org_id = ${h.demo.orgId})::text as stock`,
  );
  expect(tie!.ledger).toBe(tie!.stock);
}

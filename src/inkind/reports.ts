import { sql } from 'drizzle-orm';
import type { ItemCategory, ItemUnit } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { toCsv } from '../donors/csv';
import { formatMinorPlain } from '../giving/money';
import { pick, type Locale } from '../ui/i18n';
import { CATEGORY_LABEL, UNIT_LABEL } from './labels';
import { dayStart } from './stock';

/** Reports are sums over `stock_movements`, never over stored totals. */

export interface StockLine {
  locationId: string;
  locationName: string;
  itemId: string;
  nameVi: string;
  nameEn: string | null;
  category: ItemCategory;
  unit: ItemUnit;
  quantity: number;
  valueMinor: bigint;
  currency: string;
}

export async function stockOnHand(db: Db, orgId: string, opts: { locationId?: string } = {}): Promise<StockLine[]> {
  const rows = await queryRows<{ location_id: string; location_name: string; item_id: string; name_vi: string; name_en: string | null; category: ItemCategory; unit: ItemUnit; quantity: string; value_minor: string; currency: string }>(
    db,
    sql`select m.location_id, l.name as location_name, m.item_id, i.name_vi, i.name_en, i.category, i.unit, i.currency,
          sum(m.quantity)::bigint as quantity, sum(m.value_minor)::bigint as value_minor
        from stock_movements m
        join inkind_items i on i.id = m.item_id
        join locations l on l.id = m.location_id
        where m.org_id = ${orgId} ${opts.locationId ? sql`and m.location_id = ${opts.locationId}` : sql``}
        group by m.location_id, l.name, m.item_id, i.name_vi, i.name_en, i.category, i.unit, i.currency
        having sum(m.quantity) <> 0
        order by l.name, i.category, i.name_vi`,
  );
  return rows.map((r) => ({
    locationId: r.location_id,
    locationName: r.location_name,
    itemId: r.item_id,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    category: r.category,
    unit: r.unit,
    quantity: Number(r.quantity),
    valueMinor: BigInt(r.value_minor),
    currency: r.currency,
  }));
}

/** Stock by location and category: the roll-up of `stockOnHand`. */
export function byLocationAndCategory(lines: StockLine[]) {
  const map = new Map<string, { locationId: string; locationName: string; category: ItemCategory; quantity: number; valueMinor: bigint; items: number }>();
  for (const l of lines) {
    const k = `${l.locationId}|${l.category}`;
    const e = map.get(k) ?? { locationId: l.locationId, locationName: l.locationName, category: l.category, quantity: 0, valueMinor: 0n, items: 0 };
    e.quantity += l.quantity;
    e.valueMinor += l.valueMinor;
    e.items += 1;
    map.set(k, e);
  }
  return [...map.values()];
}

export interface FlowLine {
  itemId: string;
  nameVi: string;
  nameEn: string | null;
  category: ItemCategory;
  unit: ItemUnit;
  currency: string;
  receivedQty: number;
  receivedValueMinor: bigint;
  distributedQty: number;
  distributedValueMinor: bigint;
  writtenOffQty: number;
  writtenOffValueMinor: bigint;
  /** Found in counts or returned from a distribution. */
  addedQty: number;
  addedValueMinor: bigint;
}

/**
 * Received, distributed (net of returns is NOT applied: returns are shown as added) and written
 * off (negative adjustments: damaged, expired, count corrections) between two Vietnamese
 * calendar days, inclusive. Transfers move goods between offices and cancel out.
 */
export async function flowReport(db: Db, orgId: string, period: { from: string; to: string }) {
  const start = dayStart(period.from);
  const end = new Date(dayStart(period.to).getTime() + 86_400_000);
  const rows = await queryRows<Record<string, string | null>>(
    db,
    sql`select m.item_id, i.name_vi, i.name_en, i.category, i.unit, i.currency,
          coalesce(sum(m.quantity) filter (where m.kind = 'receive'), 0)::bigint as received_qty,
          coalesce(sum(m.value_minor) filter (where m.kind = 'receive'), 0)::bigint as received_value,
          coalesce(-sum(m.quantity) filter (where m.kind = 'distribute'), 0)::bigint as distributed_qty,
          coalesce(-sum(m.value_minor) filter (where m.kind = 'distribute'), 0)::bigint as distributed_value,
          coalesce(-sum(m.quantity) filter (where m.kind = 'adjust' and m.quantity < 0), 0)::bigint as written_off_qty,
          coalesce(-sum(m.value_minor) filter (where m.kind = 'adjust' and m.quantity < 0), 0)::bigint as written_off_value,
          coalesce(sum(m.quantity) filter (where m.kind = 'return' or (m.kind = 'adjust' and m.quantity > 0)), 0)::bigint as added_qty,
          coalesce(sum(m.value_minor) filter (where m.kind = 'return' or (m.kind = 'adjust' and m.quantity > 0)), 0)::bigint as added_value
        from stock_movements m join inkind_items i on i.id = m.item_id
        where m.org_id = ${orgId} and m.occurred_at >= ${start.toISOString()} and m.occurred_at < ${end.toISOString()}
          and m.kind not in ('transfer_in','transfer_out')
        group by m.item_id, i.name_vi, i.name_en, i.category, i.unit, i.currency
        order by i.category, i.name_vi`,
  );
  const lines: FlowLine[] = rows.map((r) => ({
    itemId: r.item_id!,
    nameVi: r.name_vi!,
    nameEn: r.name_en ?? null,
    category: r.category as ItemCategory,
    unit: r.unit as ItemUnit,
    currency: r.currency!,
    receivedQty: Number(r.received_qty),
    receivedValueMinor: BigInt(r.received_value!),
    distributedQty: Number(r.distributed_qty),
    distributedValueMinor: BigInt(r.distributed_value!),
    writtenOffQty: Number(r.written_off_qty),
    writtenOffValueMinor: BigInt(r.written_off_value!),
    addedQty: Number(r.added_qty),
    addedValueMinor: BigInt(r.added_value!),
  }));
  const totals = lines.reduce(
    (t, l) => ({
      receivedValueMinor: t.receivedValueMinor + l.receivedValueMinor,
      distributedValueMinor: t.distributedValueMinor + l.distributedValueMinor,
      writtenOffValueMinor: t.writtenOffValueMinor + l.writtenOffValueMinor,
      addedValueMinor: t.addedValueMinor + l.addedValueMinor,
    }),
    { receivedValueMinor: 0n, distributedValueMinor: 0n, writtenOffValueMinor: 0n, addedValueMinor: 0n },
  );
  return { from: period.from, to: period.to, lines, totals };
}

const H = {
  location: { vi: 'Địa điểm', en: 'Location' },
  item: { vi: 'Hiện vật', en: 'Item' },
  category: { vi: 'Nhóm', en: 'Category' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  quantity: { vi: 'Số lượng', en: 'Quantity' },
  value: { vi: 'Giá trị', en: 'Value' },
  currency: { vi: 'Loại tiền', en: 'Currency' },
  received: { vi: 'Nhập', en: 'Received' },
  distributed: { vi: 'Cấp phát', en: 'Distributed' },
  writtenOff: { vi: 'Xuất hủy', en: 'Written off' },
  added: { vi: 'Bổ sung (kiểm kê, trả lại)', en: 'Added (counts, returns)' },
};

const itemName = (l: { nameVi: string; nameEn: string | null }, locale: Locale) => (locale === 'en' ? (l.nameEn ?? l.nameVi) : l.nameVi);

/** CSV with a BOM; cells that a spreadsheet would run as formulas are escaped (donors/csv). */
export function stockCsv(lines: StockLine[], locale: Locale): string {
  return toCsv(
    [H.location, H.item, H.category, H.unit, H.quantity, H.value, H.currency].map((h) => pick(locale, h)),
    lines.map((l) => [l.locationName, itemName(l, locale), pick(locale, CATEGORY_LABEL[l.category]), pick(locale, UNIT_LABEL[l.unit]), l.quantity, formatMinorPlain(l.valueMinor, l.currency), l.currency]),
  );
}

export function flowCsv(report: Awaited<ReturnType<typeof flowReport>>, locale: Locale): string {
  const v = (x: bigint, c: string) => formatMinorPlain(x, c);
  return toCsv(
    [H.item, H.category, H.unit, `${pick(locale, H.received)} (${pick(locale, H.quantity)})`, `${pick(locale, H.received)} (${pick(locale, H.value)})`, `${pick(locale, H.distributed)} (${pick(locale, H.quantity)})`, `${pick(locale, H.distributed)} (${pick(locale, H.value)})`, `${pick(locale, H.writtenOff)} (${pick(locale, H.quantity)})`, `${pick(locale, H.writtenOff)} (${pick(locale, H.value)})`, `${pick(locale, H.added)} (${pick(locale, H.quantity)})`, `${pick(locale, H.added)} (${pick(locale, H.value)})`, pick(locale, H.currency)].map(String),
    report.lines.map((l) => [itemName(l, locale), pick(locale, CATEGORY_LABEL[l.category]), pick(locale, UNIT_LABEL[l.unit]), l.receivedQty, v(l.receivedValueMinor, l.currency), l.distributedQty, v(l.distributedValueMinor, l.currency), l.writtenOffQty, v(l.writtenOffValueMinor, l.currency), l.addedQty, v(l.addedValueMinor, l.currency), l.currency]),
  );
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { API, balance, expectBalancesTieOut, makeCatalogue, receive, TODAY, type Catalogue } from './support';
import { createCase } from '../cases/support';
import { createDonor } from '../../src/donors/donors';
import { outbox, stockMovements } from '../../src/db/schema';
import { queryRows } from '../../src/db/types';
import { drawPackageContents, setPackageTypeItems } from '../../src/inkind/stock';
import { flowReport } from '../../src/inkind/reports';

let h: Harness;
let cat: Catalogue;
let office: string;
let commune: string;
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-20T03:00:00Z' });
  cat = await makeCatalogue(h);
  office = h.demo.locations.centreOffice;
  commune = h.demo.locations.tienHungOffice;
});
afterAll(() => h?.close());

describe('intake', () => {
  it('records the gift as receive movements at the office and acknowledges the donor with items and quantities, no value by default', async () => {
    const donor = await createDonor(h.db, h.demo.orgId, { kind: 'organisation', name: 'Công ty May Hải Phòng (thử)', email: 'may@hp.example', emailConsent: true });
    const r = await receive(h, office, [{ itemId: cat.books.id, quantity: 200 }], { donorId: donor.id });
    expect(r.acknowledgement).toBe('queued');
    expect(r.valueMinor).toBe(200 * 10_000);
    expect((await balance(h, cat.books.id, office)).quantity).toBe(200);
    const [mail] = await h.db.select().from(outbox).where(eq(outbox.dedupeKey, `inkind-ack:${r.id}`));
    expect(mail!.toAddress).toBe('may@hp.example');
    expect(mail!.text).toContain('200 cuốn Vở học sinh');
    expect(mail!.text).not.toMatch(/₫|đ\b|VND/);
  });

  it('states the value when the organisation (or the intake) chooses to', async () => {
    const donor = await createDonor(h.db, h.demo.orgId, { name: 'Nguyễn Văn Thử', email: 'thu@example.org', locale: 'en' });
    const set = await h.request(`${API}/settings`, { as: 'admin', method: 'PUT', json: { ackStatesValue: true } });
    expect(set.status).toBe(200);
    const r = await receive(h, office, [{ itemId: cat.rice.id, quantity: 100 }], { donorId: donor.id });
    const [mail] = await h.db.select().from(outbox).where(eq(outbox.dedupeKey, `inkind-ack:${r.id}`));
    expect(mail!.text).toContain('100 kg Rice');
    expect(mail!.text).toMatch(/Stated value: .*1,800,000/);
    const r2 = await receive(h, office, [{ itemId: cat.rice.id, quantity: 10 }], { donorId: donor.id, ackStatesValue: false });
    const [mail2] = await h.db.select().from(outbox).where(eq(outbox.dedupeKey, `inkind-ack:${r2.id}`));
    expect(mail2!.text).not.toContain('Stated value');
    await h.request(`${API}/settings`, { as: 'admin', method: 'PUT', json: { ackStatesValue: false } });
  });

  it('bad intake → 400 with field errors, nothing stored', async () => {
    const before = (await h.db.select().from(stockMovements)).length;
    const res = await h.request(`${API}/intakes`, {
      as: 'coordinator',
      method: 'POST',
      json: { receivedOn: '2099-01-01', locationId: h.demo.locations.tienHung, lines: [{ itemId: cat.rice.id, quantity: 5, condition: 'new' }, { itemId: cat.rice.id, quantity: 2, condition: 'good' }] },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['lines.1.itemId', 'locationId', 'receivedOn']);
    const zero = await h.request(`${API}/intakes`, { as: 'coordinator', method: 'POST', json: { receivedOn: TODAY, locationId: office, lines: [{ itemId: cat.rice.id, quantity: 0, condition: 'new' }] } });
    expect(zero.status).toBe(400);
    expect((await h.db.select().from(stockMovements)).length).toBe(before);
  });
});

describe('no negative stock, guaranteed by the database', () => {
  it('20 concurrent distributions that together exceed stock: exactly what fits goes out, the rest get a clear 409', async () => {
    await receive(h, commune, [{ itemId: cat.shirts.id, quantity: 50 }]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.request(`${API}/distributions`, {
          as: 'coordinator',
          method: 'POST',
          json: { kind: 'event', locationId: commune, distributedOn: TODAY, eventName: `Khai giảng lớp ${i + 1}`, headcount: 5, lines: [{ itemId: cat.shirts.id, quantity: 5 }] },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      const p = (await r.json()) as { detail: string; type: string; shortages: { available: number; requested: number }[] };
      expect(p.type).toBe('/problems/insufficient-stock');
      expect(p.detail).toMatch(/Not enough stock: Áo sơ mi trắng \(0 on hand, 5 requested\)/);
    }
    expect(await balance(h, cat.shirts.id, commune)).toEqual({ quantity: 0, valueMinor: 0n });
    await expectBalancesTieOut(h);
  });

  it('the database refuses a movement that would go negative even without the code check, and movements cannot be edited', async () => {
    await expect(
      h.db.insert(stockMovements).values({ orgId: h.demo.orgId, itemId: cat.shirts.id, locationId: commune, kind: 'distribute', quantity: -1, unitValueMinor: 0n, valueMinor: 0n, currency: 'VND', batchId: crypto.randomUUID(), occurredAt: new Date() }),
    ).rejects.toThrow();
    await expect(h.db.execute(sql`update stock_movements set quantity = quantity + 1`)).rejects.toThrow();
    await expect(h.db.execute(sql`delete from stock_movements`)).rejects.toThrow();
    await expect(h.db.execute(sql`update stock_balances set quantity = 999`)).rejects.toThrow();
    await expectBalancesTieOut(h);
  });
});

describe('distribution, transfer, adjustment, return', () => {
  it("gives toys to a child's case by case id; the value leaves at the average value held", async () => {
    await receive(h, office, [{ itemId: cat.toys.id, quantity: 3, unitValueMinor: 100_000 }]);
    await receive(h, office, [{ itemId: cat.toys.id, quantity: 1, unitValueMinor: 200_000 }]);
    const child = await createCase(h, 'admin', { locationId: h.demo.locations.tienHung });
    const res = await h.request(`${API}/distributions`, { as: 'coordinator', method: 'POST', json: { kind: 'case', caseId: child.id, locationId: office, distributedOn: TODAY, lines: [{ itemId: cat.toys.id, quantity: 2 }] } });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { valueMinor: number }).valueMinor).toBe(250_000);
    expect(await balance(h, cat.toys.id, office)).toEqual({ quantity: 2, valueMinor: 250_000n });
    const noCase = await h.request(`${API}/distributions`, { as: 'coordinator', method: 'POST', json: { kind: 'case', caseId: '00000000-0000-4000-8000-000000000000', locationId: office, distributedOn: TODAY, lines: [{ itemId: cat.toys.id, quantity: 1 }] } });
    expect(noCase.status).toBe(400);
    expect(((await noCase.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['caseId']);
  });

  it('transfers between offices as two lines of equal value; an adjustment needs a reason; returns come back at the value they left with', async () => {
    const res = await h.request(`${API}/transfers`, { as: 'coordinator', method: 'POST', json: { fromLocationId: office, toLocationId: commune, on: TODAY, lines: [{ itemId: cat.toys.id, quantity: 1 }] } });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await balance(h, cat.toys.id, commune)).toEqual({ quantity: 1, valueMinor: 125_000n });
    expect(await balance(h, cat.toys.id, office)).toEqual({ quantity: 1, valueMinor: 125_000n });
    const tooMany = await h.request(`${API}/transfers`, { as: 'coordinator', method: 'POST', json: { fromLocationId: office, toLocationId: commune, on: TODAY, lines: [{ itemId: cat.toys.id, quantity: 2 }] } });
    expect(tooMany.status).toBe(409);

    const noReason = await h.request(`${API}/adjustments`, { as: 'coordinator', method: 'POST', json: { locationId: office, on: TODAY, lines: [{ itemId: cat.rice.id, quantity: -5 }] } });
    expect(noReason.status).toBe(400);
    const damaged = await h.request(`${API}/adjustments`, { as: 'coordinator', method: 'POST', json: { locationId: office, on: TODAY, reason: 'damaged', note: 'Bao gạo bị ẩm', lines: [{ itemId: cat.rice.id, quantity: -5 }] } });
    expect(damaged.status).toBe(201);
    expect((await balance(h, cat.rice.id, office)).quantity).toBe(105);

    const event = await h.request(`${API}/distributions`, { as: 'coordinator', method: 'POST', json: { kind: 'event', locationId: office, distributedOn: TODAY, eventName: 'Tết Trung thu', headcount: 20, place: 'Nhà văn hóa', lines: [{ itemId: cat.books.id, quantity: 40 }] } });
    const { id: distributionId } = (await event.json()) as { id: string };
    const back = await h.request(`${API}/returns`, { as: 'coordinator', method: 'POST', json: { distributionId, on: TODAY, lines: [{ itemId: cat.books.id, quantity: 5 }] } });
    expect(back.status, await back.clone().text()).toBe(201);
    expect((await balance(h, cat.books.id, office)).quantity).toBe(165);
    const overReturn = await h.request(`${API}/returns`, { as: 'coordinator', method: 'POST', json: { distributionId, on: TODAY, lines: [{ itemId: cat.books.id, quantity: 36 }] } });
    expect(overReturn.status).toBe(409);
    await expectBalancesTieOut(h);
  });
});

describe('gift packages draw their contents from stock', () => {
  const packageTypeId = '11111111-2222-4333-8444-555555555555';
  it('drawPackageContents posts a distribution of the contents, all or nothing, once per package unit', async () => {
    await setPackageTypeItems(h.db, h.demo.orgId, packageTypeId, [
      { itemId: cat.books.id, quantity: 10 },
      { itemId: cat.rice.id, quantity: 5 },
    ]);
    const child = await createCase(h, 'admin', { locationId: h.demo.locations.tienHung });
    const booksBefore = (await balance(h, cat.books.id, office)).quantity;
    const riceBefore = (await balance(h, cat.rice.id, office)).quantity;
    const unitId = crypto.randomUUID();
    const at = new Date('2026-09-20T03:00:00Z');
    const r = await drawPackageContents(h.db, h.demo.orgId, { packageTypeId, locationId: office, caseId: child.id, packageUnitId: unitId, at });
    expect(r.duplicate).toBe(false);
    expect(r.lines).toEqual(expect.arrayContaining([{ itemId: cat.books.id, quantity: 10 }, { itemId: cat.rice.id, quantity: 5 }]));
    expect((await balance(h, cat.books.id, office)).quantity).toBe(booksBefore - 10);
    expect((await balance(h, cat.rice.id, office)).quantity).toBe(riceBefore - 5);
    const again = await drawPackageContents(h.db, h.demo.orgId, { packageTypeId, locationId: office, caseId: child.id, packageUnitId: unitId, at });
    expect(again).toMatchObject({ duplicate: true, distributionId: r.distributionId });
    expect((await balance(h, cat.books.id, office)).quantity).toBe(booksBefore - 10);

    // 100 packages need 500 kg of rice: refused as a whole, the books stay too.
    const err = await drawPackageContents(h.db, h.demo.orgId, { packageTypeId, locationId: office, quantity: 100, at }).catch((e) => e);
    expect(err).toMatchObject({ status: 409 });
    expect(String(err.detail)).toMatch(/Gạo/);
    expect((await balance(h, cat.books.id, office)).quantity).toBe(booksBefore - 10);

    const api = await h.request(`${API}/package-types/${packageTypeId}/draw`, { as: 'coordinator', method: 'POST', json: { locationId: office, quantity: 100 } });
    expect(api.status).toBe(409);
    await expectBalancesTieOut(h);
  });
});

describe('reports tie out to movements', () => {
  it('the value distributed in a period equals the sum of distribute movements in it', async () => {
    const r = await flowReport(h.db, h.demo.orgId, { from: TODAY, to: TODAY });
    const [sum] = await queryRows<{ v: string; q: string }>(h.db, sql`select coalesce(-sum(value_minor),0) as v, coalesce(-sum(quantity),0) as q from stock_movements where org_id = ${h.demo.orgId} and kind = 'distribute'`);
    expect(r.totals.distributedValueMinor).toBe(BigInt(sum!.v));
    expect(r.totals.distributedValueMinor).toBeGreaterThan(0n);
    expect(r.lines.reduce((s, l) => s + l.distributedQty, 0)).toBe(Number(sum!.q));
    const shirts = r.lines.find((l) => l.itemId === cat.shirts.id)!;
    expect(shirts).toMatchObject({ receivedQty: 50, distributedQty: 50, distributedValueMinor: 50n * 120_000n });
    const rice = r.lines.find((l) => l.itemId === cat.rice.id)!;
    expect(rice).toMatchObject({ writtenOffQty: 5, writtenOffValueMinor: 90_000n });
    const empty = await flowReport(h.db, h.demo.orgId, { from: '2026-01-01', to: '2026-09-19' });
    expect(empty.lines).toEqual([]);
  });

  it('CSV: UTF-8 BOM, formula-safe; stock by location and category', async () => {
    const csv = await h.request(`${API}/reports/flow?from=${TODAY}&to=${TODAY}&format=csv`, { as: 'viewer' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    await h.request(`${API}/items`, { as: 'admin', method: 'POST', json: { nameVi: '=HYPERLINK("http://x")', category: 'other', unit: 'piece' } }).then(async (r) => {
      const item = (await r.json()) as { id: string };
      await receive(h, office, [{ itemId: item.id, quantity: 1 }]);
    });
    const stock = await (await h.request(`${API}/stock.csv`, { as: 'viewer' })).text();
    expect(stock).toContain(`'=HYPERLINK`);
    expect(stock).toContain('Văn phòng Trung tâm');
    const json = (await (await h.request(`${API}/stock`, { as: 'viewer' })).json()) as { byCategory: { locationName: string; category: string; quantity: number; valueMinor: number }[] };
    const food = json.byCategory.find((b) => b.category === 'food' && b.locationName === 'Văn phòng Trung tâm')!;
    expect(food.quantity).toBe((await balance(h, cat.rice.id, office)).quantity);
    expect(food.valueMinor).toBe(Number((await balance(h, cat.rice.id, office)).valueMinor));
  });
});

describe('who may do what', () => {
  it('viewers read, only admins and coordinators move goods, other organisations see nothing', async () => {
    expect((await h.request(`${API}/stock`)).status).toBe(401);
    expect((await h.request(`${API}/stock`, { as: 'viewer' })).status).toBe(200);
    expect((await h.request(`${API}/stock`, { as: 'caseworker' })).status).toBe(403);
    expect((await h.request(`${API}/stock`, { as: 'otherAdmin' })).status).toBe(404);
    const body = { kind: 'event', locationId: office, distributedOn: TODAY, eventName: 'X', headcount: 1, lines: [{ itemId: cat.books.id, quantity: 1 }] };
    expect((await h.request(`${API}/distributions`, { as: 'viewer', method: 'POST', json: body })).status).toBe(403);
    expect((await h.request(`${API}/distributions`, { as: 'finance', method: 'POST', json: body })).status).toBe(403);
    expect((await h.request(`${API}/settings`, { as: 'coordinator', method: 'PUT', json: { ackStatesValue: true } })).status).toBe(403);
    // Another organisation's admin cannot use this organisation's items or offices in its own org.
    const foreign = await h.request(`/api/v1/orgs/quang-ninh/inkind/distributions`, { as: 'otherAdmin', method: 'POST', json: body });
    expect(foreign.status).toBe(400);
    const paths = ((await foreign.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(['lines.0.itemId', 'locationId']);
    const q = await h.db.select().from(stockMovements).where(and(eq(stockMovements.orgId, h.demo.otherOrgId)));
    expect(q).toEqual([]);
  });
});

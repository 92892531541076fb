import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { API, balance, expectBalancesTieOut, makeCatalogue, receive, TODAY, type Catalogue } from './support';
import { stockMovements } from '../../src/db/schema';

let h: Harness;
let cat: Catalogue;
let office: string;
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-20T03:00:00Z' });
  cat = await makeCatalogue(h);
  office = h.demo.locations.leChanOffice;
  await receive(h, office, [
    { itemId: cat.rice.id, quantity: 100 },
    { itemId: cat.books.id, quantity: 50 },
    { itemId: cat.toys.id, quantity: 10 },
  ]);
});
afterAll(() => h?.close());

type CountJson = { id: string; status: string; lines: { itemId: string; expectedQuantity: number; countedQuantity: number | null }[]; proposal: { itemId: string; difference: number }[] };

describe('stock count', () => {
  it('lists every item with stock, proposes the differences and posts exactly those adjustments once', async () => {
    const started = await h.request(`${API}/counts`, { as: 'coordinator', method: 'POST', json: { locationId: office } });
    expect(started.status).toBe(201);
    const count = (await started.json()) as CountJson;
    expect(count.lines.map((l) => [l.itemId, l.expectedQuantity]).sort()).toEqual(
      [
        [cat.rice.id, 100],
        [cat.books.id, 50],
        [cat.toys.id, 10],
      ].sort(),
    );
    const early = await h.request(`${API}/counts/${count.id}/confirm`, { as: 'coordinator', method: 'POST', json: {} });
    expect(early.status).toBe(400);

    const entered = await h.request(`${API}/counts/${count.id}/lines`, {
      as: 'coordinator',
      method: 'PUT',
      json: {
        lines: [
          { itemId: cat.rice.id, countedQuantity: 97 },
          { itemId: cat.books.id, countedQuantity: 50 },
          { itemId: cat.toys.id, countedQuantity: 12 },
          { itemId: cat.shirts.id, countedQuantity: 4 },
        ],
      },
    });
    expect(entered.status).toBe(200);
    const proposal = ((await entered.json()) as CountJson).proposal.map((p) => [p.itemId, p.difference]).sort();
    expect(proposal).toEqual(
      [
        [cat.rice.id, -3],
        [cat.toys.id, 2],
        [cat.shirts.id, 4],
      ].sort(),
    );
    const before = (await h.db.select().from(stockMovements)).length;
    const confirmed = await h.request(`${API}/counts/${count.id}/confirm`, { as: 'coordinator', method: 'POST', json: {} });
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    const posted = await h.db.select().from(stockMovements).where(eq(stockMovements.countId, count.id));
    expect(posted.length).toBe((await h.db.select().from(stockMovements)).length - before);
    expect(posted.map((m) => [m.itemId, m.quantity, m.kind, m.reason]).sort()).toEqual(
      [
        [cat.rice.id, -3, 'adjust', 'count_correction'],
        [cat.toys.id, 2, 'adjust', 'count_correction'],
        [cat.shirts.id, 4, 'adjust', 'count_correction'],
      ].sort(),
    );
    expect((await balance(h, cat.rice.id, office)).quantity).toBe(97);
    expect((await balance(h, cat.toys.id, office)).quantity).toBe(12);
    // Found shirts are valued at the catalogue's fair value.
    expect(await balance(h, cat.shirts.id, office)).toEqual({ quantity: 4, valueMinor: 480_000n });
    const twice = await h.request(`${API}/counts/${count.id}/confirm`, { as: 'coordinator', method: 'POST', json: {} });
    expect(twice.status).toBe(409);
    expect((await h.db.select().from(stockMovements).where(eq(stockMovements.countId, count.id))).length).toBe(3);
    await expectBalancesTieOut(h);
  });

  it('refuses to confirm when stock moved after the count started, and posts nothing', async () => {
    const count = (await (await h.request(`${API}/counts`, { as: 'coordinator', method: 'POST', json: { locationId: office } })).json()) as CountJson;
    await h.request(`${API}/counts/${count.id}/lines`, { as: 'coordinator', method: 'PUT', json: { lines: count.lines.map((l) => ({ itemId: l.itemId, countedQuantity: Math.max(0, l.expectedQuantity - 1) })) } });
    const moved = await h.request(`${API}/distributions`, { as: 'coordinator', method: 'POST', json: { kind: 'event', locationId: office, distributedOn: TODAY, eventName: 'Sinh hoạt hè', headcount: 10, lines: [{ itemId: cat.books.id, quantity: 10 }] } });
    expect(moved.status).toBe(201);
    const res = await h.request(`${API}/counts/${count.id}/confirm`, { as: 'coordinator', method: 'POST', json: {} });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/moved after the count started/);
    expect((await h.db.select().from(stockMovements).where(eq(stockMovements.countId, count.id))).length).toBe(0);
    const still = (await (await h.request(`${API}/counts/${count.id}`, { as: 'viewer' })).json()) as CountJson;
    expect(still.status).toBe('open');
    expect((await h.request(`${API}/counts/${count.id}/cancel`, { as: 'coordinator', method: 'POST', json: {} })).status).toBe(200);
    expect((await h.request(`${API}/counts/${count.id}`, { as: 'otherAdmin' })).status).toBe(404);
  });

  it('a count at a place that is not an office, or with a negative quantity, is refused with field errors', async () => {
    const res = await h.request(`${API}/counts`, { as: 'coordinator', method: 'POST', json: { locationId: h.demo.locations.province } });
    expect(res.status).toBe(400);
    const count = (await (await h.request(`${API}/counts`, { as: 'coordinator', method: 'POST', json: { locationId: office } })).json()) as CountJson;
    const bad = await h.request(`${API}/counts/${count.id}/lines`, { as: 'coordinator', method: 'PUT', json: { lines: [{ itemId: cat.rice.id, countedQuantity: -1 }] } });
    expect(bad.status).toBe(400);
  });
});

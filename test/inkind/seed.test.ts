import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { seedCases, seedInkind } from '../../src/demo/seed';
import { inkindDistributions } from '../../src/db/schema';
import { flowReport, stockOnHand } from '../../src/inkind/reports';
import { expectBalancesTieOut } from './support';

let h: Harness;
let seeded: Awaited<ReturnType<typeof seedInkind>>;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
  await seedCases(h.db, h.demo);
  seeded = await seedInkind(h.db, h.demo);
});
afterAll(() => h?.close());

describe('demo in-kind data', () => {
  it('holds the 300 white school shirts, all given at the school-year opening in Tiên Hưng (headcount 300)', async () => {
    const [event] = await h.db.select().from(inkindDistributions).where(and(eq(inkindDistributions.orgId, h.demo.orgId), eq(inkindDistributions.kind, 'event')));
    expect(event).toMatchObject({ headcount: 300, distributedOn: '2026-09-05', placeLocationId: h.demo.locations.tienHung });
    const r = await flowReport(h.db, h.demo.orgId, { from: '2026-08-01', to: '2026-09-30' });
    expect(r.lines.find((l) => l.itemId === seeded.items.shirts)).toMatchObject({ receivedQty: 300, distributedQty: 300, receivedValueMinor: 36_000_000n, distributedValueMinor: 36_000_000n });
    const stock = await stockOnHand(h.db, h.demo.orgId);
    expect(stock.find((s) => s.itemId === seeded.items.shirts)).toBeUndefined();
  });

  it('has toys partly distributed to cases, rice and books in stock at the centre office', async () => {
    expect(seeded.casesGivenToys).toBeGreaterThan(0);
    const byCase = await h.db.select().from(inkindDistributions).where(and(eq(inkindDistributions.orgId, h.demo.orgId), eq(inkindDistributions.kind, 'case')));
    expect(byCase.length).toBe(seeded.casesGivenToys);
    const stock = await stockOnHand(h.db, h.demo.orgId, { locationId: h.demo.locations.centreOffice });
    const qty = (id: string) => stock.find((s) => s.itemId === id)?.quantity ?? 0;
    expect(qty(seeded.items.toys)).toBeGreaterThan(0);
    expect(qty(seeded.items.toys)).toBeLessThan(40);
    expect(qty(seeded.items.rice)).toBe(475);
    expect(qty(seeded.items.books)).toBe(1000);
    await expectBalancesTieOut(h);
  });
});

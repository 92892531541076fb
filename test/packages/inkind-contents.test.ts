import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { inkindDistributions, packageUnits } from '../../src/db/schema';
import { listDriveUnits } from '../../src/packages/drives';
import { autoMatchDrive, } from '../../src/packages/matching';
import { undoDelivery } from '../../src/packages/delivery';
import { createItem, quantityOnHand, recordIntake, setPackageTypeItems } from '../../src/inkind/stock';
import { API, fund, makeCase, makeDrive } from './support';

/** A gift package made of goods: delivering it draws its contents from stock; undoing puts them back. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-25T12:00:00Z' });
});
afterAll(() => h?.close());

const orgId = () => h.demo.orgId;

describe('gift packages made of goods in stock', () => {
  it('delivery draws each package’s contents; short stock refuses the whole batch; undo returns the goods', async () => {
    const ctx = { now: h.clock.now() };
    const office = h.demo.locations.centreOffice;
    const mooncake = await createItem(h.db, orgId(), { nameVi: 'Hộp bánh trung thu', nameEn: 'Box of mooncakes', category: 'food', unit: 'box', unitValueMinor: 150_000n, valuationSource: 'market_survey' });
    const lantern = await createItem(h.db, orgId(), { nameVi: 'Đèn ông sao', nameEn: 'Star lantern', category: 'toys', unit: 'piece', unitValueMinor: 50_000n, valuationSource: 'market_survey' });
    await recordIntake(h.db, orgId(), { anonymous: true, receivedOn: '2026-09-20', locationId: office, lines: [{ itemId: mooncake.id, quantity: 3, condition: 'new' }, { itemId: lantern.id, quantity: 10, condition: 'new' }] }, ctx);

    const drive = await makeDrive(h);
    await setPackageTypeItems(h.db, orgId(), drive.packageTypeId, [{ itemId: mooncake.id, quantity: 1 }, { itemId: lantern.id, quantity: 2 }]);
    await fund(h, drive, 4);
    for (let i = 0; i < 4; i++) await makeCase(h, { tag: `K${i}`, birthYear: 2014 + i });
    await autoMatchDrive(h.db, orgId(), drive.id, { actorId: null, now: h.clock.now() });
    const matched = (await listDriveUnits(h.db, orgId(), drive.id, { status: 'matched', limit: 10 })).items.map((u) => u.id);
    expect(matched).toHaveLength(4);

    const deliver = (unitIds: string[]) =>
      h.request(`${API}/package-drives/${drive.id}/deliveries`, { as: 'coordinator', method: 'POST', json: { unitIds, deliveredOn: '2026-09-25', place: 'Nhà văn hóa xã Tiên Hưng', staff: 'Cán bộ CTXH' } });

    // Four packages need four boxes of mooncakes; three are in stock: nothing is delivered.
    const short = await deliver(matched);
    expect(short.status).toBe(409);
    expect(await short.text()).toMatch(/Hộp bánh trung thu|Box of mooncakes/);
    expect((await listDriveUnits(h.db, orgId(), drive.id, { status: 'delivered', limit: 10 })).items).toHaveLength(0);
    expect(await quantityOnHand(h.db, orgId(), mooncake.id, office)).toBe(3);

    const ok = await deliver(matched.slice(0, 3));
    expect(ok.status).toBe(201);
    expect(await quantityOnHand(h.db, orgId(), mooncake.id, office)).toBe(0);
    expect(await quantityOnHand(h.db, orgId(), lantern.id, office)).toBe(4);
    const draws = await h.db.select().from(inkindDistributions).where(and(eq(inkindDistributions.orgId, orgId()), eq(inkindDistributions.kind, 'package')));
    expect(draws).toHaveLength(3);
    const [unit] = await h.db.select().from(packageUnits).where(eq(packageUnits.id, matched[0]!));
    expect(draws.find((d) => d.packageUnitId === unit!.id)?.caseId).toBe(unit!.caseId);

    await undoDelivery(h.db, orgId(), { unitId: matched[0]!, reason: 'Trao nhầm', actorId: null, now: h.clock.now() });
    expect(await quantityOnHand(h.db, orgId(), mooncake.id, office)).toBe(1);
    expect(await quantityOnHand(h.db, orgId(), lantern.id, office)).toBe(6);
  });
});

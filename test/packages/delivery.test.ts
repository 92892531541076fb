import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { caseIdentities, outbox, packageUnitEvents, packageUnits } from '../../src/db/schema';
import { queryRows } from '../../src/db/types';
import { createDonor } from '../../src/donors/donors';
import { fundAccountTotals } from '../../src/giving/ledger';
import { driveFunding, listDriveUnits, type PackageDrive } from '../../src/packages/drives';
import { autoMatchDrive } from '../../src/packages/matching';
import { deliverUnits, undoDelivery } from '../../src/packages/delivery';
import { sendDeliveryDigests } from '../../src/packages/digest';
import { runScheduledJobs } from '../../src/jobs';
import { HOUR } from '../../src/lib/clock';
import { API, fund, makeCase, makeDrive } from './support';

let h: Harness;
// 25 Sep 2026, 19:00 in Hải Phòng.
const FESTIVAL = '2026-09-25T12:00:00Z';
beforeAll(async () => {
  h = await createHarness({ now: FESTIVAL });
});
afterAll(() => h?.close());

const orgId = () => h.demo.orgId;
const unitsOf = async (drive: PackageDrive, status: 'funded' | 'matched' | 'delivered') => (await listDriveUnits(h.db, orgId(), drive.id, { status, limit: 500 })).items.map((u) => u.id);
const deliverNow = async (drive: PackageDrive, unitIds: string[], deliveredOn: string) =>
  deliverUnits(h.db, orgId(), { driveId: drive.id, unitIds, deliveredOn, place: 'Nhà văn hóa phường Thủy Nguyên', staff: 'CTXH', actorId: null, now: h.clock.now(), today: deliveredOn });
const deliver = (drive: PackageDrive, unitIds: string[], deliveredOn = '2026-09-25') =>
  h.request(`${API}/package-drives/${drive.id}/deliveries`, { as: 'coordinator', method: 'POST', json: { unitIds, deliveredOn, place: 'Nhà văn hóa xã Tiên Hưng', staff: 'Cán bộ CTXH', note: 'Đêm hội Trung thu' } });

describe('delivery', () => {
  it('delivers a batch, moving each unit from the drive fund to programme expense; a batch with an unmatched unit records nothing', async () => {
    h.clock.set(FESTIVAL);
    const drive = await makeDrive(h);
    await fund(h, drive, 4);
    for (let i = 0; i < 3; i++) await makeCase(h, { tag: `D${i}`, birthYear: 2014 + i });
    await autoMatchDrive(h.db, orgId(), drive.id, { actorId: null, now: h.clock.now() });
    const matched = await unitsOf(drive, 'matched');
    const [funded] = await unitsOf(drive, 'funded');
    expect(matched).toHaveLength(3);

    const mixed = await deliver(drive, [...matched, funded!]);
    expect(mixed.status).toBe(409);
    expect(await unitsOf(drive, 'delivered')).toHaveLength(0);

    const future = await deliver(drive, matched, '2026-12-01');
    expect(future.status).toBe(400);

    const ok = await deliver(drive, matched);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ delivered: 3 });
    const totals = await fundAccountTotals(h.db, orgId(), drive.fundId);
    expect(totals.find((t) => t.account === 'programme_expense')?.total).toBe(1_500_000n);
    const f = await driveFunding(h.db, drive);
    expect(f).toMatchObject({ delivered: 3, funded: 1, balanceMinor: 500_000n, committedMinor: 500_000n, surplusMinor: 0n });
    // Delivering the same units again is a conflict, not a second expense.
    expect((await deliver(drive, matched)).status).toBe(409);
    expect((await fundAccountTotals(h.db, orgId(), drive.fundId)).find((t) => t.account === 'programme_expense')?.total).toBe(1_500_000n);
  });

  it('undoes a delivery within 24 hours with a reason (new event, reversing entry), not after', async () => {
    h.clock.set(FESTIVAL);
    const drive = await makeDrive(h, { locationIds: [h.demo.locations.leChan] });
    await fund(h, drive, 2);
    await makeCase(h, { tag: 'UN1', locationId: h.demo.locations.leChan });
    await makeCase(h, { tag: 'UN2', locationId: h.demo.locations.leChan });
    await autoMatchDrive(h.db, orgId(), drive.id, { actorId: null, now: h.clock.now() });
    const [a, b] = await unitsOf(drive, 'matched');
    expect((await deliver(drive, [a!, b!])).status).toBe(201);
    const undo = (id: string, reason?: string) => h.request(`${API}/package-units/${id}/undo-delivery`, { as: 'coordinator', method: 'POST', json: reason === undefined ? {} : { reason } });

    expect((await undo(a!)).status).toBe(400);
    h.clock.advance(23 * HOUR);
    const ok = await undo(a!, 'Recorded for the wrong child; the family was not there');
    expect(ok.status).toBe(200);
    const [row] = await h.db.select().from(packageUnits).where(eq(packageUnits.id, a!));
    expect(row).toMatchObject({ status: 'matched', deliveredAt: null, deliveryId: null });
    const events = await h.db.select().from(packageUnitEvents).where(eq(packageUnitEvents.unitId, a!));
    expect(events.map((e) => e.kind)).toEqual(['funded', 'matched', 'delivered', 'delivery_undone']);
    expect((await fundAccountTotals(h.db, orgId(), drive.fundId)).find((t) => t.account === 'programme_expense')?.total).toBe(500_000n);
    const postings = await queryRows<{ kind: string; n: number }>(h.db, sql`select p.kind, count(*)::int as n from ledger_postings p join ledger_entries e on e.posting_id = p.id where e.fund_id = ${drive.fundId} and p.kind like 'package_delivery%' group by p.kind order by p.kind`);
    expect(postings).toEqual([
      { kind: 'package_delivery', n: 4 },
      { kind: 'package_delivery_undone', n: 2 },
    ]);
    // The second unit is now more than 24 hours old (straight to the module: the test session has expired too).
    h.clock.advance(2 * HOUR);
    await expect(undoDelivery(h.db, orgId(), { unitId: b!, reason: 'changed my mind', actorId: null, now: h.clock.now() })).rejects.toMatchObject({ status: 409, detail: expect.stringMatching(/24 hours/) });
    // Events are append-only.
    await expect(h.db.execute(sql`delete from package_unit_events where unit_id = ${a}`)).rejects.toThrow();
  });
});

describe('reporting back to donors', () => {
  it('sends one digest per donor per delivery day, after the day ends, with every unit of that day and nothing that identifies a child', async () => {
    h.clock.set('2026-10-10T02:00:00Z'); // 09:00 in Hải Phòng
    const drive = await makeDrive(h, { locationIds: [h.demo.locations.thuyNguyen], title: 'Quà Thủy Nguyên' });
    const donor = await createDonor(h.db, orgId(), { name: 'Nguyễn Thị Nhà Hảo Tâm', email: 'nhahaotam@example.org', locale: 'vi' });
    const english = await createDonor(h.db, orgId(), { name: 'Jane Donor', email: 'jane@example.com', locale: 'en' });
    await fund(h, drive, 3, donor);
    await fund(h, drive, 1, english);
    const children = [];
    for (let i = 0; i < 4; i++) children.push(await makeCase(h, { tag: `DG${i}`, birthYear: 2012 + i, locationId: h.demo.locations.thuyNguyen }));
    await autoMatchDrive(h.db, orgId(), drive.id, { actorId: null, now: h.clock.now() });
    const matched = await unitsOf(drive, 'matched');
    expect(matched).toHaveLength(4);
    const donorOf = async (id: string) => (await queryRows<{ donor_id: string }>(h.db, sql`select g.donor_id from package_units u join donations g on g.id = u.donation_id where u.id = ${id}`))[0]!.donor_id;
    const mine: string[] = [];
    let janes = '';
    for (const id of matched) (await donorOf(id)) === donor.id ? mine.push(id) : (janes = id);

    // Morning: two of the donor's units. Afternoon, same day: the third, and Jane's.
    await deliverNow(drive, mine.slice(0, 2), '2026-10-10');
    expect((await sendDeliveryDigests(h.db, { clock: h.clock, appUrl: 'http://localhost:8787' })).digests).toBe(0);
    h.clock.set('2026-10-10T09:00:00Z'); // 16:00
    await deliverNow(drive, [mine[2]!, janes], '2026-10-10');
    h.clock.set('2026-10-10T16:30:00Z'); // 23:30: the day has not ended in Vietnam
    expect((await sendDeliveryDigests(h.db, { clock: h.clock, appUrl: 'http://localhost:8787' })).digests).toBe(0);

    h.clock.set('2026-10-10T17:05:00Z'); // 00:05 on 11 October in Hải Phòng: the scheduled job runs
    await runScheduledJobs(h.deps);
    await runScheduledJobs(h.deps);
    const mails = await h.db.select().from(outbox).where(like(outbox.dedupeKey, 'delivery-digest:%'));
    const forDonor = mails.filter((m) => m.toAddress === 'nhahaotam@example.org');
    expect(forDonor).toHaveLength(1);
    expect(forDonor[0]!.dedupeKey).toBe(`delivery-digest:${donor.id}:2026-10-10`);
    const vi = forDonor[0]!;
    expect(vi.subject).toBe('3 suất quà bạn ủng hộ đã được trao');
    expect(vi.text.match(/đã trao ngày 10\/10\/2026 cho một em trong độ tuổi (6-10|11-15) tại Thành phố Hải Phòng/g)).toHaveLength(3);
    const en = mails.find((m) => m.toAddress === 'jane@example.com')!;
    expect(en.subject).toBe('Your gift package has been delivered');
    expect(en.text).toMatch(/Mid-Autumn gift \(Mooncakes, a lantern, notebooks\): handed over on 10\/10\/2026 to a child aged (6-10|11-15) in Thành phố Hải Phòng/);

    // No name, exact age, birth date, address, commune or ward, case code or place of the hand-over.
    const identities = await h.db.select().from(caseIdentities);
    const forbidden = [
      ...identities.flatMap((i) => [i.fullName, i.address, i.birthDate].filter((x): x is string => !!x)),
      ...children.map((c) => c.code),
      'Thủy Nguyên',
      'Tiên Hưng',
      'Nhà văn hóa',
      'Hư Cấu',
    ];
    for (const m of [vi, en]) {
      for (const body of [m.subject, m.text, m.html]) {
        for (const f of forbidden) expect(body.includes(f), `${f} in ${m.dedupeKey}`).toBe(false);
        // No exact age: every number next to an age word is a band.
        expect(body).not.toMatch(/\b\d{1,2} (tuổi|years?)\b/);
      }
    }
    const digestsAgain = await sendDeliveryDigests(h.db, { clock: h.clock, appUrl: 'http://localhost:8787' });
    expect(digestsAgain.digests).toBe(0);
    expect((await h.db.select().from(outbox).where(and(eq(outbox.toAddress, 'nhahaotam@example.org'), like(outbox.dedupeKey, 'delivery-digest:%')))).length).toBe(1);
  });
});

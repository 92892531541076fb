import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { seedCases, seedGiving, seedPackages } from '../../src/demo/seed';
import { queryRows } from '../../src/db/types';
import { driveFunding, getDrive } from '../../src/packages/drives';
import { fundAccountTotals } from '../../src/giving/ledger';

let h: Harness;
let ids: Awaited<ReturnType<typeof seedPackages>>;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
  await seedCases(h.db, h.demo);
  await seedGiving(h.db, h.demo);
  ids = await seedPackages(h.db, h.demo);
});
afterAll(() => h?.close());

describe('the demo gift packages', () => {
  it('delivers "Trung thu 2026 — 25 × 500,000 đ, Tiên Hưng" in full to 25 different open cases in Tiên Hưng', async () => {
    const drive = await getDrive(h.db, h.demo.orgId, ids.moonDriveId);
    expect(drive.targetCount).toBe(25);
    expect(drive.unitValueMinor).toBe(500_000n);
    const f = await driveFunding(h.db, drive);
    expect(f).toMatchObject({ delivered: 25, funded: 0, matched: 0, cancelled: 0, active: 25, shortfallUnits: 0, overTargetUnits: 0 });
    const rows = await queryRows<{ case_id: string; status: string; path: string; donor: string }>(
      h.db,
      sql`select u.case_id, c.status, l.path, d.name as donor from package_units u join cases c on c.id = u.case_id
          join locations l on l.id = c.location_id join donations g on g.id = u.donation_id join donors d on d.id = g.donor_id
          where u.drive_id = ${drive.id}`,
    );
    expect(new Set(rows.map((r) => r.case_id)).size).toBe(25);
    const [tienHung] = await queryRows<{ path: string }>(h.db, sql`select path from locations where id = ${h.demo.locations.tienHung}`);
    expect(rows.every((r) => r.path.startsWith(tienHung!.path) && r.status !== 'closed')).toBe(true);
    // Funded by the civil-servant group and others.
    expect(rows.filter((r) => r.donor === 'Nhóm công chức thiện nguyện').length).toBe(24);
    expect(new Set(rows.map((r) => r.donor)).size).toBeGreaterThan(1);
    // 12,500,000 đ moved to programme expense; nothing left waiting in the drive's fund.
    const totals = await fundAccountTotals(h.db, h.demo.orgId, drive.fundId);
    expect(totals.find((t) => t.account === 'programme_expense')?.total).toBe(12_500_000n);
    expect(f.balanceMinor).toBe(0n);
  });

  it('has the "20 × 1,000,000 đ" drive partly matched: 20 funded, 12 matched, 5 delivered', async () => {
    const drive = await getDrive(h.db, h.demo.orgId, ids.supportDriveId);
    const f = await driveFunding(h.db, drive);
    expect(f).toMatchObject({ target: 20, active: 20, funded: 8, matched: 7, delivered: 5 });
    expect(f.balanceMinor).toBe(15_000_000n);
    expect(f.committedMinor).toBe(15_000_000n);
    expect(f.surplusMinor).toBe(0n);
    const cats = await queryRows<{ categories: string[] }>(h.db, sql`select c.categories from package_units u join cases c on c.id = u.case_id where u.drive_id = ${drive.id}`);
    expect(cats.length).toBe(12);
    expect(cats.every((c) => c.categories.includes('autism_developmental') || c.categories.includes('hiv_affected'))).toBe(true);
  });

  it('left one delivery digest per donor and day in the outbox, without names', async () => {
    const mails = await queryRows<{ dedupe_key: string; text: string; to_address: string }>(h.db, sql`select dedupe_key, text, to_address from outbox where template = 'package_delivery_digest' order by dedupe_key`);
    const keys = mails.map((m) => m.dedupe_key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(mails.some((m) => m.to_address === 'nhomcongchuc@thiennguyen.example' && m.text.includes('24 suất quà'))).toBe(true);
    for (const m of mails) {
      expect(m.text).not.toMatch(/Hư Cấu|Tiên Hưng|HP-20\d\d-/);
    }
  });
});

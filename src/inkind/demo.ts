import { and, asc, eq, ne } from 'drizzle-orm';
import { cases } from '../db/schema';
import type { Db } from '../db/types';
import type { DemoFoundation } from '../demo/seed';
import { createDonor } from '../donors/donors';
import { adjustStock, createItem, recordDistribution, recordIntake, setInkindSettings, transferStock } from './stock';

/**
 * Demo in-kind data for Hải Phòng (shared/DOMAIN.md): 300 white school shirts given by a
 * company and handed out at the school-year opening in Tiên Hưng commune (headcount 300),
 * toys received and partly given to children's cases, rice and exercise books in stock at the
 * centre office. Dates are fixed in 2026; validation runs "as of" the end of September 2026.
 */
export async function seedInkind(db: Db, f: DemoFoundation) {
  const orgId = f.orgId;
  const ctx = { now: new Date('2026-09-30T10:00:00+07:00') };
  await setInkindSettings(db, orgId, { ackStatesValue: false });

  const shirts = await createItem(db, orgId, { nameVi: 'Áo sơ mi trắng học sinh', nameEn: 'White school shirt', category: 'clothing', unit: 'piece', unitValueMinor: 120_000n, valuationSource: 'donor_invoice' });
  const toys = await createItem(db, orgId, { nameVi: 'Đồ chơi xếp hình', nameEn: 'Building-block toy set', category: 'toys', unit: 'set', unitValueMinor: 150_000n, valuationSource: 'market_survey' });
  const dolls = await createItem(db, orgId, { nameVi: 'Gấu bông', nameEn: 'Teddy bear', category: 'toys', unit: 'piece', unitValueMinor: 80_000n, valuationSource: 'staff_estimate' });
  const rice = await createItem(db, orgId, { nameVi: 'Gạo tẻ', nameEn: 'Rice', category: 'food', unit: 'kg', unitValueMinor: 18_000n, valuationSource: 'market_survey' });
  const books = await createItem(db, orgId, { nameVi: 'Vở ô li 96 trang', nameEn: 'Exercise book, 96 pages', category: 'school_supplies', unit: 'book', unitValueMinor: 9_000n, valuationSource: 'market_survey' });
  await createItem(db, orgId, { nameVi: 'Bàn chải và kem đánh răng', nameEn: 'Toothbrush and toothpaste', category: 'hygiene', unit: 'set', unitValueMinor: 30_000n, valuationSource: 'staff_estimate' });

  const garment = await createDonor(db, orgId, { kind: 'organisation', name: 'Công ty CP May Tiên Lãng (demo)', email: 'thiennguyen@maytienlang.example', tags: ['hiện vật', 'doanh nghiệp'], emailConsent: true });
  const youth = await createDonor(db, orgId, { kind: 'group', name: 'Đoàn thanh niên phường Lê Chân (demo)', email: 'doanthanhnien.lechan@example.org', tags: ['hiện vật'] });

  const office = f.locations.centreOffice;
  const communeOffice = f.locations.tienHungOffice;

  // 300 áo sơ mi trắng: received at the centre, taken to the commune, worn at the school-year opening.
  await recordIntake(db, orgId, { donorId: garment.id, receivedOn: '2026-08-25', locationId: office, note: 'Áo sơ mi trắng cho học sinh xã Tiên Hưng', lines: [{ itemId: shirts.id, quantity: 300, condition: 'new' }] }, ctx);
  await transferStock(db, orgId, { fromLocationId: office, toLocationId: communeOffice, on: '2026-09-01', lines: [{ itemId: shirts.id, quantity: 300 }] }, ctx);
  await recordDistribution(
    db,
    orgId,
    { kind: 'event', locationId: communeOffice, distributedOn: '2026-09-05', eventName: 'Lễ khai giảng năm học 2026–2027', headcount: 300, placeLocationId: f.locations.tienHung, place: 'Trường Tiểu học Tiên Hưng', lines: [{ itemId: shirts.id, quantity: 300 }] },
    ctx,
  );

  // Toys: received from the youth union, partly given to children's cases.
  await recordIntake(db, orgId, { donorId: youth.id, receivedOn: '2026-09-10', locationId: office, lines: [{ itemId: toys.id, quantity: 40, condition: 'new' }, { itemId: dolls.id, quantity: 25, condition: 'good' }] }, ctx);
  const open = await db
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.orgId, orgId), ne(cases.status, 'closed')))
    .orderBy(asc(cases.code))
    .limit(12);
  for (const [i, c] of open.entries()) {
    await recordDistribution(db, orgId, { kind: 'case', caseId: c.id, locationId: office, distributedOn: '2026-09-20', lines: [{ itemId: i % 2 === 0 ? toys.id : dolls.id, quantity: 1 }] }, ctx);
  }

  // Rice and exercise books in stock at the centre office (anonymous gift and a damaged sack).
  await recordIntake(db, orgId, { anonymous: true, receivedOn: '2026-09-15', locationId: office, lines: [{ itemId: rice.id, quantity: 500, condition: 'new' }, { itemId: books.id, quantity: 1_000, condition: 'new' }] }, ctx);
  await adjustStock(db, orgId, { locationId: office, on: '2026-09-25', reason: 'damaged', note: 'Một bao gạo bị ẩm mốc', lines: [{ itemId: rice.id, quantity: -25 }] }, ctx);
  return { items: { shirts: shirts.id, toys: toys.id, dolls: dolls.id, rice: rice.id, books: books.id }, casesGivenToys: open.length };
}

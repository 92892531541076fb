import type { Db } from '../db/types';
import type { Clock } from '../lib/clock';
import { addLocation, addMember, assignStaff, createOrganisation, getOrganisationBySlug, upsertUser } from '../orgs/orgs';
import type { Role } from '../db/schema';
import { seedCases } from '../cases/demo';

export { seedCases };
import { seedGiving } from '../giving/seed';
import { seedReports } from '../reports/seed';

export { seedGiving, seedReports };
import { seedInkind } from '../inkind/demo';

export { seedInkind };
import { seedPackages } from '../packages/seed';

export { seedPackages };

/**
 * Demo data modelled on the Hải Phòng centre in shared/DOMAIN.md. People are clearly
 * fictional; emails use the reserved .example domain.
 */
export const DEMO_ORG_SLUG = 'hai-phong';
export const DEMO_STAFF: { email: string; name: string; roles: Role[]; locale: 'vi' | 'en' }[] = [
  { email: 'admin@haiphong.sechia.example', name: 'Quản trị viên (demo)', roles: ['admin'], locale: 'vi' },
  { email: 'ketoan@haiphong.sechia.example', name: 'Kế toán (demo)', roles: ['finance'], locale: 'vi' },
  { email: 'dieuphoi@haiphong.sechia.example', name: 'Điều phối viên (demo)', roles: ['coordinator'], locale: 'vi' },
  { email: 'congtacxahoi@haiphong.sechia.example', name: 'Cán bộ CTXH Tiên Hưng (demo)', roles: ['caseworker'], locale: 'vi' },
  { email: 'xem@haiphong.sechia.example', name: 'Người xem (demo)', roles: ['viewer'], locale: 'en' },
];

export interface DemoFoundation {
  orgId: string;
  locations: Record<'province' | 'tienHung' | 'leChan' | 'thuyNguyen' | 'centreOffice' | 'tienHungOffice' | 'leChanOffice', string>;
  users: Record<string, string>;
  otherOrgId: string;
}

export async function seedFoundation(db: Db): Promise<DemoFoundation> {
  const org = await createOrganisation(db, {
    slug: DEMO_ORG_SLUG,
    name: 'Trung tâm Công tác xã hội và Quỹ Bảo trợ trẻ em Hải Phòng',
    shortCode: 'HP',
  });
  const province = await addLocation(db, org.id, { name: 'Thành phố Hải Phòng', kind: 'province', code: '31' });
  const tienHung = await addLocation(db, org.id, { name: 'Xã Tiên Hưng', kind: 'commune', parentId: province.id });
  const leChan = await addLocation(db, org.id, { name: 'Phường Lê Chân', kind: 'ward', parentId: province.id });
  const thuyNguyen = await addLocation(db, org.id, { name: 'Phường Thủy Nguyên', kind: 'ward', parentId: province.id });
  const centreOffice = await addLocation(db, org.id, { name: 'Văn phòng Trung tâm', kind: 'office', parentId: province.id });
  const tienHungOffice = await addLocation(db, org.id, { name: 'Điểm CTXH xã Tiên Hưng', kind: 'office', parentId: tienHung.id });
  const leChanOffice = await addLocation(db, org.id, { name: 'Điểm CTXH phường Lê Chân', kind: 'office', parentId: leChan.id });

  const users: Record<string, string> = {};
  for (const s of DEMO_STAFF) {
    const u = await upsertUser(db, { email: s.email, name: s.name, locale: s.locale });
    users[s.roles[0]!] = u.id;
    for (const r of s.roles) await addMember(db, org.id, u.id, r);
  }
  await assignStaff(db, org.id, users.caseworker!, tienHung.id);

  // A second, small centre: proves tenancy in the demo and in tests.
  const other = await createOrganisation(db, { slug: 'quang-ninh', name: 'Trung tâm Công tác xã hội Quảng Ninh', shortCode: 'QN' });
  await addLocation(db, other.id, { name: 'Tỉnh Quảng Ninh', kind: 'province', code: '22' });
  const qnAdmin = await upsertUser(db, { email: 'admin@quangninh.sechia.example', name: 'Quản trị Quảng Ninh (demo)' });
  await addMember(db, other.id, qnAdmin.id, 'admin');
  users.otherAdmin = qnAdmin.id;

  return {
    orgId: org.id,
    otherOrgId: other.id,
    users,
    locations: {
      province: province.id,
      tienHung: tienHung.id,
      leChan: leChan.id,
      thuyNguyen: thuyNguyen.id,
      centreOffice: centreOffice.id,
      tienHungOffice: tienHungOffice.id,
      leChanOffice: leChanOffice.id,
    },
  };
}

/** Seeds the demo organisation once; later capabilities extend this with their own data. */
export async function seedDemo(db: Db, clock: Clock): Promise<{ created: boolean }> {
  if (await getOrganisationBySlug(db, DEMO_ORG_SLUG)) return { created: false };
  await db.transaction(async (tx) => {
    const foundation = await seedFoundation(tx as unknown as Db);
    await seedCases(tx as unknown as Db, foundation);
    await seedGiving(tx as unknown as Db, foundation);
    await seedInkind(tx as unknown as Db, foundation);
    await seedPackages(tx as unknown as Db, foundation);
    await seedReports(tx as unknown as Db, foundation, clock.now());
  });
  return { created: true };
}

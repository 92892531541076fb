import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { campaigns, packageDrives } from '../../src/db/schema';
import { queryRows } from '../../src/db/types';
import { createDrive, listDriveUnits, type PackageDrive } from '../../src/packages/drives';
import { autoMatchDrive } from '../../src/packages/matching';
import { deliverUnits } from '../../src/packages/delivery';
import { fund, makeCase, makeDrive } from './support';
import { createCampaign } from '../../src/giving/campaigns';

// A campaign's public page shows its package drives and what they have done: packages funded and
// handed over, and how many children received one, a small number of children never as such.
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-25T12:00:00Z' });
});
afterAll(() => h?.close());

const orgId = () => h.demo.orgId;
const slugOf = async (drive: PackageDrive) => (await queryRows<{ slug: string }>(h.db, sql`select slug from campaigns where id = ${drive.campaignId}`))[0]!.slug;
const matched = async (drive: PackageDrive) => (await listDriveUnits(h.db, orgId(), drive.id, { status: 'matched', limit: 500 })).items.map((u) => u.id);
const handOver = (drive: PackageDrive, unitIds: string[]) =>
  deliverUnits(h.db, orgId(), { driveId: drive.id, unitIds, deliveredOn: '2026-09-25', place: 'Nhà văn hóa xã Tiên Hưng', staff: 'CTXH', actorId: null, now: h.clock.now(), today: '2026-09-25' });

describe("a campaign's gift packages on its public page", () => {
  it('lists each drive with packages funded and handed over, and the children reached without naming one', async () => {
    const drive = await makeDrive(h, { value: 500_000n, target: 10, title: 'Trung thu công khai' });
    const slug = await slugOf(drive);
    const path = `/c/hai-phong/${slug}`;
    // A draft drive of the same campaign is not public.
    const [type] = await queryRows<{ id: string }>(h.db, sql`select package_type_id as id from package_drives where id = ${drive.id}`);
    await createDrive(h.db, orgId(), { campaignId: drive.campaignId, packageTypeId: type!.id, titleVi: 'Đợt nháp chưa công bố', targetCount: 5, status: 'draft' });

    let html = await (await h.request(path)).text();
    expect(html).toContain('id="packages-h"');
    expect(html).toContain('Trung thu công khai');
    expect(html).toContain('0/10 suất đã có người ủng hộ · 0 suất đã trao');
    expect(html).toContain(`href="${path}/packages/${drive.id}"`);
    expect(html).not.toContain('Đợt nháp chưa công bố');
    expect(html).not.toContain('data-delivered');

    await fund(h, drive, 8);
    for (let i = 0; i < 7; i++) await makeCase(h, { tag: `PUB${i}`, birthYear: 2012 + (i % 5) });
    await autoMatchDrive(h.db, orgId(), drive.id, { actorId: null, now: h.clock.now() });
    const ready = await matched(drive);
    expect(ready.length).toBeGreaterThanOrEqual(7);
    await handOver(drive, ready.slice(0, 3));

    // A drive gives a child one package: 3 packages handed over are 3 children, so not shown as 3.
    html = await (await h.request(path)).text();
    expect(html).toContain('8/10 suất đã có người ủng hộ · dưới 5 suất đã trao');
    expect(html).toMatch(/Đã trao tận tay dưới 5 suất quà\.\s*<\/p>/);
    expect(html).not.toMatch(/\b3 (suất|trẻ em)/);
    expect(html).not.toContain('data-delivered="3"');
    expect(await (await h.request(`${path}/packages/${drive.id}`)).text()).toMatch(/8\/10<\/strong>[^·]*· dưới 5 suất đã trao/);
    expect(await (await h.request(`${path}?lang=en`)).text()).toContain('Fewer than 5 gift packages handed over.');
    expect(html).not.toContain('Hư Cấu');

    await handOver(drive, ready.slice(3, 7));
    html = await (await h.request(path)).text();
    expect(html).toMatch(/Đã trao tận tay 7 suất quà\.\s*7 trẻ em đã nhận quà\./);
    expect(html).not.toContain('Hư Cấu');
    const en = await (await h.request(`${path}?lang=en`)).text();
    expect(en).toMatch(/7 gift packages handed over\.\s*7 children have received one\./);
    expect(en).toContain('8/10 packages funded · 7 handed over');
    expect(en).toContain('Fund packages');

    // The centre's page says it on the campaign's card too.
    const centre = await (await h.request('/c/hai-phong')).text();
    const card = centre.slice(centre.indexOf(`data-campaign="${slug}"`));
    expect(card.slice(0, card.indexOf('</li>'))).toContain('Đã trao tận tay 7 suất quà.');

    // Once the campaign has ended, the drives stay as its results, with no call to fund them.
    await h.db.update(campaigns).set({ status: 'closed' }).where(eq(campaigns.id, drive.campaignId));
    const ended = await (await h.request(path)).text();
    expect(ended).toMatch(/Đã trao tận tay 7 suất quà/);
    expect(ended).toContain('Xem đợt quà');
    expect(ended).not.toContain('Ủng hộ suất quà');
  });

  it('two drives: a small count is not given away by subtraction from the total', async () => {
    const a = await makeDrive(h, { target: 10, title: 'Đợt lớn' });
    const [type] = await queryRows<{ id: string }>(h.db, sql`select package_type_id as id from package_drives where id = ${a.id}`);
    const b = await createDrive(h.db, orgId(), { campaignId: a.campaignId, packageTypeId: type!.id, titleVi: 'Đợt nhỏ', targetCount: 5, eligibility: { locationIds: [h.demo.locations.tienHung] } });
    await fund(h, a, 7);
    await fund(h, b, 2);
    for (let i = 0; i < 9; i++) await makeCase(h, { tag: `TWO${i}`, birthYear: 2011 + (i % 6) });
    for (const d of [a, b]) await autoMatchDrive(h.db, orgId(), d.id, { actorId: null, now: h.clock.now() });
    await handOver(a, (await matched(a)).slice(0, 7));
    await handOver(b, (await matched(b)).slice(0, 2));
    const path = `/c/hai-phong/${await slugOf(a)}`;
    const html = await (await h.request(path)).text();
    const card = (id: string) => {
      const at = html.slice(html.indexOf(`data-drive="${id}"`));
      return at.slice(0, at.indexOf('</li>'));
    };
    expect(card(b.id)).toContain('· dưới 5 suất đã trao');
    // 9 in all and 7 in the big drive would give the small one away: the big one is hidden too.
    expect(card(a.id)).toContain('· * suất đã trao');
    expect(html).toContain('Đã trao tận tay 9 suất quà.');
    expect(html).toContain('* Ẩn để không suy ra được một số dưới 5 từ tổng.');
    // The big drive's own page hides it the same way.
    expect(await (await h.request(`${path}/packages/${a.id}`)).text()).toContain('· * suất đã trao');
  });

  it('a campaign without drives shows no package section', async () => {
    await createCampaign(h.db, orgId(), { slug: 'khong-co-dot-qua', title: 'Không có đợt quà', goalMinor: 1_000_000n, currency: 'VND', status: 'active' });
    expect(await (await h.request('/c/hai-phong/khong-co-dot-qua')).text()).not.toContain('id="packages-h"');
    const drive = await makeDrive(h, { title: 'Chỉ để lấy chương trình' });
    await h.db.update(packageDrives).set({ status: 'draft' }).where(eq(packageDrives.id, drive.id));
    expect(await (await h.request(`/c/hai-phong/${await slugOf(drive)}`)).text()).not.toContain('id="packages-h"');
  });
});

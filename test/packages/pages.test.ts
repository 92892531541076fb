import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { outbox, packageUnits } from '../../src/db/schema';
import { createDonor } from '../../src/donors/donors';
import { listCategories } from '../../src/cases/cases';
import { createCampaign } from '../../src/giving/campaigns';
import type { PackageDrive } from '../../src/packages/drives';
import { fund, makeCase, makeDrive } from './support';

let h: Harness;
let drive: PackageDrive;
const codes: string[] = [];
const O = '/o/hai-phong/packages';
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-25T03:00:00Z' });
  drive = await makeDrive(h, { title: 'Trung thu thử nghiệm' });
  const donor = await createDonor(h.db, h.demo.orgId, { name: 'Vũ Thị Thiện Tâm', email: 'thientam@example.org' });
  await fund(h, drive, 3, donor);
  for (let i = 0; i < 3; i++) codes.push((await makeCase(h, { tag: `P${i}`, urgency: i === 0 ? 'critical' : 'medium' })).code);
});
afterAll(() => h?.close());

describe('staff pages for gift packages', () => {
  it('the overview lists drives; a caseworker may not open it', async () => {
    const res = await h.request(O, { as: 'viewer' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Trung thu thử nghiệm');
    expect((await h.request(O, { as: 'caseworker' })).status).toBe(403);
    expect((await h.request(O)).status).toBe(303);
  });

  it('a coordinator accepts all suggestions, then delivers a batch; a bad form is re-rendered with the values and an alert', async () => {
    const matchPage = await (await h.request(`${O}/drives/${drive.id}/match`, { as: 'coordinator' })).text();
    expect(matchPage).toContain('chưa nhận suất nào của đợt này');
    expect(matchPage).not.toMatch(/Hư Cấu|Minh Họa/);
    const auto = await h.request(`${O}/drives/${drive.id}/auto-match`, { as: 'coordinator', method: 'POST', form: {} });
    expect(auto.status).toBe(303);
    expect(auto.headers.get('location')).toContain('matched=3');

    const form = await (await h.request(`${O}/drives/${drive.id}/deliver`, { as: 'coordinator' })).text();
    const ids = [...form.matchAll(/name="unitIds" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(3);
    const body = new URLSearchParams();
    for (const id of ids) body.append('unitIds', id);
    body.set('deliveredOn', '2026-09-25');
    body.set('place', '');
    body.set('staff', 'Cán bộ CTXH');
    const post = (b: URLSearchParams) => h.request(`${O}/drives/${drive.id}/deliver`, { as: 'coordinator', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:8787' }, body: b.toString() });
    const bad = await post(body);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('role="alert"');
    expect(badHtml).toContain('aria-invalid="true"');
    expect(badHtml).toContain('value="Cán bộ CTXH"');
    body.set('place', 'Nhà văn hóa thôn');
    const ok = await post(body);
    expect(ok.status).toBe(303);
    const drivePage = await (await h.request(ok.headers.get('location')!, { as: 'coordinator' })).text();
    expect(drivePage).toContain('Đã ghi nhận trao 3 suất.');
    expect(drivePage).toContain('Hoàn tác (trong 24 giờ)');
    const delivered = await h.db.select().from(packageUnits).where(eq(packageUnits.driveId, drive.id));
    expect(delivered.every((u) => u.status === 'delivered')).toBe(true);
  });

  it('creating a type and a drive by form; wrong input keeps what was typed', async () => {
    await listCategories(h.db, h.demo.orgId);
    const bad = await h.request(`${O}/types/new`, { as: 'coordinator', method: 'POST', form: { nameVi: 'Quà Tết', unitValue: 'nhiều', contentsVi: 'Bánh chưng' } });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('value="Quà Tết"');
    expect(html).toContain('Bánh chưng');
    const ok = await h.request(`${O}/types/new`, { as: 'coordinator', method: 'POST', form: { nameVi: 'Quà Tết', unitValue: '300.000', contentsVi: 'Bánh chưng', minAge: '0', maxAge: '15' } });
    expect(ok.status).toBe(303);
    const campaign = await createCampaign(h.db, h.demo.orgId, { slug: 'tet-2027', title: 'Tết 2027', goalMinor: 3_000_000n, currency: 'VND', status: 'active' });
    const page = await (await h.request(`${O}/drives/new`, { as: 'coordinator' })).text();
    const typeId = /<option value="([0-9a-f-]{36})"[^>]*>Quà Tết/.exec(page)![1]!;
    const noTarget = await h.request(`${O}/drives/new`, { as: 'coordinator', method: 'POST', form: { campaignId: campaign.id, packageTypeId: typeId, titleVi: 'Tết 2027 — 10 suất', targetCount: '' } });
    expect(noTarget.status).toBe(400);
    expect(await noTarget.text()).toContain('value="Tết 2027 — 10 suất"');
    const created = await h.request(`${O}/drives/new`, { as: 'coordinator', method: 'POST', form: { campaignId: campaign.id, packageTypeId: typeId, titleVi: 'Tết 2027 — 10 suất', targetCount: '10' } });
    expect(created.status).toBe(303);
    expect(await (await h.request(created.headers.get('location')!, { as: 'finance' })).text()).toContain('Còn thiếu 10 suất');
  });
});

describe('the donor portal', () => {
  it("shows every package's status, 'Đã trao' once handed over, and never the child", async () => {
    await h.request('/d/hai-phong/login', { method: 'POST', form: { email: 'thientam@example.org' } });
    const [mail] = await h.db.select().from(outbox).where(eq(outbox.template, 'donor_link')).orderBy(desc(outbox.createdAt)).limit(1);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    const verify = await h.request('/d/hai-phong/verify', { method: 'POST', form: { token } });
    const cookie = verify.headers.get('set-cookie')!.split(';')[0]!;
    const html = await (await h.request('/d/hai-phong/portal', { headers: { cookie } })).text();
    expect(html.match(/data-unit-status="delivered"/g)).toHaveLength(3);
    expect(html).toContain('Đã trao');
    expect(html).toContain('Thành phố Hải Phòng');
    expect(html).not.toMatch(/Hư Cấu|Minh Họa|Tiên Hưng/);
    for (const code of codes) expect(html).not.toContain(code);
    const en = await (await h.request('/d/hai-phong/portal?lang=en', { headers: { cookie } })).text();
    expect(en).toContain('Delivered');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { listCategories } from '../../src/cases/cases';
import { createCampaign } from '../../src/giving/campaigns';
import type { PackageDrive } from '../../src/packages/drives';
import { API, fund, makeCase, makeDrive } from './support';

let h: Harness;
let drive: PackageDrive;
let childCode: string;
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-20T03:00:00Z' });
  drive = await makeDrive(h);
  await fund(h, drive, 2);
  childCode = (await makeCase(h, { tag: 'API1' })).code;
});
afterAll(() => h?.close());

describe('package types and drives over the API', () => {
  it('a coordinator creates a type and a drive (with its own package_drive fund); bad input is a 400 with field errors', async () => {
    await listCategories(h.db, h.demo.orgId);
    const bad = await h.request(`${API}/package-types`, { as: 'coordinator', method: 'POST', json: { nameVi: 'Quà', unitValueMinor: 1.5, categories: ['nope'] } });
    expect(bad.status).toBe(400);
    const unknownCat = await h.request(`${API}/package-types`, { as: 'coordinator', method: 'POST', json: { nameVi: 'Quà', unitValueMinor: 300_000, categories: ['nope'], minAge: 10, maxAge: 5 } });
    expect(unknownCat.status).toBe(400);
    const paths = ((await unknownCat.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['categories', 'maxAge']));

    const t = await h.request(`${API}/package-types`, { as: 'coordinator', method: 'POST', json: { nameVi: 'Quà năm học mới', nameEn: 'Back-to-school gift', contentsVi: 'Cặp, sách vở', unitValueMinor: 300_000, minAge: 6, maxAge: 15, categories: ['poor_household'] } });
    expect(t.status, await t.clone().text()).toBe(201);
    const type = (await t.json()) as { id: string; unitValueMinor: number };
    expect(type.unitValueMinor).toBe(300_000);
    const campaign = await createCampaign(h.db, h.demo.orgId, { slug: 'nam-hoc-moi', title: 'Năm học mới', goalMinor: 3_000_000n, currency: 'VND', status: 'active' });
    const d = await h.request(`${API}/package-drives`, { as: 'coordinator', method: 'POST', json: { campaignId: campaign.id, packageTypeId: type.id, titleVi: 'Năm học mới — 10 suất', targetCount: 10, eligibility: { locationIds: [h.demo.locations.tienHung] } } });
    expect(d.status, await d.clone().text()).toBe(201);
    const created = (await d.json()) as { fundId: string; unitValueMinor: number; minAge: number; categories: string[]; funding: { target: number; shortfallUnits: number } };
    expect(created).toMatchObject({ unitValueMinor: 300_000, minAge: 6, categories: ['poor_household'], funding: { target: 10, shortfallUnits: 10 } });
    const funds = (await (await h.request(`${API}/funds`, { as: 'finance' })).json()) as { items: { id: string; kind: string }[] };
    expect(funds.items.find((f) => f.id === created.fundId)?.kind).toBe('package_drive');
    const badDrive = await h.request(`${API}/package-drives`, { as: 'coordinator', method: 'POST', json: { campaignId: campaign.id, packageTypeId: campaign.id, titleVi: 'x', targetCount: 1 } });
    expect(badDrive.status).toBe(400);
  });
});

describe('who may do what', () => {
  it('anonymous 401, caseworkers and viewers 403 on matching, finance only for money, another organisation 404', async () => {
    const sugg = `${API}/package-drives/${drive.id}/suggestions`;
    expect((await h.request(sugg, { as: 'anonymous' })).status).toBe(401);
    expect((await h.request(sugg, { as: 'caseworker' })).status).toBe(403);
    expect((await h.request(sugg, { as: 'viewer' })).status).toBe(403);
    expect((await h.request(sugg, { as: 'finance' })).status).toBe(403);
    expect((await h.request(sugg, { as: 'coordinator' })).status).toBe(200);
    expect((await h.request(`${API}/package-drives/${drive.id}`, { as: 'viewer' })).status).toBe(200);
    expect((await h.request(`${API}/package-drives/${drive.id}`, { as: 'caseworker' })).status).toBe(403);
    // Another organisation's admin sees nothing of ours.
    expect((await h.request(`/api/v1/orgs/quang-ninh/package-drives/${drive.id}`, { as: 'otherAdmin' })).status).toBe(404);
    expect((await h.request(`${API}/package-drives/${drive.id}`, { as: 'otherAdmin' })).status).toBe(404);
    const offline = { channel: 'cash', quantity: 1, receivedOn: '2026-09-19' };
    expect((await h.request(`${API}/package-drives/${drive.id}/offline-gifts`, { as: 'coordinator', method: 'POST', json: offline })).status).toBe(403);
    expect((await h.request(`${API}/package-drives/${drive.id}/offline-gifts`, { as: 'finance', method: 'POST', json: offline })).status).toBe(201);
    expect((await h.request(`${API}/package-drives/${drive.id}/deliveries`, { as: 'finance', method: 'POST', json: { unitIds: [drive.id], deliveredOn: '2026-09-19', place: 'x', staff: 'y' } })).status).toBe(403);
  });

  it('coordinators see non-identifying attributes only', async () => {
    const res = await h.request(`${API}/package-drives/${drive.id}/candidates?code=${encodeURIComponent(childCode)}`, { as: 'coordinator' });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { items: Record<string, unknown>[] };
    expect(body.items).toHaveLength(1);
    expect(Object.keys(body.items[0]!).sort()).toEqual(['ageBand', 'caseId', 'categories', 'code', 'gender', 'location', 'packages12m', 'servedInDrive', 'urgency', 'waitingSince', 'why'].sort());
    expect(text).not.toMatch(/Hư Cấu|Minh Họa|birth|2015-03-14/);
  });
});

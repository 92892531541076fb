import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { auditLog, caseIdentities, caseServices, hotlineCalls, outreachEvents } from '../../src/db/schema';
import { API, createCase, identity, post, type CaseJson } from './support';

let h: Harness;
let kase: CaseJson;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
  kase = await createCase(h, 'caseworker', { locationId: h.demo.locations.tienHung, identity: identity('trang') });
});
afterAll(() => h?.close());

const form = (as: 'caseworker' | 'admin' | 'coordinator' | 'viewer', path: string, fields: Record<string, string>) => h.request(path, { as, method: 'POST', form: fields });

describe('staff pages for cases', () => {
  it('the navigation and the dashboard show cases, hotline and outreach, with the open-case count', async () => {
    const html = await (await h.request('/o/hai-phong', { as: 'viewer' })).text();
    expect(html).toContain('href="/o/hai-phong/cases"');
    expect(html).toContain('href="/o/hai-phong/hotline"');
    expect(html).toContain('href="/o/hai-phong/outreach"');
    expect(html).toMatch(/data-count="cases"[^>]*>\s*<div class="n">1<\/div>\s*<div class="l">Hồ sơ đang mở<\/div>/);
  });

  it('a caseworker opens a case through the form; a mistake comes back with the values and marked fields', async () => {
    const page = await (await h.request('/o/hai-phong/cases/new', { as: 'caseworker' })).text();
    // Only the caseworker's own area is offered.
    expect(page).toContain('Xã Tiên Hưng');
    expect(page).not.toContain('Phường Lê Chân');

    const bad = await form('caseworker', '/o/hai-phong/cases/new', {
      birthYear: 'năm ngoái',
      gender: 'male',
      locationId: h.demo.locations.tienHung,
      categories: 'orphan',
      'identity.fullName': 'Đinh Hư Cấu Bảo',
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/id="f-birthYear"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-birthYear"/);
    expect(html).toContain('value="năm ngoái"');
    expect(html).toContain('value="Đinh Hư Cấu Bảo"');
    expect(html).toMatch(/value="orphan" checked/);

    const ok = await form('caseworker', '/o/hai-phong/cases/new', {
      birthYear: '2016',
      gender: 'male',
      locationId: h.demo.locations.tienHungOffice,
      categories: 'orphan',
      household: 'grandparents',
      urgency: 'high',
      openedOn: '2026-11-25',
      'identity.fullName': 'Đinh Hư Cấu Bảo',
      'identity.birthDate': '2016-03-02',
    });
    expect(ok.status).toBe(303);
    const location = ok.headers.get('location')!;
    expect(location).toMatch(/\/o\/hai-phong\/cases\/[0-9a-f-]{36}\?done=created$/);
    const casePage = await (await h.request(location, { as: 'caseworker' })).text();
    expect(casePage).toContain('HP-2026-0002');
    expect(casePage).toContain('Đã mở hồ sơ.');
    // Identity is on the record but not on the page until asked for.
    expect(casePage).not.toContain('Đinh Hư Cấu Bảo');
    const id = location.split('/').at(-1)!.split('?')[0]!;
    const [ident] = await h.db.select().from(caseIdentities).where(eq(caseIdentities.caseId, id));
    expect(ident).toMatchObject({ fullName: 'Đinh Hư Cấu Bảo', birthDate: '2016-03-02' });
  });

  it('the list filters by status, category, location and age band', async () => {
    await createCase(h, 'admin', { locationId: h.demo.locations.leChan, birthYear: 1950, categories: ['elderly_unsupported'] });
    const list = async (qs: string) => {
      const html = await (await h.request(`/o/hai-phong/cases?${qs}`, { as: 'coordinator' })).text();
      return [...html.matchAll(/data-case="([^"]+)"/g)].map((m) => m[1]);
    };
    expect((await list('')).length).toBe(3);
    expect(await list('ageBand=60%2B')).toEqual(['HP-2026-0003']);
    expect(await list(`locationId=${h.demo.locations.tienHung}`)).toEqual(['HP-2026-0002', 'HP-2026-0001']);
    expect(await list('category=orphan')).toEqual(['HP-2026-0002']);
    expect(await list('status=closed')).toEqual([]);
    expect((await list('status=open')).length).toBe(3);
    expect(await list('code=HP-2026-0001')).toEqual(['HP-2026-0001']);
    const bad = await h.request('/o/hai-phong/cases?ageBand=99', { as: 'coordinator' });
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain('Bộ lọc không hợp lệ');
  });

  it('the quick service log works from the case page; a closed case refuses it with a clear message', async () => {
    const path = `/o/hai-phong/cases/${kase.id}`;
    const page = await (await h.request(path, { as: 'caseworker' })).text();
    expect(page).toContain('Ghi nhanh dịch vụ');
    expect(page).toContain('name="kind" value="home_visit"');
    const missing = await form('caseworker', `${path}/services`, { durationMinutes: '30' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/class="tiles-set" aria-invalid="true"/);
    const ok = await form('caseworker', `${path}/services`, { kind: 'home_visit', on: '2026-11-25', durationMinutes: '45', staffUserId: h.demo.users.caseworker!, note: 'Gia đình hợp tác tốt' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`${path}?done=service#services`);
    const after = await (await h.request(`${path}?done=service`, { as: 'caseworker' })).text();
    expect(after).toContain('Đã ghi dịch vụ.');
    expect(after).toContain('data-service="home_visit"');
    expect(after).toContain('Gia đình hợp tác tốt');
    const coordinatorView = await (await h.request(path, { as: 'coordinator' })).text();
    expect(coordinatorView).toContain('data-service="home_visit"');
    expect(coordinatorView).not.toContain('Gia đình hợp tác tốt');
    expect(coordinatorView).not.toContain('Ghi nhanh dịch vụ');

    expect((await form('caseworker', `${path}/transition`, { to: 'closed', closureReason: 'declined', on: '2026-11-25' })).status).toBe(303);
    const again = await form('caseworker', `${path}/transition`, { to: 'closed', closureReason: 'declined', on: '2026-11-25' });
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/role="alert">Không thực hiện được: hồ sơ đã đóng/);
    const refused = await form('caseworker', `${path}/services`, { kind: 'therapy', durationMinutes: '60' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Hồ sơ đã đóng: mở lại hồ sơ trước khi ghi dịch vụ.');
    expect((await h.db.select().from(caseServices).where(eq(caseServices.caseId, kase.id))).length).toBe(1);
    expect((await form('caseworker', `${path}/transition`, { to: 'intervention', on: '2026-11-25' })).status).toBe(303);
    expect((await form('caseworker', `${path}/services`, { kind: 'therapy', durationMinutes: '60' })).status).toBe(303);
  });

  it('goals, consent and the identity form work from the page, and reading identity is audited', async () => {
    const path = `/o/hai-phong/cases/${kase.id}`;
    expect((await form('caseworker', `${path}/goals`, { description: 'Đi học đều đặn', targetDate: '2027-05-31' })).status).toBe(303);
    expect((await form('caseworker', `${path}/goals`, { description: '' })).status).toBe(400);
    expect((await form('caseworker', `${path}/consents`, { kind: 'data_processing', action: 'granted', givenByRelation: 'grandparent', on: '2026-11-25' })).status).toBe(303);
    const noReason = await h.request(`${path}?reveal=identity`, { as: 'caseworker' });
    expect(noReason.status).toBe(400);
    const reads = async () => (await h.db.select().from(auditLog).where(and(eq(auditLog.subjectId, kase.id), eq(auditLog.action, 'case.identity_read')))).length;
    const before = await reads();
    const revealed = await h.request(`${path}?reveal=identity&reason=home_visit`, { as: 'caseworker' });
    expect(revealed.headers.get('cache-control')).toBe('no-store');
    const html = await revealed.text();
    expect(html).toContain('data-identity="fullName">Lò Thị Kiểm Thử trang');
    expect(await reads()).toBe(before + 1);
    const edit = await h.request(`${path}/identity?reason=home_visit`, { as: 'caseworker' });
    expect(edit.status).toBe(200);
    expect(await edit.text()).toContain('value="Lò Thị Kiểm Thử trang"');
    expect(await reads()).toBe(before + 2);
    const badPhone = await form('caseworker', `${path}/identity`, { 'identity.fullName': 'Lò Thị Kiểm Thử trang', 'identity.guardianPhone': 'không có' });
    expect(badPhone.status).toBe(400);
    expect(await badPhone.text()).toMatch(/id="f-id-guardianPhone"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-id-guardianPhone"/);
    const saved = await form('caseworker', `${path}/identity`, { 'identity.fullName': 'Lò Thị Kiểm Thử Trang', 'identity.birthDate': '2015-04-09', 'identity.guardianPhone': '0000 111 222' });
    expect(saved.status).toBe(303);
    const [ident] = await h.db.select().from(caseIdentities).where(eq(caseIdentities.caseId, kase.id));
    expect(ident).toMatchObject({ fullName: 'Lò Thị Kiểm Thử Trang', guardianPhone: '0000 111 222' });
    const updates = await h.db.select().from(auditLog).where(and(eq(auditLog.subjectId, kase.id), eq(auditLog.action, 'case.identity_updated')));
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]!.data)).not.toContain('Trang');
  });

  it('an admin erases from the page only after confirming', async () => {
    const c = await createCase(h, 'admin', { locationId: h.demo.locations.leChan, identity: identity('xoa') });
    const path = `/o/hai-phong/cases/${c.id}`;
    const page = await (await h.request(path, { as: 'admin' })).text();
    expect(page).toContain(`action="${path}/erase"`);
    const unconfirmed = await form('admin', `${path}/erase`, { reason: 'recorded_in_error' });
    expect(unconfirmed.status).toBe(400);
    expect((await h.db.select().from(caseIdentities).where(eq(caseIdentities.caseId, c.id)))[0]!.fullName).toBe('Lò Thị Kiểm Thử xoa');
    expect((await form('admin', `${path}/erase`, { reason: 'recorded_in_error', confirm: 'yes' })).status).toBe(303);
    expect((await h.db.select().from(caseIdentities).where(eq(caseIdentities.caseId, c.id)))[0]!.fullName).toBeNull();
    const after = await (await h.request(path, { as: 'admin' })).text();
    expect(after).toContain('Thông tin nhận dạng đã được xóa');
    expect(after).not.toContain(`action="${path}/erase"`);
  });

  it('the case page reads in English too', async () => {
    const html = await (await h.request(`/o/hai-phong/cases/${kase.id}?lang=en`, { as: 'viewer' })).text();
    expect(html).toContain('lang="en"');
    expect(html).toContain('Non-identifying attributes');
    expect(html).toContain('You can see only the non-identifying attributes of this case.');
  });
});

describe('hotline log', () => {
  it('counts calls with no case and calls linked to a case; bad input comes back marked', async () => {
    const count = async () => (await h.db.select().from(hotlineCalls).where(eq(hotlineCalls.orgId, h.demo.orgId))).length;
    const page = await (await h.request('/o/hai-phong/hotline', { as: 'coordinator' })).text();
    expect(page).toContain('Ghi cuộc gọi');
    const ok = await form('coordinator', '/o/hai-phong/hotline', { receivedAt: '2026-11-25T09:15', durationMinutes: '10', callerType: 'neighbour', topic: 'violence', outcome: 'advice_given' });
    expect(ok.status).toBe(303);
    const linked = await form('caseworker', '/o/hai-phong/hotline', { durationMinutes: '5', callerType: 'parent', topic: 'development', outcome: 'case_opened', caseCode: kase.code.toLowerCase(), locationId: h.demo.locations.tienHung });
    expect(linked.status).toBe(303);
    const rows = await h.db.select().from(hotlineCalls).where(eq(hotlineCalls.orgId, h.demo.orgId));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.callerType === 'neighbour')!.receivedAt.toISOString()).toBe('2026-11-25T02:15:00.000Z');
    expect(rows.find((r) => r.outcome === 'case_opened')!.caseId).toBe(kase.id);
    const bad = await form('caseworker', '/o/hai-phong/hotline', { durationMinutes: '5', callerType: 'parent', topic: 'development', outcome: 'case_opened', caseCode: 'HP-1999-9999' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="f-caseCode"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-caseCode"/);
    expect(html).toContain('value="HP-1999-9999"');
    expect(await count()).toBe(2);
    const api = (await (await h.request(`${API}/hotline-calls?from=2026-11-25&to=2026-11-25`, { as: 'viewer' })).json()) as { total: number; items: { caseCode: string | null }[] };
    expect(api.total).toBe(2);
    expect(api.items.map((i) => i.caseCode).sort()).toEqual([kase.code, null].sort());
    const viaApi = await post(h, 'coordinator', '/hotline-calls', { durationMinutes: 700, callerType: 'parent', topic: 'x', outcome: 'advice_given' });
    expect(viaApi.status).toBe(400);
    expect(((await viaApi.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(['json.durationMinutes', 'json.topic']);
  });
});

describe('outreach events', () => {
  it('records an event with audience and materials; totals follow', async () => {
    const ok = await form('coordinator', '/o/hai-phong/outreach', {
      kind: 'early_detection',
      title: 'Phát hiện sớm tự kỷ cho giáo viên mầm non',
      heldOn: '2026-11-20',
      locationId: h.demo.locations.leChan,
      audienceType: 'teachers',
      participants: '125',
      leaflets: '400',
      posters: '6',
      questionnaires: '90',
    });
    expect(ok.status).toBe(303);
    const bad = await form('coordinator', '/o/hai-phong/outreach', { kind: 'training', title: '', heldOn: '2026-12-20', audienceType: 'parents', participants: '-3' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    for (const f of ['title', 'participants']) expect(html).toMatch(new RegExp(`id="f-${f}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-${f}"`));
    expect(html).toContain('value="2026-12-20"');
    const future = await form('coordinator', '/o/hai-phong/outreach', { kind: 'training', title: 'Tập huấn', heldOn: '2026-12-20', audienceType: 'parents', participants: '30' });
    expect(future.status).toBe(400);
    expect(await future.text()).toMatch(/id="f-heldOn"[^>]*aria-invalid="true"/);
    expect((await h.db.select().from(outreachEvents).where(eq(outreachEvents.orgId, h.demo.orgId))).length).toBe(1);
    const page = await (await h.request('/o/hai-phong/outreach?year=2026', { as: 'viewer' })).text();
    expect(page).toMatch(/data-count="participants"[^>]*>\s*<div class="n">125<\/div>/);
    expect(page).toMatch(/data-count="questionnaires"[^>]*>\s*<div class="n">90<\/div>/);
    expect(page).not.toContain('Ghi hoạt động</h2>');
    const api = (await (await h.request(`${API}/outreach-events?from=2026-01-01&to=2026-12-31`, { as: 'finance' })).json()) as { totals: Record<string, number> };
    expect(api.totals).toEqual({ events: 1, participants: 125, leaflets: 400, posters: 6, questionnaires: 90 });
    const activity = (await (await h.request(`${API}/case-activity?from=2026-11-01&to=2026-11-30`, { as: 'viewer' })).json()) as {
      outreach: Record<string, { events: number; participants: number }>;
      materials: Record<string, number>;
    };
    expect(activity.outreach.early_detection).toEqual({ events: 1, participants: 125 });
    expect(activity.materials).toEqual({ leaflets: 400, posters: 6, questionnaires: 90 });
    expect((await h.request(`${API}/case-activity?from=2026-11-30&to=2026-11-01`, { as: 'viewer' })).status).toBe(400);
  });
});

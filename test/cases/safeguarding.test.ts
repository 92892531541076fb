import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { auditLog, caseConsents, caseErasures, caseGoals, caseIdentities, caseServices } from '../../src/db/schema';
import { caseActivitySummary } from '../../src/cases/activity';
import { withheldValues } from '../../src/cases/cases';
import { API, allKeys, createCase, identity, IDENTITY_KEYS, identityValues, post, type CaseJson } from './support';

let h: Harness;
let mine: CaseJson; // Tiên Hưng: the demo caseworker's commune
let theirs: CaseJson; // Lê Chân: another commune
const idMine = identity('tien-hung');
const idTheirs = identity('le-chan');
const SECRETS = [...identityValues(idMine), ...identityValues(idTheirs), 'Người Đồng Ý Bí Mật', 'ghi chú bí mật'];

beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
  mine = await createCase(h, 'caseworker', { locationId: h.demo.locations.tienHungOffice, identity: idMine, categories: ['orphan'] });
  theirs = await createCase(h, 'admin', { locationId: h.demo.locations.leChan, identity: idTheirs, categories: ['hiv_affected'] });
  for (const c of [mine, theirs]) {
    const as = c === mine ? 'caseworker' : 'admin';
    expect((await post(h, as, `/cases/${c.id}/services`, { kind: 'counselling', durationMinutes: 45, note: 'ghi chú bí mật' })).status).toBe(201);
    expect((await post(h, as, `/cases/${c.id}/goals`, { description: 'ghi chú bí mật: mục tiêu' })).status).toBe(201);
    expect(
      (await post(h, as, `/cases/${c.id}/consents`, { kind: 'data_processing', action: 'granted', givenByRelation: 'grandparent', givenByName: 'Người Đồng Ý Bí Mật' })).status,
    ).toBe(201);
  }
});
afterAll(() => h?.close());

const identityReads = async (caseId: string) =>
  h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectId, caseId), eq(auditLog.action, 'case.identity_read')));

function expectNoIdentity(text: string, where: string) {
  for (const s of SECRETS) expect(text, `${where} leaks "${s}"`).not.toContain(s);
}

describe('coordinators, finance and viewers see only non-identifying attributes', () => {
  for (const role of ['coordinator', 'viewer', 'finance'] as const) {
    it(`${role}: JSON list, case, eligibility and activity carry no identifying field or value`, async () => {
      const responses = [
        await h.request(`${API}/cases`, { as: role }),
        await h.request(`${API}/cases/${mine.id}`, { as: role }),
        await h.request(`${API}/cases/${theirs.id}`, { as: role }),
        await h.request(`${API}/cases/eligible?maxAge=17`, { as: role }),
        await h.request(`${API}/case-activity?from=2026-01-01&to=2026-12-31`, { as: role }),
      ];
      for (const res of responses) {
        expect(res.status).toBe(200);
        const body = await res.json();
        const text = JSON.stringify(body);
        expectNoIdentity(text, `${role} ${res.url}`);
        for (const k of IDENTITY_KEYS) expect(allKeys(body).has(k), `${role} sees key ${k}`).toBe(false);
      }
      const list = (await (await h.request(`${API}/cases`, { as: role })).json()) as { items: CaseJson[] };
      expect(list.items.map((i) => i.code).sort()).toEqual([mine.code, theirs.code].sort());
      const detail = (await (await h.request(`${API}/cases/${mine.id}`, { as: role })).json()) as {
        canWork: boolean;
        services: Record<string, unknown>[];
        goals: Record<string, unknown>[];
      };
      expect(detail.canWork).toBe(false);
      expect(detail.services[0]).not.toHaveProperty('note');
      expect(detail.goals[0]).not.toHaveProperty('description');
    });

    it(`${role}: HTML list, case page and dashboard show no name`, async () => {
      for (const path of ['/o/hai-phong/cases', `/o/hai-phong/cases/${mine.id}`, `/o/hai-phong/cases/${theirs.id}`, '/o/hai-phong', '/o/hai-phong/hotline']) {
        const res = await h.request(path, { as: role });
        expect(res.status, path).toBe(200);
        const html = await res.text();
        expectNoIdentity(html, `${role} ${path}`);
        expect(html).not.toContain('data-identity');
      }
      const page = await (await h.request(`/o/hai-phong/cases/${mine.id}`, { as: role })).text();
      expect(page).toContain(mine.code);
      expect(page).not.toContain('reveal-form');
    });

    it(`${role}: asking for identity or an export is refused and leaves no audit row`, async () => {
      const before = (await identityReads(mine.id)).length;
      const api = await h.request(`${API}/cases/${mine.id}?reveal=identity&reason=home_visit`, { as: role });
      expect(api.status).toBe(403);
      expectNoIdentity(await api.text(), 'refusal');
      const page = await h.request(`/o/hai-phong/cases/${mine.id}?reveal=identity&reason=home_visit`, { as: role });
      expect(page.status).toBe(403);
      expectNoIdentity(await page.text(), 'refusal page');
      const exp = await h.request(`${API}/cases/${mine.id}/export?reason=data_request`, { as: role });
      expect(exp.status).toBe(403);
      expect((await identityReads(mine.id)).length).toBe(before);
    });
  }
});

describe('caseworkers work only in the offices they are assigned to', () => {
  it('a case of another commune does not exist for them (404), by API and page', async () => {
    const paths = [`${API}/cases/${theirs.id}`, `${API}/cases/${theirs.id}?reveal=identity&reason=home_visit`, `${API}/cases/${theirs.id}/export?reason=data_request`, `/o/hai-phong/cases/${theirs.id}`];
    for (const p of paths) {
      const res = await h.request(p, { as: 'caseworker' });
      expect(res.status, p).toBe(404);
      expectNoIdentity(await res.text(), p);
    }
    for (const [path, body] of [
      [`/cases/${theirs.id}/services`, { kind: 'home_visit', durationMinutes: 30 }],
      [`/cases/${theirs.id}/transitions`, { to: 'assessment' }],
      [`/cases/${theirs.id}/goals`, { description: 'x' }],
      [`/cases/${theirs.id}/consents`, { kind: 'photos', action: 'granted', givenByRelation: 'mother' }],
    ] as const) {
      expect((await post(h, 'caseworker', path, body)).status, path).toBe(404);
    }
    const form = await h.request(`/o/hai-phong/cases/${theirs.id}/services`, { as: 'caseworker', method: 'POST', form: { kind: 'home_visit', durationMinutes: '30' } });
    expect(form.status).toBe(404);
    const list = (await (await h.request(`${API}/cases`, { as: 'caseworker' })).json()) as { items: CaseJson[]; total: number };
    expect(list.items.map((i) => i.code)).toEqual([mine.code]);
    expect(list.total).toBe(1);
    const filtered = (await (await h.request(`${API}/cases?locationId=${h.demo.locations.leChan}`, { as: 'caseworker' })).json()) as { total: number };
    expect(filtered.total).toBe(0);
  });

  it('their own cases show work notes, and identity only when they ask with a reason', async () => {
    const detail = await (await h.request(`${API}/cases/${mine.id}`, { as: 'caseworker' })).json() as { canWork: boolean; services: { note: string }[]; identity?: unknown };
    expect(detail.canWork).toBe(true);
    expect(detail.services[0]!.note).toBe('ghi chú bí mật');
    expect(detail.identity).toBeUndefined();
    const noReason = await h.request(`${API}/cases/${mine.id}?reveal=identity`, { as: 'caseworker' });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['query.reason']);
    const badReason = await h.request(`${API}/cases/${mine.id}?reveal=identity&reason=curiosity`, { as: 'caseworker' });
    expect(badReason.status).toBe(400);
  });
});

describe('every identifying read leaves exactly one audit row', () => {
  it('API reveal, page reveal and export each write one row with who, which case, when and why', async () => {
    const start = (await identityReads(mine.id)).length;
    await h.request(`${API}/cases/${mine.id}`, { as: 'caseworker' });
    await h.request(`${API}/cases`, { as: 'caseworker' });
    await h.request(`/o/hai-phong/cases/${mine.id}`, { as: 'caseworker' });
    expect((await identityReads(mine.id)).length).toBe(start);

    const res = await h.request(`${API}/cases/${mine.id}?reveal=identity&reason=home_visit`, { as: 'caseworker' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { identity: Record<string, unknown> };
    expect(body.identity).toMatchObject({ fullName: idMine.fullName, birthDate: idMine.birthDate, address: idMine.address, guardianPhone: idMine.guardianPhone });
    let rows = await identityReads(mine.id);
    expect(rows.length).toBe(start + 1);
    const row = rows.at(-1)!;
    expect(row).toMatchObject({ orgId: h.demo.orgId, actorKind: 'user', actorId: h.demo.users.caseworker, subjectType: 'case', subjectId: mine.id, reason: 'home_visit' });
    expect(row.at.toISOString()).toBe('2026-11-25T03:00:00.000Z');
    expect(row.requestId).toBeTruthy();

    const page = await h.request(`/o/hai-phong/cases/${mine.id}?reveal=identity&reason=assessment`, { as: 'caseworker' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(idMine.fullName);
    rows = await identityReads(mine.id);
    expect(rows.length).toBe(start + 2);
    expect(rows.at(-1)!.reason).toBe('assessment');

    const adminRead = await h.request(`${API}/cases/${theirs.id}?reveal=identity&reason=safeguarding_review`, { as: 'admin' });
    expect(adminRead.status).toBe(200);
    expect((await identityReads(theirs.id)).length).toBe(1);

    const exportRes = await h.request(`${API}/cases/${mine.id}/export?reason=data_request`, { as: 'caseworker' });
    expect(exportRes.status).toBe(200);
    expect(exportRes.headers.get('content-disposition')).toContain(`${mine.code}.json`);
    const exported = (await exportRes.json()) as { identity: { fullName: string; consentGivers: { name: string }[] }; services: { note: string }[]; case: { code: string } };
    expect(exported.case.code).toBe(mine.code);
    expect(exported.identity.fullName).toBe(idMine.fullName);
    expect(exported.identity.consentGivers.map((g) => g.name)).toEqual(['Người Đồng Ý Bí Mật']);
    expect(exported.services[0]!.note).toBe('ghi chú bí mật');
    const exports = await h.db.select().from(auditLog).where(and(eq(auditLog.subjectId, mine.id), eq(auditLog.action, 'case.exported')));
    expect(exports).toHaveLength(1);
    expect(exports[0]!.reason).toBe('data_request');
    const noReason = await h.request(`${API}/cases/${mine.id}/export`, { as: 'caseworker' });
    expect(noReason.status).toBe(400);

    // The audit trail itself holds ids and codes, never the values.
    const all = await h.db.select().from(auditLog).where(eq(auditLog.orgId, h.demo.orgId));
    expectNoIdentity(JSON.stringify(all, (_k, v) => (typeof v === 'bigint' ? String(v) : v)), 'audit log');
  });
});

describe('erasure (Decree 13/2023)', () => {
  it('empties the identifying data, keeps the anonymous history, and every count stays', async () => {
    const period = { from: '2026-01-01', to: '2026-12-31' };
    const before = await caseActivitySummary(h.db, h.demo.orgId, period);
    const listBefore = ((await (await h.request(`${API}/cases`, { as: 'viewer' })).json()) as { total: number }).total;
    const dashBefore = await (await h.request(`/api/v1/orgs/hai-phong`, { as: 'viewer' })).json();

    expect((await post(h, 'caseworker', `/cases/${mine.id}/erasure`, { reason: 'data_subject_request' })).status).toBe(403);
    expect((await post(h, 'admin', `/cases/${mine.id}/erasure`, { reason: 'because' })).status).toBe(400);
    const res = await post(h, 'admin', `/cases/${mine.id}/erasure`, { reason: 'data_subject_request' });
    expect(res.status).toBe(200);
    expect((await post(h, 'admin', `/cases/${mine.id}/erasure`, { reason: 'data_subject_request' })).status).toBe(409);

    const [ident] = await h.db.select().from(caseIdentities).where(eq(caseIdentities.caseId, mine.id));
    expect(ident).toMatchObject({ fullName: null, birthDate: null, address: null, guardianName: null, guardianRelation: null, guardianPhone: null, photos: null });
    expect(ident!.erasedAt).toBeInstanceOf(Date);
    const consents = await h.db.select().from(caseConsents).where(eq(caseConsents.caseId, mine.id));
    expect(consents.map((c) => c.givenByName)).toEqual([null]);
    expect((await h.db.select().from(caseServices).where(eq(caseServices.caseId, mine.id))).map((s) => s.note)).toEqual([null]);
    expect((await h.db.select().from(caseGoals).where(eq(caseGoals.caseId, mine.id))).map((g) => g.description)).toEqual([null]);
    const record = await h.db.select().from(caseErasures).where(eq(caseErasures.caseId, mine.id));
    expect(record).toHaveLength(1);
    expect(record[0]).toMatchObject({ reason: 'data_subject_request', erasedBy: h.demo.users.admin });
    await expect(h.db.delete(caseErasures).where(eq(caseErasures.caseId, mine.id))).rejects.toThrow();

    expect(await caseActivitySummary(h.db, h.demo.orgId, period)).toEqual(before);
    expect(((await (await h.request(`${API}/cases`, { as: 'viewer' })).json()) as { total: number }).total).toBe(listBefore);
    expect(await (await h.request(`/api/v1/orgs/hai-phong`, { as: 'viewer' })).json()).toEqual(dashBefore);
    const detail = (await (await h.request(`${API}/cases/${mine.id}`, { as: 'viewer' })).json()) as { case: CaseJson; erasure: { reason: string } };
    expect(detail.case).toMatchObject({ code: mine.code, birthYear: 2015, categories: ['orphan'] });
    expect(detail.erasure.reason).toBe('data_subject_request');

    const revealed = (await (await h.request(`${API}/cases/${mine.id}?reveal=identity&reason=data_request`, { as: 'caseworker' })).json()) as { identity: Record<string, unknown> };
    expect(revealed.identity).toMatchObject({ fullName: null, address: null, consentGivers: [expect.objectContaining({ name: null })] });
    expect(revealed.identity.erasedAt).toBeTruthy();
    const reenter = await h.request(`${API}/cases/${mine.id}/identity`, { as: 'caseworker', method: 'PUT', json: { fullName: 'Tên Mới' } });
    expect(reenter.status).toBe(409);
    const named = await post(h, 'caseworker', `/cases/${mine.id}/consents`, { kind: 'photos', action: 'withdrawn', givenByRelation: 'mother', givenByName: 'Tên Mới' });
    expect(named.status).toBe(409);
    const erasedAudit = await h.db.select().from(auditLog).where(and(eq(auditLog.subjectId, mine.id), eq(auditLog.action, 'case.erased')));
    expect(erasedAudit).toHaveLength(1);
  });
});

describe('identifying data never leaks into logs or error messages', () => {
  it('bad input with identifying values gets errors that do not repeat them', async () => {
    const longName = `Tên Rất Dài Bí Mật ${'x'.repeat(300)}`;
    const res = await post(h, 'caseworker', '/cases', {
      birthYear: 2015,
      gender: 'female',
      locationId: h.demo.locations.tienHung,
      identity: { fullName: longName, guardianPhone: 'gọi Bí Mật', birthDate: '2015-02-31x' },
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain('Bí Mật');
    expect(text).toContain('json.identity.fullName');
    const form = await h.request('/o/hai-phong/cases/new', {
      as: 'caseworker',
      method: 'POST',
      form: { birthYear: '', gender: 'female', locationId: h.demo.locations.tienHung, 'identity.fullName': 'Tên Trong Form Bí Mật' },
    });
    expect(form.status).toBe(400);
    const html = await form.text();
    // The form comes back with what the caseworker typed, but no message repeats it.
    const alerts = [...html.matchAll(/<p class="(?:error|field-error)"[^>]*>([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(a).not.toContain('Bí Mật');
  });

  it('a failed database write of identifying data does not carry the values in its message', async () => {
    const write = () => h.db.insert(caseIdentities).values({ caseId: theirs.id, orgId: h.demo.orgId, fullName: 'Tên Trùng Bí Mật' });
    const raw = await write().then(
      () => null,
      (e: Error) => e,
    );
    // Without the wrapper the driver's message names the values (that is what the wrapper is for).
    expect(raw?.message).toContain('Tên Trùng Bí Mật');
    const wrapped = await withheldValues(write()).then(
      () => null,
      (e: Error) => e,
    );
    expect(wrapped?.message).toMatch(/database code 23505/);
    expect(wrapped?.message).not.toContain('Bí Mật');
  });

  it('the request log holds paths and ids only', async () => {
    expect(h.logs.length).toBeGreaterThan(20);
    const all = h.logs.join('\n');
    expectNoIdentity(all, 'logs');
    expect(all).not.toContain('Bí Mật');
    expect(all).not.toContain('reveal=identity');
  });
});

describe('who may call the cases API', () => {
  it('anonymous → 401, another organisation → 404, wrong role → 403', async () => {
    expect((await h.request(`${API}/cases`)).status).toBe(401);
    expect((await h.request(`${API}/cases/${theirs.id}`)).status).toBe(401);
    expect((await h.request(`${API}/cases`, { as: 'otherAdmin' })).status).toBe(404);
    expect((await h.request(`${API}/cases/${theirs.id}`, { as: 'otherAdmin' })).status).toBe(404);
    expect((await h.request(`/api/v1/orgs/quang-ninh/cases/${theirs.id}`, { as: 'otherAdmin' })).status).toBe(404);
    const wrong: [string, string, unknown, 'viewer' | 'coordinator' | 'finance' | 'caseworker'][] = [
      ['POST', '/cases', { birthYear: 2015, gender: 'male', locationId: h.demo.locations.leChan }, 'coordinator'],
      ['POST', '/cases', { birthYear: 2015, gender: 'male', locationId: h.demo.locations.leChan }, 'viewer'],
      ['POST', `/cases/${theirs.id}/services`, { kind: 'home_visit', durationMinutes: 30 }, 'coordinator'],
      ['POST', `/cases/${theirs.id}/transitions`, { to: 'assessment' }, 'finance'],
      ['PATCH', `/cases/${theirs.id}`, { urgency: 'low' }, 'viewer'],
      ['PUT', `/cases/${theirs.id}/identity`, { fullName: 'x' }, 'coordinator'],
      ['POST', `/cases/${theirs.id}/erasure`, { reason: 'recorded_in_error' }, 'caseworker'],
      ['POST', '/hotline-calls', { durationMinutes: 5, callerType: 'parent', topic: 'family', outcome: 'advice_given' }, 'viewer'],
      ['POST', '/outreach-events', { kind: 'training', heldOn: '2026-11-01', title: 't', audienceType: 'parents', participants: 10 }, 'finance'],
    ];
    for (const [method, path, json, as] of wrong) {
      const res = await h.request(`${API}${path}`, { as, method, json });
      expect(res.status, `${as} ${method} ${path}`).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await h.request(`${API}/cases/${theirs.id}/export?reason=data_request`, { as: 'viewer' })).status).toBe(403);
  });

  it('pages: anonymous is sent to sign in, another organisation gets 404, wrong role 403', async () => {
    const anon = await h.request('/o/hai-phong/cases');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/login');
    expect((await h.request('/o/hai-phong/cases', { as: 'otherAdmin' })).status).toBe(404);
    expect((await h.request('/o/hai-phong/cases/new', { as: 'coordinator' })).status).toBe(403);
    expect((await h.request(`/o/hai-phong/cases/${theirs.id}/erase`, { as: 'caseworker', method: 'POST', form: { reason: 'recorded_in_error', confirm: 'yes' } })).status).toBe(403);
    expect((await h.request('/o/hai-phong/hotline', { as: 'viewer', method: 'POST', form: { durationMinutes: '5' } })).status).toBe(403);
    expect((await h.request(`/o/hai-phong/cases/not-a-uuid`, { as: 'admin' })).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { caseCounters, caseServices, caseTransitions, cases } from '../../src/db/schema';
import { nextCaseSeq } from '../../src/cases/cases';
import type { Db } from '../../src/db/types';
import { API, createCase, identity, post } from './support';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
});
afterAll(() => h?.close());

const problem = async (res: Response) => (await res.json()) as { status: number; detail: string; errors?: { path: string }[]; allowed?: string[] };

describe('case codes', () => {
  it('are built from the short code, the year of intake and a per-year sequence', async () => {
    const a = await createCase(h, 'caseworker', { locationId: h.demo.locations.tienHung });
    const b = await createCase(h, 'admin', { locationId: h.demo.locations.leChan });
    expect(a.code).toBe('HP-2026-0001');
    expect(b.code).toBe('HP-2026-0002');
    const back = await createCase(h, 'admin', { locationId: h.demo.locations.leChan, openedOn: '2025-12-30' });
    expect(back.code).toBe('HP-2025-0001');
    expect(back.status).toBe('intake');
  });

  it('leave no gap when an intake fails', async () => {
    const bad = await post(h, 'admin', '/cases', { birthYear: 2015, gender: 'female', locationId: crypto.randomUUID() });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).errors?.map((e) => e.path)).toEqual(['json.locationId']);
    // A number taken inside a transaction that then rolls back is given back.
    await expect(
      h.db.transaction(async (tx) => {
        await nextCaseSeq(tx as unknown as Db, h.demo.orgId, 2026);
        throw new Error('intake failed half-way');
      }),
    ).rejects.toThrow('half-way');
    const next = await createCase(h, 'admin', { locationId: h.demo.locations.leChan });
    expect(next.code).toBe('HP-2026-0003');
  });

  it('stay unique and gapless under concurrent intakes', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post(h, 'admin', '/cases', { birthYear: 2012, gender: 'male', locationId: h.demo.locations.thuyNguyen })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const rows = await h.db.select({ seq: cases.seq }).from(cases).where(and(eq(cases.orgId, h.demo.orgId), eq(cases.year, 2026)));
    const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const [counter] = await h.db.select().from(caseCounters).where(and(eq(caseCounters.orgId, h.demo.orgId), eq(caseCounters.year, 2026)));
    expect(counter!.lastValue).toBe(seqs.length);
  });

  it('refuse bad input with field errors, and a caseworker outside their area', async () => {
    const res = await post(h, 'caseworker', '/cases', {
      birthYear: 2035,
      gender: 'girl',
      locationId: h.demo.locations.tienHung,
      categories: ['NOPE'],
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const paths = (await problem(res)).errors!.map((e) => e.path).sort();
    expect(paths).toEqual(['json.categories.0', 'json.gender']);
    const unborn = await post(h, 'caseworker', '/cases', { birthYear: 2035, gender: 'female', locationId: h.demo.locations.tienHung });
    expect(unborn.status).toBe(400);
    expect((await problem(unborn)).errors!.map((e) => e.path)).toEqual(['json.birthYear']);

    const unknownCategory = await post(h, 'caseworker', '/cases', { birthYear: 2015, gender: 'male', locationId: h.demo.locations.tienHung, categories: ['astronaut'] });
    expect(unknownCategory.status).toBe(400);
    expect((await problem(unknownCategory)).errors!.map((e) => e.path)).toEqual(['json.categories.0']);

    const mismatch = await post(h, 'caseworker', '/cases', {
      birthYear: 2014,
      gender: 'male',
      locationId: h.demo.locations.tienHung,
      identity: identity('lech-nam'),
    });
    expect(mismatch.status).toBe(400);
    const mismatchBody = await mismatch.text();
    expect(mismatchBody).toContain('json.identity.birthDate');
    expect(mismatchBody).not.toContain('lech-nam');

    const elsewhere = await post(h, 'caseworker', '/cases', { birthYear: 2015, gender: 'male', locationId: h.demo.locations.leChan });
    expect(elsewhere.status).toBe(403);
  });
});

describe('lifecycle: intake → assessment → intervention → closed', () => {
  let id: string;
  beforeAll(async () => {
    id = (await createCase(h, 'caseworker', { locationId: h.demo.locations.tienHungOffice, identity: identity('vong-doi') })).id;
  });
  const move = (body: Record<string, unknown>, as: 'caseworker' | 'admin' = 'caseworker') => post(h, as, `/cases/${id}/transitions`, body);

  it('refuses to skip a stage with a 409 naming the allowed next stages', async () => {
    const res = await move({ to: 'intervention' });
    expect(res.status).toBe(409);
    const body = await problem(res);
    expect(body.detail).toMatch(/intake cannot move to intervention/);
    expect(body.allowed).toEqual(['assessment', 'closed']);
  });

  it('moves forward, dated and by whom; closing needs a reason', async () => {
    expect((await move({ to: 'assessment' })).status).toBe(201);
    expect((await move({ to: 'intervention' })).status).toBe(201);
    const noReason = await move({ to: 'closed' });
    expect(noReason.status).toBe(400);
    expect((await problem(noReason)).errors!.map((e) => e.path)).toEqual(['json.closureReason']);
    const early = await move({ to: 'closed', closureReason: 'goals_met', on: '2026-01-01' });
    expect(early.status).toBe(400);
    expect((await problem(early)).errors!.map((e) => e.path)).toEqual(['json.on']);
    const closed = await move({ to: 'closed', closureReason: 'goals_met' });
    expect(closed.status).toBe(201);
    expect(await closed.json()).toMatchObject({ kind: 'close', fromStatus: 'intervention', toStatus: 'closed', closureReason: 'goals_met' });
  });

  it('closing a closed case is a clear 409', async () => {
    const res = await move({ to: 'closed', closureReason: 'other' });
    expect(res.status).toBe(409);
    expect((await problem(res)).detail).toBe('The case is already closed.');
  });

  it('a closed case takes no services until re-opened, then it does', async () => {
    const svc = { kind: 'home_visit', durationMinutes: 60 };
    const refused = await post(h, 'caseworker', `/cases/${id}/services`, svc);
    expect(refused.status).toBe(409);
    expect((await problem(refused)).detail).toMatch(/closed: re-open it before logging services/);
    const goal = await post(h, 'caseworker', `/cases/${id}/goals`, { description: 'Đi học đều' });
    expect(goal.status).toBe(409);

    const reopened = await move({ to: 'assessment' });
    expect(reopened.status).toBe(201);
    expect(await reopened.json()).toMatchObject({ kind: 'reopen', fromStatus: 'closed', toStatus: 'assessment' });
    const logged = await post(h, 'caseworker', `/cases/${id}/services`, svc);
    expect(logged.status).toBe(201);
    expect(await logged.json()).toMatchObject({ kind: 'home_visit', durationMinutes: 60, deliveredOn: '2026-11-25' });

    const detail = (await (await h.request(`${API}/cases/${id}`, { as: 'caseworker' })).json()) as {
      case: { status: string; closedAt: string | null; closureReason: string | null };
      transitions: { kind: string; toStatus: string; byUserId: string; at: string }[];
      services: { kind: string; staffUserId: string }[];
    };
    expect(detail.case).toMatchObject({ status: 'assessment', closedAt: null, closureReason: null });
    expect(detail.transitions.map((t) => `${t.kind}:${t.toStatus}`)).toEqual([
      'open:intake',
      'advance:assessment',
      'advance:intervention',
      'close:closed',
      'reopen:assessment',
    ]);
    expect(new Set(detail.transitions.map((t) => t.byUserId))).toEqual(new Set([h.demo.users.caseworker]));
    expect(detail.services).toEqual([expect.objectContaining({ kind: 'home_visit', staffUserId: h.demo.users.caseworker })]);
  });

  it('keeps the history append-only in the database', async () => {
    await expect(h.db.update(caseTransitions).set({ toStatus: 'intake' }).where(eq(caseTransitions.caseId, id))).rejects.toThrow();
    await expect(h.db.delete(caseTransitions).where(eq(caseTransitions.caseId, id))).rejects.toThrow();
    await expect(h.db.delete(cases).where(eq(cases.id, id))).rejects.toThrow();
    await expect(h.db.update(caseServices).set({ durationMinutes: 600 }).where(eq(caseServices.caseId, id))).rejects.toThrow();
    await expect(h.db.delete(caseServices).where(eq(caseServices.caseId, id))).rejects.toThrow();
    // The database also refuses a closed case without its reason.
    await expect(h.db.execute(sql`update cases set status = 'closed' where id = ${id}`)).rejects.toThrow();
  });

  it('records services with their details and refuses impossible ones', async () => {
    const future = await post(h, 'caseworker', `/cases/${id}/services`, { kind: 'counselling', durationMinutes: 45, on: '2026-12-01' });
    expect(future.status).toBe(400);
    const beforeOpen = await post(h, 'caseworker', `/cases/${id}/services`, { kind: 'counselling', durationMinutes: 45, on: '2026-01-01' });
    expect(beforeOpen.status).toBe(400);
    const outsider = await post(h, 'caseworker', `/cases/${id}/services`, { kind: 'therapy', durationMinutes: 45, staffUserId: h.demo.users.otherAdmin });
    expect((await problem(outsider)).errors!.map((e) => e.path)).toEqual(['json.staffUserId']);
    const tooLong = await post(h, 'caseworker', `/cases/${id}/services`, { kind: 'therapy', durationMinutes: 2000 });
    expect(tooLong.status).toBe(400);
    const referral = await post(h, 'caseworker', `/cases/${id}/services`, {
      kind: 'referral',
      durationMinutes: 30,
      referralTo: 'Bệnh viện Trẻ em Hải Phòng',
      staffUserId: h.demo.users.admin,
    });
    expect(referral.status).toBe(201);
    const emergency = await post(h, 'caseworker', `/cases/${id}/services`, { kind: 'emergency_shelter', durationMinutes: 240, on: '2026-11-25' });
    expect(emergency.status).toBe(201);
  });

  it('keeps a case plan whose goals change status', async () => {
    const res = await post(h, 'caseworker', `/cases/${id}/goals`, { description: 'Trẻ đi học đều đặn', targetDate: '2027-01-31' });
    expect(res.status).toBe(201);
    const goal = (await res.json()) as { id: string; status: string };
    expect(goal.status).toBe('planned');
    const upd = await h.request(`${API}/cases/${id}/goals/${goal.id}`, { as: 'caseworker', method: 'PATCH', json: { status: 'achieved' } });
    expect(upd.status).toBe(200);
    const other = await h.request(`${API}/cases/${id}/goals/${crypto.randomUUID()}`, { as: 'caseworker', method: 'PATCH', json: { status: 'achieved' } });
    expect(other.status).toBe(404);
    const detail = (await (await h.request(`${API}/cases/${id}`, { as: 'caseworker' })).json()) as { goals: { status: string; description: string }[] };
    expect(detail.goals).toEqual([expect.objectContaining({ status: 'achieved', description: 'Trẻ đi học đều đặn' })]);
  });

  it('records consent and its withdrawal as separate dated rows', async () => {
    const grant = await post(h, 'caseworker', `/cases/${id}/consents`, { kind: 'photos', action: 'granted', givenByRelation: 'grandparent', givenByName: 'Giám Hộ Kiểm Thử', on: '2026-11-20' });
    expect(grant.status).toBe(201);
    const withdraw = await post(h, 'caseworker', `/cases/${id}/consents`, { kind: 'photos', action: 'withdrawn', givenByRelation: 'grandparent' });
    expect(withdraw.status).toBe(201);
    const detail = (await (await h.request(`${API}/cases/${id}`, { as: 'caseworker' })).json()) as { consents: Record<string, unknown>[] };
    expect(detail.consents.map((c) => `${c.givenOn}:${c.kind}:${c.action}`)).toEqual(['2026-11-20:photos:granted', '2026-11-25:photos:withdrawn']);
    // The giver's name is identifying: not in the plain case view.
    expect(JSON.stringify(detail)).not.toContain('Giám Hộ Kiểm Thử');
  });

  it('edits non-identifying attributes within the caseworker’s area only', async () => {
    const ok = await h.request(`${API}/cases/${id}`, { as: 'caseworker', method: 'PATCH', json: { urgency: 'critical', categories: ['orphan', 'hiv_affected'] } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ urgency: 'critical', categories: ['orphan', 'hiv_affected'] });
    const move = await h.request(`${API}/cases/${id}`, { as: 'caseworker', method: 'PATCH', json: { locationId: h.demo.locations.leChan } });
    expect(move.status).toBe(403);
    const year = await h.request(`${API}/cases/${id}`, { as: 'caseworker', method: 'PATCH', json: { birthYear: 2012 } });
    expect(year.status).toBe(400); // the recorded date of birth is in 2015
  });
});

describe('categories are configurable per organisation', () => {
  it('starts from the default list and lets an admin add and retire entries', async () => {
    const list = (await (await h.request(`${API}/case-categories`, { as: 'viewer' })).json()) as { items: { key: string; active: boolean }[] };
    expect(list.items.map((i) => i.key)).toEqual(expect.arrayContaining(['orphan', 'abandoned', 'hiv_affected', 'agent_orange', 'severe_disability', 'autism_developmental', 'trafficking_victim', 'elderly_unsupported']));
    const add = await post(h, 'admin', '/case-categories', { key: 'school_dropout', labelVi: 'Bỏ học', labelEn: 'School drop-out' });
    expect(add.status).toBe(201);
    expect((await post(h, 'admin', '/case-categories', { key: 'school_dropout', labelVi: 'x', labelEn: 'x' })).status).toBe(409);
    expect((await post(h, 'coordinator', '/case-categories', { key: 'other_thing', labelVi: 'x', labelEn: 'x' })).status).toBe(403);
    const withNew = await createCase(h, 'admin', { locationId: h.demo.locations.leChan, categories: ['school_dropout'] });
    expect(withNew.categories).toEqual(['school_dropout']);
    const retire = await h.request(`${API}/case-categories/school_dropout`, { as: 'admin', method: 'PATCH', json: { active: false } });
    expect(retire.status).toBe(200);
    const refused = await post(h, 'admin', '/cases', { birthYear: 2015, gender: 'male', locationId: h.demo.locations.leChan, categories: ['school_dropout'] });
    expect(refused.status).toBe(400);
    // Another organisation has its own list.
    const other = (await (await h.request('/api/v1/orgs/quang-ninh/case-categories', { as: 'otherAdmin' })).json()) as { items: { key: string }[] };
    expect(other.items.map((i) => i.key)).not.toContain('school_dropout');
  });
});

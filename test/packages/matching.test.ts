import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { packageUnitEvents, packageUnits } from '../../src/db/schema';
import { queryRows } from '../../src/db/types';
import { listDriveUnits, type PackageDrive } from '../../src/packages/drives';
import { explainCandidate, matchPackageUnit, rankedCandidates, lastDeliveryDrift, suggestMatches } from '../../src/packages/matching';
import { deliverUnits, undoDelivery } from '../../src/packages/delivery';
import { API, closeCase, fund, makeCase, makeDrive } from './support';

let h: Harness;
const NOW = '2026-11-25T03:00:00Z';
beforeAll(async () => {
  h = await createHarness({ now: NOW });
});
afterAll(() => h?.close());

const orgId = () => h.demo.orgId;

async function fundedUnitIds(drive: PackageDrive) {
  return (await listDriveUnits(h.db, orgId(), drive.id, { status: 'funded', limit: 500 })).items.map((u) => u.id);
}

/** Matches the drive's next funded unit to the case at `at`, and hands it over then. */
async function give(drive: PackageDrive, caseId: string, at: string, overrideReason?: string) {
  const [unitId] = await fundedUnitIds(drive);
  const when = new Date(at);
  await matchPackageUnit(h.db, orgId(), { driveId: drive.id, unitId: unitId!, caseId, mode: 'manual', reason: 'test history', overrideReason, actorId: null, now: when });
  await deliverUnits(h.db, orgId(), { driveId: drive.id, unitIds: [unitId!], deliveredOn: at.slice(0, 10), place: 'Trung tâm', staff: 'CTXH', actorId: null, now: when, today: at.slice(0, 10) });
}

describe('the fairness rule', () => {
  it('orders a hand-built set: not served in this drive, then least support in 12 months (count, then value), then longest waiting, then urgency', async () => {
    const drive = await makeDrive(h, { title: 'Đợt công bằng' });
    const other = await makeDrive(h, { value: 500_000n });
    const cheaper = await makeDrive(h, { value: 300_000n });
    await fund(h, drive, 8);
    await fund(h, other, 4);
    await fund(h, cheaper, 1);

    const H = await makeCase(h, { tag: 'H', openedOn: '2025-01-05', urgency: 'low' });
    const A = await makeCase(h, { tag: 'A', openedOn: '2026-01-10', urgency: 'low' });
    const B = await makeCase(h, { tag: 'B', openedOn: '2026-03-01', urgency: 'critical' });
    const C = await makeCase(h, { tag: 'C', openedOn: '2026-03-01', urgency: 'high' });
    const E = await makeCase(h, { tag: 'E', openedOn: '2025-12-01', urgency: 'critical' });
    const E2 = await makeCase(h, { tag: 'E2', openedOn: '2026-02-15', urgency: 'low' });
    const F = await makeCase(h, { tag: 'F', openedOn: '2026-02-01', urgency: 'critical' });
    const G = await makeCase(h, { tag: 'G', openedOn: '2024-06-01', urgency: 'critical' });
    // Never offered: a closed case, one in another commune, one too old for the drive.
    const K = await makeCase(h, { tag: 'K', openedOn: '2024-01-01', urgency: 'critical' });
    await closeCase(h, K.id);
    const L = await makeCase(h, { tag: 'L', openedOn: '2024-01-01', urgency: 'critical', locationId: h.demo.locations.leChan });
    const M = await makeCase(h, { tag: 'M', openedOn: '2024-01-01', urgency: 'critical', birthYear: 2005 });

    // History: H was helped more than 12 months ago; E, E2 and F within the last 12 months.
    await give(other, H.id, '2025-06-01T10:00:00+07:00');
    await give(other, E.id, '2026-06-01T10:00:00+07:00');
    await give(cheaper, E2.id, '2026-07-01T10:00:00+07:00');
    await give(other, F.id, '2026-05-01T10:00:00+07:00');
    await give(other, F.id, '2026-05-02T10:00:00+07:00', 'twins in the same household');
    // G already has a package of this drive.
    const [gUnit] = await fundedUnitIds(drive);
    await matchPackageUnit(h.db, orgId(), { driveId: drive.id, unitId: gUnit!, caseId: G.id, mode: 'suggested', actorId: null, now: h.clock.now() });

    const { suggestions, candidateTotal, fundedTotal } = await suggestMatches(h.db, orgId(), drive.id, { asOf: h.clock.now() });
    expect(fundedTotal).toBe(7);
    expect(candidateTotal).toBe(7);
    expect(suggestions.map((s) => s.candidate.code)).toEqual([H, A, B, C, E2, E, F].map((c) => c.code));
    // Each unit is offered once.
    expect(new Set(suggestions.map((s) => s.unitId)).size).toBe(7);
    const offered = new Set(suggestions.map((s) => s.candidate.caseId));
    for (const never of [G, K, L, M]) expect(offered.has(never.id)).toBe(false);

    const why = (code: string, locale: 'vi' | 'en') => explainCandidate(suggestions.find((s) => s.candidate.code === code)!.candidate, locale, 'VND');
    expect(why(H.code, 'vi')).toBe('chưa nhận suất nào của đợt này · chưa nhận suất quà nào trong 12 tháng qua · chờ từ 01/06/2025 · mức khẩn cấp: thấp');
    expect(why(F.code, 'en')).toMatch(/^not yet served in this drive · 2 package\(s\) \(.*1,000,000.*\) in the last 12 months · waiting since 02\/05\/2026 · urgency: critical$/i);

    // A child whose case opened after E's and F's last packages still comes before them: never helped.
    const N = await makeCase(h, { tag: 'N', openedOn: '2026-08-01', urgency: 'low' });
    // Asked for by hand, the served child comes last and says so.
    const all = await rankedCandidates(h.db, drive, { asOf: h.clock.now(), includeServed: true });
    expect(all.items.at(-1)!.code).toBe(G.code);
    expect(explainCandidate(all.items.at(-1)!, 'en', 'VND')).toMatch(/^already has a package of this drive/);

    // Every page is the same slice of the whole order, whether it stays among the children not
    // helped lately (where the query adds up no deliveries) or reaches past them.
    const row = (c: (typeof all.items)[number]) => `${c.code} ${c.packages12m} ${c.value12mMinor} ${c.waitingSince.toISOString()} ${c.servedInDrive}`;
    const whole = all.items.map(row);
    expect(all.items.map((c) => c.code)).toEqual([H, A, B, C, N, E2, E, F, G].map((c) => c.code));
    for (const limit of [1, 2, 3, 5]) {
      for (let offset = 0; offset < whole.length; offset++) {
        const page = await rankedCandidates(h.db, drive, { asOf: h.clock.now(), includeServed: true, limit, offset });
        expect(page.items.map(row), `limit ${limit} offset ${offset}`).toEqual(whole.slice(offset, offset + limit));
        expect(page.total).toBe(9);
      }
    }
  });
});

describe("each child's last delivery, kept on the case", () => {
  const stored = async (caseId: string) =>
    (await queryRows<{ at: Date | string | null }>(h.db, sql`select last_delivered_at as at from cases where id = ${caseId}`))[0]!.at;
  const drift = () => lastDeliveryDrift(h.db, orgId());
  /** Two drives with `units` funded packages each, and a child with no package yet. */
  const twoDrivesAndAChild = async (tag: string, units: [number, number]) => {
    const drives = [await makeDrive(h, { title: `Đợt ${tag} 1` }), await makeDrive(h, { title: `Đợt ${tag} 2` })] as const;
    await fund(h, drives[0], units[0]);
    await fund(h, drives[1], units[1]);
    const child = await makeCase(h, { tag, openedOn: '2025-02-01' });
    expect(await stored(child.id)).toBeNull();
    return { drives, child };
  };

  it('follows deliveries and their undoing, and ranks the child by it', async () => {
    const {
      drives: [drive, next],
      child,
    } = await twoDrivesAndAChild('LD', [3, 1]);

    await give(drive, child.id, '2026-03-01T09:00:00+07:00');
    await give(drive, child.id, '2026-04-01T09:00:00+07:00', 'second child of the household, same record');
    expect(new Date((await stored(child.id))!).toISOString()).toBe('2026-04-01T02:00:00.000Z');

    // The April hand-over was recorded by mistake: undone within the day, the March one is the last again.
    const [april] = await queryRows<{ id: string }>(h.db, sql`select id from package_units where case_id = ${child.id} and delivered_at = ${new Date('2026-04-01T02:00:00Z')}`);
    await undoDelivery(h.db, orgId(), { unitId: april!.id, reason: 'recorded for the wrong child', actorId: null, now: new Date('2026-04-01T05:00:00Z') });
    expect(new Date((await stored(child.id))!).toISOString()).toBe('2026-03-01T02:00:00.000Z');
    expect(await drift()).toEqual([]);

    const ranked = await rankedCandidates(h.db, next, { asOf: h.clock.now(), caseId: child.id });
    expect(ranked.items[0]).toMatchObject({ packages12m: 1, waitingSince: new Date('2026-03-01T02:00:00Z') });
  });

  it('holds when two deliveries to the same child are recorded at once', async () => {
    const {
      drives: [first, second],
      child,
    } = await twoDrivesAndAChild('LD2', [1, 1]);
    const [a] = await fundedUnitIds(first);
    const [b] = await fundedUnitIds(second);
    for (const [drive, unitId] of [[first, a], [second, b]] as const) {
      await matchPackageUnit(h.db, orgId(), { driveId: drive.id, unitId: unitId!, caseId: child.id, mode: 'manual', reason: 'test', actorId: null, now: new Date('2026-05-01T00:00:00Z') });
    }
    const deliver = (drive: PackageDrive, unitId: string, at: string) =>
      deliverUnits(h.db, orgId(), { driveId: drive.id, unitIds: [unitId], deliveredOn: at.slice(0, 10), place: 'Trung tâm', staff: 'CTXH', actorId: null, now: new Date(at), today: at.slice(0, 10) });
    await Promise.all([deliver(first, a!, '2026-05-03T03:00:00Z'), deliver(second, b!, '2026-05-02T03:00:00Z')]);
    expect(new Date((await stored(child.id))!).toISOString()).toBe('2026-05-03T03:00:00.000Z');
    expect(await drift()).toEqual([]);
  });

  it('names the cases that disagree with their units, and a rebuild mends exactly those', async () => {
    const {
      drives: [drive],
      child,
    } = await twoDrivesAndAChild('LD3', [1, 1]);
    await give(drive, child.id, '2026-03-01T09:00:00+07:00');
    const other = await makeCase(h, { tag: 'LD3b', openedOn: '2025-02-01' });
    // Written behind the trigger's back (a bulk load with triggers off, or a bad hand edit).
    await h.db.execute(sql`update cases set last_delivered_at = null where id = ${child.id}`);
    await h.db.execute(sql`update cases set last_delivered_at = ${new Date('2026-01-01T00:00:00Z')} where id = ${other.id}`);

    const found = await drift();
    expect(found.map((r) => r.case_id).sort()).toEqual([child.id, other.id].sort());
    expect(found.find((r) => r.case_id === child.id)).toMatchObject({ stored: null });
    expect(new Date(found.find((r) => r.case_id === child.id)!.fresh!).toISOString()).toBe('2026-03-01T02:00:00.000Z');
    expect(found.find((r) => r.case_id === other.id)).toMatchObject({ fresh: null });

    const [mended] = await queryRows<{ n: number }>(h.db, sql`select sechia_case_last_delivery_rebuild(${orgId()}) as n`);
    expect(Number(mended!.n)).toBe(2);
    expect(await drift()).toEqual([]);
    expect(new Date((await stored(child.id))!).toISOString()).toBe('2026-03-01T02:00:00.000Z');
    expect(await stored(other.id)).toBeNull();
  });
});

describe('one package per child per drive', () => {
  it('refuses a second unit of the drive for the same child unless a coordinator gives a reason, and the database enforces it', async () => {
    const drive = await makeDrive(h);
    await fund(h, drive, 3);
    const child = await makeCase(h, { tag: 'U1' });
    const [u1, u2, u3] = await fundedUnitIds(drive);
    const match = (unitId: string, overrideReason?: string) => h.request(`${API}/package-drives/${drive.id}/matches`, { as: 'coordinator', method: 'POST', json: { unitId, caseId: child.id, overrideReason } });

    expect((await match(u1!)).status).toBe(201);
    const second = await match(u2!);
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await second.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('overrideReason');
    expect((await h.db.select().from(packageUnits).where(eq(packageUnits.id, u2!)))[0]!.status).toBe('funded');

    // Whatever the code does, the partial unique index refuses the second assignment.
    await expect(h.db.execute(sql`update package_units set status = 'matched', case_id = ${child.id} where id = ${u3}`)).rejects.toThrow();

    const overridden = await match(u2!, 'Two siblings share the case; the centre decided both get a package');
    expect(overridden.status).toBe(201);
    const [row] = await h.db.select().from(packageUnits).where(eq(packageUnits.id, u2!));
    expect(row).toMatchObject({ status: 'matched', caseId: child.id, overrideReason: 'Two siblings share the case; the centre decided both get a package' });
    const events = await h.db.select().from(packageUnitEvents).where(and(eq(packageUnitEvents.unitId, u2!), eq(packageUnitEvents.kind, 'matched')));
    expect(events).toHaveLength(1);
    expect(events[0]!.reason).toMatch(/siblings/);
  });

  it('never matches a closed case (409) or one outside the drive\'s eligibility (400); picking by hand needs a reason', async () => {
    const drive = await makeDrive(h, { categories: ['hiv_affected'] });
    await fund(h, drive, 2);
    const [unit] = await fundedUnitIds(drive);
    const closed = await makeCase(h, { tag: 'Z1', categories: ['hiv_affected'] });
    await closeCase(h, closed.id);
    const wrongCategory = await makeCase(h, { tag: 'Z2', categories: ['poor_household'] });
    const fits = await makeCase(h, { tag: 'Z3', categories: ['hiv_affected', 'orphan'] });
    const post = (json: unknown) => h.request(`${API}/package-drives/${drive.id}/matches`, { as: 'coordinator', method: 'POST', json });

    expect((await post({ unitId: unit, caseId: closed.id, mode: 'manual', reason: 'asked by the caseworker' })).status).toBe(409);
    const inel = await post({ unitId: unit, caseId: wrongCategory.id, mode: 'manual', reason: 'asked by the caseworker' });
    expect(inel.status).toBe(400);
    expect(((await inel.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('caseId');
    const noReason = await post({ unitId: unit, caseId: fits.id, mode: 'manual' });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('reason');
    expect((await post({ unitId: unit, caseId: fits.id, mode: 'manual', reason: 'the family asked for help this month' })).status).toBe(201);
    // The unit is taken now: a second accept is a clear conflict.
    const again = await post({ unitId: unit, caseId: fits.id });
    expect(again.status).toBe(409);
    const sugg = await h.request(`${API}/package-drives/${drive.id}/suggestions`, { as: 'coordinator' });
    const codes = ((await sugg.json()) as { items: { candidate: { code: string } }[] }).items.map((i) => i.candidate.code);
    expect(codes).not.toContain(closed.code);
    expect(codes).not.toContain(wrongCategory.code);
  });
});

describe('two coordinators at once', () => {
  it('20 concurrent accepts over overlapping units and children never double-assign: each one wins or gets a 409', async () => {
    const drive = await makeDrive(h, { locationIds: [h.demo.locations.leChan] });
    await fund(h, drive, 5);
    const units = await fundedUnitIds(drive);
    const children: { id: string }[] = [];
    for (let i = 0; i < 6; i++) children.push(await makeCase(h, { tag: `R${i}`, locationId: h.demo.locations.leChan }));
    const requests = Array.from({ length: 20 }, (_, k) =>
      h.request(`${API}/package-drives/${drive.id}/matches`, { as: k % 2 === 0 ? 'coordinator' : 'admin', method: 'POST', json: { unitId: units[k % 5], caseId: children[(k * 7) % 6]!.id } }),
    );
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409), JSON.stringify(statuses)).toBe(true);
    const won = statuses.filter((s) => s === 201).length;

    const matched = await h.db.select().from(packageUnits).where(and(eq(packageUnits.driveId, drive.id), eq(packageUnits.status, 'matched')));
    expect(matched.length).toBe(won);
    expect(won).toBeGreaterThan(0);
    expect(new Set(matched.map((u) => u.caseId)).size).toBe(matched.length);
    const perUnit = await queryRows<{ unit_id: string; n: number }>(h.db, sql`select unit_id, count(*)::int as n from package_unit_events where kind = 'matched' and unit_id in (select id from package_units where drive_id = ${drive.id}) group by unit_id`);
    expect(perUnit.length).toBe(won);
    expect(perUnit.every((r) => Number(r.n) === 1)).toBe(true);
  });
});

describe('the matching screen at scale', () => {
  it('pages suggestions server-side with 300 units and 500 cases', async () => {
    const drive = await makeDrive(h, { locationIds: [h.demo.locations.thuyNguyen], value: 100_000n });
    await fund(h, drive, 300);
    const year = 2026;
    const { cases } = await import('../../src/db/schema');
    await h.db.insert(cases).values(
      Array.from({ length: 500 }, (_, i) => ({
        orgId: orgId(),
        code: `HP-${year}-9${String(i).padStart(3, '0')}`,
        year,
        seq: 9000 + i,
        status: 'intake' as const,
        birthYear: 2012 + (i % 10),
        gender: i % 2 ? ('male' as const) : ('female' as const),
        locationId: h.demo.locations.thuyNguyen,
        categories: ['poor_household'],
        urgency: (['low', 'medium', 'high', 'critical'] as const)[i % 4],
        openedAt: new Date(Date.UTC(2026, 0, 1 + (i % 200))),
      })),
    );
    const started = Date.now();
    const res = await h.request(`${API}/package-drives/${drive.id}/suggestions?limit=50&offset=250`, { as: 'coordinator' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { fundedTotal: number; candidateTotal: number; items: unknown[] };
    expect(body).toMatchObject({ fundedTotal: 300, candidateTotal: 500 });
    expect(body.items).toHaveLength(50);
    expect(Date.now() - started).toBeLessThan(5_000);
    const page = await h.request(`/o/hai-phong/packages/drives/${drive.id}/match?page=6`, { as: 'coordinator' });
    expect(page.status).toBe(200);
  });
});

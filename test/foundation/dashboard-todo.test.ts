import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { seedCases, seedGiving, seedPackages } from '../../src/demo/seed';
import { driveFunding, getDrive } from '../../src/packages/drives';
import { dashboardTodo } from '../../src/orgs/todo';
import { reconciliationQueue } from '../../src/giving/bank';

let h: Harness;
let ids: Awaited<ReturnType<typeof seedPackages>>;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
  await seedCases(h.db, h.demo);
  await seedGiving(h.db, h.demo);
  ids = await seedPackages(h.db, h.demo);
});
afterAll(() => h?.close());

const O = '/o/hai-phong';
const org = () => ({ id: h.demo.orgId, slug: 'hai-phong' });

describe('the dashboard to-do list', () => {
  it('counts what waits, from the records: bank lines to match, packages to match to a child and to hand over, per drive', async () => {
    const items = await dashboardTodo(h.db, org(), ['admin']);
    const queue = await reconciliationQueue(h.db, h.demo.orgId);
    expect(queue.length).toBeGreaterThan(0);
    expect(items.find((i) => i.kind === 'bank_lines')).toEqual({ kind: 'bank_lines', count: queue.length, href: `${O}/reconciliation` });
    // Every drive with packages waiting is listed with the drive's own counts.
    const driveItems = items.filter((i) => i.kind === 'units_to_match' || i.kind === 'units_to_deliver');
    expect(driveItems.length).toBeGreaterThan(0);
    for (const i of driveItems) {
      const id = /drives\/([0-9a-f-]{36})\//.exec(i.href)![1]!;
      const f = await driveFunding(h.db, await getDrive(h.db, h.demo.orgId, id));
      expect(i.count).toBe(i.kind === 'units_to_match' ? f.funded : f.matched);
      expect(i.href).toBe(`${O}/packages/drives/${id}/${i.kind === 'units_to_match' ? 'match' : 'deliver'}`);
    }
    // The Mid-Autumn drive is delivered in full: nothing of it waits.
    expect(items.some((i) => i.href.includes(ids.moonDriveId))).toBe(false);
  });

  it('shows each reader only the work their roles can do', async () => {
    const kinds = async (role: 'finance' | 'coordinator' | 'caseworker' | 'viewer') => new Set((await dashboardTodo(h.db, org(), [role])).map((i) => i.kind));
    expect(await kinds('finance')).toEqual(new Set(['bank_lines']));
    expect(await kinds('coordinator')).toEqual(new Set(['units_to_match', 'units_to_deliver']));
    expect(await kinds('caseworker')).toEqual(new Set());
    expect(await kinds('viewer')).toEqual(new Set());
    const cw = await (await h.request(O, { as: 'caseworker' })).text();
    expect(cw).toContain('Không có việc nào đang chờ.');
    const admin = await (await h.request(`${O}?lang=en`, { as: 'admin' })).text();
    expect(admin).toMatch(/<li data-todo="bank_lines"><a href="\/o\/hai-phong\/reconciliation">Bank statement lines waiting to be matched: \d+<\/a>/);
    expect(admin).toContain('data-todo="units_to_match"');
    // Another organisation's dashboard lists none of this one's work.
    const other = await dashboardTodo(h.db, { id: h.demo.otherOrgId, slug: 'quang-ninh' }, ['admin']);
    expect(other).toEqual([]);
  });
});

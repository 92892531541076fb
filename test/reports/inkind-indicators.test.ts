import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { seedCases, seedInkind } from '../../src/demo/seed';
import { generate, reportJson, values } from './support';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/types';

/*
 * In-kind indicators on the demo's goods (src/inkind/demo.ts): 300 white school shirts handed
 * out at the school-year opening in Tiên Hưng (one event), and 12 toys given one per child to
 * 12 open cases on 2026-09-20. Computed from stock movements, never typed in.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
  await seedCases(h.db, h.demo);
  await seedInkind(h.db, h.demo);
}, 180_000);
afterAll(() => h?.close());

describe('in-kind indicators', () => {
  it('count units handed out and group distributions in the period, from stock movements', async () => {
    const g = await generate(h, { scope: 'organisation', periodFrom: '2026-09-01', periodTo: '2026-09-30', language: 'en' });
    const v = values(await reportJson(h, g.id));
    expect(v['inkind-items-distributed']).toBe(312);
    expect(v['inkind-events']).toBe(1);
  });

  it('children who received goods count among unique beneficiaries', async () => {
    const g = await generate(h, { scope: 'organisation', periodFrom: '2026-09-20', periodTo: '2026-09-20', language: 'en' });
    const v = values(await reportJson(h, g.id));
    // 12 children got a toy that day, plus any child with a service logged that day.
    const rows = await queryRows<{ n: string }>(
      h.db,
      sql`select count(*)::text as n from (
            select case_id from case_services where delivered_on = '2026-09-20'
            union select case_id from inkind_distributions where case_id is not null and distributed_on = '2026-09-20') x`,
    );
    const toys = await queryRows<{ n: string }>(h.db, sql`select count(distinct case_id)::text as n from inkind_distributions where distributed_on = '2026-09-20'`);
    expect(toys[0]!.n).toBe('12');
    expect(v['beneficiaries-reached']).toBe(Number(rows[0]!.n));
  });

  it('nothing outside the period', async () => {
    const g = await generate(h, { scope: 'organisation', periodFrom: '2026-10-01', periodTo: '2026-10-31', language: 'vi' });
    const v = values(await reportJson(h, g.id));
    expect(v['inkind-items-distributed']).toBe(0);
    expect(v['inkind-events']).toBe(0);
  });
});

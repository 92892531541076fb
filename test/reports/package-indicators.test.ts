import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { seedCases, seedGiving, seedPackages } from '../../src/demo/seed';
import { queryRows } from '../../src/db/types';
import { generate, reportJson, values } from './support';

/*
 * Gift-package indicators on the demo (src/packages/seed.ts): the Mid-Autumn drive, 25 packages
 * × 500,000 VND, all handed to 25 different children in Tiên Hưng on 2026-09-25; the
 * 20 × 1,000,000 VND drive for children with autism or HIV, 5 delivered.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T03:00:00Z' });
  await seedCases(h.db, h.demo);
  await seedGiving(h.db, h.demo);
  await seedPackages(h.db, h.demo);
}, 180_000);
afterAll(() => h?.close());

describe('gift-package indicators', () => {
  it('the Mid-Autumn campaign: 25 × 500,000 VND = 12,500,000 VND delivered to 25 children in Tiên Hưng', async () => {
    const [c] = await queryRows<{ id: string }>(h.db, sql`select id from campaigns where slug = 'trung-thu-2026' and org_id = ${h.demo.orgId}`);
    const g = await generate(h, { scope: 'campaign', campaignId: c!.id, periodFrom: '2026-08-01', periodTo: '2026-09-30', language: 'vi' });
    const v = values(await reportJson(h, g.id));
    expect(v['packages-funded']).toBe(25);
    expect(v['packages-delivered']).toBe(25);
    expect(v['packages-delivered-percent']).toBe(10_000);
    expect(v['packages-value-delivered']).toBe(12_500_000);
    const place = await queryRows<{ n: string }>(
      h.db,
      sql`select count(distinct u.case_id)::text as n from package_units u join cases k on k.id = u.case_id
          where u.status = 'delivered' and k.location_id in (select id from locations where path like (select path from locations where id = ${h.demo.locations.tienHung}) || '%')
          and u.drive_id in (select id from package_drives where campaign_id = ${c!.id})`,
    );
    expect(place[0]!.n).toBe('25');
  });

  it('the organisation in 2026: both drives, delivered value and median days computed from the units', async () => {
    const g = await generate(h, { scope: 'organisation', periodFrom: '2026-01-01', periodTo: '2026-12-31', language: 'en' });
    const v = values(await reportJson(h, g.id));
    expect(v['packages-delivered']).toBe(30);
    expect(v['packages-value-delivered']).toBe(25 * 500_000 + 5 * 1_000_000);
    const [m] = await queryRows<{ median: string }>(
      h.db,
      sql`select percentile_cont(0.5) within group (order by u.delivered_on - (coalesce(d.received_at, u.created_at) at time zone 'Asia/Ho_Chi_Minh')::date)::text as median
          from package_units u left join donations d on d.id = u.donation_id where u.org_id = ${h.demo.orgId} and u.status = 'delivered'`,
    );
    expect(v['packages-median-days']).toBe(Math.round(Number(m!.median) * 10) / 10);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from './setup';
import { campaignProgress, createCampaign, progressPerCampaign, publicCampaignList, type Campaign } from '../../src/giving/campaigns';
import { recordOfflineGift } from '../../src/giving/gifts';
import { recordRefund } from '../../src/giving/donations';
import { createDonor } from '../../src/donors/donors';
import { dashboardCounts } from '../../src/orgs/dashboard';

let g: GivingHarness;
let drive: Campaign;
let quiet: Campaign;
const ctx = { appUrl: 'http://localhost:8787', today: '2026-09-20' };

beforeAll(async () => {
  g = await createGivingHarness();
  const orgId = g.h.demo.orgId;
  drive = await createCampaign(g.h.db, orgId, { slug: 'ao-am', title: 'Áo ấm mùa đông', goalMinor: 5_000_000n, currency: 'VND', status: 'active' });
  quiet = await createCampaign(g.h.db, orgId, { slug: 'chua-co-qua', title: 'Chưa có quà', goalMinor: 1_000_000n, currency: 'VND', status: 'active' });
  const lan = await createDonor(g.h.db, orgId, { name: 'Trần Thị Lan', email: 'lan.progress@example.org' });
  const minh = await createDonor(g.h.db, orgId, { name: 'Lê Văn Minh', email: 'minh.progress@example.org' });
  const gift = (amount: bigint, ref: string, donorId: string | null) =>
    recordOfflineGift(g.h.db, orgId, { donorId, campaignId: drive.id, channel: 'bank_transfer', amountMinor: amount, currency: 'VND', receivedOn: '2026-09-10', reference: ref }, ctx);
  await gift(1_000_000n, 'FT-PROG-1', lan.id);
  await gift(500_000n, 'FT-PROG-2', lan.id); // the same donor twice
  const partly = await gift(800_000n, 'FT-PROG-3', minh.id);
  const whole = await gift(300_000n, 'FT-PROG-4', null); // no donor on record, then refunded in full
  await gift(200_000n, 'FT-PROG-5', null); // another gift with no donor: a giver of its own
  await recordRefund(g.h.db, { orgId, donationId: partly.id, amountMinor: 300_000n, refundedAt: new Date('2026-09-11T03:00:00Z') }, ctx);
  await recordRefund(g.h.db, { orgId, donationId: partly.id, amountMinor: 100_000n, refundedAt: new Date('2026-09-12T03:00:00Z') }, ctx);
  await recordRefund(g.h.db, { orgId, donationId: whole.id, amountMinor: 300_000n, refundedAt: new Date('2026-09-11T03:00:00Z') }, ctx);
});
afterAll(() => g?.h.close());

describe("a campaign's progress", () => {
  // 1,000,000 + 500,000 + (800,000 − 400,000) + (300,000 − 300,000) + 200,000
  const raised = 2_100_000n;

  it('counts gifts net of every refund, a gift refunded in full as none, and each donor once', async () => {
    const p = await campaignProgress(g.h.db, drive, 'VND', 'vi');
    expect(p).toMatchObject({ raisedMinor: raised, giftCount: 4, donorCount: 3, currency: 'VND' });
    expect(p.recent).toHaveLength(5);
    const none = await campaignProgress(g.h.db, quiet, 'VND', 'vi');
    expect(none).toMatchObject({ raisedMinor: 0n, giftCount: 0, donorCount: 0, recent: [] });
  });

  it('gives the same totals in the staff list, the list of the API, the public list and on the staff page', async () => {
    const all = await progressPerCampaign(g.h.db, g.h.demo.orgId, 'VND');
    expect(all.get(drive.id)).toEqual({ raisedMinor: raised, giftCount: 4, donorCount: 3 });
    expect(all.has(quiet.id)).toBe(false);
    expect((await progressPerCampaign(g.h.db, g.h.demo.orgId, 'VND', { donors: false })).get(drive.id)?.raisedMinor).toBe(raised);

    const api = (await (await g.h.request('/api/v1/orgs/hai-phong/campaigns', { as: 'viewer' })).json()) as { items: { id: string; raisedMinor: number; donorCount: number }[] };
    expect(api.items.find((x) => x.id === drive.id)).toMatchObject({ raisedMinor: 2_100_000, donorCount: 3 });
    expect(api.items.find((x) => x.id === quiet.id)).toMatchObject({ raisedMinor: 0, donorCount: 0 });

    const list = await publicCampaignList(g.h.db, 'hai-phong');
    const card = list!.active.find((x) => x.campaign.id === drive.id);
    expect(card).toMatchObject({ raisedMinor: raised, donorCount: 3 });
    expect(list!.active.find((x) => x.campaign.id === quiet.id)).toMatchObject({ raisedMinor: 0n, donorCount: 0 });

    const page = await (await g.h.request(`/o/hai-phong/campaigns?lang=en`, { as: 'viewer' })).text();
    const row = page.split('<tr>').find((r) => r.includes('Áo ấm mùa đông'));
    expect(row).toMatch(/2,100,000/);
  });
});

describe('the dashboard', () => {
  it('counts every gift and the base-currency money net of refunds exactly as the gifts themselves add up', async () => {
    const orgId = g.h.demo.orgId;
    const [fresh] = (
      (await g.h.db.execute(
        sql`select (select count(*) from donations where org_id = ${orgId})::int as donations,
                   ((select coalesce(sum(amount_minor), 0) from donations where org_id = ${orgId} and currency = 'VND')
                    - (select coalesce(sum(r.amount_minor), 0) from refunds r join donations d on d.id = r.donation_id where d.org_id = ${orgId} and d.currency = 'VND'))::text as raised,
                   (select count(*) from donations where org_id = ${orgId} and currency <> 'VND')::int as foreign_gifts`,
      )) as unknown as { rows: { donations: number; raised: string; foreign_gifts: number }[] }
    ).rows;
    const counts = await dashboardCounts(g.h.db, orgId);
    expect(counts.donations).toBe(fresh!.donations);
    expect(counts.raised).toBe(fresh!.raised);
    expect(BigInt(String(counts.raised))).toBeGreaterThanOrEqual(2_100_000n);

    // A gift in another currency is counted as a gift, but not in the VND total.
    await recordOfflineGift(g.h.db, orgId, { campaignId: g.usdCampaign.id, channel: 'cash', amountMinor: 5_000n, currency: 'USD', receivedOn: '2026-09-15', reference: 'PT-PROG-USD' }, ctx);
    const after = await dashboardCounts(g.h.db, orgId);
    expect(after.donations).toBe(fresh!.donations + 1);
    expect(after.raised).toBe(fresh!.raised);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from './setup';
import { campaignProgress, createCampaign, progressPerCampaign, updateCampaign, type Campaign } from '../../src/giving/campaigns';
import { centreFigures, FIGURES_MAX_AGE_MS } from '../../src/reports/public-figures';
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

    const cards = (await centreFigures(g.h.db, g.h.demo.orgId, g.h.clock.now())).campaigns;
    expect(cards.get(drive.id)).toEqual({ raisedMinor: raised, donorCount: 3, delivered: 0 });
    expect(cards.get(quiet.id)).toEqual({ raisedMinor: 0n, donorCount: 0, delivered: 0 });
    const centre = await (await g.h.request('/c/hai-phong')).text();
    expect(card(centre, 'ao-am')).toContain('2.100.000');
    expect(card(centre, 'ao-am')).toMatch(/3 nhà hảo tâm/);
    expect(card(centre, 'chua-co-qua')).toMatch(/0 nhà hảo tâm/);

    const page = await (await g.h.request(`/o/hai-phong/campaigns?lang=en`, { as: 'viewer' })).text();
    const row = page.split('<tr>').find((r) => r.includes('Áo ấm mùa đông'));
    expect(row).toMatch(/2,100,000/);
  });
});

/** One campaign's card on the centre page. */
const card = (html: string, slug: string) => html.split('<li class="card"').find((li) => li.includes(`data-campaign="${slug}"`)) ?? '';

describe("the centre page's campaign cards", () => {
  it('come from the stored figures: a new gift shows once they are computed again, a campaign published since at once', async () => {
    const orgId = g.h.demo.orgId;
    const before = card(await (await g.h.request('/c/hai-phong')).text(), 'ao-am');
    await recordOfflineGift(g.h.db, orgId, { campaignId: drive.id, channel: 'cash', amountMinor: 400_000n, currency: 'VND', receivedOn: '2026-09-20', reference: 'PT-CARD-1' }, ctx);
    // Within the age limit the card is the stored one.
    expect(card(await (await g.h.request('/c/hai-phong')).text(), 'ao-am')).toBe(before);

    // A campaign published after the figures were stored, with a gift recorded while it was a draft.
    const late = await createCampaign(g.h.db, orgId, { slug: 'moi-mo', title: 'Mới mở', goalMinor: 2_000_000n, currency: 'VND', status: 'draft' });
    await recordOfflineGift(g.h.db, orgId, { campaignId: late.id, channel: 'cash', amountMinor: 150_000n, currency: 'VND', receivedOn: '2026-09-20', reference: 'PT-CARD-2' }, ctx);
    expect(card(await (await g.h.request('/c/hai-phong')).text(), 'moi-mo')).toBe('');
    await updateCampaign(g.h.db, orgId, late.id, { slug: 'moi-mo', title: 'Mới mở', goalMinor: 2_000_000n, currency: 'VND', status: 'active' }, g.h.clock.now());
    const published = card(await (await g.h.request('/c/hai-phong')).text(), 'moi-mo');
    expect(published).toContain('150.000');
    expect(published).toMatch(/1 nhà hảo tâm/);

    // Past the limit: that visit has them computed again after its answer; the next one shows the gift.
    g.h.clock.advance(FIGURES_MAX_AGE_MS + 60_000);
    await g.h.request('/c/hai-phong');
    const after = card(await (await g.h.request('/c/hai-phong')).text(), 'ao-am');
    expect(after).toContain('2.500.000');
    expect(after).toMatch(/4 nhà hảo tâm/);
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

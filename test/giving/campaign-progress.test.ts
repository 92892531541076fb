import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from './setup';
import { campaignDonorsDrift, campaignProgress, createCampaign, progressPerCampaign, rebuildCampaignDonors, updateCampaign, type Campaign } from '../../src/giving/campaigns';
import { centreFigures, FIGURES_MAX_AGE_MS } from '../../src/reports/public-figures';
import { recordOfflineGift } from '../../src/giving/gifts';
import { recordRefund } from '../../src/giving/donations';
import { createDonor, mergeDonors } from '../../src/donors/donors';
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

describe("a campaign's donor count, kept as gifts, refunds and merges happen", () => {
  it('follows every change and agrees with a fresh count after each', async () => {
    const orgId = g.h.demo.orgId;
    const c = await createCampaign(g.h.db, orgId, { slug: 'sach-vo', title: 'Sách vở', goalMinor: 9_000_000n, currency: 'VND', status: 'active' });
    const other = await createCampaign(g.h.db, orgId, { slug: 'sach-vo-2', title: 'Sách vở 2', goalMinor: 9_000_000n, currency: 'VND', status: 'active' });
    const hoa = await createDonor(g.h.db, orgId, { name: 'Phạm Thị Hoa', email: 'hoa.count@example.org' });
    const hoa2 = await createDonor(g.h.db, orgId, { name: 'Phạm T. Hoa', email: 'hoa.count2@example.org' });
    const tuan = await createDonor(g.h.db, orgId, { name: 'Vũ Anh Tuấn', email: 'tuan.count@example.org' });
    let n = 0;
    const gift = (donorId: string | null, amount = 100_000n, campaignId = c.id) =>
      recordOfflineGift(g.h.db, orgId, { donorId, campaignId, channel: 'cash', amountMinor: amount, currency: 'VND', receivedOn: '2026-09-18', reference: `PT-COUNT-${++n}` }, ctx);
    const donors = async (id = c.id) => (await progressPerCampaign(g.h.db, orgId, 'VND', { campaignIds: [id] })).get(id)?.donorCount ?? 0;
    const refund = (donationId: string, amountMinor: bigint) => recordRefund(g.h.db, { orgId, donationId, amountMinor, refundedAt: new Date('2026-09-19T03:00:00Z') }, ctx);
    const fresh = async () => expect(await campaignDonorsDrift(g.h.db, orgId)).toEqual([]);

    const h1 = await gift(hoa.id);
    const h2 = await gift(hoa.id);
    const t1 = await gift(tuan.id, 400_000n);
    const h3 = await gift(hoa2.id);
    expect(await donors()).toBe(3);
    await fresh();

    // Hoa's first gift refunded in full: her second still counts her.
    await refund(h1.id, 100_000n);
    expect(await donors()).toBe(3);
    // Tuấn's only gift refunded in two parts: counted until the second takes it to nothing.
    await refund(t1.id, 150_000n);
    expect(await donors()).toBe(3);
    await refund(t1.id, 250_000n);
    expect(await donors()).toBe(2);
    await fresh();

    // The two Hoas are one person: merged, she counts once; her refunded gift stays uncounted.
    await mergeDonors(g.h.db, orgId, hoa.id, hoa2.id, { actorKind: 'user', actorId: null, at: g.h.clock.now() });
    expect(await donors()).toBe(1);
    await fresh();
    await refund(h2.id, 100_000n);
    expect(await donors()).toBe(1);
    await refund(h3.id, 100_000n);
    expect(await donors()).toBe(0);
    await fresh();

    // At once (concurrent transactions where the database has them): four gifts from each of two
    // givers, then all but one of one giver's gifts refunded in full at once.
    const busy = await createCampaign(g.h.db, orgId, { slug: 'sach-vo-3', title: 'Sách vở 3', goalMinor: 9_000_000n, currency: 'VND', status: 'active' });
    const burst = await Promise.all([...Array(8).keys()].map((i) => gift(i % 2 ? hoa.id : tuan.id, 100_000n, busy.id)));
    expect(await donors(busy.id)).toBe(2);
    const tuans = burst.filter((_, i) => i % 2 === 0);
    await Promise.all(tuans.slice(1).map((d) => refund(d.id, 100_000n)));
    expect(await donors(busy.id)).toBe(2);
    await refund(tuans[0]!.id, 100_000n);
    expect(await donors(busy.id)).toBe(1);
    await fresh();

    // A gift moved to another campaign (a correction made in the database) moves its giver too.
    const t2 = await gift(tuan.id);
    expect([await donors(), await donors(other.id)]).toEqual([1, 0]);
    await g.h.db.execute(sql`update donations set campaign_id = ${other.id} where id = ${t2.id}`);
    expect([await donors(), await donors(other.id)]).toEqual([0, 1]);
    await fresh();

    // A rebuild from the gifts gives the same rows; a tampered row shows as drift until then.
    await g.h.db.execute(sql`update campaign_donors set live_gifts = live_gifts + 5 where campaign_id = ${other.id}`);
    expect((await campaignDonorsDrift(g.h.db, orgId)).map((r) => [r.stored, r.fresh])).toEqual([[6, 1]]);
    await rebuildCampaignDonors(g.h.db, orgId);
    await fresh();
    expect(await donors(other.id)).toBe(1);
  });
});

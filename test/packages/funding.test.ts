import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from '../giving/setup';
import { stripeEvent } from '../support/stripe-standin';
import { auditLog, donations, ledgerEntries, ledgerPostings, packageUnitEvents, packageUnits, receipts, refunds } from '../../src/db/schema';
import { queryRows } from '../../src/db/types';
import { fundBalance } from '../../src/giving/ledger';
import { ensureGeneralFund } from '../../src/giving/campaigns';
import { driveFunding, drivesFunding, listDriveUnits, type PackageDrive } from '../../src/packages/drives';
import { API, fund, makeCase, makeDrive } from './support';

let g: GivingHarness;
beforeAll(async () => {
  g = await createGivingHarness({ now: '2026-09-20T03:00:00Z' });
});
afterAll(() => g?.h.close());

const h = () => g.h;
const orgId = () => g.h.demo.orgId;
const unitsOfDonation = (donationId: string) => g.h.db.select().from(packageUnits).where(eq(packageUnits.donationId, donationId));
const units = async (drive: PackageDrive, status?: 'funded' | 'matched' | 'cancelled') => (await listDriveUnits(g.h.db, orgId(), drive.id, { status, limit: 500 })).items;

/** Every posting of the drive's fund sums to zero per currency. */
async function expectBalancedPostings(fundId: string) {
  const off = await queryRows<{ posting_id: string; total: string }>(
    g.h.db,
    sql`select posting_id, sum(amount_minor)::text as total from ledger_entries where posting_id in (select posting_id from ledger_entries where fund_id = ${fundId}) group by posting_id, currency having sum(amount_minor) <> 0`,
  );
  expect(off).toEqual([]);
}

describe('funding packages by card, through the giving flow', () => {
  it('a completed checkout for 3 packages creates 3 funded units once, however often the webhook comes', async () => {
    const drive = await makeDrive(h(), { value: 500_000n });
    const res = await h().request(`${API}/package-drives/${drive.id}/checkout`, { method: 'POST', json: { name: 'Lê Văn Tâm', email: 'tam.le@example.org', quantity: 3 } });
    expect(res.status, await res.clone().text()).toBe(201);
    const { checkoutId } = (await res.json()) as { checkoutId: string };
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('line_items[0][quantity]')).toBe('3');
    expect(req.params.get('line_items[0][price_data][unit_amount]')).toBe('500000');
    const sessionId = (await queryRows<{ stripe_session_id: string }>(g.h.db, sql`select stripe_session_id from checkout_sessions where id = ${checkoutId}`))[0]!.stripe_session_id;
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(sessionId), { created: Math.floor(g.h.clock.now().getTime() / 1000) });
    const deliveries = await Promise.all([g.deliver(event), g.deliver(event), g.deliver(event)]);
    expect(deliveries.every((r) => r.status === 200)).toBe(true);
    const [d] = await g.h.db.select().from(donations).where(eq(donations.stripeCheckoutSessionId, sessionId));
    expect(d).toMatchObject({ amountMinor: 1_500_000n, quantity: 3, fundId: drive.fundId, campaignId: drive.campaignId });
    const made = await unitsOfDonation(d!.id);
    expect(made.map((u) => u.unitNo).sort()).toEqual([1, 2, 3]);
    expect(made.every((u) => u.status === 'funded' && u.valueMinor === 500_000n && u.moneyAccount === 'stripe_balance')).toBe(true);
    // Stripe's fee is paid from the drive's fund: the drive shows it as money still missing.
    const [settled] = await g.h.db.select().from(donations).where(eq(donations.id, d!.id));
    const fee = settled!.feeMinor!;
    expect(fee).toBeGreaterThan(0n);
    const f = await driveFunding(g.h.db, drive);
    expect(f).toMatchObject({ funded: 3, balanceMinor: 1_500_000n - fee, committedMinor: 1_500_000n, surplusMinor: -fee, shortfallUnits: 7 });
  });

  it('a card refund arriving from Stripe cancels the funded units it no longer pays for, once', async () => {
    const drive = await makeDrive(h(), { value: 500_000n });
    const res = await h().request(`${API}/package-drives/${drive.id}/checkout`, { method: 'POST', json: { name: 'Hoàng Văn Bình', email: 'binh.hoang@example.org', quantity: 3 } });
    const { checkoutId } = (await res.json()) as { checkoutId: string };
    const sessionId = (await queryRows<{ stripe_session_id: string }>(g.h.db, sql`select stripe_session_id from checkout_sessions where id = ${checkoutId}`))[0]!.stripe_session_id;
    const paid = g.stripe.completeSession(sessionId);
    const t = Math.floor(g.h.clock.now().getTime() / 1000);
    await g.deliver(stripeEvent('checkout.session.completed', paid, { created: t }));
    const pi = paid.payment_intent as string;
    const partial = stripeEvent('charge.refunded', g.stripe.refundedCharge(pi, [{ id: 're_pkg_1', amount: 500_000 }]), { created: t + 1 });
    for (const e of [partial, partial]) expect((await g.deliver(e)).status).toBe(200);
    let all = await units(drive);
    expect(all.filter((u) => u.status === 'cancelled')).toHaveLength(1);
    expect(all.filter((u) => u.status === 'funded')).toHaveLength(2);
    const full = stripeEvent('charge.refunded', g.stripe.refundedCharge(pi, [{ id: 're_pkg_1', amount: 500_000 }, { id: 're_pkg_2', amount: 1_000_000 }]), { created: t + 2 });
    expect((await g.deliver(full)).status).toBe(200);
    all = await units(drive);
    expect(all.every((u) => u.status === 'cancelled')).toBe(true);
    const events = await queryRows<{ n: number }>(g.h.db, sql`select count(*)::int as n from package_unit_events where kind = 'cancelled' and unit_id in (select id from package_units where drive_id = ${drive.id})`);
    expect(Number(events[0]!.n)).toBe(3);
  });

  it("the drive's public page takes a card gift for N packages and keeps the typed values on a mistake", async () => {
    const drive = await makeDrive(h(), { value: 500_000n, title: 'Đợt công khai' });
    const slug = (await queryRows<{ slug: string }>(g.h.db, sql`select slug from campaigns where id = ${drive.campaignId}`))[0]!.slug;
    const path = `/c/hai-phong/${slug}/packages/${drive.id}`;
    const page = await h().request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('0/10');
    const bad = await h().request(path, { method: 'POST', form: { quantity: '2', name: 'Đỗ Thị Hiền', email: 'nope' } });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('value="Đỗ Thị Hiền"');
    expect(html).toMatch(/id="email"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="email"/);
    const ok = await h().request(path, { method: 'POST', form: { quantity: '2', name: 'Đỗ Thị Hiền', email: 'hien.do@example.org' } });
    expect(ok.status).toBe(303);
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('line_items[0][quantity]')).toBe('2');
    expect(JSON.parse(req.params.get('metadata[sechia_purpose]')!)).toEqual({ kind: 'package_drive', driveId: drive.id, quantity: 2 });
    expect((await h().request(`/c/quang-ninh/${slug}/packages/${drive.id}`)).status).toBe(404);
  });

  it('rejects a bad quantity and an unknown drive', async () => {
    const drive = await makeDrive(h());
    const bad = await h().request(`${API}/package-drives/${drive.id}/checkout`, { method: 'POST', json: { name: 'X', email: 'x@example.org', quantity: 0 } });
    expect(bad.status).toBe(400);
    const unknown = await h().request(`${API}/package-drives/00000000-0000-4000-8000-000000000000/checkout`, { method: 'POST', json: { name: 'X', email: 'x@example.org', quantity: 1 } });
    expect(unknown.status).toBe(404);
  });
});

describe('funding packages offline', () => {
  it('finance records a cash gift for 4 packages: 4 units, a receipt, and a 409 for the same reference twice', async () => {
    const drive = await makeDrive(h(), { value: 250_000n });
    const body = { channel: 'bank_transfer', quantity: 4, receivedOn: '2026-09-18', reference: 'FT-PKG-0001' };
    const res = await h().request(`${API}/package-drives/${drive.id}/offline-gifts`, { as: 'finance', method: 'POST', json: body });
    expect(res.status, await res.clone().text()).toBe(201);
    const gift = (await res.json()) as { id: string; amountMinor: number; quantity: number };
    expect(gift).toMatchObject({ amountMinor: 1_000_000, quantity: 4 });
    expect(await unitsOfDonation(gift.id)).toHaveLength(4);
    expect(await g.h.db.select().from(receipts).where(eq(receipts.donationId, gift.id))).toHaveLength(1);
    const again = await h().request(`${API}/package-drives/${drive.id}/offline-gifts`, { as: 'finance', method: 'POST', json: body });
    expect(again.status).toBe(409);
    expect((await units(drive)).length).toBe(4);
    const badDate = await h().request(`${API}/package-drives/${drive.id}/offline-gifts`, { as: 'finance', method: 'POST', json: { ...body, reference: 'FT-PKG-0002', receivedOn: '2027-01-01' } });
    expect(badDate.status).toBe(400);
    expect(((await badDate.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('receivedOn');
  });
});

describe('cancelling a funded unit', () => {
  it('refunds an offline gift with balanced entries and a corrected receipt', async () => {
    const drive = await makeDrive(h(), { value: 500_000n });
    const { gift } = await fund(h(), drive, 2);
    const [unit] = await units(drive, 'funded');
    const res = await h().request(`${API}/package-units/${unit!.id}/cancel`, { as: 'finance', method: 'POST', json: { action: 'refund', reason: 'The donor moved abroad and asked for the money back' } });
    expect(res.status, await res.clone().text()).toBe(200);
    const [r] = await g.h.db.select().from(refunds).where(eq(refunds.donationId, gift.id));
    expect(r!.amountMinor).toBe(500_000n);
    expect((await fundBalance(g.h.db, orgId(), drive.fundId)).VND).toBe(500_000n);
    await expectBalancedPostings(drive.fundId);
    expect(await g.h.db.select().from(receipts).where(and(eq(receipts.donationId, gift.id), eq(receipts.kind, 'correction')))).toHaveLength(1);
    const [ev] = await g.h.db.select().from(packageUnitEvents).where(and(eq(packageUnitEvents.unitId, unit!.id), eq(packageUnitEvents.kind, 'cancelled')));
    expect(ev).toMatchObject({ fromStatus: 'funded', toStatus: 'cancelled', reason: 'The donor moved abroad and asked for the money back' });
    expect((await driveFunding(g.h.db, drive))).toMatchObject({ funded: 1, cancelled: 1, surplusMinor: 0n });
    // Cancelled stays cancelled, and a second cancel is a conflict.
    expect((await h().request(`${API}/package-units/${unit!.id}/cancel`, { as: 'finance', method: 'POST', json: { action: 'general_fund', reason: 'again' } })).status).toBe(409);
    await expect(g.h.db.execute(sql`update package_units set status = 'funded' where id = ${unit!.id}`)).rejects.toThrow();
  });

  it('re-designates to the general fund or moves to another drive, with balanced transfers; a matched unit cannot be cancelled', async () => {
    const drive = await makeDrive(h(), { value: 500_000n, locationIds: [h().demo.locations.leChan] });
    const other = await makeDrive(h(), { value: 500_000n });
    await fund(h(), drive, 3);
    const general = await ensureGeneralFund(g.h.db, orgId());
    const generalBefore = (await fundBalance(g.h.db, orgId(), general.id)).VND ?? 0n;
    const [a, b, c] = await units(drive, 'funded');

    const toGeneral = await h().request(`${API}/package-units/${a!.id}/cancel`, { as: 'finance', method: 'POST', json: { action: 'general_fund', reason: 'The donor agreed to unrestricted use' } });
    expect(toGeneral.status).toBe(200);
    expect((await fundBalance(g.h.db, orgId(), general.id)).VND).toBe(generalBefore + 500_000n);

    const moved = await h().request(`${API}/package-units/${b!.id}/cancel`, { as: 'admin', method: 'POST', json: { action: 'move_to_drive', targetDriveId: other.id, reason: 'Lê Chân needs fewer packages than funded' } });
    expect(moved.status).toBe(200);
    const otherUnits = await units(other, 'funded');
    expect(otherUnits).toHaveLength(1);
    expect((await fundBalance(g.h.db, orgId(), other.fundId)).VND).toBe(500_000n);
    expect((await fundBalance(g.h.db, orgId(), drive.fundId)).VND).toBe(500_000n);
    await expectBalancedPostings(drive.fundId);
    await expectBalancedPostings(other.fundId);

    await makeCase(h(), { tag: 'CX', locationId: h().demo.locations.leChan });
    const auto = await h().request(`${API}/package-drives/${drive.id}/auto-match`, { as: 'coordinator', method: 'POST', json: {} });
    expect(await auto.json()).toEqual({ matched: 1, skipped: 0 });
    const matchedCancel = await h().request(`${API}/package-units/${c!.id}/cancel`, { as: 'finance', method: 'POST', json: { action: 'general_fund', reason: 'x' } });
    expect(matchedCancel.status).toBe(409);
    const noReason = await h().request(`${API}/package-units/${c!.id}/cancel`, { as: 'finance', method: 'POST', json: { action: 'general_fund', reason: '' } });
    expect(noReason.status).toBe(400);
  });
});

describe('over- and under-funding', () => {
  it('shows a surplus and moves it only by an explicit, recorded decision with a ledger transfer', async () => {
    const drive = await makeDrive(h(), { value: 400_000n, target: 2 });
    // A bank gift of 1,000,000 đ for 2 packages: 200,000 đ more than the packages need.
    await fund(h(), drive, 2);
    const { recordOfflineGift } = await import('../../src/giving/gifts');
    await recordOfflineGift(g.h.db, orgId(), { campaignId: drive.campaignId, fundId: drive.fundId, channel: 'cash', amountMinor: 200_000n, currency: 'VND', receivedOn: '2026-09-19', purpose: { kind: 'package_drive', driveId: drive.id, quantity: 1 } }, { appUrl: 'http://localhost:8787', today: '2026-09-20' });
    await fund(h(), drive, 1);
    const res = await h().request(`${API}/package-drives/${drive.id}`, { as: 'viewer' });
    const body = (await res.json()) as { funding: Record<string, number> };
    expect(body.funding).toMatchObject({ target: 2, active: 3, overTargetUnits: 1, shortfallUnits: 0, balanceMinor: 1_400_000, committedMinor: 1_200_000, surplusMinor: 200_000 });

    const tooMuch = await h().request(`${API}/package-drives/${drive.id}/surplus`, { as: 'finance', method: 'POST', json: { to: 'general', amountMinor: 200_001, reason: 'Close the drive' } });
    expect(tooMuch.status).toBe(409);
    const ok = await h().request(`${API}/package-drives/${drive.id}/surplus`, { as: 'finance', method: 'POST', json: { to: 'general', amountMinor: 200_000, reason: 'Leftover after the festival, agreed with the donors' } });
    expect(ok.status).toBe(201);
    const { decisionId } = (await ok.json()) as { decisionId: string };
    const [posting] = await g.h.db.select().from(ledgerPostings).where(eq(ledgerPostings.key, `drive-surplus:${decisionId}`));
    expect(posting!.kind).toBe('transfer');
    const lines = await g.h.db.select().from(ledgerEntries).where(eq(ledgerEntries.postingId, posting!.id));
    expect(lines.reduce((s, e) => s + e.amountMinor, 0n)).toBe(0n);
    // Taken from the money account holding the drive's money: every gift here was cash.
    expect([...new Set(lines.filter((e) => e.account !== 'transfers').map((e) => e.account))]).toEqual(['cash']);
    const audits = await g.h.db.select().from(auditLog).where(and(eq(auditLog.action, 'package_drive.surplus_moved'), eq(auditLog.subjectId, drive.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.reason).toBe('Leftover after the festival, agreed with the donors');
    expect((await driveFunding(g.h.db, drive)).surplusMinor).toBe(0n);
  });
});

describe('funding of several drives at once', () => {
  it('gives each drive exactly what it gives alone, drives without units included', async () => {
    const a = await makeDrive(g.h, { target: 5, title: 'Nhiều đợt A' });
    const b = await makeDrive(g.h, { target: 2, title: 'Nhiều đợt B' });
    const empty = await makeDrive(g.h, { target: 3, title: 'Nhiều đợt C' });
    await fund(g.h, a, 3);
    await fund(g.h, b, 4);
    const [unit] = (await listDriveUnits(g.h.db, g.h.demo.orgId, a.id, { status: 'funded' })).items;
    const cancelled = await g.h.request(`${API}/package-units/${unit!.id}/cancel`, { as: 'finance', method: 'POST', json: { action: 'general_fund', reason: 'The donor asked for the gift to go to the general fund' } });
    expect(cancelled.status).toBe(200);

    const together = await drivesFunding(g.h.db, g.h.demo.orgId, [a, b, empty]);
    for (const d of [a, b, empty]) expect(together.get(d.id), d.titleVi).toEqual(await driveFunding(g.h.db, d));
    expect(together.get(b.id)).toMatchObject({ funded: 4, overTargetUnits: 2 });
    expect(together.get(empty.id)).toMatchObject({ active: 0, balanceMinor: 0n, shortfallUnits: 3 });

    const api = (await (await g.h.request(`${API}/package-drives`, { as: 'viewer' })).json()) as { items: { id: string; funding: { funded: number } }[] };
    expect(api.items.find((x) => x.id === b.id)?.funding.funded).toBe(4);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { createDonor } from '../../src/donors/donors';
import { createCampaign, ensureGeneralFund } from '../../src/giving/campaigns';
import { recordOfflineGift } from '../../src/giving/gifts';
import { recordRefund } from '../../src/giving/donations';
import { annualStatement } from '../../src/donors/statement';
import { layoutStatementPdf, renderStatementPdf } from '../../src/donors/statement-pdf';

let h: Harness;
let donorId: string;
let otherDonorId: string;
const ctx = { appUrl: 'http://localhost:8787', today: '2026-12-31' };
beforeAll(async () => {
  h = await createHarness({ now: '2026-12-31T03:00:00Z' });
  await ensureGeneralFund(h.db, h.demo.orgId);
  const camp = await createCampaign(h.db, h.demo.orgId, { slug: 'ao-am', title: 'Áo ấm cho trẻ em vùng cao', titleEn: 'Warm coats for highland children', goalMinor: 20_000_000n, currency: 'VND', status: 'active' });
  const donor = await createDonor(h.db, h.demo.orgId, { name: 'Công ty TNHH Hoa Sen', kind: 'organisation', email: 'csr@hoasen.example', locale: 'vi' });
  donorId = donor.id;
  const base = { donorId, currency: 'VND', createdBy: h.demo.users.finance };
  await recordOfflineGift(h.db, h.demo.orgId, { ...base, campaignId: camp.id, channel: 'bank_transfer', amountMinor: 5_000_000n, reference: 'FT26001', receivedOn: '2026-03-02' }, ctx);
  const refunded = await recordOfflineGift(h.db, h.demo.orgId, { ...base, channel: 'cash', amountMinor: 2_000_000n, receivedOn: '2026-06-01' }, ctx);
  await recordRefund(h.db, { orgId: h.demo.orgId, donationId: refunded.id, amountMinor: 500_000n, refundedAt: new Date('2026-06-05T03:00:00Z') }, ctx);
  // Another year and another donor stay off this statement.
  await recordOfflineGift(h.db, h.demo.orgId, { ...base, channel: 'cash', amountMinor: 9_000_000n, receivedOn: '2025-12-31' }, ctx);
  const other = await createDonor(h.db, h.demo.orgId, { name: 'Nguyễn Văn Khác', email: 'khac@example.org' });
  otherDonorId = other.id;
  await recordOfflineGift(h.db, h.demo.orgId, { donorId: other.id, channel: 'cash', currency: 'VND', amountMinor: 7_000_000n, receivedOn: '2026-04-01' }, ctx);
  // A regular giver: a gift a week, enough rows for more than one page.
  for (let w = 0; w < 60; w++) {
    const day = new Date(Date.UTC(2026, 0, 5 + w * 5)).toISOString().slice(0, 10);
    await recordOfflineGift(h.db, h.demo.orgId, { donorId: other.id, channel: 'cash', currency: 'VND', amountMinor: 100_000n, receivedOn: day }, ctx);
  }
});
afterAll(() => h?.close());

/** The page texts, with Intl's no-break spaces as plain ones. */
const text = (layout: ReturnType<typeof layoutStatementPdf>) => layout.pages.flatMap((p) => p.texts).map((x) => x.replace(/\u00a0/g, ' '));

describe("a donor's annual statement as a PDF", () => {
  it('lists each gift of the year with its receipt, campaign and method, and the total after refunds', async () => {
    const s = await annualStatement(h.db, h.demo.orgId, donorId, 2026, 'vi');
    const layout = layoutStatementPdf(s, 'vi', new Date('2026-12-31T03:00:00Z'));
    const t = text(layout);
    expect(layout.pages).toHaveLength(1);
    expect(t).toContain('Trung tâm Công tác xã hội và Quỹ Bảo trợ trẻ em Hải Phòng');
    expect(t).toContain('Bảng kê đóng góp năm 2026');
    expect(t).toContain('Nhà tài trợ: Công ty TNHH Hoa Sen');
    for (const code of s.lines.flatMap((l) => l.receiptCodes)) expect(t.join(' ')).toContain(code);
    expect(s.lines.flatMap((l) => l.receiptCodes).length).toBeGreaterThanOrEqual(2);
    expect(t).toContain('Chuyển khoản');
    expect(t).toContain('5.000.000 ₫');
    expect(t).toContain('500.000 ₫'); // refunded
    // 5,000,000 + 2,000,000 − 500,000; the 2025 gift and the other donor's are not here.
    expect(t).toContain('6.500.000 ₫');
    expect(t).not.toContain('9.000.000 ₫');
    expect(t).not.toContain('7.000.000 ₫');
    expect(t.join(' ')).not.toContain('Nguyễn Văn Khác');
    expect(t).toContain('Trang 1/1');
  });

  it('in English the campaign, methods and labels are English; the file is a PDF', async () => {
    const s = await annualStatement(h.db, h.demo.orgId, donorId, 2026, 'en');
    const t = text(layoutStatementPdf(s, 'en', new Date('2026-12-31T03:00:00Z')));
    expect(t).toContain('Annual giving statement 2026');
    expect(t.join(' ')).toContain('Warm coats for highland');
    expect(t).toContain('Bank transfer');
    expect(t).toContain('Page 1 of 1');
    const bytes = await renderStatementPdf(s, 'en', new Date('2026-12-31T03:00:00Z'));
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  });

  it('a long year runs over pages, each with the column heads again', async () => {
    const s = await annualStatement(h.db, h.demo.orgId, otherDonorId, 2026, 'vi');
    expect(s.lines).toHaveLength(61);
    const layout = layoutStatementPdf(s, 'vi', new Date('2026-12-31T03:00:00Z'));
    expect(layout.pages.length).toBeGreaterThan(1);
    for (const p of layout.pages.slice(0, -1)) expect(p.texts).toContain('Biên nhận');
    expect(text(layout)).toContain('13.000.000 ₫'); // 7,000,000 + 60 × 100,000
    expect(text(layout)).toContain(`Trang ${layout.pages.length}/${layout.pages.length}`);
  });
});

import type { Db } from '../db/types';
import type { DemoFoundation } from '../demo/seed';
import { bankStatementImports, bankStatementLines } from '../db/schema';
import { createDonor } from '../donors/donors';
import { addBankAccount, createCampaign, ensureGeneralFund } from './campaigns';
import { applySettlement, recordDonation, recordRefund, type NewDonation } from './donations';
import { createPaymentReference } from './bank';

/**
 * Demo giving data for Hải Phòng, after shared/DOMAIN.md: the civil-servant group's Mid-Autumn
 * gifts for Tiên Hưng (10,000,000 đ for the festival and 25 packages of 500,000 đ), 20 packages
 * of 1,000,000 đ for children with autism or HIV, EFA-Japan's programme grant, overseas and
 * foreign card gifts (VND, USD, JPY), bank and cash gifts, one refund, one line to reconcile.
 * People are fictional; emails use .example. Deterministic apart from generated ids.
 */
export async function seedGiving(db: Db, f: DemoFoundation) {
  const orgId = f.orgId;
  const ctx = { appUrl: 'http://localhost:8787' };
  const general = await ensureGeneralFund(db, orgId, 'Quỹ chung');
  const bank = await addBankAccount(db, orgId, {
    bankBin: '970415',
    bankName: 'VietinBank (demo)',
    accountNumber: '113366668888',
    accountName: 'QUY BAO TRO TRE EM HAI PHONG',
    isDefault: true,
  });

  const trungThu = await createCampaign(db, orgId, {
    slug: 'trung-thu-2026',
    title: 'Trung thu 2026 cho trẻ em xã Tiên Hưng',
    titleEn: 'Mid-Autumn 2026 for the children of Tiên Hưng commune',
    summary:
      'Tổ chức đêm hội Trung thu và trao 25 suất quà (500.000 đ/suất) cho trẻ em có hoàn cảnh khó khăn xã Tiên Hưng; thêm 15 suất cho các thôn lân cận.',
    summaryEn: 'A Mid-Autumn festival night and 25 gift packages (500,000 đ each) for disadvantaged children of Tiên Hưng; 15 more packages for neighbouring hamlets.',
    goalMinor: 30_000_000n,
    currency: 'VND',
    startsOn: '2026-08-15',
    endsOn: '2026-09-30',
    status: 'active',
    presets: [200_000n, 500_000n, 1_000_000n, 2_000_000n],
  });
  const tuKy = await createCampaign(db, orgId, {
    slug: 'qua-cho-tre-tu-ky-va-hiv',
    title: 'Quà cho trẻ tự kỷ và trẻ nhiễm HIV',
    titleEn: 'Gifts for children with autism and children living with HIV',
    summary: '20 suất quà 1.000.000 đ cho trẻ rối loạn phát triển/tự kỷ và 10 trẻ nhiễm HIV được chăm sóc tại trường Thanh Xuân.',
    summaryEn: '20 gift packages of 1,000,000 đ for children with developmental disorders or autism and 10 children living with HIV cared for at Thanh Xuân school.',
    goalMinor: 20_000_000n,
    currency: 'VND',
    startsOn: '2026-06-01',
    endsOn: '2026-12-31',
    status: 'active',
    presets: [500_000n, 1_000_000n, 2_000_000n],
  });

  const group = await createDonor(db, orgId, { kind: 'group', name: 'Nhóm công chức thiện nguyện', email: 'nhomcongchuc@thiennguyen.example', phone: '0225 3 000 111', tags: ['Trung thu', 'nhóm'], emailConsent: true });
  const company = await createDonor(db, orgId, { kind: 'organisation', name: 'Công ty TNHH Thép Hải An (demo)', email: 'csr@thephaian.example', tags: ['doanh nghiệp'], emailConsent: true });
  const efa = await createDonor(db, orgId, { kind: 'organisation', name: 'EFA-Japan', email: 'contact@efa-japan.example', locale: 'en', country: 'JP', tags: ['NGO funder'], notes: 'Funded the non-project aid programme for children with developmental disorders until 01/2019; not renewed.' });
  const lan = await createDonor(db, orgId, { name: 'Nguyễn Thị Lan', email: 'lan.nguyen@example.org', phone: '0912 345 678', emailConsent: true });
  const duc = await createDonor(db, orgId, { name: 'Trần Minh Đức', email: 'duc.tran@example.com', locale: 'en', country: 'US', tags: ['kiều bào'] });
  const emily = await createDonor(db, orgId, { name: 'Emily Carter', email: 'emily.carter@example.com', locale: 'en', country: 'AU' });
  const yuki = await createDonor(db, orgId, { name: 'Tanaka Yuki', email: 'yuki.tanaka@example.jp', locale: 'en', country: 'JP' });
  const hung = await createDonor(db, orgId, { name: 'Phạm Văn Hùng', phone: '0903 111 222' });
  const hoa = await createDonor(db, orgId, { name: 'Lê Thị Hoa', email: 'hoa.le@example.org', anonymous: true });

  const at = (iso: string) => new Date(iso);
  const gift = (d: Omit<NewDonation, 'orgId'>) => recordDonation(db, { orgId, ...d }, ctx);
  const tt = { campaignId: trungThu.id, fundId: trungThu.fundId };
  const tk = { campaignId: tuKy.id, fundId: tuKy.fundId };

  await gift({ ...tt, donorId: group.id, channel: 'bank_transfer', amountMinor: 10_000_000n, currency: 'VND', receivedAt: at('2026-09-05T09:00:00+07:00'), externalId: 'FT26248100001', note: 'Kinh phí tổ chức đêm hội Trung thu' });
  await gift({ ...tt, donorId: group.id, channel: 'bank_transfer', amountMinor: 12_500_000n, currency: 'VND', quantity: 25, purpose: { kind: 'campaign', packages: 25, unitMinor: '500000' }, receivedAt: at('2026-09-06T10:30:00+07:00'), externalId: 'FT26249100002', note: '25 suất quà × 500.000 đ' });
  await gift({ ...tk, donorId: company.id, channel: 'bank_transfer', amountMinor: 20_000_000n, currency: 'VND', quantity: 20, purpose: { kind: 'campaign', packages: 20, unitMinor: '1000000' }, receivedAt: at('2026-06-20T14:00:00+07:00'), externalId: 'FT26171300003', note: '20 suất quà × 1.000.000 đ' });
  await gift({ fundId: general.id, campaignId: null, donorId: efa.id, channel: 'bank_transfer', amountMinor: 50_000_000n, currency: 'VND', receivedAt: at('2018-12-20T10:00:00+07:00'), externalId: 'EFA-2018-12', note: 'Non-project aid programme, developmental disorders (until 01/2019)' });
  await gift({ ...tk, donorId: hung.id, channel: 'cash', amountMinor: 300_000n, currency: 'VND', receivedAt: at('2026-07-02T08:00:00+07:00'), externalId: 'PT-2026-0142' });

  const online: [typeof lan, bigint, string, string, boolean, string][] = [
    [lan, 500_000n, 'VND', '2026-09-08T20:15:00+07:00', false, 'cs_demo_lan'],
    [duc, 2_000_000n, 'VND', '2026-09-09T07:40:00+07:00', false, 'cs_demo_duc'],
    [emily, 5_000n, 'USD', '2026-09-10T11:05:00+07:00', false, 'cs_demo_emily'],
    [yuki, 10_000n, 'JPY', '2026-09-11T16:20:00+07:00', false, 'cs_demo_yuki'],
    [hoa, 200_000n, 'VND', '2026-09-12T21:00:00+07:00', true, 'cs_demo_hoa'],
  ];
  const rates: Record<string, [bigint, string | null]> = { VND: [1n, null], USD: [250n, '25000'], JPY: [165n, '165'] };
  let ducDonation: string | null = null;
  for (const [donor, amount, currency, when, anonymous, session] of online) {
    const { donation } = await gift({ ...tt, donorId: donor.id, channel: 'stripe', amountMinor: amount, currency, anonymous, receivedAt: at(when), stripeCheckoutSessionId: session, stripePaymentIntentId: session.replace('cs_', 'pi_'), stripeChargeId: session.replace('cs_', 'ch_'), settlementStatus: 'pending' });
    const [rate, rateText] = rates[currency]!;
    const vnd = amount * rate;
    const fee = (vnd * 3n) / 100n;
    await applySettlement(db, donation.id, { currency: 'VND', amountMinor: vnd, feeMinor: fee, netMinor: vnd - fee, exchangeRate: rateText, baseCurrency: 'VND' }, at(when));
    if (donor.id === duc.id) ducDonation = donation.id;
  }
  await recordRefund(db, { orgId, donationId: ducDonation!, amountMinor: 500_000n, stripeRefundId: 're_demo_duc_1', reason: 'requested_by_customer', refundedAt: at('2026-09-13T09:00:00+07:00') }, ctx);

  // A reference handed out on the page, and a statement line nobody could place yet.
  await createPaymentReference(db, orgId, { campaignId: trungThu.id });
  const [imp] = await db.insert(bankStatementImports).values({ orgId, bankAccountId: bank.id, filename: 'sao-ke-demo.csv', lineCount: 1 }).returning();
  await db.insert(bankStatementLines).values({
    orgId,
    importId: imp!.id,
    bankAccountId: bank.id,
    lineNo: 2,
    externalId: 'FT26256900009',
    bookedOn: '2026-09-13',
    amountMinor: 1_000_000n,
    currency: 'VND',
    description: 'CHUYEN KHOAN UNG HO TRE EM',
    status: 'pending',
  });
  return { generalFundId: general.id, trungThuId: trungThu.id, tuKyId: tuKy.id, bankAccountId: bank.id };
}

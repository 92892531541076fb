import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { addBankAccount, createCampaign, ensureGeneralFund, type Campaign } from '../../src/giving/campaigns';
import { createPaymentReference, detectReference, dismissStatementLine, importBankStatement, matchStatementLine, reconciliationQueue } from '../../src/giving/bank';
import { bankStatementLines, donations, outbox, receipts } from '../../src/db/schema';
import { createDonor } from '../../src/donors/donors';
import { fundBalance } from '../../src/giving/ledger';

let h: Harness;
let campaign: Campaign;
const ctx = { appUrl: 'http://localhost:8787' };
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-25T03:00:00Z' });
  await ensureGeneralFund(h.db, h.demo.orgId);
  await addBankAccount(h.db, h.demo.orgId, { bankBin: '970415', bankName: 'VietinBank', accountNumber: '113366668888', accountName: 'QUY BAO TRO TRE EM HAI PHONG', isDefault: true });
  campaign = await createCampaign(h.db, h.demo.orgId, { slug: 'bank-test', title: 'Trung thu (ngân hàng)', goalMinor: 10_000_000n, currency: 'VND', status: 'active' });
});
afterAll(() => h?.close());

const count = async (q: ReturnType<typeof sql>) => Number(((await h.db.execute(q)) as unknown as { rows: { n: string }[] }).rows[0]!.n);

describe('transfer references', () => {
  it('finds our reference in notes however the bank mangled it', () => {
    expect(detectReference('NGUYEN VAN A chuyen tien SCHPK7M3QD ung ho', 'HP')).toBe('SCHPK7M3QD');
    expect(detectReference('Ủng hộ trung thu sc hp-k7m3qd', 'HP')).toBe('SCHPK7M3QD');
    expect(detectReference('SCHPK7M3QDX', 'HP')).toBeNull();
    expect(detectReference('chuyen tien', 'HP')).toBeNull();
  });
});

describe('bank statement import', () => {
  it('3 referenced and 2 unknown credit lines give 3 donations and 2 queue items; a debit is skipped', async () => {
    const donor = await createDonor(h.db, h.demo.orgId, { name: 'Nhóm công chức thiện nguyện', kind: 'group', email: 'nhomcongchuc@example.org' });
    const refs = [];
    for (let i = 0; i < 3; i++) refs.push(await createPaymentReference(h.db, h.demo.orgId, { campaignId: campaign.id, donorId: i === 0 ? donor.id : null }));
    const csv =
      '\ufeffNgày,Số tiền,Nội dung,Mã giao dịch\r\n' +
      `20/09/2026,"10.000.000",NHOM CONG CHUC ${refs[0]!.code} trung thu,FT001\r\n` +
      `2026-09-21,500000,Ung ho ${refs[1]!.code.slice(0, 4)} ${refs[1]!.code.slice(4)},FT002\r\n` +
      `21/09/2026,"1,000,000.00",${refs[2]!.code.toLowerCase()},FT003\r\n` +
      `22/09/2026,200000,"Ủng hộ các cháu, không ghi mã",FT004\r\n` +
      `22/09/2026,300000,CHUYEN TIEN,FT005\r\n` +
      `23/09/2026,-50000,Phi dich vu,FT006\r\n`;
    const dry = await importBankStatement(h.db, h.demo.orgId, { csv, dryRun: true }, ctx);
    expect(dry.errors).toEqual([]);
    expect(dry).toMatchObject({ donationsCreated: 3, queued: 2, skipped: 1 });
    expect(await count(sql`select count(*)::text as n from bank_statement_lines`)).toBe(0);

    const res = await importBankStatement(h.db, h.demo.orgId, { csv, dryRun: false, filename: 'sao-ke.csv' }, ctx);
    expect(res).toMatchObject({ donationsCreated: 3, queued: 2, duplicates: 0, skipped: 1 });
    const ds = await h.db.select().from(donations).where(eq(donations.channel, 'bank_transfer'));
    expect(ds.map((d) => d.amountMinor).sort((a, b) => Number(a - b))).toEqual([500_000n, 1_000_000n, 10_000_000n]);
    expect(ds.every((d) => d.campaignId === campaign.id)).toBe(true);
    const group = ds.find((d) => d.amountMinor === 10_000_000n)!;
    expect(group.donorId).toBe(donor.id);
    expect(await h.db.select().from(outbox).where(eq(outbox.dedupeKey, `receipt:${group.id}`))).toHaveLength(1);
    expect(await h.db.select().from(receipts)).toHaveLength(3);
    const queue = await reconciliationQueue(h.db, h.demo.orgId);
    expect(queue.map((q) => q.externalId).sort()).toEqual(['FT004', 'FT005']);
    expect((await fundBalance(h.db, h.demo.orgId, campaign.fundId)).VND).toBe(11_500_000n);

    // The same statement again: nothing new.
    const again = await importBankStatement(h.db, h.demo.orgId, { csv, dryRun: false }, ctx);
    expect(again).toMatchObject({ donationsCreated: 0, queued: 0, duplicates: 5 });
    expect(await h.db.select().from(donations).where(eq(donations.channel, 'bank_transfer'))).toHaveLength(3);
  });

  it('a malformed row is reported with its line number and nothing of that run is imported', async () => {
    const before = await count(sql`select count(*)::text as n from bank_statement_lines`);
    const ref = await createPaymentReference(h.db, h.demo.orgId, { campaignId: campaign.id });
    const csv =
      'date,amount,description,transaction id\n' +
      `2026-09-24,100000,${ref.code},FT101\n` +
      `2026-09-24,abc,not money,FT102\n` +
      `31/02/2026,100000,bad date,FT103\n`;
    const res = await importBankStatement(h.db, h.demo.orgId, { csv, dryRun: false }, ctx);
    expect(res.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(res.errors[0]!.message).toMatch(/abc/);
    expect(res.errors[1]!.message).toMatch(/31\/02\/2026/);
    const unclosed = await importBankStatement(h.db, h.demo.orgId, { csv: csv + `"2026-09-24,100000,unclosed quote,FT104\n`, dryRun: false }, ctx);
    expect(unclosed.errors).toEqual([{ line: 5, message: 'a quoted field is not closed' }]);
    const res2 = await importBankStatement(h.db, h.demo.orgId, { csv: 'date,amount,description,transaction id\n2026-09-24,100000,x,FT201\n2026-09-24,5,too,many,cells\n', dryRun: false }, ctx);
    expect(res2.errors).toEqual([{ line: 3, message: 'expected 4 columns, found 5' }]);
    expect(await count(sql`select count(*)::text as n from bank_statement_lines`)).toBe(before);
    expect(await h.db.select().from(donations).where(eq(donations.externalId, 'FT101'))).toHaveLength(0);
    const noHeader = await importBankStatement(h.db, h.demo.orgId, { csv: 'foo,bar\n1,2\n', dryRun: true }, ctx);
    expect(noHeader.errors[0]).toMatchObject({ line: 1 });
  });

  it('staff match a queued line to a donor and campaign once, or dismiss it', async () => {
    const [a, b] = await reconciliationQueue(h.db, h.demo.orgId);
    const who = { userId: h.demo.users.finance!, now: h.clock.now(), ...ctx };
    const results = await Promise.allSettled([
      matchStatementLine(h.db, h.demo.orgId, a!.id, { newDonor: { name: 'Lê Thị Hoa', email: 'hoa.le@example.org' }, campaignId: campaign.id }, who),
      matchStatementLine(h.db, h.demo.orgId, a!.id, { newDonor: { name: 'Lê Thị Hoa', email: 'hoa.le@example.org' }, campaignId: campaign.id }, who),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await h.db.select().from(donations).where(eq(donations.bankStatementLineId, a!.id))).toHaveLength(1);
    await expect(dismissStatementLine(h.db, h.demo.orgId, b!.id, '', who)).rejects.toThrow(/why/);
    await dismissStatementLine(h.db, h.demo.orgId, b!.id, 'Hoàn tiền nhầm tài khoản', who);
    await expect(dismissStatementLine(h.db, h.demo.orgId, b!.id, 'again', who)).rejects.toThrow(/already/);
    expect(await reconciliationQueue(h.db, h.demo.orgId)).toHaveLength(0);
    const [line] = await h.db.select().from(bankStatementLines).where(eq(bankStatementLines.id, b!.id));
    expect(line!.status).toBe('dismissed');
  });
});

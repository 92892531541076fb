import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like, ne, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { createDonor, type Donor } from '../../src/donors/donors';
import { ensureGeneralFund } from '../../src/giving/campaigns';
import { recordOfflineGift } from '../../src/giving/gifts';
import { recordRefund } from '../../src/giving/donations';
import { donations, donors, outbox, receipts, refunds, type OutboxAttachment } from '../../src/db/schema';
import { deliverOutbox } from '../../src/mail/outbox';
import { renderAttachment } from '../../src/mail/send';
import type { OutgoingMail } from '../../src/mail/mailer';
import { annualStatement } from '../../src/donors/statement';
import { MAX_COUNTED_GIFTS } from '../../src/donors/year-end';
import { formatNumber } from '../../src/ui/i18n';
import { renderStatementPdf } from '../../src/donors/statement-pdf';
import { memoryLogger } from '../../src/lib/log';

let h: Harness;
const ctx = { appUrl: 'http://localhost:8787', today: '2026-01-15' };
beforeAll(async () => {
  h = await createHarness({ now: '2026-01-15T03:00:00Z' });
  await ensureGeneralFund(h.db, h.demo.orgId);
  const orgId = h.demo.orgId;
  const gift = (donorId: string, amountMinor: bigint, receivedOn: string, currency = 'VND') => recordOfflineGift(h.db, orgId, { donorId, channel: 'cash', currency, amountMinor, receivedOn }, ctx);
  const an = await createDonor(h.db, orgId, { name: 'Lê Thị Thu An', email: 'an.yearend@example.org', locale: 'vi' });
  await gift(an.id, 500_000n, '2025-02-10');
  const part = await gift(an.id, 1_000_000n, '2025-09-01');
  await recordRefund(h.db, { orgId, donationId: part.id, amountMinor: 200_000n, refundedAt: new Date('2025-09-03T03:00:00Z') }, ctx);
  // A gift refunded in full is neither counted nor added.
  const back = await gift(an.id, 700_000n, '2025-10-01');
  await recordRefund(h.db, { orgId, donationId: back.id, amountMinor: 700_000n, refundedAt: new Date('2025-10-02T03:00:00Z') }, ctx);
  const ben = await createDonor(h.db, orgId, { name: 'Ben Carter', email: 'ben.yearend@example.org', locale: 'en' });
  await gift(ben.id, 5_000n, '2025-06-15', 'USD');
  const noEmail = await createDonor(h.db, orgId, { name: 'Bác Tư không email' });
  await gift(noEmail.id, 300_000n, '2025-04-30');
  const lastYear = await createDonor(h.db, orgId, { name: 'Chỉ năm ngoái', email: 'lastyear@example.org' });
  await gift(lastYear.id, 300_000n, '2024-11-30');
  // This year has begun: its gifts wait for its own year-end mail.
  await gift(lastYear.id, 300_000n, '2026-01-05');
  const refunded = await createDonor(h.db, orgId, { name: 'Hoàn toàn bộ', email: 'refunded@example.org' });
  const r = await gift(refunded.id, 400_000n, '2025-05-05');
  await recordRefund(h.db, { orgId, donationId: r.id, amountMinor: 400_000n, refundedAt: new Date('2025-05-06T03:00:00Z') }, ctx);
});
afterAll(() => h?.close());

const O = '/o/hai-phong/donors/year-end';
const mails = () => h.db.select().from(outbox).where(and(eq(outbox.template, 'annual_statement'), eq(outbox.orgId, h.demo.orgId)));
const figure = (page: string, n: string) => new RegExp(`data-n="${n}">([^<]*)<`).exec(page)?.[1];
/** Sends what is due now on the test's clock, through a mailer that keeps what it is given. */
async function deliverDue() {
  // Due now on the test's clock (the rows were stamped with the machine's).
  await h.db.update(outbox).set({ nextAttemptAt: h.clock.now() }).where(eq(outbox.status, 'pending'));
  const sent: OutgoingMail[] = [];
  const r = await deliverOutbox(h.db, { mailer: { kind: 'resend', send: async (mail) => (sent.push(mail), { providerMessageId: `re_${sent.length}` }) }, clock: h.clock, from: 'Sẻ Chia <no-reply@sechia.example>', logger: memoryLogger(), renderAttachment });
  return { r, sent };
}
/** What a queued mail's PDF is to be drawn from. */
function renderSourceOf(m: { attachments: OutboxAttachment[] | null }) {
  const a = m.attachments?.[0];
  if (!a || !('render' in a)) throw new Error('no attachment drawn when sent');
  return a.render;
}
const attachedPdf = (m: OutgoingMail) => Buffer.from(Uint8Array.from(atob(m.attachments![0]!.contentBase64), (ch) => ch.charCodeAt(0)));

describe('the year-end thank-you mail', () => {
  it('shows finance who would get it, then queues one mail per donor who gave in the year and has an email', async () => {
    const before = await (await h.request(`${O}?year=2025`, { as: 'finance' })).text();
    // An, Ben and the donor without email gave in 2025; the donor of 2024 and 2026 and the fully refunded one did not count.
    expect(figure(before, 'donors')).toBe('3');
    expect(figure(before, 'without-email')).toBe('1');
    expect(figure(before, 'already-sent')).toBe('0');
    expect(figure(before, 'to-send')).toBe('2');
    expect(before).toContain('Gửi 2 thư');

    const sent = await h.request(O, { as: 'finance', method: 'POST', form: { year: '2025' } });
    expect(sent.status).toBe(200);
    const page = await sent.text();
    expect(page).toContain('Đã xếp 2 thư vào hàng đợi gửi.');
    // No mail provider in the test app: the page says the mails have not left.
    expect(page).toContain('RESEND_API_KEY');
    const queued = await mails();
    expect(queued.map((m) => m.toAddress).sort()).toEqual(['an.yearend@example.org', 'ben.yearend@example.org']);
    const an = queued.find((m) => m.toAddress === 'an.yearend@example.org')!;
    expect(an.subject).toBe('Các khoản đóng góp năm 2025: Trung tâm Công tác xã hội và Quỹ Bảo trợ trẻ em Hải Phòng xin cảm ơn');
    expect(an.text).toContain('Kính gửi Lê Thị Thu An');
    expect(an.text.replace(/\u00a0/g, ' ')).toContain('2 lần, tổng cộng 1.300.000 ₫'); // 500,000 + 1,000,000 − 200,000
    expect(an.text).toContain('http://localhost:8787/d/hai-phong');
    const ben = queued.find((m) => m.toAddress === 'ben.yearend@example.org')!;
    expect(ben.subject).toMatch(/^Your giving in 2025/);
    expect(ben.text).toContain('one gift, $50.00 in all');
  });

  it('sending again reaches no one twice', async () => {
    const again = await (await h.request(O, { as: 'finance', method: 'POST', form: { year: '2025' } })).text();
    expect(again).toContain('Đã xếp 0 thư');
    expect(again).toContain('Không còn ai để gửi cho năm này.');
    expect(figure(again, 'already-sent')).toBe('2');
    expect(await mails()).toHaveLength(2);
  });

  it('each mail carries its donor’s statement as a PDF, drawn when it is sent from the books as they stood when it was written', async () => {
    const queued = await mails();
    for (const m of queued) {
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments![0]).toMatchObject({ filename: 'HP-2025-statement.pdf', contentType: 'application/pdf', render: { kind: 'annual_statement', year: 2025 } });
      expect(m.attachments![0]).not.toHaveProperty('contentBase64');
    }
    // The statement each donor would have downloaded from the portal when the mails were written.
    const localeOf = (d: { locale: string }) => (d.locale === 'en' ? 'en' : 'vi');
    const statementNow = async (email: string) => {
      const [donor] = await h.db.select().from(donors).where(eq(donors.email, email));
      const s = await annualStatement(h.db, h.demo.orgId, donor!.id, 2025, localeOf(donor!));
      return { donor: donor!, s, pdf: await renderStatementPdf(s, localeOf(donor!), h.clock.now()) };
    };
    const written = new Map<string, Uint8Array>();
    for (const m of queued) written.set(m.toAddress, (await statementNow(m.toAddress)).pdf);
    // Before the mails leave, An's February gift is partly refunded and a late December gift of hers is recorded.
    const an = (await statementNow('an.yearend@example.org')).donor;
    // Each mail stores the gifts it counted: An's three of 2025, the one refunded in full too (the statement lists it).
    const anGifts = await h.db.select({ id: donations.id }).from(donations).where(eq(donations.donorId, an.id));
    expect(anGifts).toHaveLength(3);
    expect(queued.find((m) => m.toAddress === an.email)!.attachments![0]).toMatchObject({ render: { donorId: an.id, donationIds: anGifts.map((g) => g.id).sort() } });
    const [febGift] = await h.db.select().from(donations).where(and(eq(donations.donorId, an.id), eq(donations.amountMinor, 500_000n)));
    expect(febGift).toBeDefined();
    await recordRefund(h.db, { orgId: h.demo.orgId, donationId: febGift!.id, amountMinor: 100_000n, refundedAt: new Date('2026-01-15T02:00:00Z') }, ctx);
    await recordOfflineGift(h.db, h.demo.orgId, { donorId: an.id, channel: 'cash', currency: 'VND', amountMinor: 250_000n, receivedOn: '2025-12-20' }, ctx);
    const live = (await statementNow('an.yearend@example.org')).s;
    expect(live.totals).toEqual([{ currency: 'VND', netMinor: 1_450_000n }]);

    const { r, sent } = await deliverDue();
    const ids = new Set(queued.map((m) => m.id));
    const statements = sent.filter((m) => ids.has(m.idempotencyKey));
    expect(statements.map((m) => m.to).sort()).toEqual(['an.yearend@example.org', 'ben.yearend@example.org']);
    expect(r.dead).toBe(0);
    for (const m of statements) {
      expect(m.attachments![0]!.filename).toBe('HP-2025-statement.pdf');
      const bytes = attachedPdf(m);
      // The very statement of the moment the mail was written, which adds up to the mail's total
      // (1,300,000 ₫ for An), in the donor's language; not today's 1,450,000 ₫.
      const own = written.get(m.to)!;
      expect(bytes.length).toBe(own.length);
      expect(Buffer.from(bytes).equals(Buffer.from(own))).toBe(true);
    }
    const anMail = statements.find((m) => m.to === 'an.yearend@example.org')!;
    expect(anMail.text.replace(/\u00a0/g, ' ')).toContain('tổng cộng 1.300.000 ₫');
    expect(anMail.text).toContain('tệp PDF đính kèm');
    expect(statements.find((m) => m.to === 'ben.yearend@example.org')!.text).toContain('attached as a PDF');
    // The portal shows the books as they stand now.
    const portalPdf = (await statementNow('an.yearend@example.org')).pdf;
    expect(Buffer.from(portalPdf).equals(Buffer.from(written.get('an.yearend@example.org')!))).toBe(false);
  });

  it('a statement that can never be drawn does not go out, and its mail is set aside at once with the reason', async () => {
    const base = { nextAttemptAt: h.clock.now(), locale: 'vi', template: 'annual_statement_broken', subject: 'Năm 2025', html: '<p>x</p>', text: 'x' };
    const pdf = (render: Record<string, unknown>) => [{ filename: 'HP-2025-statement.pdf', contentType: 'application/pdf', render: { kind: 'annual_statement', year: 2025, locale: 'vi', issuedAt: '2026-01-15T03:00:00.000Z', ...render } }];
    const [an] = await h.db.select().from(donors).where(eq(donors.email, 'an.yearend@example.org'));
    const broken = await h.db
      .insert(outbox)
      .values([
        // Not a donor id at all.
        { ...base, orgId: h.demo.orgId, toAddress: 'malformed.yearend@example.org', attachments: pdf({ orgId: h.demo.orgId, donorId: 'not-a-donor' }) },
        // A donor who is not there.
        { ...base, orgId: h.demo.orgId, toAddress: 'gone.yearend@example.org', attachments: pdf({ orgId: h.demo.orgId, donorId: '00000000-0000-4000-8000-000000000000' }) },
        // Another organisation's message naming this one's donor.
        { ...base, orgId: h.demo.otherOrgId, toAddress: 'other-org.yearend@example.org', attachments: pdf({ orgId: h.demo.orgId, donorId: an!.id }) },
        // A moment that is not one: the books as of when?
        { ...base, orgId: h.demo.orgId, toAddress: 'when.yearend@example.org', attachments: pdf({ orgId: h.demo.orgId, donorId: an!.id, asOf: 'hôm qua' }) },
      ])
      .returning();
    const sent: OutgoingMail[] = [];
    const r = await deliverOutbox(h.db, { mailer: { kind: 'resend', send: async (mail) => (sent.push(mail), { providerMessageId: 'x' }) }, clock: h.clock, from: 'x@sechia.example', logger: memoryLogger(), renderAttachment });
    expect(sent.map((x) => x.to)).toEqual([]);
    expect(r.dead).toBe(4);
    for (const m of broken) {
      const [after] = await h.db.select().from(outbox).where(eq(outbox.id, m.id));
      expect(after, m.toAddress).toMatchObject({ status: 'dead', attempts: 1 });
    }
    const reasons = await Promise.all(broken.map(async (m) => (await h.db.select().from(outbox).where(eq(outbox.id, m.id)))[0]!.lastError));
    expect(reasons).toEqual([expect.stringContaining('malformed'), expect.stringContaining('no such donor'), expect.stringContaining("not the message's organisation"), expect.stringContaining('malformed')]);
  });

  it('only finance and admins; a year under way, or not a year, is refused with a readable message', async () => {
    expect((await h.request(O, { as: 'coordinator' })).status).toBe(403);
    expect((await h.request(O, { as: 'coordinator', method: 'POST', form: { year: '2025' } })).status).toBe(403);
    expect((await h.request(O.replace('hai-phong', 'quang-ninh'), { as: 'finance' })).status).toBe(404);
    // The year under way is refused: its total is not the year's yet.
    const current = await h.request(O, { as: 'admin', method: 'POST', form: { year: '2026' } });
    expect(current.status).toBe(400);
    expect(await current.text()).toContain('Chọn một năm đã kết thúc, từ 2000 đến 2025.');
    expect((await h.request(O, { as: 'admin', method: 'POST', form: { year: 'năm nay' } })).status).toBe(400);
    expect(await mails()).toHaveLength(2);
    // The page opens on the year that ended last.
    expect(await (await h.request(O, { as: 'admin' })).text()).toContain('data-year="2025"');
  });
});

describe('the year-end mail’s statement is drawn from the gifts and refunds the mail counted', () => {
  const orgId = () => h.demo.orgId;
  const gift = (donorId: string, amountMinor: bigint, receivedOn: string, currency = 'VND') => recordOfflineGift(h.db, orgId(), { donorId, channel: 'cash', currency, amountMinor, receivedOn }, ctx);
  const mailsOf2023 = () => h.db.select().from(outbox).where(and(eq(outbox.orgId, orgId()), eq(outbox.template, 'annual_statement'), like(outbox.dedupeKey, 'statement:%:2023')));
  const pdfOf = async (donorId: string, locale: 'vi' | 'en', source: { asOf?: string } = {}) =>
    Buffer.from(await renderStatementPdf(await annualStatement(h.db, orgId(), donorId, 2023, locale, source), locale, h.clock.now()));
  let chi: Donor;
  let chiAgain: Donor;
  let asOf: string;
  const written = new Map<string, Buffer>();

  beforeAll(async () => {
    // One person entered twice; nobody else gave in 2023.
    chi = await createDonor(h.db, orgId(), { name: 'Trần Thị Chi', email: 'chi.merge@example.org', locale: 'vi' });
    chiAgain = await createDonor(h.db, orgId(), { name: 'Chi Tran', email: 'chi.tran.merge@example.org', locale: 'en' });
    await gift(chi.id, 600_000n, '2023-03-01');
    await gift(chi.id, 400_000n, '2023-11-20');
    const back = await gift(chiAgain.id, 250_000n, '2023-06-01');
    await recordRefund(h.db, { orgId: orgId(), donationId: back.id, amountMinor: 50_000n, refundedAt: new Date('2023-06-05T03:00:00Z') }, ctx);
    await gift(chiAgain.id, 2_000n, '2023-08-08', 'USD');
    expect((await h.request(O, { as: 'finance', method: 'POST', form: { year: '2023' } })).status).toBe(200);
    // What each would have downloaded from the portal when the mails were written.
    written.set(chi.email!, await pdfOf(chi.id, 'vi'));
    written.set(chiAgain.email!, await pdfOf(chiAgain.id, 'en'));
    asOf = String(renderSourceOf((await mailsOf2023())[0]!).asOf);
  });

  it('after a donor merge, a late gift and a gift that committed after it was counted, each PDF is still the statement its mail was written with', async () => {
    const queued = await mailsOf2023();
    expect(queued.map((m) => m.toAddress).sort()).toEqual(['chi.merge@example.org', 'chi.tran.merge@example.org']);
    const giftsOf = async (donorId: string) => (await h.db.select({ id: donations.id }).from(donations).where(eq(donations.donorId, donorId))).map((g) => g.id).sort();
    const refundsOf = async (donorId: string) => (await h.db.select({ id: refunds.id }).from(refunds).innerJoin(donations, eq(donations.id, refunds.donationId)).where(eq(donations.donorId, donorId))).map((r) => r.id).sort();
    for (const d of [chi, chiAgain]) expect(queued.find((m) => m.toAddress === d.email)!.attachments![0]).toMatchObject({ render: { donorId: d.id, asOf, donationIds: await giftsOf(d.id), refundIds: await refundsOf(d.id) } });
    expect(await refundsOf(chiAgain.id)).toHaveLength(1);
    const chiMail = queued.find((m) => m.toAddress === chi.email)!;
    expect(chiMail.text.replace(/\u00a0/g, ' ')).toContain('2 lần, tổng cộng 1.000.000 ₫');

    // Before the mails leave: finance merges the second record into the first (its gifts move)…
    const merge = await h.request(`/o/hai-phong/donors/${chi.id}/merge`, { as: 'finance', method: 'POST', form: { mergeId: chiAgain.id } });
    expect(merge.status).toBe(303);
    // …a late December gift of Chi's is recorded…
    await gift(chi.id, 100_000n, '2023-12-30');
    // …and one whose transaction began before the mails' moment but committed after their totals
    // were read: its created_at is the transaction's start, so it falls inside `asOf`.
    const racing = await gift(chi.id, 70_000n, '2023-12-31');
    await h.db.update(donations).set({ createdAt: new Date(Date.parse(asOf) - 1000) }).where(eq(donations.id, racing.id));
    // …and so does a refund of a counted gift, with its receipt.
    const [counted] = await h.db.select({ id: donations.id }).from(donations).where(and(eq(donations.donorId, chi.id), eq(donations.amountMinor, 600_000n)));
    const late = await recordRefund(h.db, { orgId: orgId(), donationId: counted!.id, amountMinor: 100_000n, refundedAt: new Date('2023-12-31T03:00:00Z') }, ctx);
    // (Refunds and receipts are append-only: the test steps round that to stand in for the race.)
    await h.db.execute(sql`alter table refunds disable trigger user`);
    await h.db.execute(sql`alter table receipts disable trigger user`);
    await h.db.update(refunds).set({ createdAt: new Date(Date.parse(asOf) - 1000) }).where(eq(refunds.id, late.refundId!));
    await h.db.update(receipts).set({ createdAt: new Date(Date.parse(asOf) - 1000) }).where(eq(receipts.refundId, late.refundId!));
    await h.db.execute(sql`alter table refunds enable trigger user`);
    await h.db.execute(sql`alter table receipts enable trigger user`);
    // The books now: the merged gifts and both late ones are Chi's, the merged record has none.
    const live = await annualStatement(h.db, orgId(), chi.id, 2023, 'vi', { asOf });
    expect(live.lines).toHaveLength(5);
    expect(live.refunds).toBe(2);
    expect((await annualStatement(h.db, orgId(), chiAgain.id, 2023, 'en')).lines).toHaveLength(0);

    const { r, sent } = await deliverDue();
    expect(r.dead).toBe(0);
    const ids = new Set(queued.map((m) => m.id));
    const statements = sent.filter((m) => ids.has(m.idempotencyKey));
    expect(statements.map((m) => m.to).sort()).toEqual(['chi.merge@example.org', 'chi.tran.merge@example.org']);
    // Byte for byte the statement of the moment each mail was written: Chi's 1,000,000 ₫ alone; the
    // merged record's own gifts under its own name, in its language (not an empty statement).
    for (const m of statements) expect(attachedPdf(m).equals(written.get(m.to)!), m.to).toBe(true);
  });

  it('mail queued before the counted gifts were stored with it keeps drawing the donor’s gifts as of its moment', async () => {
    const pdf = await pdfOf(chi.id, 'vi', { asOf });
    const [old] = await h.db
      .insert(outbox)
      .values({ orgId: orgId(), toAddress: chi.email!, locale: 'vi', template: 'annual_statement_legacy', subject: 'Năm 2023', html: '<p>x</p>', text: 'x', attachments: [{ filename: 'HP-2023-statement.pdf', contentType: 'application/pdf', render: { kind: 'annual_statement', orgId: orgId(), donorId: chi.id, year: 2023, locale: 'vi', issuedAt: h.clock.now().toISOString(), asOf } }] })
      .returning();
    const { r, sent } = await deliverDue();
    expect(r.dead).toBe(0);
    const m = sent.find((x) => x.idempotencyKey === old!.id)!;
    // The donor's gifts recorded by `asOf` as the books stand now: the merged ones and the one that raced the count too.
    expect(attachedPdf(m).equals(pdf)).toBe(true);
    expect(attachedPdf(m).equals(written.get(chi.email!)!)).toBe(false);
  });

  it('stored gifts that are malformed, another organisation’s, or not of the year set the mail aside at once with the reason, and nothing of them is drawn', async () => {
    // One of Chi's gifts of 2023 (all hers are).
    const own = (await h.db.select({ id: donations.id }).from(donations).where(eq(donations.donorId, chi.id)))[0]!.id;
    // Another organisation's gift, recorded there before the moment.
    await ensureGeneralFund(h.db, h.demo.otherOrgId);
    const stranger = await createDonor(h.db, h.demo.otherOrgId, { name: 'Nhà tài trợ Quảng Ninh', email: 'qn.yearend@example.org' });
    const foreign = await recordOfflineGift(h.db, h.demo.otherOrgId, { donorId: stranger.id, channel: 'cash', currency: 'VND', amountMinor: 900_000n, receivedOn: '2023-05-05' }, ctx);
    await h.db.update(donations).set({ createdAt: new Date(Date.parse(asOf) - 1000) }).where(eq(donations.id, foreign.id));
    // This organisation's gift of another year.
    const [of2025] = await h.db.select({ id: donations.id }).from(donations).where(and(eq(donations.orgId, orgId()), eq(donations.amountMinor, 5_000n), eq(donations.currency, 'USD')));
    // A refund of this organisation, of a gift that is not among the stored ones.
    const [anotherRefund] = await h.db.select({ id: refunds.id }).from(refunds).innerJoin(donations, eq(donations.id, refunds.donationId)).where(and(eq(refunds.orgId, orgId()), ne(refunds.donationId, own)));
    const tooMany = Array.from({ length: MAX_COUNTED_GIFTS + 1 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const sources: [string, Record<string, unknown>, string][] = [
      ['not-a-list', { donationIds: own }, 'malformed'],
      ['empty', { donationIds: [] }, 'malformed'],
      ['not-ids', { donationIds: [own, 'quà tết'] }, 'malformed'],
      ['twice', { donationIds: [own, own.toUpperCase()] }, 'malformed'],
      ['too-many', { donationIds: tooMany }, 'malformed'],
      ['no-moment', { donationIds: [own], asOf: undefined }, 'malformed'],
      ['other-org', { donationIds: [own, foreign.id] }, 'not among'],
      ['other-year', { donationIds: [own, of2025!.id] }, 'not among'],
      ['refunds-not-a-list', { donationIds: [own], refundIds: 'r' }, 'malformed'],
      ['refunds-not-ids', { donationIds: [own], refundIds: ['hoàn tiền'] }, 'malformed'],
      ['refunds-without-gifts', { refundIds: [] }, 'malformed'],
      ['refund-of-another-gift', { donationIds: [own], refundIds: [anotherRefund!.id] }, 'refund is not among'],
    ];
    const rows = await h.db
      .insert(outbox)
      .values(
        sources.map(([name, render]) => ({
          orgId: orgId(),
          toAddress: `${name}.ids@example.org`,
          locale: 'vi',
          template: 'annual_statement_broken',
          subject: 'Năm 2023',
          html: '<p>x</p>',
          text: 'x',
          attachments: [{ filename: 'HP-2023-statement.pdf', contentType: 'application/pdf', render: { kind: 'annual_statement', orgId: orgId(), donorId: chi.id, year: 2023, locale: 'vi', issuedAt: h.clock.now().toISOString(), asOf, ...render } }],
        })),
      )
      .returning();
    const { r, sent } = await deliverDue();
    const ids = new Set(rows.map((m) => m.id));
    expect(sent.filter((m) => ids.has(m.idempotencyKey))).toEqual([]);
    expect(r.dead).toBe(sources.length);
    for (const [i, [name, , reason]] of sources.entries()) {
      const [after] = await h.db.select().from(outbox).where(eq(outbox.id, rows[i]!.id));
      expect(after, name).toMatchObject({ status: 'dead', attempts: 1, lastError: expect.stringContaining(reason) });
    }
  });

  it('a donor with more gifts than a source may name is queued as mail was before the list, and still gets the statement of the mail’s moment', async () => {
    const fund = await ensureGeneralFund(h.db, orgId());
    const shop = await createDonor(h.db, orgId(), { name: 'Tiệm tạp hoá góp mỗi ngày', email: 'shop.daily@example.org' });
    const day = Date.parse('2022-01-01T03:00:00Z');
    await h.db.insert(donations).values(Array.from({ length: MAX_COUNTED_GIFTS + 1 }, (_, i) => ({ orgId: orgId(), donorId: shop.id, fundId: fund.id, channel: 'cash' as const, amountMinor: 10_000n, currency: 'VND', receivedAt: new Date(day + Math.floor(i / 6) * 86_400_000 + (i % 6) * 60_000) })));
    expect((await h.request(O, { as: 'finance', method: 'POST', form: { year: '2022' } })).status).toBe(200);
    const [m] = await h.db.select().from(outbox).where(eq(outbox.dedupeKey, `statement:${shop.id}:2022`));
    const render = renderSourceOf(m!);
    expect(render).toMatchObject({ donorId: shop.id, asOf: expect.any(String) });
    expect(render).not.toHaveProperty('donationIds');
    expect(m!.text).toContain(`${formatNumber(MAX_COUNTED_GIFTS + 1, 'vi')} lần`);
    const drawn = await renderAttachment(h.db, render, { orgId: orgId() });
    const s = await annualStatement(h.db, orgId(), shop.id, 2022, 'vi', { asOf: String(render.asOf) });
    expect(s.lines).toHaveLength(MAX_COUNTED_GIFTS + 1);
    expect(Buffer.from(drawn).equals(Buffer.from(await renderStatementPdf(s, 'vi', h.clock.now())))).toBe(true);
  });
});

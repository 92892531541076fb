import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { createDonor } from '../../src/donors/donors';
import { ensureGeneralFund } from '../../src/giving/campaigns';
import { recordOfflineGift } from '../../src/giving/gifts';
import { recordRefund } from '../../src/giving/donations';
import { donations, donors, outbox } from '../../src/db/schema';
import { deliverOutbox } from '../../src/mail/outbox';
import { renderAttachment } from '../../src/mail/send';
import type { OutgoingMail } from '../../src/mail/mailer';
import { annualStatement } from '../../src/donors/statement';
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
    const [febGift] = await h.db.select().from(donations).where(and(eq(donations.donorId, an.id), eq(donations.amountMinor, 500_000n)));
    expect(febGift).toBeDefined();
    await recordRefund(h.db, { orgId: h.demo.orgId, donationId: febGift!.id, amountMinor: 100_000n, refundedAt: new Date('2026-01-15T02:00:00Z') }, ctx);
    await recordOfflineGift(h.db, h.demo.orgId, { donorId: an.id, channel: 'cash', currency: 'VND', amountMinor: 250_000n, receivedOn: '2025-12-20' }, ctx);
    const live = (await statementNow('an.yearend@example.org')).s;
    expect(live.totals).toEqual([{ currency: 'VND', netMinor: 1_450_000n }]);

    // Due now on the test's clock (the rows were stamped with the machine's).
    await h.db.update(outbox).set({ nextAttemptAt: h.clock.now() });
    const sent: OutgoingMail[] = [];
    const logger = memoryLogger();
    const r = await deliverOutbox(h.db, { mailer: { kind: 'resend', send: async (mail) => (sent.push(mail), { providerMessageId: `re_${sent.length}` }) }, clock: h.clock, from: 'Sẻ Chia <no-reply@sechia.example>', logger, renderAttachment });
    const ids = new Set(queued.map((m) => m.id));
    const statements = sent.filter((m) => ids.has(m.idempotencyKey));
    expect(statements.map((m) => m.to).sort()).toEqual(['an.yearend@example.org', 'ben.yearend@example.org']);
    expect(r.dead).toBe(0);
    for (const m of statements) {
      const att = m.attachments![0]!;
      expect(att.filename).toBe('HP-2025-statement.pdf');
      const bytes = Uint8Array.from(atob(att.contentBase64), (ch) => ch.charCodeAt(0));
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

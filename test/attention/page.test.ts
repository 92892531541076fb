import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { auditLog, outbox, paymentEventsReview } from '../../src/db/schema';
import { queryRows } from '../../src/db/types';
import { DAY, HOUR, MINUTE } from '../../src/lib/clock';
import { deadMail, pendingEvent, reviewItem } from './fixtures';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-10-05T03:00:00Z' });
});
afterAll(() => h?.close());

const PAGE = '/o/hai-phong/attention';
const org = () => h.demo.orgId;
const other = () => h.demo.otherOrgId;

async function pendingMailCount() {
  const [r] = await queryRows<{ n: string }>(h.db, sql`select count(*) as n from outbox where org_id = ${org()} and status = 'pending'`);
  return Number(r!.n);
}

async function rowOf(id: string) {
  const [r] = await h.db.select().from(paymentEventsReview).where(eq(paymentEventsReview.id, id));
  return r!;
}

describe('the needs-attention page', () => {
  it("lists this organisation's dead mail (address masked) and payments under review, not another organisation's nor unattributed ones", async () => {
    const mine = await deadMail(h, org(), { to: 'nguyen.thi.lan@gmail.com', lastError: 'Resend 422: Invalid `to` field: nguyen.thi.lan@gmail.com' });
    const theirs = await deadMail(h, other(), { to: 'quang.ninh.donor@example.org', template: 'report' });
    const nobody = await deadMail(h, null, { to: 'no.org.person@example.org', template: 'login_link' });
    await deadMail(h, org(), { status: 'pending', to: 'waiting.one@example.org' });
    await deadMail(h, org(), { status: 'pending', to: 'waiting.two@example.org' });
    const unknown = await reviewItem(h, org(), { reason: 'unknown_session' });
    const failed = await reviewItem(h, org(), { reason: 'processing_failed_8_times', eventType: 'invoice.paid' });
    const foreign = await reviewItem(h, other(), { reason: 'unknown_invoice' });
    const unplaced = await reviewItem(h, null, { reason: 'another_account' });

    const res = await h.request(PAGE, { as: 'finance' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('<h1>Cần xử lý</h1>');
    // Mail: masked address everywhere (the provider's error quoted it), never the full one.
    expect(html).toContain(`data-outbox-id="${mine.id}"`);
    expect(html).toContain('ng***@gmail.com');
    expect(html).not.toContain('nguyen.thi.lan');
    expect(html).toContain('Biên nhận ủng hộ');
    expect(html).toContain('Resend 422: Invalid `to` field: ng***@gmail.com');
    expect(html).not.toContain(theirs.id);
    expect(html).not.toContain(nobody.id);
    expect(html).not.toContain('quang.ninh');
    expect(html).not.toContain('no.org.person');
    expect(html).not.toContain('waiting.one');
    expect(html).toContain(`data-mail-pending="${await pendingMailCount()}"`);
    expect(html).toContain(`${await pendingMailCount()} thư đang chờ gửi.`);
    // This harness has no mail provider: the page says the waiting mail is not being sent.
    expect(html).toContain('Chưa cấu hình nhà cung cấp email (RESEND_API_KEY): thư chưa được gửi đi.');
    // Review: ours, in plain words, with the Stripe event id.
    expect(html).toContain(`data-review-id="${unknown.id}"`);
    expect(html).toContain(`data-review-id="${failed.id}"`);
    expect(html).toContain(unknown.eventId);
    expect(html).toContain('Phiên thanh toán không có trong hệ thống');
    expect(html).toContain('Xử lý lỗi 8 lần, đã ngừng thử lại');
    expect(html).toContain('<code>invoice.paid</code>');
    expect(html).not.toContain(foreign.eventId);
    expect(html).not.toContain(unplaced.eventId);
    // The payload (payer's email) never reaches the page.
    expect(html).not.toContain('payer@example.org');
    // Accessible tables, no inline style or script (CSP).
    expect(html).toContain('<caption class="sr-only">');
    expect(html).toContain('<th scope="col">');
    expect(html).not.toMatch(/style=/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    // Finance sees the message but cannot send it again (the outbox API is for admins).
    expect(html).not.toContain(`/attention/mail/${mine.id}/requeue`);
    expect(html).toContain('Quản trị viên có thể gửi lại.');
    // The nav links to the page.
    expect(html).toContain(`href="${PAGE}"`);

    const admin = await (await h.request(PAGE, { as: 'admin' })).text();
    expect(admin).toContain(`action="${PAGE}/mail/${mine.id}/requeue"`);
    expect(admin).toMatch(/<button type="submit" class="secondary">Gửi lại<span class="sr-only">/);

    const en = await (await h.request(`${PAGE}?lang=en`, { as: 'finance' })).text();
    expect(en).toContain('<h1>Needs attention</h1>');
    expect(en).toContain('Checkout session not found here');
    expect(en).toContain('Processing failed 8 times; retries stopped');
    expect(en).toContain('Gift receipt');
  });

  it("shows the Stripe inbox's health for this organisation: waiting events, the oldest one's age, those failing", async () => {
    await pendingEvent(h, org(), { attempts: 3, ageMs: 2 * HOUR + 5 * MINUTE });
    await pendingEvent(h, org(), { attempts: 0, ageMs: 10 * MINUTE });
    await pendingEvent(h, other(), { attempts: 5, ageMs: 3 * DAY });
    await pendingEvent(h, null, { attempts: 1, ageMs: 5 * DAY });
    const html = await (await h.request(PAGE, { as: 'admin' })).text();
    expect(html).toContain('data-inbox="pending">2<');
    expect(html).toContain('data-inbox="failing">1<');
    expect(html).toContain('data-inbox="oldest">2 giờ<');
  });

  it('an admin sends a dead message again: it is pending, its attempts reset; a second press says so', async () => {
    const m = await deadMail(h, org(), { to: 'tran.van.binh@example.org' });
    const res = await h.request(`${PAGE}/mail/${m.id}/requeue`, { method: 'POST', as: 'admin', form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${PAGE}?done=requeued`);
    const [row] = await h.db.select().from(outbox).where(eq(outbox.id, m.id));
    expect(row).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    const after = await (await h.request(`${PAGE}?done=requeued`, { as: 'admin' })).text();
    expect(after).toContain('role="status"');
    expect(after).toContain('Thư đã được đưa lại vào hàng đợi gửi.');
    expect(after).not.toContain(`data-outbox-id="${m.id}"`);

    const again = await h.request(`${PAGE}/mail/${m.id}/requeue`, { method: 'POST', as: 'admin', form: {} });
    expect(again.status).toBe(409);
    const html = await again.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('Thư này đã được đưa lại vào hàng đợi.');
  });

  it('sending again: finance and coordinators → 403, another organisation\'s message → 404, a cross-site post → 403, nothing changes', async () => {
    const m = await deadMail(h, org());
    const theirs = await deadMail(h, other());
    expect((await h.request(`${PAGE}/mail/${m.id}/requeue`, { method: 'POST', as: 'finance', form: {} })).status).toBe(403);
    expect((await h.request(`${PAGE}/mail/${m.id}/requeue`, { method: 'POST', as: 'coordinator', form: {} })).status).toBe(403);
    expect((await h.request(`${PAGE}/mail/${theirs.id}/requeue`, { method: 'POST', as: 'admin', form: {} })).status).toBe(404);
    expect((await h.request(`/o/quang-ninh/attention/mail/${m.id}/requeue`, { method: 'POST', as: 'admin', form: {} })).status).toBe(404);
    const csrf = await h.request(`${PAGE}/mail/${m.id}/requeue`, {
      method: 'POST',
      as: 'admin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: '',
    });
    expect(csrf.status).toBe(403);
    expect((await h.request(`${PAGE}/mail/${m.id}/requeue`, { method: 'POST', as: 'anonymous', form: {} })).status).toBe(401);
    const rows = await h.db.select({ id: outbox.id, status: outbox.status }).from(outbox).where(and(eq(outbox.status, 'dead')));
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([m.id, theirs.id]));
  });

  it('marking a payment resolved needs a note (the form comes back marked), then works once and is audited', async () => {
    const item = await reviewItem(h, org(), { reason: 'refund_currency_differs', eventType: 'charge.refunded' });
    const url = `${PAGE}/review/${item.id}/resolve`;

    const empty = await h.request(url, { method: 'POST', as: 'finance', form: { note: '   ' } });
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expect(html).toMatch(/<p class="error" role="alert" id="form-error">Hãy ghi ngắn gọn đã xử lý thế nào.<\/p>/);
    expect(html).toMatch(new RegExp(`id="note-${item.id}"[^>]*aria-invalid="true"[^>]*aria-describedby="note-${item.id}-error"`));
    expect(html).toContain(`id="note-${item.id}-error"`);
    const long = 'Đã kiểm tra. '.repeat(50);
    const tooLong = await h.request(url, { method: 'POST', as: 'finance', form: { note: long } });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain(`value="${long}"`);
    expect((await rowOf(item.id)).status).toBe('open');

    const note = 'Đã đối chiếu với Stripe: khoản hoàn bằng USD, kế toán ghi tay.';
    const ok = await h.request(url, { method: 'POST', as: 'finance', form: { note } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`${PAGE}?done=resolved`);
    const row = await rowOf(item.id);
    expect(row).toMatchObject({ status: 'resolved', resolvedBy: h.demo.users.finance, resolutionNote: note });
    expect(row.resolvedAt?.toISOString()).toBe(h.clock.now().toISOString());
    const audits = await h.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'payment_events_review'), eq(auditLog.subjectId, item.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ orgId: org(), actorKind: 'user', actorId: h.demo.users.finance, action: 'payment_review.resolved', reason: note });
    expect(audits[0]!.data).toEqual({ eventId: item.eventId, eventType: 'charge.refunded', reason: 'refund_currency_differs' });

    const page = await (await h.request(`${PAGE}?done=resolved`, { as: 'finance' })).text();
    expect(page).toContain('Đã đánh dấu là đã xử lý.');
    expect(page).toContain(`data-review-id="${item.id}" data-status="resolved"`);
    expect(page).toContain(note);
    expect(page).not.toContain(`action="${url}"`);

    const twice = await h.request(url, { method: 'POST', as: 'admin', form: { note: 'lần hai' } });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('Mục này đã được xử lý trước đó.');
    expect((await rowOf(item.id)).resolutionNote).toBe(note);
    expect(await h.db.select().from(auditLog).where(eq(auditLog.subjectId, item.id))).toHaveLength(1);
  });

  it("resolving: another organisation's or an unattributed item → 404, coordinator → 403, nothing changes", async () => {
    const foreign = await reviewItem(h, other());
    const unplaced = await reviewItem(h, null);
    const mine = await reviewItem(h, org());
    for (const id of [foreign.id, unplaced.id]) {
      expect((await h.request(`${PAGE}/review/${id}/resolve`, { method: 'POST', as: 'admin', form: { note: 'x' } })).status).toBe(404);
    }
    expect((await h.request(`${PAGE}/review/${mine.id}/resolve`, { method: 'POST', as: 'coordinator', form: { note: 'x' } })).status).toBe(403);
    expect((await h.request(`${PAGE}/review/${mine.id}/resolve`, { method: 'POST', as: 'viewer', form: { note: 'x' } })).status).toBe(403);
    expect((await h.request(`${PAGE}/review/${mine.id}/resolve`, { method: 'POST', as: 'anonymous', form: { note: 'x' } })).status).toBe(401);
    for (const r of [foreign, unplaced, mine]) expect((await rowOf(r.id)).status).toBe('open');
  });

  it('who may open it: admin and finance; coordinator and viewer → 403; anonymous → sign-in; another organisation → 404', async () => {
    expect((await h.request(PAGE, { as: 'admin' })).status).toBe(200);
    expect((await h.request(PAGE, { as: 'finance' })).status).toBe(200);
    for (const role of ['coordinator', 'viewer', 'caseworker'] as const) {
      const res = await h.request(PAGE, { as: role });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('role="alert"');
    }
    const anon = await h.request(PAGE, { as: 'anonymous' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/login');
    expect((await h.request(PAGE, { as: 'otherAdmin' })).status).toBe(404);
    // Nav: only the roles that can open it see the entry.
    expect(await (await h.request('/o/hai-phong', { as: 'coordinator' })).text()).not.toContain(`href="${PAGE}"`);
  });
});

describe('with a mail provider configured', () => {
  it('the page does not say mail is not being sent', async () => {
    const configured = await createHarness({ now: '2026-10-05T03:00:00Z', mailer: { kind: 'resend', send: async () => ({ providerMessageId: 'test' }) } });
    try {
      const html = await (await configured.request(PAGE, { as: 'finance' })).text();
      expect(html).toContain('thư đang chờ gửi.');
      expect(html).not.toContain('data-mail-not-configured');
      expect(html).not.toContain('RESEND_API_KEY');
    } finally {
      await configured.close();
    }
  });
});

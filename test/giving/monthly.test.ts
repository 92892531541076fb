import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from './setup';
import { stripeEvent, fixture } from '../support/stripe-standin';
import { auditLog, checkoutSessions, donors, outbox } from '../../src/db/schema';
import { stopMonthlyGift } from '../../src/giving/monthly';
import { memoryLogger } from '../../src/lib/log';

// A donor giving monthly can see the gift in the portal and stop it there; finance can stop it
// from the donor's page when the donor calls. Stripe then charges no more.
let g: GivingHarness;
beforeAll(async () => {
  g = await createGivingHarness();
});
afterAll(() => g?.h.close());

const now = () => Math.floor(g.h.clock.now().getTime() / 1000);

/** A monthly gift through the general giving page, completed and paid `payments` times. */
async function monthlyGift(email: string, amount: string, payments: number) {
  const res = await g.h.request('/c/hai-phong/give/donate', { method: 'POST', form: { amount, interval: 'month', name: `Người cho ${email}`, email } });
  expect(res.status).toBe(303);
  const sessionId = /\/pay\/(cs_test_[^/?]+)/.exec(res.headers.get('location')!)![1]!;
  const session = g.stripe.completeSession(sessionId);
  await g.deliver(stripeEvent('checkout.session.completed', session, { created: now() }));
  for (let n = 1; n <= payments; n++) await g.deliver(stripeEvent('invoice.paid', g.stripe.paidInvoice(session, n), { created: now() }));
  const [co] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.stripeSessionId, sessionId));
  const [donor] = await g.h.db.select().from(donors).where(eq(donors.email, email));
  return { checkoutId: co!.id, subscriptionId: session.subscription as string, session, donorId: donor!.id };
}

async function signIn(email: string) {
  await g.h.request('/d/hai-phong/login', { method: 'POST', form: { email } });
  const [mail] = await g.h.db.select().from(outbox).where(and(eq(outbox.template, 'donor_link'), eq(outbox.toAddress, email))).orderBy(desc(outbox.createdAt)).limit(1);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
  const verify = await g.h.request('/d/hai-phong/verify', { method: 'POST', form: { token } });
  return verify.headers.get('set-cookie')!.split(';')[0]!;
}

const cancelCalls = (subscriptionId: string) => g.stripe.requests.filter((r) => r.method === 'DELETE' && r.path === `/v1/subscriptions/${subscriptionId}`);

describe('monthly gifts in the donor portal', () => {
  it('the donor sees the monthly gift with its payments, stops it, and Stripe charges no more', async () => {
    const gift = await monthlyGift('thang.monthly@example.org', '300.000', 2);
    const cookie = await signIn('thang.monthly@example.org');
    const portal = await (await g.h.request('/d/hai-phong/portal', { headers: { cookie } })).text();
    const card = portal.slice(portal.indexOf(`data-monthly="${gift.checkoutId}"`));
    expect(card.slice(0, card.indexOf('</li>'))).toMatch(/300\.000\s₫ mỗi tháng<\/strong> · Quỹ chung/);
    expect(card.slice(0, card.indexOf('</li>'))).toContain('đã nhận 2 lần');
    expect(portal).toContain(`action="/d/hai-phong/monthly/${gift.checkoutId}/stop"`);

    const stop = await g.h.request(`/d/hai-phong/monthly/${gift.checkoutId}/stop`, { method: 'POST', headers: { cookie, origin: 'http://localhost:8787', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(stop.status).toBe(303);
    expect(cancelCalls(gift.subscriptionId)).toHaveLength(1);
    const after = await (await g.h.request(stop.headers.get('location')!, { headers: { cookie } })).text();
    expect(after).toContain('Đã dừng khoản ủng hộ hằng tháng.');
    expect(after).toMatch(new RegExp(`data-monthly="${gift.checkoutId}" data-state="ended"`));
    expect(after).not.toContain(`action="/d/hai-phong/monthly/${gift.checkoutId}/stop"`);
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, gift.checkoutId));
    expect(row!.subscriptionEndedAt).toEqual(g.h.clock.now());
    const [audit] = await g.h.db.select().from(auditLog).where(and(eq(auditLog.action, 'monthly_gift.stopped'), eq(auditLog.subjectId, gift.checkoutId)));
    expect(audit).toMatchObject({ actorKind: 'donor', actorId: gift.donorId });

    // Stopping again asks Stripe nothing more; Stripe's own event later changes nothing.
    await g.h.request(`/d/hai-phong/monthly/${gift.checkoutId}/stop`, { method: 'POST', headers: { cookie, origin: 'http://localhost:8787', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(cancelCalls(gift.subscriptionId)).toHaveLength(1);
    const sub = { ...fixture('subscription'), id: gift.subscriptionId, status: 'canceled', metadata: gift.session.metadata, ended_at: now() + 3600 };
    expect((await g.deliver(stripeEvent('customer.subscription.deleted', sub, { created: now() + 3600 }))).status).toBe(200);
    const [still] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, gift.checkoutId));
    expect(still!.subscriptionEndedAt).toEqual(g.h.clock.now());
  });

  it('nobody stops another donor’s gift, and signed-out visitors are sent to sign in', async () => {
    const mine = await monthlyGift('mine.monthly@example.org', '200.000', 1);
    await monthlyGift('other.monthly@example.org', '200.000', 1);
    const other = await signIn('other.monthly@example.org');
    const form = { method: 'POST', headers: { cookie: other, origin: 'http://localhost:8787', 'content-type': 'application/x-www-form-urlencoded' }, body: '' };
    expect((await g.h.request(`/d/hai-phong/monthly/${mine.checkoutId}/stop`, form)).status).toBe(404);
    const anon = await g.h.request(`/d/hai-phong/monthly/${mine.checkoutId}/stop`, { method: 'POST', form: {} });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/d/hai-phong');
    expect(cancelCalls(mine.subscriptionId)).toHaveLength(0);
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, mine.checkoutId));
    expect(row!.subscriptionEndedAt).toBeNull();
  });

  it('a gift Stripe has already cancelled (its event not here yet) is recorded as ended', async () => {
    const gift = await monthlyGift('gone.monthly@example.org', '150.000', 1);
    g.stripe.subscriptions.get(gift.subscriptionId)!.status = 'canceled';
    const r = await stopMonthlyGift(g.h.db, g.h.deps.payments, { orgId: g.h.demo.orgId, donorId: gift.donorId, checkoutId: gift.checkoutId, by: { actorKind: 'system' }, now: g.h.clock.now() }, { logger: memoryLogger() });
    expect(r.alreadyEnded).toBe(false);
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, gift.checkoutId));
    expect(row!.subscriptionEndedAt).toEqual(g.h.clock.now());
  });

  it('a subscription Stripe does not know is not taken as stopped: the gift stays running', async () => {
    const gift = await monthlyGift('unknown.monthly@example.org', '120.000', 1);
    // As with a key of another Stripe account: Stripe answers "No such subscription".
    g.stripe.subscriptions.delete(gift.subscriptionId);
    await expect(stopMonthlyGift(g.h.db, g.h.deps.payments, { orgId: g.h.demo.orgId, donorId: gift.donorId, checkoutId: gift.checkoutId, by: { actorKind: 'system' }, now: g.h.clock.now() }, { logger: memoryLogger() })).rejects.toMatchObject({ status: 502 });
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, gift.checkoutId));
    expect(row!.subscriptionEndedAt).toBeNull();
  });

  it('when Stripe does not answer, the gift keeps running and the donor is told so', async () => {
    const gift = await monthlyGift('fail.monthly@example.org', '250.000', 1);
    const cookie = await signIn('fail.monthly@example.org');
    g.stripe.setFailing(true);
    try {
      const res = await g.h.request(`/d/hai-phong/monthly/${gift.checkoutId}/stop`, { method: 'POST', headers: { cookie, origin: 'http://localhost:8787', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      expect(res.status).toBe(502);
      const html = await res.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain('vẫn đang tiếp tục');
    } finally {
      g.stripe.setFailing(false);
    }
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, gift.checkoutId));
    expect(row!.subscriptionEndedAt).toBeNull();
    expect(await g.h.db.select().from(auditLog).where(and(eq(auditLog.action, 'monthly_gift.stopped'), eq(auditLog.subjectId, gift.checkoutId)))).toHaveLength(0);
    // Without Stripe keys it cannot be stopped online, and says so.
    await expect(stopMonthlyGift(g.h.db, null, { orgId: g.h.demo.orgId, donorId: gift.donorId, checkoutId: gift.checkoutId, by: { actorKind: 'system' }, now: g.h.clock.now() }, { logger: memoryLogger() })).rejects.toMatchObject({ status: 503 });
  });
});

describe("monthly gifts on the donor's staff page", () => {
  it('everyone who keeps donor records sees them; only finance and admins stop one', async () => {
    const gift = await monthlyGift('staff.monthly@example.org', '500.000', 3);
    const path = `/o/hai-phong/donors/${gift.donorId}`;
    const viewer = await (await g.h.request(path, { as: 'viewer' })).text();
    expect(viewer).toContain(`data-monthly="${gift.checkoutId}" data-state="running"`);
    expect(viewer).toContain('đã nhận 3 lần');
    expect(viewer).not.toContain('/monthly/');
    expect((await g.h.request(`${path}/monthly/${gift.checkoutId}/stop`, { as: 'coordinator', method: 'POST', form: {} })).status).toBe(403);
    expect(cancelCalls(gift.subscriptionId)).toHaveLength(0);

    const finance = await (await g.h.request(path, { as: 'finance' })).text();
    expect(finance).toContain(`action="${path}/monthly/${gift.checkoutId}/stop"`);
    const stop = await g.h.request(`${path}/monthly/${gift.checkoutId}/stop`, { as: 'finance', method: 'POST', form: {} });
    expect(stop.status).toBe(303);
    expect(cancelCalls(gift.subscriptionId)).toHaveLength(1);
    const after = await (await g.h.request(stop.headers.get('location')!, { as: 'finance' })).text();
    expect(after).toContain('data-state="ended"');
    const [audit] = await g.h.db.select().from(auditLog).where(and(eq(auditLog.action, 'monthly_gift.stopped'), eq(auditLog.subjectId, gift.checkoutId)));
    expect(audit).toMatchObject({ actorKind: 'user', actorId: g.h.demo.users.finance });
    // Another centre's staff cannot reach it.
    expect((await g.h.request(`/o/quang-ninh/donors/${gift.donorId}/monthly/${gift.checkoutId}/stop`, { as: 'otherAdmin', method: 'POST', form: {} })).status).toBe(404);
  });
});

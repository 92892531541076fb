import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { auditLog, paymentEventsReview, type Role } from '../../src/db/schema';
import { createApiToken } from '../../src/auth/auth';
import { reviewItem } from './fixtures';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-10-05T03:00:00Z' });
});
afterAll(() => h?.close());

const API = '/api/v1/orgs/hai-phong/payment-events-review';
const resolve = (id: string, as: Role | 'otherAdmin' | 'anonymous', json: unknown) =>
  h.request(`${API}/${id}/resolve`, { method: 'POST', as, json });

async function statusOf(id: string) {
  const [r] = await h.db.select({ status: paymentEventsReview.status }).from(paymentEventsReview).where(eq(paymentEventsReview.id, id));
  return r!.status;
}

describe('GET /orgs/{org}/payment-events-review', () => {
  it("lists this organisation's items, open first, never an unattributed (org_id NULL) or another organisation's one", async () => {
    const first = await reviewItem(h, h.demo.orgId, { reason: 'unknown_session' });
    const closed = await reviewItem(h, h.demo.orgId, { reason: 'unknown_invoice' });
    await h.db.update(paymentEventsReview).set({ status: 'resolved', resolvedAt: h.clock.now(), resolutionNote: 'ok' }).where(eq(paymentEventsReview.id, closed.id));
    const later = await reviewItem(h, h.demo.orgId, { reason: 'processing_failed_8_times' });
    const unplaced = await reviewItem(h, null, { reason: 'another_account' });
    const foreign = await reviewItem(h, h.demo.otherOrgId);
    const res = await h.request(API, { as: 'finance' });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { id: string; status: string; note: string | null; resolvedAt: string | null }[] };
    const ids = items.map((i) => i.id);
    expect(ids).toContain(first.id);
    expect(ids).toContain(later.id);
    expect(ids).not.toContain(unplaced.id);
    expect(ids).not.toContain(foreign.id);
    expect(ids.indexOf(closed.id)).toBeGreaterThan(ids.indexOf(first.id));
    expect(ids.indexOf(closed.id)).toBeGreaterThan(ids.indexOf(later.id));
    expect(items.find((i) => i.id === closed.id)).toMatchObject({ status: 'resolved', note: 'ok', resolvedAt: h.clock.now().toISOString() });
    // The other organisation's staff see theirs only.
    const theirs = (await (await h.request('/api/v1/orgs/quang-ninh/payment-events-review', { as: 'otherAdmin' })).json()) as { items: { id: string }[] };
    expect(theirs.items.map((i) => i.id)).toEqual([foreign.id]);
  });
});

describe('POST /orgs/{org}/payment-events-review/{id}/resolve', () => {
  it('resolves once with who, when and the note, and writes one audit row; a second time → 409', async () => {
    const item = await reviewItem(h, h.demo.orgId, { reason: 'session_mismatch' });
    const res = await resolve(item.id, 'admin', { note: '  Đã kiểm tra trên Stripe: phiên thử nghiệm.  ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: item.id, status: 'resolved', note: 'Đã kiểm tra trên Stripe: phiên thử nghiệm.', resolvedAt: h.clock.now().toISOString(), eventId: item.eventId, reason: 'session_mismatch' });
    const [row] = await h.db.select().from(paymentEventsReview).where(eq(paymentEventsReview.id, item.id));
    expect(row).toMatchObject({ status: 'resolved', resolvedBy: h.demo.users.admin });
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.subjectId, item.id));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'payment_review.resolved', actorKind: 'user', actorId: h.demo.users.admin, orgId: h.demo.orgId, subjectType: 'payment_events_review' });

    const again = await resolve(item.id, 'finance', { note: 'lần nữa' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await again.json()).toMatchObject({ status: 409, detail: 'This payment event has already been resolved.' });
    expect(await h.db.select().from(auditLog).where(eq(auditLog.subjectId, item.id))).toHaveLength(1);
  });

  it('needs a note: missing, blank or too long → 400 problem+json naming the field, nothing changes', async () => {
    const item = await reviewItem(h, h.demo.orgId);
    for (const body of [{}, { note: '' }, { note: '    ' }, { note: 'x'.repeat(501) }, { note: 42 }]) {
      const res = await resolve(item.id, 'finance', body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toContain('json.note');
    }
    const noBody = await h.request(`${API}/${item.id}/resolve`, { method: 'POST', as: 'finance', headers: { 'content-type': 'application/json' } });
    expect(noBody.status).toBe(400);
    expect(await statusOf(item.id)).toBe('open');
    expect(await h.db.select().from(auditLog).where(eq(auditLog.subjectId, item.id))).toHaveLength(0);
  });

  it("another organisation's item, an unattributed one or an unknown id → 404; coordinator/viewer → 403; anonymous → 401", async () => {
    const foreign = await reviewItem(h, h.demo.otherOrgId);
    const unplaced = await reviewItem(h, null);
    const mine = await reviewItem(h, h.demo.orgId);
    for (const id of [foreign.id, unplaced.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await resolve(id, 'admin', { note: 'x' });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await resolve(mine.id, 'coordinator', { note: 'x' })).status).toBe(403);
    expect((await resolve(mine.id, 'viewer', { note: 'x' })).status).toBe(403);
    expect((await resolve(mine.id, 'anonymous', { note: 'x' })).status).toBe(401);
    expect((await resolve(mine.id, 'otherAdmin', { note: 'x' })).status).toBe(404);
    expect((await h.request(`/api/v1/orgs/quang-ninh/payment-events-review/${mine.id}/resolve`, { method: 'POST', as: 'otherAdmin', json: { note: 'x' } })).status).toBe(404);
    for (const r of [foreign, unplaced, mine]) expect(await statusOf(r.id)).toBe('open');
  });

  it('with an API token the audit row names the token', async () => {
    const item = await reviewItem(h, h.demo.orgId);
    const token = await createApiToken(h.db, { orgId: h.demo.orgId, name: 'kế toán script', role: 'finance', createdBy: h.demo.users.finance });
    const res = await h.request(`${API}/${item.id}/resolve`, { method: 'POST', headers: { authorization: `Bearer ${token.token}` }, json: { note: 'Đối chiếu tự động' } });
    expect(res.status).toBe(200);
    const [a] = await h.db.select().from(auditLog).where(eq(auditLog.subjectId, item.id));
    expect(a).toMatchObject({ actorKind: 'api_token', actorId: token.id });
    const [row] = await h.db.select().from(paymentEventsReview).where(eq(paymentEventsReview.id, item.id));
    expect(row!.resolvedBy).toBe(h.demo.users.finance);
  });

  it('two staff resolving at the same moment: one succeeds, the other gets 409, one audit row', async () => {
    const item = await reviewItem(h, h.demo.orgId);
    const results = await Promise.all([resolve(item.id, 'admin', { note: 'A' }), resolve(item.id, 'finance', { note: 'B' })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await h.db.select().from(auditLog).where(eq(auditLog.subjectId, item.id))).toHaveLength(1);
  });
});

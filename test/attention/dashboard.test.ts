import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { outbox } from '../../src/db/schema';
import { deadMail, reviewItem } from './fixtures';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const alertOf = async (as: 'admin' | 'finance' | 'coordinator' | 'viewer') => {
  const html = await (await h.request('/o/hai-phong', { as })).text();
  return /<p class="notice" role="status" data-attention-alert[^>]*>(.*?)<\/p>/.exec(html)?.[1] ?? null;
};

describe('dashboard alert for things that need attention', () => {
  it('appears only when this organisation has dead mail or open payment reviews, for admin and finance only', async () => {
    expect(await alertOf('admin')).toBeNull();
    // Other organisations' and unattributed items, pending mail and resolved reviews do not count.
    await deadMail(h, h.demo.otherOrgId);
    await deadMail(h, null);
    await deadMail(h, h.demo.orgId, { status: 'pending' });
    await reviewItem(h, h.demo.otherOrgId);
    await reviewItem(h, null);
    expect(await alertOf('admin')).toBeNull();
    expect(await alertOf('finance')).toBeNull();

    const m = await deadMail(h, h.demo.orgId);
    const alert = await alertOf('admin');
    expect(alert).toContain('href="/o/hai-phong/attention"');
    expect(alert).toContain('1 thư không gửi được, 0 thanh toán cần xem xét');
    expect(await alertOf('finance')).toContain('1 thư không gửi được');
    expect(await alertOf('coordinator')).toBeNull();
    expect(await alertOf('viewer')).toBeNull();

    // Sent again: nothing left, the alert goes away.
    await h.request(`/o/hai-phong/attention/mail/${m.id}/requeue`, { method: 'POST', as: 'admin', form: {} });
    expect((await h.db.select().from(outbox).where(eq(outbox.id, m.id)))[0]!.status).toBe('pending');
    expect(await alertOf('admin')).toBeNull();

    const r = await reviewItem(h, h.demo.orgId, { reason: 'unknown_subscription' });
    expect(await alertOf('finance')).toContain('0 thư không gửi được, 1 thanh toán cần xem xét');
    const en = await (await h.request('/o/hai-phong?lang=en', { as: 'finance' })).text();
    expect(en).toContain('messages not sent: 0, payments to review: 1.');
    await h.request(`/o/hai-phong/attention/review/${r.id}/resolve`, { method: 'POST', as: 'finance', form: { note: 'Khách đã hủy gói hằng tháng từ trước.' } });
    expect(await alertOf('finance')).toBeNull();
  });
});

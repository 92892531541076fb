import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { liveServerAndBrowser, signedInContext } from '../support/browser';
import { organisations, paymentEventsReview } from '../../src/db/schema';

const live = liveServerAndBrowser();

const signedInAs = (email: string) => signedInContext(live.server, live.browser, email, { viewport: { width: 1100, height: 900 } });

describe('needs attention in Chromium', () => {
  it('finance follows the dashboard alert, resolves a payment under review with a note and sees it move to resolved', async () => {
    const [org] = await live.server.db.select().from(organisations).where(eq(organisations.slug, 'hai-phong'));
    const [item] = await live.server.db
      .insert(paymentEventsReview)
      .values({ orgId: org!.id, eventId: 'evt_browser_review_1', eventType: 'checkout.session.completed', reason: 'unknown_session', payload: { id: 'evt_browser_review_1' } })
      .returning();

    const ctx = await signedInAs('ketoan@haiphong.sechia.example');
    const page = await ctx.newPage();
    const csp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    await page.goto(`${live.server.url}/o/hai-phong`);
    await page.getByRole('link', { name: /^Cần xử lý:/ }).click();
    await page.waitForURL(/\/o\/hai-phong\/attention$/);
    await page.getByRole('heading', { level: 1, name: 'Cần xử lý' }).waitFor();

    const row = page.locator(`tr[data-review-id="${item!.id}"]`);
    expect(await row.getAttribute('data-status')).toBe('open');
    expect(await row.textContent()).toContain('Phiên thanh toán không có trong hệ thống');
    // The note is required: an empty one is not sent.
    await row.getByRole('button', { name: /^Đã xử lý/ }).click();
    expect(page.url()).toMatch(/\/attention$/);
    expect(await row.getByLabel('Ghi chú xử lý').evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);

    await row.getByLabel('Ghi chú xử lý').fill('Phiên thử nghiệm của ngân hàng, không phải khoản ủng hộ.');
    await row.getByRole('button', { name: /^Đã xử lý/ }).click();
    await page.waitForURL(/\/attention\?done=resolved$/);
    expect(await page.getByRole('status').textContent()).toContain('Đã đánh dấu là đã xử lý.');
    const after = page.locator(`tr[data-review-id="${item!.id}"]`);
    expect(await after.getAttribute('data-status')).toBe('resolved');
    expect(await after.textContent()).toContain('Phiên thử nghiệm của ngân hàng, không phải khoản ủng hộ.');
    expect(await after.getByRole('button').count()).toBe(0);

    const [stored] = await live.server.db.select().from(paymentEventsReview).where(eq(paymentEventsReview.id, item!.id));
    expect(stored!.status).toBe('resolved');
    expect(csp).toEqual([]);
    await ctx.close();
  });
});

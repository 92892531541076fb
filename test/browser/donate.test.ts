import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startLiveServer } from '../support/live-server';
import { startStripeServer } from '../support/stripe-server';

const WEBHOOK_SECRET = 'whsec_browser_test_secret';
let stripe: Awaited<ReturnType<typeof startStripeServer>>;
let server: Awaited<ReturnType<typeof startLiveServer>>;
let browser: Browser;
beforeAll(async () => {
  stripe = await startStripeServer({ webhookSecret: WEBHOOK_SECRET });
  server = await startLiveServer({ env: { STRIPE_SECRET_KEY: 'sk_test_browser', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url } });
  stripe.setWebhookUrl(`${server.url}/webhooks/stripe`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stripe?.close();
});

describe('giving on the campaign page in Chromium', () => {
  it('donates by card through the Stripe stand-in, sees the success page after the webhook, and the progress moves', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const csp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    await page.goto(`${server.url}/c/hai-phong/trung-thu-2026`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Trung thu 2026');
    const raisedBefore = BigInt((await page.locator('[data-raised]').getAttribute('data-raised'))!);
    const donorsBefore = Number(await page.locator('[data-donors]').getAttribute('data-donors'));

    // A bad email comes back with the typed values and a readable error.
    await page.getByRole('radio', { name: '500.000' }).check();
    await page.getByLabel('Họ tên').fill('Vũ Thị Thu');
    await page.getByLabel(/^Email/).fill('not-an-email');
    await page.getByRole('button', { name: 'Tiếp tục thanh toán' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel(/^Email/).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Họ tên').inputValue()).toBe('Vũ Thị Thu');

    await page.getByLabel(/^Email/).fill('thu.vu@example.org');
    await page.getByRole('button', { name: 'Tiếp tục thanh toán' }).click();
    await page.waitForURL(/\/pay\/cs_test_/);
    expect(await page.locator('#amount').textContent()).toBe('500000 VND');
    await page.getByRole('button', { name: /^Pay/ }).click();

    await page.waitForURL(/\/c\/hai-phong\/trung-thu-2026\/thanks\?checkout=/);
    const status = page.locator('[data-checkout-status]');
    await status.waitFor();
    expect(await status.getAttribute('data-checkout-status')).toBe('completed');
    expect(await status.textContent()).toContain('500.000');
    expect(stripe.delivered).toEqual([{ type: 'checkout.session.completed', status: 200 }]);

    await page.getByRole('link', { name: 'Quay lại chương trình' }).click();
    await page.locator('[data-raised]').waitFor();
    const raisedAfter = BigInt((await page.locator('[data-raised]').getAttribute('data-raised'))!);
    expect(raisedAfter - raisedBefore).toBe(500_000n);
    expect(Number(await page.locator('[data-donors]').getAttribute('data-donors'))).toBe(donorsBefore + 1);
    expect(await page.locator('ul.recent li').first().textContent()).toContain('Thu');
    expect(csp).toEqual([]);
    await page.close();
  });

  it('gets a VietQR code with a unique transfer reference', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/c/hai-phong/trung-thu-2026?lang=en`);
    await page.getByLabel('Amount in đồng (optional)').fill('500.000');
    await page.getByRole('button', { name: 'Get the transfer QR code' }).click();
    await page.locator('[data-reference]').waitFor();
    expect(await page.locator('[data-reference]').textContent()).toMatch(/^SCHP[A-Z2-9]{6}$/);
    expect(await page.locator('.qr svg').count()).toBe(1);
    await page.close();
  });
});

describe('the donor portal on a phone', () => {
  it('signs in by emailed link and shows each gift as a card: amount, refund and receipts on screen, each with its label', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/d/hai-phong`);
    await page.getByLabel(/Email/).fill('duc.tran@example.com');
    await page.locator('form[action="/d/hai-phong/login"] button[type=submit]').click();
    // No mail provider in this server: the link is read where staff would read it, /dev/mail.
    await page.goto(`${server.url}/dev/mail`);
    const link = /https?:\/\/[^\s"<]*\/d\/hai-phong\/verify\?token=[\w-]+/.exec(await page.content())![0];
    await page.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
    // Opening the link asks for one press (a mail scanner's prefetch must not sign anyone in).
    await page.locator('form[action="/d/hai-phong/verify"] button[type=submit]').click();
    await page.waitForURL(/\/d\/hai-phong\/portal$/);
    const gift = page.locator('tr[data-donation]').first();
    const amount = gift.locator('td.num');
    await amount.waitFor();
    expect(await amount.textContent()).toMatch(/2\.000\.000\s?₫.*−500\.000\s?₫/);
    const box = await amount.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await amount.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Số tiền"');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });
});

import { describe, expect, it } from 'vitest';
import { liveServerAndBrowser } from '../support/browser';

const live = liveServerAndBrowser();

describe('gift packages in Chromium', () => {
  it('a coordinator auto-matches a drive and delivers a batch; the donor portal then shows the packages delivered', async () => {
    const page = await live.browser.newPage({ viewport: { width: 390, height: 844 } });
    const csp: string[] = [];
    // Our pages must not trip the CSP (the /dev/mail viewer shows emails, which carry inline styles).
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text()) && !page.url().includes('/dev/mail')) csp.push(`${page.url()}: ${m.text()}`);
    });

    // The coordinator signs in by magic link (from /dev/mail).
    await page.goto(`${live.server.url}/login`);
    await page.getByLabel('Email').fill('dieuphoi@haiphong.sechia.example');
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await page.getByRole('status').waitFor();
    await page.goto(`${live.server.url}/dev/mail`);
    await page.getByRole('link', { name: 'Đăng nhập Sẻ Chia' }).first().click();
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/o\/hai-phong$/);

    // The partly matched "20 × 1,000,000 đ" drive: 8 packages wait for a child.
    await page.getByRole('link', { name: 'Suất quà' }).first().click();
    await page.getByRole('link', { name: /^20 suất × 1\.000\.000 đ/ }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    const deliveredBefore = Number(await page.locator('[data-delivered]').getAttribute('data-delivered'));
    expect(deliveredBefore).toBe(5);

    await page.getByRole('link', { name: 'Ghép suất quà' }).click();
    await page.getByRole('heading', { name: 'Gợi ý ghép' }).waitFor();
    expect(await page.locator('tr[data-case]').count()).toBe(8);
    expect(await page.locator('tr[data-case]').first().textContent()).toContain('chưa nhận suất nào của đợt này');
    await page.getByRole('button', { name: 'Chấp nhận tất cả gợi ý' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Đã ghép 8 suất');

    // Hand over every matched package at one event.
    await page.getByRole('link', { name: /^20 suất × 1\.000\.000 đ/ }).click();
    await page.getByRole('link', { name: 'Ghi nhận trao quà' }).click();
    const boxes = page.locator('input[name="unitIds"]');
    expect(await boxes.count()).toBe(15);
    // A missing place is refused with the typed values kept.
    await page.getByLabel('Người trao').fill('Điều phối viên (demo)');
    await page.getByRole('button', { name: 'Ghi nhận trao quà' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Nơi trao').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Người trao').inputValue()).toBe('Điều phối viên (demo)');
    await page.getByLabel('Nơi trao').fill('Trường Thanh Xuân');
    await page.getByRole('button', { name: 'Ghi nhận trao quà' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Đã ghi nhận trao 15 suất');
    expect(Number(await page.locator('[data-delivered]').getAttribute('data-delivered'))).toBe(20);

    // The donor (the company that funded the 20 packages) opens the portal by emailed link.
    const donor = await live.browser.newPage();
    await donor.goto(`${live.server.url}/d/hai-phong`);
    await donor.getByLabel('Email').fill('csr@thephaian.example');
    await donor.getByRole('button', { name: 'Gửi liên kết' }).click();
    await donor.getByRole('status').waitFor();
    await donor.goto(`${live.server.url}/dev/mail`);
    await donor.getByRole('link', { name: 'Xem khoản ủng hộ của tôi' }).first().click();
    await donor.getByRole('button', { name: 'Mở trang của tôi' }).click();
    await donor.waitForURL(/\/d\/hai-phong\/portal$/);
    await donor.getByRole('heading', { name: 'Suất quà bạn đã ủng hộ' }).waitFor();
    expect(await donor.locator('tr[data-unit-status="delivered"]').count()).toBe(20);
    expect(await donor.locator('tr[data-unit-status="delivered"]').first().textContent()).toContain('Đã trao');
    const text = (await donor.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/Hư Cấu|HP-2026-\d{4}\b/);
    await donor.goto(`${live.server.url}/d/hai-phong/portal?lang=en`);
    expect(await donor.locator('tr[data-unit-status="delivered"]').first().textContent()).toContain('Delivered');
    expect(csp).toEqual([]);
    await donor.close();
    await page.close();
  });
});

import { describe, expect, it } from 'vitest';
import { liveServerAndBrowser } from '../support/browser';

const live = liveServerAndBrowser();

describe('staff sign-in in Chromium', () => {
  it('requests a magic link, follows it from /dev/mail and sees the dashboard with real counts', async () => {
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/`);
    await page.getByRole('link', { name: 'Nhân viên trung tâm: đăng nhập' }).click();
    await expect.poll(() => page.url()).toContain('/login');
    await page.getByLabel('Email').fill('admin@haiphong.sechia.example');
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('liên kết đăng nhập');

    await page.goto(`${live.server.url}/dev/mail`);
    await page.getByRole('link', { name: 'Đăng nhập Sẻ Chia' }).first().click();
    await page.getByRole('button', { name: 'Đăng nhập' }).click();

    await page.waitForURL(/\/o\/hai-phong$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Hải Phòng');
    expect(await page.locator('[data-count="staff"] .n').textContent()).toBe('5');

    // Switch to English.
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    // The used link does not work a second time.
    await page.goBack();
    await page.goto(`${live.server.url}/dev/mail`);
    await page.getByRole('link', { name: 'Đăng nhập Sẻ Chia' }).first().click();
    await page.getByRole('button', { name: /Sign in|Đăng nhập/ }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/already used|đã được dùng/);
    await page.close();
  });
});

import { describe, expect, it } from 'vitest';
import { liveServerAndBrowser, signedInContext } from '../support/browser';
import { reports } from '../../src/db/schema';

const live = liveServerAndBrowser();

const phoneAs = (email: string) => signedInContext(live.server, live.browser, email);

describe('impact reports in the browser', () => {
  it('finance builds the 2019 organisation report, shares it, and the link opens in a browser that is not signed in', async () => {
    const finance = await phoneAs('ketoan@haiphong.sechia.example');
    const page = await finance.newPage();
    const csp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    await page.goto(`${live.server.url}/o/hai-phong`);
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Báo cáo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Báo cáo' }).waitFor();
    await page.getByRole('link', { name: 'Lập báo cáo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lập báo cáo' }).waitFor();
    // The builder fits a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const before = (await live.server.db.select().from(reports)).length;
    await page.getByRole('radio', { name: 'Tổ chức' }).check();
    await page.getByLabel('Từ ngày').fill('2019-01-01');
    await page.getByLabel('Đến ngày').fill('2019-09-30');
    await page.getByRole('radio', { name: 'Tiếng Việt' }).check();
    await page.getByRole('button', { name: 'Tính số liệu và lưu phiên bản' }).tap();
    await page.waitForURL(/\/o\/hai-phong\/reports\/[0-9a-f-]{36}$/);
    expect((await live.server.db.select().from(reports)).length).toBe(before + 1);

    // The report itself, inline: 72 cases handled, and a chart or a suppressed "<5" cell.
    expect((await page.locator('#indicator-cases-handled .indicator-value').textContent())?.trim()).toBe('72');
    const charts = await page.locator('.report-figure svg').count();
    const small = await page.locator('[data-suppressed="small"]').count();
    expect(charts + small).toBeGreaterThan(0);
    if (small) expect((await page.locator('[data-suppressed="small"]').first().textContent())?.trim()).toBe('<5');
    await page.locator('tr[data-version="1"]').waitFor();

    // A share link, shown once.
    await page.getByLabel('Hiệu lực (ngày)').fill('7');
    await page.getByRole('button', { name: 'Tạo liên kết (v1)' }).tap();
    const urlBox = page.getByLabel('Địa chỉ liên kết');
    await urlBox.waitFor();
    const link = await urlBox.inputValue();
    expect(link).toMatch(new RegExp(`^${live.server.url}/r/[A-Za-z0-9_-]{20,}$`));
    expect(csp).toEqual([]);
    await finance.close();

    // A fresh browser, no cookies: the same report, without signing in.
    const funder = await live.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const fpage = await funder.newPage();
    const res = await fpage.goto(link);
    expect(res!.status()).toBe(200);
    expect((await fpage.locator('#indicator-cases-handled .indicator-value').textContent())?.trim()).toBe('72');
    expect(await fpage.getByRole('heading', { level: 1 }).textContent()).toContain('Báo cáo kết quả');
    expect(await fpage.getByRole('link', { name: 'PDF' }).count()).toBe(1);
    expect(await fpage.locator('form[action="/auth/logout"]').count()).toBe(0);
    // The same browser is not signed in to the staff pages.
    await fpage.goto(`${live.server.url}/o/hai-phong/reports`);
    expect(new URL(fpage.url()).pathname).toBe('/login');
    await funder.close();
  });
});

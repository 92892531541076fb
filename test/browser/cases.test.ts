import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { liveServerAndBrowser, signedInContext } from '../support/browser';
import { caseIdentities, caseServices } from '../../src/db/schema';

const live = liveServerAndBrowser();

const phoneAs = (email: string) => signedInContext(live.server, live.browser, email);

describe('cases on a phone', () => {
  it('a caseworker logs a home visit from the case page; a coordinator on the same page sees no name', async () => {
    const cw = await phoneAs('congtacxahoi@haiphong.sechia.example');
    const page = await cw.newPage();
    await page.goto(`${live.server.url}/o/hai-phong/cases?status=intervention`);
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ trường hợp' }).waitFor();
    // The caseworker sees only Tiên Hưng: every listed case is there.
    const places = await page.locator('tbody tr td:nth-child(6)').allTextContents();
    expect(places.length).toBeGreaterThan(0);
    for (const p of places) expect(p).toMatch(/Tiên Hưng/);

    await page.locator('tbody tr').first().getByRole('link').click();
    await page.waitForURL(/\/o\/hai-phong\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = page.url();
    const caseId = caseUrl.split('/').at(-1)!;
    const before = (await live.server.db.select().from(caseServices).where(eq(caseServices.caseId, caseId))).length;

    // The status history is a card per step on the phone: the stage reached is on screen, named by its column.
    const history = page.locator('section[aria-labelledby="hist-h"] table');
    const stage = history.locator('tbody tr').first().locator('td').nth(2);
    const stageBox = await stage.boundingBox();
    expect(stageBox!.x).toBeGreaterThanOrEqual(0);
    expect(stageBox!.x + stageBox!.width).toBeLessThanOrEqual(390);
    expect(await history.locator('thead th').nth(2).textContent()).toBe('Đến');
    expect(await stage.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Đến"');

    // The quick log is the first thing on the page and fits the screen.
    const quick = page.locator('#log-service');
    await quick.getByRole('radio', { name: 'Thăm gia đình' }).check();
    await quick.getByLabel('Thời lượng (phút)').selectOption('45');
    await quick.getByLabel('Ghi chú công việc').fill('Trẻ đi học đều, gia đình hợp tác');
    const button = quick.getByRole('button', { name: 'Ghi nhanh dịch vụ' });
    const box = await button.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(box!.height).toBeGreaterThanOrEqual(44); // a comfortable tap target
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await button.tap();

    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Đã ghi dịch vụ.');
    const rows = await live.server.db
      .select()
      .from(caseServices)
      .where(and(eq(caseServices.caseId, caseId), eq(caseServices.kind, 'home_visit'), eq(caseServices.durationMinutes, 45)));
    expect(rows.some((r) => r.note === 'Trẻ đi học đều, gia đình hợp tác')).toBe(true);
    expect((await live.server.db.select().from(caseServices).where(eq(caseServices.caseId, caseId))).length).toBe(before + 1);

    // The caseworker may see the child's name, with a reason (audited).
    const [ident] = await live.server.db.select().from(caseIdentities).where(eq(caseIdentities.caseId, caseId));
    const name = ident!.fullName!;
    expect(name).toContain('Hư Cấu');
    expect(await page.content()).not.toContain(name);
    await page.getByLabel('Lý do xem').selectOption('home_visit');
    await page.getByRole('button', { name: 'Xem thông tin nhận dạng' }).click();
    await page.locator('[data-identity="fullName"]').waitFor();
    expect(await page.locator('[data-identity="fullName"]').textContent()).toBe(name);
    await cw.close();

    const co = await phoneAs('dieuphoi@haiphong.sechia.example');
    const cpage = await co.newPage();
    await cpage.goto(caseUrl);
    await cpage.getByRole('heading', { level: 1 }).waitFor();
    const html = await cpage.content();
    expect(html).not.toContain(name);
    expect(html).not.toContain(ident!.guardianName ?? '—never—');
    expect(html).not.toContain('data-identity');
    expect(await cpage.locator('#log-service').count()).toBe(0);
    // The coordinator still sees the work that was done, without its note.
    expect(await cpage.locator('[data-service="home_visit"]').count()).toBeGreaterThan(0);
    expect(html).not.toContain('gia đình hợp tác');
    // Asking for identity anyway is refused.
    const refused = await cpage.goto(`${caseUrl}?reveal=identity&reason=home_visit`);
    expect(refused!.status()).toBe(403);
    expect(await cpage.content()).not.toContain(name);
    await co.close();
  });
});

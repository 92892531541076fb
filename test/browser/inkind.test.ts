import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { liveServerAndBrowser, signedInContext } from '../support/browser';
import { inkindItems, locations, stockBalances } from '../../src/db/schema';

const live = liveServerAndBrowser();

const phoneAs = (email: string) => signedInContext(live.server, live.browser, email);

async function onHand(itemName: string, officeName: string) {
  const [item] = await live.server.db.select().from(inkindItems).where(eq(inkindItems.nameVi, itemName));
  const [office] = await live.server.db.select().from(locations).where(eq(locations.name, officeName));
  const [b] = await live.server.db.select().from(stockBalances).where(and(eq(stockBalances.itemId, item!.id), eq(stockBalances.locationId, office!.id)));
  return b?.quantity ?? 0;
}

describe('in-kind on a phone', () => {
  it('a coordinator records a gift of goods with an added line, without a script, and the stock page shows it', async () => {
    const ctx = await phoneAs('dieuphoi@haiphong.sechia.example');
    const page = await ctx.newPage();
    const riceBefore = await onHand('Gạo tẻ', 'Văn phòng Trung tâm');
    const booksBefore = await onHand('Vở ô li 96 trang', 'Văn phòng Trung tâm');
    await page.goto(`${live.server.url}/o/hai-phong/inkind/intake`);
    await page.getByRole('heading', { level: 1, name: 'Tiếp nhận hiện vật' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByLabel('Nhập vào kho').selectOption({ label: 'Văn phòng Trung tâm' });
    await page.locator('#lines-0-itemId').selectOption({ label: 'Gạo tẻ (kg)' });
    await page.locator('#lines-0-quantity').fill('50');
    await page.locator('#lines-1-itemId').selectOption({ label: 'Vở ô li 96 trang (cuốn)' });
    await page.locator('#lines-1-quantity').fill('120');
    await page.locator('#lines-2-itemId').selectOption({ label: 'Gấu bông (chiếc)' });
    await page.locator('#lines-2-quantity').fill('3');
    await page.getByRole('button', { name: 'Thêm dòng' }).tap();
    await page.locator('#lines-3-itemId').waitFor();
    // Nothing typed so far is lost when a line is added.
    expect(await page.locator('#lines-0-quantity').inputValue()).toBe('50');
    await page.locator('#lines-3-itemId').selectOption({ label: 'Bàn chải và kem đánh răng (bộ)' });
    await page.locator('#lines-3-quantity').fill('10');
    const save = page.getByRole('button', { name: 'Lưu' });
    const box = await save.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await save.tap();
    await page.waitForURL(/\/o\/hai-phong\/inkind\?saved=1$/);
    expect(await page.getByRole('status').textContent()).toContain('Đã lưu.');
    expect(await onHand('Gạo tẻ', 'Văn phòng Trung tâm')).toBe(riceBefore + 50);
    expect(await onHand('Vở ô li 96 trang', 'Văn phòng Trung tâm')).toBe(booksBefore + 120);
    expect(await page.locator('table[data-table="by-category"]').textContent()).toContain('Vệ sinh cá nhân');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await ctx.close();
  });
});

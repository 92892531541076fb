/**
 * Phone-sized screenshots of pages for a look by eye, signed in as the demo admin:
 *   npx tsx scripts/screenshot.ts dashboard=/o/hai-phong cases=/o/hai-phong/cases
 * writes /tmp/shot-<name>.png (needs /usr/bin/chromium).
 */
import { startLiveServer } from '../test/support/live-server';
import { launchBrowser } from '../test/support/browser';
import { sessions, users } from '../src/db/schema';
import { randomToken, sha256Hex } from '../src/lib/crypto';
import { eq } from 'drizzle-orm';
async function main() {
  const s = await startLiveServer();
  const [u] = await s.db.select().from(users).where(eq(users.email, 'admin@haiphong.sechia.example'));
  const token = randomToken();
  await s.db.insert(sessions).values({ tokenHash: await sha256Hex(token), userId: u!.id, expiresAt: new Date(Date.now() + 3600_000) });
  const b = await launchBrowser();
  const ctx = await b.newContext({ viewport: { width: 390, height: 844 } });
  await ctx.addCookies([{ name: 'sc_session', value: token, url: s.url }]);
  const p = await ctx.newPage();
  for (const [name, path] of process.argv.slice(2).map((a) => a.split('='))) {
    await p.goto(s.url + path);
    await p.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: true });
  }
  await b.close(); await s.close();
}
main();

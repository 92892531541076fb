import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { startLiveServer } from './live-server';
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { sessions, users } from '../../src/db/schema';
import type { Db } from '../../src/db/types';
import { randomToken, sha256Hex } from '../../src/lib/crypto';
import { SESSION_COOKIE } from '../../src/http/middleware';

/** Debian's Chromium, headless, with no background traffic (the machine has no internet). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium (.ci/run does)`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;

/**
 * A browser context signed in as the staff user with this email: a session row made directly,
 * as the harness does, and its cookie. A phone unless other context options are given.
 */
export async function signedInContext(
  server: { db: Db; url: string },
  browser: Browser,
  email: string,
  options: BrowserContextOptions = PHONE,
): Promise<BrowserContext> {
  const [user] = await server.db.select().from(users).where(eq(users.email, email));
  if (!user) throw new Error(`no user ${email}`);
  const token = randomToken();
  await server.db.insert(sessions).values({ tokenHash: await sha256Hex(token), userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) });
  const context = await browser.newContext(options);
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

export type LiveServer = Awaited<ReturnType<typeof startLiveServer>>;

/**
 * The Node server as `npm start` runs it (PGlite, demo data) and Chromium, for one test file:
 * started before its tests, closed after them. Read `.server` and `.browser` inside tests.
 */
export function liveServerAndBrowser(): { server: LiveServer; browser: Browser } {
  const live = {} as { server: LiveServer; browser: Browser };
  beforeAll(async () => {
    live.server = await startLiveServer();
    live.browser = await launchBrowser();
  });
  afterAll(async () => {
    await live.browser?.close();
    await live.server?.close();
  });
  return live;
}

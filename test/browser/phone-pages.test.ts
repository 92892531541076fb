import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { liveServerAndBrowser, PHONE, signedInContext } from '../support/browser';

/**
 * Every staff page an administrator can reach by following links from the dashboard, opened on
 * a phone (390 px) in Vietnamese and in English. Each page must load with every resource it asks
 * for, have one h1, a label on every field, and no table wider than its box: a list is a labelled
 * card per row on a phone. Cross-tabulations in a report (class report-table) stay grids and
 * scroll inside their box, as a funder's table must keep its rows and columns.
 */

const live = liveServerAndBrowser();

const ADMIN = 'admin@haiphong.sechia.example';
const START = '/o/hai-phong';
/** Pages per route shape (ids replaced): enough to meet a full and an empty variant, not every donor. */
const PER_SHAPE = 2;

const shape = (path: string) =>
  path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
    .replace(/\/\d+(?=\/|$)/g, '/:n');

type Problem = { path: string; problem: string };

/** What is wrong with the page on screen, as readable lines. */
async function inspect(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(`${h1} h1 elements`);
    for (const table of Array.from(document.querySelectorAll('table'))) {
      if (table.closest('.report-table')) continue;
      const box = table.parentElement!;
      if (table.scrollWidth > box.clientWidth + 1 || table.getBoundingClientRect().right > window.innerWidth + 1) {
        const head = table.querySelector('caption, th')?.textContent?.trim().slice(0, 40) ?? '';
        out.push(`table "${head}" is ${table.scrollWidth}px in a ${box.clientWidth}px box`);
      }
    }
    const fields = document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea',
    );
    for (const f of Array.from(fields)) {
      const named = (f.labels?.length ?? 0) > 0 || f.getAttribute('aria-label') || f.getAttribute('aria-labelledby') || f.title;
      if (!named) out.push(`field ${f.name || f.id || f.type} has no label`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      out.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
    }
    return out;
  });
}

async function crawl(context: BrowserContext, start: string, inScope: (path: string) => boolean): Promise<{ visited: string[]; problems: Problem[] }> {
  const origin = live.server.url;
  const problems: Problem[] = [];
  const visited: string[] = [];
  const seen = new Set<string>([start]);
  const perShape = new Map<string, number>([[shape(start), 1]]);
  const queue = [start];
  const page = await context.newPage();
  let current = start;
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push({ path: current, problem: `console: ${m.text()}` });
  });
  page.on('requestfailed', (r) => {
    // Leaving a page cancels what it still had in flight (the icon, on a slow run): that is the crawl, not the page.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push({ path: current, problem: `failed: ${r.url()} (${r.failure()?.errorText})` });
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push({ path: current, problem: `${r.status()} for ${r.url()}` });
  });

  while (queue.length) {
    const path = queue.shift()!;
    current = path;
    // Downloads (CSV, XML, PDF) are not pages: ask first what the link answers.
    const head = await context.request.get(origin + path, { maxRedirects: 0 });
    if (head.status() >= 300 && head.status() < 400) continue; // sign-out, language switch and the like
    if (!(head.headers()['content-type'] ?? '').startsWith('text/html')) continue;
    const res = await page.goto(origin + path);
    visited.push(path);
    if (!res || res.status() >= 400) continue; // the response listener has noted it
    for (const p of await inspect(page)) problems.push({ path, problem: p });

    const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of links) {
      const u = new URL(href);
      if (u.origin !== origin || !inScope(u.pathname)) continue;
      if (u.searchParams.has('lang')) continue; // the language switch: this run keeps one language
      const next = u.pathname + u.search;
      if (seen.has(next)) continue;
      seen.add(next);
      const s = shape(u.pathname);
      const n = perShape.get(s) ?? 0;
      if (n >= PER_SHAPE) continue;
      perShape.set(s, n + 1);
      queue.push(next);
    }
  }
  await page.close();
  return { visited, problems };
}

describe('every staff page on a phone', () => {
  for (const lang of ['vi', 'en'] as const) {
    it(`in ${lang === 'vi' ? 'Vietnamese' : 'English'}: loads whole, one h1, labelled fields, no table past the screen`, async () => {
      const context = await signedInContext(live.server, live.browser, ADMIN);
      await context.addCookies([{ name: 'lang', value: lang, url: live.server.url }]);
      const { visited, problems } = await crawl(context, START, (p) => p === START || p.startsWith(`${START}/`));
      await context.close();
      // The crawl reached the work of the fund, not just the dashboard.
      for (const area of ['/donors', '/donations', '/campaigns', '/cases', '/packages', '/inkind', '/reports', '/reconciliation']) {
        expect(visited.some((p) => p.startsWith(START + area)), `${area} reached`).toBe(true);
      }
      expect(visited.length).toBeGreaterThan(30);
      expect(problems).toEqual([]);
    }, 240_000);
  }
});

describe('the public pages on a phone', () => {
  it('the front page, each centre and its campaigns, and the donor sign-in: whole, one h1, labelled fields', async () => {
    const context = await live.browser.newContext(PHONE);
    const { visited, problems } = await crawl(context, '/', (p) => p === '/' || p.startsWith('/c/') || /^\/d\/[^/]+$/.test(p));
    await context.close();
    expect(visited).toEqual(expect.arrayContaining(['/', '/c/hai-phong', '/c/hai-phong/trung-thu-2026', '/c/hai-phong/give', '/d/hai-phong']));
    expect(problems).toEqual([]);
  }, 120_000);
});

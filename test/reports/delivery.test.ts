import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Harness } from '../support/harness';
import { funderContacts, grants, outbox, reportDeliveries, reports, reportVersions } from '../../src/db/schema';
import { runScheduledJobs } from '../../src/jobs';
import { createGrant } from '../../src/reports/grants';
import { PREVIEW_DAYS } from '../../src/reports/delivery';
import { DEMO_GRANT } from '../../src/reports/seed';
import { DAY, HOUR } from '../../src/lib/clock';
import { API, createReportsHarness, NOW } from './support';

/*
 * Scheduled grant reports: the cron (runScheduledJobs) generates the report of a grant whose
 * period has ended exactly once, even when two cron runs overlap (meaningful on postgres and
 * workerd, where they really run at the same time); staff preview and send it once; a preview
 * nobody sent goes out by itself after the waiting period. Every email carries a working link to
 * the stored version and the PDF.
 */

let h: Harness;
let demo: Awaited<ReturnType<typeof createReportsHarness>>['demo'];
beforeAll(async () => {
  ({ h, demo } = await createReportsHarness());
  // A second person at EFA-Japan receives reports: one email each.
  await h.db.insert(funderContacts).values({ orgId: h.demo.orgId, funderId: demo.funderId, name: 'Finance officer (demo)', email: 'finance@efa-japan.example' });
}, 180_000);
afterAll(() => h?.close());

const deliveriesOf = (grantId: string) => h.db.select().from(reportDeliveries).where(eq(reportDeliveries.grantId, grantId));
const grantReports = (grantId: string) => h.db.select().from(reports).where(and(eq(reports.grantId, grantId), eq(reports.scopeKind, 'grant')));
const versionsOf = async (grantId: string) => {
  const rs = await grantReports(grantId);
  const vs = await h.db.select().from(reportVersions);
  return vs.filter((v) => rs.some((r) => r.id === v.reportId));
};
const reportMails = () => h.db.select().from(outbox).where(eq(outbox.template, 'report'));

async function newGrant(code: string, nextDueOn: string) {
  return createGrant(h.db, h.demo.orgId, {
    funderId: demo.funderId,
    code,
    title: `Khoản tài trợ ${code}`,
    amountMinor: 10_000_000n,
    currency: 'VND',
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    schedule: 'quarterly',
    nextDueOn,
  });
}

describe('the cron generates a due report once', () => {
  it('generates the demo grant’s third-quarter report (due since 30/09) once, however often it runs', async () => {
    // Due today is not due yet: the period must have ended.
    const notYet = await newGrant('due-today', '2026-11-25');
    const first = await runScheduledJobs(h.deps);
    expect(first.reports.generated).toBe(1);
    const second = await runScheduledJobs(h.deps);
    expect(second.reports.generated).toBe(0);

    const [d, ...more] = await deliveriesOf(demo.grantId);
    expect(more).toHaveLength(0);
    expect(d!.status).toBe('preview');
    expect(d!.periodTo).toBe('2026-09-30');
    expect(d!.sendAfter.getTime()).toBe(new Date(NOW).getTime() + PREVIEW_DAYS * DAY);
    // The seed's first-half report plus the scheduled quarter, each one version.
    const rs = await grantReports(demo.grantId);
    const scheduled = rs.filter((r) => r.periodTo === '2026-09-30');
    expect(scheduled.map((r) => [r.periodFrom, r.periodTo, r.language, r.createdBy])).toEqual([['2026-07-01', '2026-09-30', 'en', null]]);
    expect((await versionsOf(demo.grantId)).filter((v) => v.reportId === scheduled[0]!.id)).toHaveLength(1);
    const [g] = await h.db.select().from(grants).where(eq(grants.id, demo.grantId));
    expect(g!.nextDueOn).toBe('2026-12-31');

    expect(await deliveriesOf(notYet.id)).toHaveLength(0);
    expect(await grantReports(notYet.id)).toHaveLength(0);
  });

  it('two cron runs at the same time still make one version and one delivery', async () => {
    const g = await newGrant('overlap', '2026-10-31');
    const [a, b] = await Promise.all([runScheduledJobs(h.deps), runScheduledJobs(h.deps)]);
    expect(a.reports.generated + b.reports.generated).toBe(1);
    expect(await deliveriesOf(g.id)).toHaveLength(1);
    expect(await grantReports(g.id)).toHaveLength(1);
    expect(await versionsOf(g.id)).toHaveLength(1);
    const [row] = await h.db.select().from(grants).where(eq(grants.id, g.id));
    expect(row!.nextDueOn).toBe('2027-01-31');
    // Nothing was sent: the preview waits for staff.
    expect((await deliveriesOf(g.id))[0]!.status).toBe('preview');
  });
});

describe('preview, then send', () => {
  it('sends one email per funder contact, with a link to the stored version and the PDF attached; a second send sends nothing', async () => {
    const [d] = await deliveriesOf(demo.grantId);
    const before = (await reportMails()).length;
    // Staff look at the preview first (the page shows who will receive it).
    const preview = await h.request(`/o/hai-phong/report-deliveries/${d!.id}`, { as: 'coordinator' });
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toContain('programme@efa-japan.example');
    expect(page).toContain('finance@efa-japan.example');

    const res = await h.request(`${API}/report-deliveries/${d!.id}/send`, { as: 'coordinator', method: 'POST', json: {} });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ sent: true, recipients: 2 });

    const mails = (await reportMails()).slice(before);
    expect(mails.map((m) => m.toAddress).sort()).toEqual(['finance@efa-japan.example', 'programme@efa-japan.example']);
    const tokens = new Set<string>();
    for (const m of mails) {
      expect(m.locale).toBe('en');
      expect(m.subject).toBe(`Impact report: ${DEMO_GRANT.titleEn}`);
      const link = /http:\/\/localhost:8787\/r\/([A-Za-z0-9_-]{20,})/.exec(m.text)?.[1];
      expect(link, m.text).toBeTruthy();
      expect(m.html).toContain(`/r/${link}`);
      tokens.add(link!);
      expect(m.attachments).toHaveLength(1);
      const att = m.attachments![0]!;
      expect(att.contentType).toBe('application/pdf');
      expect(att.filename).toMatch(/\.pdf$/);
      // A report's PDF is drawn when the mail is queued, so the funder gets the version delivered.
      expect('contentBase64' in att && atob(att.contentBase64).slice(0, 5)).toBe('%PDF-');
    }
    // The link opens the delivered version, without an account.
    expect(tokens.size).toBe(1);
    const opened = await h.request(`/r/${[...tokens][0]}`);
    expect(opened.status).toBe(200);
    const body = await opened.text();
    expect(body).toContain(DEMO_GRANT.titleEn);
    expect(body).toContain('2026');

    const [after] = await deliveriesOf(demo.grantId);
    expect(after!.status).toBe('sent');
    expect(after!.recipients).toBe(2);
    expect(after!.sentBy).toBe(h.demo.users.coordinator);

    const again = await h.request(`${API}/report-deliveries/${d!.id}/send`, { as: 'coordinator', method: 'POST', json: {} });
    expect(again.status).toBe(409);
    expect((await reportMails()).length).toBe(before + 2);
  });

  it('two sends at the same moment send once', async () => {
    const g = await newGrant('double-send', '2026-08-31');
    await runScheduledJobs(h.deps);
    const [d] = await deliveriesOf(g.id);
    const before = (await reportMails()).length;
    const results = await Promise.all([0, 1].map(() => h.request(`${API}/report-deliveries/${d!.id}/send`, { as: 'coordinator', method: 'POST', json: {} })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await reportMails()).length).toBe(before + 2);
  });

  it('a viewer cannot send (403) and nothing is queued', async () => {
    const g = await newGrant('viewer-send', '2026-07-31');
    await runScheduledJobs(h.deps);
    const [d] = await deliveriesOf(g.id);
    const before = (await reportMails()).length;
    expect((await h.request(`${API}/report-deliveries/${d!.id}/send`, { as: 'viewer', method: 'POST', json: {} })).status).toBe(403);
    expect((await reportMails()).length).toBe(before);
    expect((await deliveriesOf(g.id))[0]!.status).toBe('preview');
  });
});

describe('a preview nobody sent', () => {
  it('is sent by the cron once the waiting period has passed, once', async () => {
    const pending = (await h.db.select().from(reportDeliveries).where(eq(reportDeliveries.status, 'preview'))).map((d) => d.id);
    expect(pending.length).toBeGreaterThan(0);
    const before = (await reportMails()).length;

    h.clock.advance(PREVIEW_DAYS * DAY - HOUR);
    await runScheduledJobs(h.deps);
    expect((await reportMails()).length).toBe(before);

    h.clock.advance(2 * HOUR);
    const run = await runScheduledJobs(h.deps);
    expect(run.reports.sent).toBe(pending.length);
    const rows = await h.db.select().from(reportDeliveries).where(sql`${reportDeliveries.id} in ${pending}`);
    for (const r of rows) {
      expect(r.status).toBe('sent');
      expect(r.sentBy).toBeNull();
      expect(r.recipients).toBe(2);
    }
    expect((await reportMails()).length).toBe(before + 2 * pending.length);

    const again = await runScheduledJobs(h.deps);
    expect(again.reports.sent).toBe(0);
    expect((await reportMails()).length).toBe(before + 2 * pending.length);
  });
});

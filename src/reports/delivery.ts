/**
 * Scheduled grant reports. The cron job (runScheduledJobs) finds grants whose reporting period
 * has ended, claims the period with a conditional UPDATE of `next_due_on` (so two cron runs
 * generate it once), generates the report version and a delivery in "preview". Staff open the
 * preview and send it; a preview nobody sent within PREVIEW_DAYS is sent by the cron. Sending is
 * a conditional UPDATE preview → sent, then one outbox message per funder contact with an
 * expiring link and the PDF attached, all in one transaction: exactly once.
 */
import { and, asc, desc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import { donors, funders, grants, reportDeliveries, reports, reportVersions } from '../db/schema';
import type { Db } from '../db/types';
import type { AppDeps } from '../http/env';
import { conflict, notFound } from '../http/problem';
import { enqueueMail } from '../mail/outbox';
import { escapeHtml, wrapHtml } from '../mail/templates';
import { vnDate } from '../cases/cases';
import { addDaysIso, funderContactsOf, nextPeriodEnd } from './grants';
import { renderReportPdf } from './pdf';
import { bytesToBase64 } from '../lib/base64';
import { publishVersion } from './render';
import type { PublishedReport } from './publish';
import { createReportLink, generateVersion } from './versions';

export const PREVIEW_DAYS = 3;
export const DELIVERY_LINK_DAYS = 180;

function periodStartFor(periodEnd: string, schedule: string, grantStart: string): string {
  const months = schedule === 'quarterly' ? 3 : schedule === 'semi_annual' ? 6 : 12;
  const [y, m, d] = addDaysIso(periodEnd, 1).split('-').map(Number) as [number, number, number];
  const start = new Date(Date.UTC(y, m - 1 - months, d)).toISOString().slice(0, 10);
  return start < grantStart ? grantStart : start;
}

/** Generates the report of every grant whose period has ended (Vietnamese calendar). */
export async function generateDueReports(db: Db, deps: Pick<AppDeps, 'clock' | 'logger'>): Promise<{ generated: number }> {
  const now = deps.clock.now();
  const today = vnDate(now);
  const due = await db
    .select()
    .from(grants)
    .where(and(isNotNull(grants.nextDueOn), sql`${grants.nextDueOn} < ${today}::date`, sql`${grants.schedule} <> 'none'`))
    .orderBy(asc(grants.nextDueOn))
    .limit(20);
  let generated = 0;
  for (const g of due) {
    const periodTo = g.nextDueOn!;
    try {
      const made = await db.transaction(async (txx) => {
        const tx = txx as unknown as Db;
        // Claim the period: only one run moves next_due_on on from this value.
        const claimed = await tx
          .update(grants)
          .set({ nextDueOn: nextPeriodEnd(periodTo, g.schedule, g.endsOn) })
          .where(and(eq(grants.id, g.id), eq(grants.nextDueOn, periodTo)))
          .returning({ id: grants.id });
        if (!claimed.length) return false;
        const [funder] = await tx.select({ language: funders.language }).from(funders).where(eq(funders.id, g.funderId));
        const [report] = await tx
          .insert(reports)
          .values({ orgId: g.orgId, scopeKind: 'grant', grantId: g.id, periodFrom: periodStartFor(periodTo, g.schedule, g.startsOn), periodTo, language: funder?.language ?? 'vi', createdAt: now })
          .returning();
        const version = await generateVersion(tx, g.orgId, report!.id, { userId: null, now });
        await tx.insert(reportDeliveries).values({
          orgId: g.orgId,
          grantId: g.id,
          versionId: version.id,
          periodTo,
          sendAfter: new Date(now.getTime() + PREVIEW_DAYS * 86_400_000),
          createdAt: now,
        });
        return true;
      });
      // Counted after the commit, and only by the run that claimed the period.
      if (made) {
        generated++;
        deps.logger.info('report.scheduled_generated', { grantId: g.id });
      }
    } catch (err) {
      deps.logger.error('report.scheduled_failed', { grantId: g.id, error: err instanceof Error ? err.name : 'unknown' });
    }
  }
  return { generated };
}

/** Previews nobody sent in time are sent by the cron. */
export async function sendOverdueDeliveries(db: Db, deps: Pick<AppDeps, 'clock' | 'logger' | 'config'>): Promise<{ sent: number }> {
  const now = deps.clock.now();
  const rows = await db
    .select({ id: reportDeliveries.id, orgId: reportDeliveries.orgId })
    .from(reportDeliveries)
    .where(and(eq(reportDeliveries.status, 'preview'), lte(reportDeliveries.sendAfter, now)))
    .limit(20);
  let sent = 0;
  for (const r of rows) {
    try {
      const out = await sendDelivery(db, deps, r.orgId, r.id, { userId: null, now });
      if (out.sent) sent++;
    } catch (err) {
      deps.logger.warn('report.delivery_not_sent', { deliveryId: r.id, error: err instanceof Error ? err.message.slice(0, 120) : 'unknown' });
    }
  }
  return { sent };
}

/** The email of a report (also shown on the preview page, with the link still to be made). */
export function reportEmailFor(report: PublishedReport, locale: 'vi' | 'en', i: { link: string; expires: string }) {
  const { from, to } = report.meta.period;
  const period = locale === 'vi' ? `${from.split('-').reverse().join('/')}–${to.split('-').reverse().join('/')}` : `${from} to ${to}`;
  return reportEmail({ locale, orgName: report.meta.orgName[locale], title: report.meta.scope.label[locale], period, link: i.link, expires: i.expires });
}

export function reportEmail(i: { locale: 'vi' | 'en'; orgName: string; title: string; period: string; link: string; expires: string }) {
  if (i.locale === 'en') {
    return {
      subject: `Impact report: ${i.title}`,
      text: `${i.orgName} sends you its impact report for ${i.period}.\n\nOpen it online (until ${i.expires}): ${i.link}\nThe PDF is attached.`,
      html: wrapHtml('en', `<p>${escapeHtml(i.orgName)} sends you its impact report for ${escapeHtml(i.period)}.</p><p><a href="${escapeHtml(i.link)}">Open the report online</a> (until ${escapeHtml(i.expires)}). The PDF is attached.</p>`),
    };
  }
  return {
    subject: `Báo cáo kết quả: ${i.title}`,
    text: `${i.orgName} gửi Quý tổ chức báo cáo kết quả kỳ ${i.period}.\n\nXem trực tuyến (đến ${i.expires}): ${i.link}\nBản PDF được đính kèm.`,
    html: wrapHtml('vi', `<p>${escapeHtml(i.orgName)} gửi Quý tổ chức báo cáo kết quả kỳ ${escapeHtml(i.period)}.</p><p><a href="${escapeHtml(i.link)}">Xem báo cáo trực tuyến</a> (đến ${escapeHtml(i.expires)}). Bản PDF được đính kèm.</p>`),
  };
}

/** Sends a delivery once: link + PDF to every contact of the grant's funder, through the outbox. */
export async function sendDelivery(db: Db, deps: Pick<AppDeps, 'clock' | 'config'>, orgId: string, deliveryId: string, actor: { userId: string | null; now: Date }) {
  const [d] = await db
    .select({ delivery: reportDeliveries, grant: grants, model: reportVersions.model, funderName: donors.name })
    .from(reportDeliveries)
    .innerJoin(grants, eq(grants.id, reportDeliveries.grantId))
    .innerJoin(reportVersions, eq(reportVersions.id, reportDeliveries.versionId))
    .innerJoin(funders, eq(funders.id, grants.funderId))
    .innerJoin(donors, eq(donors.id, funders.donorId))
    .where(and(eq(reportDeliveries.orgId, orgId), eq(reportDeliveries.id, deliveryId)))
    .limit(1);
  if (!d) throw notFound('Report delivery');
  if (d.delivery.status === 'sent') throw conflict('This report has already been sent.');
  const contacts = await funderContactsOf(db, orgId, d.grant.funderId);
  if (!contacts.length) throw conflict('The funder has no contacts to send the report to; add one first.');
  const [funder] = await db.select({ language: funders.language }).from(funders).where(eq(funders.id, d.grant.funderId));
  const locale = funder?.language ?? 'vi';
  const report = publishVersion({ model: d.model });
  const pdf = await renderReportPdf(report, locale);
  const attachment = { filename: `bao-cao-${d.grant.code}-${d.delivery.periodTo}.pdf`, contentType: 'application/pdf', contentBase64: bytesToBase64(pdf) };
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const claimed = await tx
      .update(reportDeliveries)
      .set({ status: 'sent', sentAt: actor.now, sentBy: actor.userId, recipients: contacts.length })
      .where(and(eq(reportDeliveries.id, deliveryId), eq(reportDeliveries.status, 'preview')))
      .returning({ id: reportDeliveries.id });
    if (!claimed.length) throw conflict('This report has already been sent.');
    const link = await createReportLink(tx, orgId, d.delivery.versionId, { days: DELIVERY_LINK_DAYS, userId: actor.userId, now: actor.now });
    const mail = reportEmailFor(report, locale, { link: `${deps.config.APP_URL}/r/${link.token}`, expires: link.expiresAt.toISOString().slice(0, 10) });
    for (const c of contacts) {
      await enqueueMail(tx, { orgId, to: c.email, locale, template: 'report', ...mail, attachments: [attachment], dedupeKey: `report:${deliveryId}:${c.id}` });
    }
    return { sent: true, recipients: contacts.length };
  });
}

export async function listDeliveries(db: Db, orgId: string) {
  return db
    .select({
      id: reportDeliveries.id,
      grantId: reportDeliveries.grantId,
      grantTitle: grants.title,
      reportId: reportVersions.reportId,
      version: reportVersions.version,
      periodTo: reportDeliveries.periodTo,
      status: reportDeliveries.status,
      recipients: reportDeliveries.recipients,
      sendAfter: reportDeliveries.sendAfter,
      sentAt: reportDeliveries.sentAt,
      createdAt: reportDeliveries.createdAt,
    })
    .from(reportDeliveries)
    .innerJoin(grants, eq(grants.id, reportDeliveries.grantId))
    .innerJoin(reportVersions, eq(reportVersions.id, reportDeliveries.versionId))
    .where(eq(reportDeliveries.orgId, orgId))
    .orderBy(desc(reportDeliveries.createdAt));
}

/** One delivery with what its preview page shows. */
export async function getDelivery(db: Db, orgId: string, deliveryId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(deliveryId)) throw notFound('Report delivery');
  const [d] = await db
    .select({
      id: reportDeliveries.id,
      status: reportDeliveries.status,
      periodTo: reportDeliveries.periodTo,
      sendAfter: reportDeliveries.sendAfter,
      sentAt: reportDeliveries.sentAt,
      recipients: reportDeliveries.recipients,
      grantId: grants.id,
      grantTitle: grants.title,
      funderId: funders.id,
      funderName: donors.name,
      funderLanguage: funders.language,
      reportId: reportVersions.reportId,
      version: reportVersions.version,
      model: reportVersions.model,
    })
    .from(reportDeliveries)
    .innerJoin(grants, eq(grants.id, reportDeliveries.grantId))
    .innerJoin(reportVersions, eq(reportVersions.id, reportDeliveries.versionId))
    .innerJoin(funders, eq(funders.id, grants.funderId))
    .innerJoin(donors, eq(donors.id, funders.donorId))
    .where(and(eq(reportDeliveries.orgId, orgId), eq(reportDeliveries.id, deliveryId)))
    .limit(1);
  if (!d) throw notFound('Report delivery');
  return d;
}

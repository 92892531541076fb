import type { AppDeps } from './http/env';
import { sendDueMail } from './mail/send';
import { pruneRateLimits } from './http/rate-limit';
import { drainStripeInbox, settlePendingDonations } from './giving/stripe-webhooks';
import { inboxDeps } from './giving/webhook-route';
import { generateDueReports, sendOverdueDeliveries } from './reports/delivery';
import { sendDeliveryDigests } from './packages/digest';

/**
 * Periodic work, run by the Worker's cron trigger and by the Node server's timer:
 * deliver and retry outbox mail, generate grant reports that fell due and send overdue previews.
 */
export async function runScheduledJobs(deps: AppDeps) {
  const { db, release } = await deps.database.acquire();
  try {
    // Stripe events stored but not applied yet (a failure after the webhook answered, a
    // request cut short): applied here, oldest first.
    const stripeInbox = await drainStripeInbox(db, inboxDeps(deps, db));
    if (stripeInbox.failed) deps.logger.warn('stripe.inbox_failures', { failed: stripeInbox.failed });
    // Gift packages: one digest per donor for each delivery day that has ended (Vietnam time),
    // enqueued before the outbox run below so it leaves at once.
    const digests = await sendDeliveryDigests(db, { clock: deps.clock, appUrl: deps.config.APP_URL, logger: deps.logger });
    // Reports first, so their emails leave in this same run.
    const reports = await generateDueReports(db, deps);
    const reportMail = await sendOverdueDeliveries(db, deps);
    const mail = await sendDueMail(db, deps);
    if (mail.skipped) deps.logger.warn('mail.not_configured', { note: 'RESEND_API_KEY is not set; mail stays in the outbox' });
    await pruneRateLimits(db, deps.clock);
    // Card gifts whose fee/net/exchange rate Stripe could not tell us yet.
    const settlement = await settlePendingDonations(db, deps);
    return { stripeInbox, mail, settlement, digests, reports: { ...reports, ...reportMail } };
  } finally {
    await release();
  }
}

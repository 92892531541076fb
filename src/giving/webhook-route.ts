import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { problemResponse } from '../http/problem';
import { ProblemSchema } from '../http/routes';
import { sendDueMail } from '../mail/send';
import { handleStripeWebhook, kickStripeInbox, settleStripeDonation, type DrainDeps } from './stripe-webhooks';
import type { AppDeps } from '../http/env';
import type { Db } from '../db/types';

/**
 * POST /webhooks/stripe: a plain route (the raw body must reach the signature check
 * untouched), documented in the OpenAPI document like the others.
 */
export function registerStripeWebhook(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/webhooks/stripe',
    tags: ['payments'],
    summary: 'Stripe webhook (signed). Stores each event once and answers; the event is applied right after, exactly once (unknown types are acknowledged and ignored)',
    'x-access': 'public',
    request: {
      headers: z.object({ 'stripe-signature': z.string() }),
      body: { required: true, content: { 'application/json': { schema: z.object({ id: z.string(), type: z.string() }).passthrough() } } },
    },
    responses: {
      200: {
        description: 'Accepted (also for duplicates and ignored types)',
        content: {
          'application/json': {
            schema: z.object({ received: z.literal(true), duplicate: z.boolean(), outcome: z.enum(['pending', 'processed', 'ignored', 'review']) }),
          },
        },
      },
      400: { description: 'Bad signature or stale timestamp; nothing stored', content: { 'application/problem+json': { schema: ProblemSchema } } },
      503: { description: 'Webhooks not configured', content: { 'application/problem+json': { schema: ProblemSchema } } },
    },
  } as Parameters<typeof app.openAPIRegistry.registerPath>[0]);

  app.post('/webhooks/stripe', async (c) => {
    const deps = c.get('deps');
    const db = c.get('db');
    const raw = await c.req.text();
    const result = await handleStripeWebhook(
      db,
      { payments: deps.payments, clock: deps.clock, logger: deps.logger, appUrl: deps.config.APP_URL, accountId: deps.config.STRIPE_ACCOUNT_ID },
      raw,
      c.req.header('stripe-signature'),
    );
    if (result.status !== 200) return problemResponse(c, result.status, result.error);
    // Applied after the response (waitUntil on Workers); the scheduled job retries what fails.
    if (result.outcome === 'pending') c.get('defer')(kickStripeInbox(db, inboxDeps(deps, db)));
    return c.json({ received: true as const, duplicate: result.duplicate, outcome: result.outcome }, 200);
  });
}

/** What applying inbox events needs: after each payment, its settlement look-up and its receipt mail. */
export function inboxDeps(deps: AppDeps, db: Db): DrainDeps {
  const base = { payments: deps.payments, clock: deps.clock, logger: deps.logger };
  return {
    ...base,
    appUrl: deps.config.APP_URL,
    accountId: deps.config.STRIPE_ACCOUNT_ID,
    async afterApplied(donationIds) {
      for (const id of donationIds) await settleStripeDonation(db, base, id);
      if (deps.mailer.kind !== 'none') await sendDueMail(db, deps, { limit: 10 });
    },
  };
}

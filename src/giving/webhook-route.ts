import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { problemResponse } from '../http/problem';
import { ProblemSchema } from '../http/routes';
import { kickOutbox } from '../mail/kick';
import { handleStripeWebhook, settleStripeDonation } from './stripe-webhooks';

/**
 * POST /webhooks/stripe: a plain route (the raw body must reach the signature check
 * untouched), documented in the OpenAPI document like the others.
 */
export function registerStripeWebhook(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/webhooks/stripe',
    tags: ['payments'],
    summary: 'Stripe webhook (signed). Applies each event exactly once; unknown types are acknowledged and ignored',
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
            schema: z.object({ received: z.literal(true), duplicate: z.boolean(), outcome: z.enum(['processed', 'ignored', 'review']) }),
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
    if (result.donationIds.length > 0) {
      kickOutbox(c);
      for (const id of result.donationIds) c.get('defer')(settleStripeDonation(db, { payments: deps.payments, clock: deps.clock, logger: deps.logger }, id));
    }
    return c.json({ received: true as const, duplicate: result.duplicate, outcome: result.outcome }, 200);
  });
}

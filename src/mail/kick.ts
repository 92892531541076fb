import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { deliverOutbox } from './outbox';

/**
 * After the business transaction has committed and the response is on its way, try to send
 * what is due. The cron handler retries whatever this misses.
 */
export function kickOutbox(c: Context<AppEnv>) {
  const deps = c.get('deps');
  if (deps.mailer.kind === 'none') return;
  c.get('defer')(deliverOutbox(c.get('db'), { mailer: deps.mailer, clock: deps.clock, from: deps.config.MAIL_FROM, logger: deps.logger }, { limit: 10 }));
}

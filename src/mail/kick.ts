import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { sendDueMail } from './send';

/**
 * After the business transaction has committed and the response is on its way, try to send
 * what is due. The cron handler retries whatever this misses.
 */
export function kickOutbox(c: Context<AppEnv>) {
  const deps = c.get('deps');
  if (deps.mailer.kind === 'none') return;
  c.get('defer')(sendDueMail(c.get('db'), deps, { limit: 10 }));
}

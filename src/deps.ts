import type { Config } from './config/config';
import type { DatabaseProvider } from './db/types';
import type { AppDeps } from './http/env';
import { systemClock, type Clock } from './lib/clock';
import { consoleLogger, type Logger } from './lib/log';
import { noMailer, resendMailer } from './mail/mailer';
import { createPayments } from './payments/stripe';

/** Dependencies from configuration: real providers when keys are set, honest "none" otherwise. */
export function depsFromConfig(
  config: Config,
  database: DatabaseProvider,
  overrides: Partial<Pick<AppDeps, 'clock' | 'logger' | 'mailer' | 'payments'>> = {},
): AppDeps {
  const clock: Clock = overrides.clock ?? systemClock;
  const logger: Logger = overrides.logger ?? consoleLogger;
  return {
    config,
    database,
    clock,
    logger,
    mailer:
      overrides.mailer ??
      (config.RESEND_API_KEY ? resendMailer(config.RESEND_API_KEY, { baseUrl: config.RESEND_BASE_URL }) : noMailer),
    payments: overrides.payments !== undefined ? overrides.payments : createPayments(config),
  };
}

import type { Config } from '../config/config';
import type { DatabaseProvider, Db } from '../db/types';
import type { Role } from '../db/schema';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/log';
import type { Mailer } from '../mail/mailer';
import type { Payments } from '../payments/stripe';
import type { Locale } from '../ui/i18n';

/** Everything the app needs from its host; the Worker and the Node server each supply these. */
export interface AppDeps {
  config: Config;
  database: DatabaseProvider;
  clock: Clock;
  mailer: Mailer;
  payments: Payments | null;
  logger: Logger;
}

export interface Principal {
  kind: 'session' | 'api_token';
  /** The signed-in user (sessions), or the user who created the token. */
  userId: string | null;
  tokenId?: string;
  email?: string;
  name?: string;
  memberships: { orgId: string; slug: string; name: string; role: Role }[];
}

export interface OrgContext {
  id: string;
  slug: string;
  name: string;
  shortCode: string;
  baseCurrency: string;
  roles: Role[];
}

export type AppEnv = {
  Bindings: Record<string, unknown>;
  Variables: {
    deps: AppDeps;
    db: Db;
    requestId: string;
    principal: Principal | null;
    org: OrgContext;
    locale: Locale;
    /** Defer work until after the response (Workers: waitUntil). */
    defer: (p: Promise<unknown>) => void;
  };
};

/** Stripe keys the bench server uses with the in-process stand-in (never real keys). */
export const BENCH_STRIPE_ENV = { STRIPE_SECRET_KEY: 'sk_test_sechia_bench', STRIPE_WEBHOOK_SECRET: 'whsec_test_sechia_bench' };

/** Events still waiting in the inbox: the bench waits for none between webhook runs. */
export const PENDING_EVENTS_SQL = `select count(*)::int as n from stripe_events where outcome = 'pending'`;

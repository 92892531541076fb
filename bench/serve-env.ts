/** Stripe keys the bench server uses with the in-process stand-in (never real keys). */
export const BENCH_STRIPE_ENV = { STRIPE_SECRET_KEY: 'sk_test_sechia_bench', STRIPE_WEBHOOK_SECRET: 'whsec_test_sechia_bench' };

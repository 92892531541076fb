import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import type { Config } from '../config/config';

export interface Payments {
  stripe: Stripe;
  webhookSecret: string | undefined;
  cryptoProvider: ReturnType<typeof Stripe.createSubtleCryptoProvider>;
}

/**
 * The Stripe client, or null when STRIPE_SECRET_KEY is not set: the UI then says online
 * payment is not configured instead of pretending. STRIPE_API_BASE points the SDK at a local
 * stand-in (tests, offline development).
 */
export function createPayments(config: Config, opts: { fetch?: typeof fetch } = {}): Payments | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  const options: ConstructorParameters<typeof Stripe>[1] = {
    // `fetch` lets tests answer Stripe's API in-process (workerd cannot reach a local server).
    httpClient: Stripe.createFetchHttpClient(opts.fetch),
    maxNetworkRetries: 2,
    timeout: 20_000,
  };
  if (config.STRIPE_API_BASE) {
    const u = new URL(config.STRIPE_API_BASE);
    options.host = u.hostname;
    options.port = u.port || (u.protocol === 'https:' ? '443' : '80');
    options.protocol = u.protocol.replace(':', '') as 'http' | 'https';
  }
  return {
    stripe: new Stripe(config.STRIPE_SECRET_KEY, options),
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    cryptoProvider: nodeHmacCryptoProvider(),
  };
}

/**
 * Stripe's crypto provider with the HMAC computed by `node:crypto` (Node, and workerd through
 * nodejs_compat): one synchronous call. Web Crypto's `subtle.sign` ran each signature as an
 * asynchronous job (~90 µs a delivery on the bench machine against a few µs here), and signature
 * checks are most of what receiving a webhook costs the server. The comparison of signatures
 * stays Stripe's own (constant time).
 */
function nodeHmacCryptoProvider(): Payments['cryptoProvider'] {
  const provider = Object.create(Stripe.createSubtleCryptoProvider()) as Payments['cryptoProvider'];
  const hmac = (payload: string, secret: string) => createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
  provider.computeHMACSignature = hmac;
  provider.computeHMACSignatureAsync = async (payload: string, secret: string) => hmac(payload, secret);
  return provider;
}

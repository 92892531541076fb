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
    cryptoProvider: keyCachingCryptoProvider(),
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Stripe's Web Crypto provider (workerd and Node alike), except that the webhook secret's HMAC
 * key is imported once per secret rather than on every delivery: signature checks are most of
 * what receiving a webhook costs the server.
 */
function keyCachingCryptoProvider(): Payments['cryptoProvider'] {
  const base = Stripe.createSubtleCryptoProvider();
  const keys = new Map<string, Promise<CryptoKey>>();
  const encoder = new TextEncoder();
  const provider = Object.create(base) as Payments['cryptoProvider'];
  provider.computeHMACSignatureAsync = async (payload: string, secret: string) => {
    let key = keys.get(secret);
    if (!key) {
      key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: { name: 'SHA-256' } }, false, ['sign']);
      keys.set(secret, key);
      key.catch(() => keys.delete(secret));
    }
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(payload)));
    let hex = '';
    for (const b of mac) hex += HEX[b];
    return hex;
  };
  return provider;
}

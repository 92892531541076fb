import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { STRIPE_RESOURCES_CALLED } from '../../scripts/build-worker';

/**
 * The Worker bundle keeps the methods of the Stripe resources in STRIPE_RESOURCES_CALLED only
 * (scripts/build-worker.ts). A call in the sources to any other would fail in production alone:
 * the workerd test project runs the sources, not the bundle. So the list is checked here.
 */
const called = new Set<string>();
for (const file of (fs.readdirSync('src', { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f))) {
  for (const m of fs.readFileSync(path.join('src', file), 'utf8').matchAll(/\bstripe\.([\w.]+)\.\w+\(/g)) called.add(m[1]!);
}
// Signature checks: the SDK's Webhooks helper, not an API resource.
called.delete('webhooks');

describe('Stripe resources kept in the Worker bundle', () => {
  it('are exactly the ones the sources call', () => {
    expect(called.size).toBeGreaterThan(0);
    expect([...called].sort()).toEqual(Object.keys(STRIPE_RESOURCES_CALLED).sort());
  });

  it('name files of the installed SDK that define a resource', () => {
    for (const file of Object.values(STRIPE_RESOURCES_CALLED)) {
      const source = fs.readFileSync(path.join('node_modules/stripe/esm/resources', file), 'utf8');
      expect(source, file).toMatch(/^export class \w+ extends StripeResource\b/m);
    }
  });
});

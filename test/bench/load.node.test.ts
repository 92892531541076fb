import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { load, type LoadRequest } from '../../bench/http';

/**
 * The webhook benchmark's load runs (autocannon): each prepared request reaches the server once,
 * with its own method, headers and body, and a run whose answers fail the check, or that gets
 * errors, fails instead of reporting a rate. A webhook sent twice would be a duplicate, not an
 * event stored, so a miscounted run would flatter the figure.
 */
const received: { method: string; url: string; body: string; signature: string | undefined }[] = [];
let status = 200;
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    received.push({ method: req.method!, url: req.url!, body, signature: req.headers['stripe-signature'] as string | undefined });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ received: true, duplicate: body.includes('"again"') }));
  });
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const events = (n: number, tag = 'new'): LoadRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    path: '/webhooks/stripe',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=1,v1=${i}` },
    body: JSON.stringify({ id: `evt_${i}`, tag }),
  }));
const notDuplicate = (s: number, body: string) => {
  if (s !== 200 || JSON.parse(body).duplicate !== false) throw new Error(`answered ${s} ${body}`);
};

describe('the benchmark load run', () => {
  it('sends every request once, with its own headers and body, and returns a rate', async () => {
    received.length = 0;
    status = 200;
    const rate = await load(base, events(200), 8, notDuplicate);
    expect(rate).toBeGreaterThan(0);
    expect(received).toHaveLength(200);
    // Each prepared event exactly once (connections open one after another, so arrival order varies).
    expect(received.map((r) => JSON.parse(r.body).id).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `evt_${i}`).sort());
    expect(received.every((r) => r.method === 'POST' && r.url === '/webhooks/stripe' && r.signature === `t=1,v1=${JSON.parse(r.body).id.slice(4)}`)).toBe(true);
  });

  it('fails when an answer fails the check (a duplicate)', async () => {
    status = 200;
    await expect(load(base, [...events(5), ...events(1, 'again')], 2, notDuplicate)).rejects.toThrow(/duplicate|again/);
  });

  it('fails on answers that are not 2xx', async () => {
    status = 503;
    await expect(load(base, events(4), 2)).rejects.toThrow(/non-2xx/);
    status = 200;
  });

  it('sends GETs when no method is given', async () => {
    received.length = 0;
    await load(base, Array.from({ length: 20 }, () => ({ path: '/assets/app.css' })), 4, (s) => expect(s).toBe(200));
    expect(received).toHaveLength(20);
    expect(received.every((r) => r.method === 'GET' && r.url === '/assets/app.css' && r.body === '')).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Harness } from '../support/harness';
import { Currency, OrganisationRole, OrganisationType, TransactionType } from '../../src/reports/iati-codelists';
import { API, createReportsHarness } from './support';

// The generated demo grant (EFA-Japan 2026, seeded version 1) as served by the route, against the official schema.
const SCHEMA = path.resolve(process.cwd(), '../shared/iati/iati-activities-schema.xsd');
const dir = mkdtempSync(path.join(tmpdir(), 'sechia-demo-iati-'));
let h: Harness;
let xml: string;
let pdf: Uint8Array;
beforeAll(async () => {
  const r = await createReportsHarness();
  h = r.h;
  xml = await (await h.request(`${API}/reports/${r.demo.reportId}/versions/1/iati.xml`, { as: 'viewer' })).text();
  pdf = new Uint8Array(await (await h.request(`${API}/reports/${r.demo.reportId}/versions/1/report.pdf`, { as: 'viewer' })).arrayBuffer());
}, 180_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await h?.close();
});

describe('IATI XML of the demo grant', () => {
  it('validates with xmllint --schema iati-activities-schema.xsd', () => {
    const file = path.join(dir, 'efa-2026.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  });

  it('uses codes from the IATI codelists (organisation type and role, transaction type, currency)', () => {
    const codes = (attr: string, el: string) => [...xml.matchAll(new RegExp(`<${el}[^>]*\\s${attr}="([^"]+)"`, 'g'))].map((m) => m[1]!);
    for (const c of codes('type', 'participating-org')) expect(c in OrganisationType, c).toBe(true);
    for (const c of codes('role', 'participating-org')) expect(c in OrganisationRole, c).toBe(true);
    for (const c of codes('code', 'transaction-type')) expect(c in TransactionType, c).toBe(true);
    for (const c of codes('currency', 'value')) expect(c in Currency, c).toBe(true);
    expect(xml).toContain('<narrative xml:lang="en">EFA-Japan</narrative>');
    expect(xml).toContain('240000000</value>');
  });

  it('the PDF of the same version is a PDF a reader opens (poppler, when installed)', () => {
    const file = path.join(dir, 'efa-2026.pdf');
    writeFileSync(file, pdf);
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    if (info.error) return;
    expect(info.status).toBe(0);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('Grant: Support for children with autism and children living with HIV 2026');
    expect(text).toMatch(/120[.,]000[.,]000/);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoReportModel } from '../../src/reports/demo';
import { publishReport } from '../../src/reports/publish';
import { renderIatiXml } from '../../src/reports/iati';
import { iatiVariantModel } from './iati-fixtures';

// CI clones the repository with shared/ beside it; .ci/run installs xmllint (libxml2-utils).
const SCHEMA = path.resolve(process.cwd(), '../shared/iati/iati-activities-schema.xsd');
const dir = mkdtempSync(path.join(tmpdir(), 'sechia-iati-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function xmllint(xml: string, name: string) {
  const file = path.join(dir, name);
  writeFileSync(file, xml);
  return spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
}

describe('IATI XML against the official IATI 2.03 activity schema', () => {
  it('the schema and xmllint are there', () => {
    expect(existsSync(SCHEMA), `missing ${SCHEMA}`).toBe(true);
    const v = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
    expect(v.error, 'xmllint is not installed (Debian package libxml2-utils)').toBeUndefined();
  });

  it('the demo grant validates', () => {
    const r = xmllint(renderIatiXml(publishReport(demoReportModel())), 'demo.xml');
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  });

  it('a grant in US dollars with every transaction kind, dates, budgets and result kinds validates', () => {
    const r = xmllint(renderIatiXml(publishReport(iatiVariantModel())), 'variant.xml');
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  });

  it('the check can fail: a file without iati-identifier is refused', () => {
    const broken = renderIatiXml(publishReport(demoReportModel())).replace(/<iati-identifier>[^<]*<\/iati-identifier>/, '');
    const r = xmllint(broken, 'broken.xml');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/fails to validate/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHarness, type Harness } from '../support/harness';
import { createDonor } from '../../src/donors/donors';
import { ensureGeneralFund } from '../../src/giving/campaigns';
import { recordOfflineGift } from '../../src/giving/gifts';
import { annualStatement } from '../../src/donors/statement';
import { renderStatementPdf } from '../../src/donors/statement-pdf';

// poppler-utils (pdftotext, pdfinfo) is installed by .ci/run; without it these checks are skipped.
const poppler = !spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).error;
const dir = mkdtempSync(path.join(tmpdir(), 'sechia-statement-'));
let h: Harness;
let file: string;
beforeAll(async () => {
  h = await createHarness({ now: '2026-12-31T03:00:00Z' });
  await ensureGeneralFund(h.db, h.demo.orgId);
  const donor = await createDonor(h.db, h.demo.orgId, { name: 'Trần Thị Ánh Tuyết', email: 'tuyet@example.org', locale: 'vi' });
  const ctx = { appUrl: 'http://localhost:8787', today: '2026-12-31' };
  await recordOfflineGift(h.db, h.demo.orgId, { donorId: donor.id, channel: 'cash', currency: 'VND', amountMinor: 1_250_000n, receivedOn: '2026-08-19' }, ctx);
  const s = await annualStatement(h.db, h.demo.orgId, donor.id, 2026, 'vi');
  file = path.join(dir, 'statement.pdf');
  writeFileSync(file, await renderStatementPdf(s, 'vi', new Date('2026-12-31T03:00:00Z')));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await h?.close();
});

describe.skipIf(!poppler)('the statement PDF as a PDF reader sees it (poppler)', () => {
  it('is one A4 page titled with the year and the donor, its Vietnamese text intact', () => {
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info.status).toBe(0);
    expect(info.stderr).toBe('');
    expect(info.stdout).toMatch(/Pages:\s+1/);
    expect(info.stdout).toMatch(/Page size:\s+595.28 x 841.89 pts \(A4\)/);
    expect(info.stdout).toContain('Title:           Bảng kê đóng góp năm 2026 · Trần Thị Ánh Tuyết');
    const out = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    expect(out).toContain('Nhà tài trợ: Trần Thị Ánh Tuyết');
    const row = out.split('\n').find((l) => l.includes('19/08/2026'))!;
    expect(row.trim().split(/\s{2,}/)).toEqual(['19/08/2026', 'HP-2026-000001', 'Quỹ chung', 'Tiền mặt', '1.250.000 ₫']);
    expect(out).toMatch(/Tổng cộng \(sau hoàn tiền\)/);
  });
});

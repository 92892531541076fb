import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoReportModel } from '../../src/reports/demo';
import { publishReport } from '../../src/reports/publish';
import { renderReportPdf } from '../../src/reports/pdf';

// poppler-utils (pdftotext, pdfinfo) is installed by .ci/run; without it these checks are skipped.
const poppler = !spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).error;
const dir = mkdtempSync(path.join(tmpdir(), 'sechia-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function demoPdf(locale: 'vi' | 'en'): Promise<string> {
  const file = path.join(dir, `demo-${locale}.pdf`);
  writeFileSync(file, await renderReportPdf(publishReport(demoReportModel()), locale));
  return file;
}

describe.skipIf(!poppler)('the PDF as a PDF reader sees it (poppler)', () => {
  it('is a well-formed 4-page A4 document with its title', async () => {
    const info = spawnSync('pdfinfo', [await demoPdf('vi')], { encoding: 'utf8' });
    expect(info.status).toBe(0);
    expect(info.stderr).toBe('');
    expect(info.stdout).toMatch(/Pages:\s+4/);
    expect(info.stdout).toMatch(/Page size:\s+595.28 x 841.89 pts \(A4\)/);
    expect(info.stdout).toContain('Title:           Báo cáo kết quả: Chương trình hỗ trợ trẻ em có hoàn cảnh đặc biệt Hải Phòng 2019');
  });

  it('its text is Vietnamese with diacritics, and the cell of 3 reads "<5"', async () => {
    const text = spawnSync('pdftotext', ['-layout', await demoPdf('vi'), '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    const out = text.stdout;
    for (const s of ['Trung tâm Công tác xã hội và Quỹ Bảo trợ trẻ em Hải Phòng', 'Trẻ em nhận suất quà theo giới tính và độ tuổi', 'Nguồn và sử dụng kinh phí', 'Số dư cuối kỳ', 'Định nghĩa', 'Trẻ rối loạn phát triển được can thiệp hằng tuần']) {
      expect(out).toContain(s);
    }
    const girls = out.split('\n').find((l) => /^\s*Nữ\s/.test(l))!;
    expect(girls.trim().split(/\s+/)).toEqual(['Nữ', '<5', '*', '8', '5', '25']);
    const boys = out.split('\n').find((l) => /^\s*Nam\s/.test(l))!;
    expect(boys.trim().split(/\s+/)).toEqual(['Nam', '*', '*', '7', '0', '20']);
    expect(out).toMatch(/Tổng\s+10\s+15\s+15\s+5\s+45/);
    expect(out).toContain('25.000.000 ₫');
  });

  it('the English PDF says the same in English', async () => {
    const out = spawnSync('pdftotext', ['-layout', await demoPdf('en'), '-'], { encoding: 'utf8' }).stdout;
    expect(out).toContain('Children who received a gift package, by gender and age');
    expect(out).toMatch(/Girls\s+<5\s+\*\s+8\s+5\s+25/);
    expect(out).toContain('Page 1 of 4');
  });
});

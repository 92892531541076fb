/**
 * One stored version in any format. Every format renders the published (suppressed) report, so
 * a link, a download and an email attachment carry the same numbers and no small count.
 */
import type { Locale } from '../ui/i18n';
import { reportCsvFiles } from './csv';
import { renderReportHtml } from './html';
import { IatiExportError, renderIatiXml } from './iati';
import { renderReportJson } from './json';
import { renderReportPdf } from './pdf';
import { publishReport, type PublishedReport } from './publish';
import { modelFromJson, type VersionRow } from './versions';

export function publishVersion(v: Pick<VersionRow, 'model'>): PublishedReport {
  return publishReport(modelFromJson(v.model));
}

export interface RenderedFile {
  body: string | Uint8Array;
  contentType: string;
  filename: string;
}

/** File names a version offers: report.html, report.pdf, report.json, iati.xml (grants) and one CSV per table. */
export function versionFiles(report: PublishedReport, locale: Locale): string[] {
  return ['report.html', 'report.pdf', 'report.json', ...(report.activity ? ['iati.xml'] : []), ...reportCsvFiles(report, locale).map((f) => f.name)];
}

/** Renders one file of a published report, or null when the report has no such file. */
export async function renderVersionFile(report: PublishedReport, file: string, locale: Locale, opts: { alternates?: { href: string; label: string }[] } = {}): Promise<RenderedFile | null> {
  const base = `report-v${report.meta.version}`;
  switch (file) {
    case 'report.html':
      return { body: await renderReportHtml(report, locale, { alternates: opts.alternates }), contentType: 'text/html; charset=utf-8', filename: `${base}.html` };
    case 'report.pdf':
      return { body: await renderReportPdf(report, locale), contentType: 'application/pdf', filename: `${base}.pdf` };
    case 'report.json':
      return { body: renderReportJson(report), contentType: 'application/json; charset=utf-8', filename: `${base}.json` };
    case 'iati.xml':
      try {
        return { body: renderIatiXml(report), contentType: 'application/xml; charset=utf-8', filename: `${base}-iati.xml` };
      } catch (e) {
        if (e instanceof IatiExportError) return null;
        throw e;
      }
    default: {
      const csv = reportCsvFiles(report, locale).find((f) => f.name === file);
      return csv ? { body: csv.content, contentType: csv.mediaType, filename: `${base}-${csv.name}` } : null;
    }
  }
}

export const FORMAT_LABEL: Record<string, { vi: string; en: string }> = {
  'report.pdf': { vi: 'PDF', en: 'PDF' },
  'report.json': { vi: 'JSON', en: 'JSON' },
  'iati.xml': { vi: 'IATI XML', en: 'IATI XML' },
};

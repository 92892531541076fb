/**
 * Inline SVG charts: horizontal bars and progress-to-target bars. Accessible (role="img" with
 * <title> and <desc> listing every number), no scripts, no style attributes (the CSP forbids
 * inline styles): colours and fonts are SVG presentation attributes. A hidden number is a hatched
 * bar of a fixed nominal length labelled "<5" or "*".
 */
import type { ChartData } from './charts';
import { chartSummary } from './charts';

export const CHART_WIDTH = 640;
const ROW = 46;
const BAR_H = 14;
const VALUE_ROOM = 190;
const COLORS = { bar: '#2f5d8a', progress: '#256b3a', track: '#ece8df', hidden: '#6b6457', text: '#1d2330', muted: '#5b6475' };

export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const n = (x: number) => String(Math.round(x * 100) / 100);

/** The chart as a standalone <svg> element. `idPrefix` keeps ids unique when a page has several. */
export function renderChartSvg(data: ChartData, idPrefix = 'chart'): string {
  const id = `${idPrefix}-${data.id}`;
  const height = data.bars.length * ROW + 8;
  const full = CHART_WIDTH - VALUE_ROOM;
  const fill = data.kind === 'progress' ? COLORS.progress : COLORS.bar;
  const desc = [data.description, chartSummary(data)].filter(Boolean).join('. ');
  const rows = data.bars.map((b, i) => {
    const top = i * ROW + 4;
    const barY = top + 20;
    const w = b.fraction > 0 ? Math.max(full * b.fraction, 1) : 0;
    const parts = [
      `<text x="0" y="${top + 14}" font-size="13" fill="${COLORS.text}">${escapeXml(b.label)}</text>`,
      data.kind === 'progress' ? `<rect x="0" y="${barY}" width="${n(full)}" height="${BAR_H}" fill="${COLORS.track}"/>` : '',
      b.hidden
        ? `<rect x="0" y="${barY}" width="${n(w)}" height="${BAR_H}" fill="url(#${id}-hatch)" stroke="${COLORS.hidden}" stroke-width="1"/>`
        : `<rect x="0" y="${barY}" width="${n(w)}" height="${BAR_H}" fill="${fill}"/>`,
      `<text x="${n((data.kind === 'progress' ? full : w) + 6)}" y="${barY + 11}" font-size="12" fill="${b.hidden ? COLORS.muted : COLORS.text}">${escapeXml(b.display)}</text>`,
    ];
    return `<g>${parts.join('')}</g>`;
  });
  const hatch = data.bars.some((b) => b.hidden)
    ? `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${COLORS.hidden}" stroke-width="2"/></pattern></defs>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif">` +
    `<title id="${id}-title">${escapeXml(data.title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>${hatch}${rows.join('')}</svg>`
  );
}

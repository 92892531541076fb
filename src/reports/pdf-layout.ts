/**
 * Laying documents out on A4 pages for the PDF writer: pages of drawing operations in top-down
 * coordinates, a flow of wrapped paragraphs and headings that breaks pages, the embedded Noto Sans
 * (bold synthesised from the regular face), page footers, and the file itself. The impact report
 * (pdf.ts) and the donor's annual statement (donors/statement-pdf.ts) are laid out with it.
 * Pure TypeScript over Web APIs: runs in Cloudflare Workers and Node alike.
 */
import { NOTO_SANS_REGULAR } from './font-data';
import { FontMetrics } from './pdf-font';
import { deflate, pdfTextString, PdfWriter } from './pdf-writer';
import { base64ToBytes } from '../lib/base64';

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const LEFT = 48;
export const RIGHT = PAGE_WIDTH - 48;
export const WIDTH = RIGHT - LEFT;
export const TOP = 50;
export const BOTTOM = PAGE_HEIGHT - 62;

export type Rgb = readonly [number, number, number];
export const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255];
export const C = {
  text: hex('#1d2330'),
  muted: hex('#5b6475'),
  rule: hex('#d8d4ca'),
  strong: hex('#1d2330'),
  bar: hex('#2f5d8a'),
  progress: hex('#256b3a'),
  track: hex('#ece8df'),
  hidden: hex('#6b6457'),
  band: hex('#f4f1ea'),
};

export type FontKey = 'regular' | 'bold';

/** Stroke width of synthetic bold, as a share of the font size. */
export const BOLD_STROKE = 0.045;

const rgb = (c: Rgb) => c.map((v) => Math.round(v * 1000) / 1000).join(' ');
const num = (v: number) => String(Math.round(v * 100) / 100);

/** One page's drawing operations, in top-down coordinates, plus its text for inspection. */
export class PdfPage {
  readonly ops: string[] = [];
  readonly texts: string[] = [];

  constructor(private readonly fonts: Record<FontKey, FontMetrics>) {}

  text(x: number, baseline: number, s: string, font: FontKey, size: number, color: Rgb = C.text): void {
    if (!s) return;
    this.texts.push(s);
    // Bold: the regular face filled and stroked (text render mode 2), one font file less to ship.
    // The render mode and stroke are graphics state: q/Q keeps them from leaking into what follows.
    const weight = font === 'bold' ? `2 Tr ${rgb(color)} RG ${num(size * BOLD_STROKE)} w` : '0 Tr';
    this.ops.push(`q BT /F1 ${num(size)} Tf ${weight} ${rgb(color)} rg ${num(x)} ${num(PAGE_HEIGHT - baseline)} Td ${this.fonts[font].encode(s)} Tj ET Q`);
  }

  textRight(xRight: number, baseline: number, s: string, font: FontKey, size: number, color: Rgb = C.text): void {
    this.text(xRight - this.fonts[font].width(s, size), baseline, s, font, size, color);
  }

  rect(x: number, top: number, w: number, h: number, fill: Rgb): void {
    this.ops.push(`${rgb(fill)} rg ${num(x)} ${num(PAGE_HEIGHT - top - h)} ${num(w)} ${num(h)} re f`);
  }

  /** A hatched, outlined box: the bar of a hidden number. */
  hatched(x: number, top: number, w: number, h: number, color: Rgb): void {
    const y = PAGE_HEIGHT - top - h;
    const lines: string[] = [];
    for (let d = -h; d < w; d += 4) lines.push(`${num(x + d)} ${num(y)} m ${num(x + d + h)} ${num(y + h)} l`);
    this.ops.push(`q ${num(x)} ${num(y)} ${num(w)} ${num(h)} re W n ${rgb(color)} RG 0.8 w ${lines.join(' ')} S Q`);
    this.ops.push(`${rgb(color)} RG 0.8 w ${num(x)} ${num(y)} ${num(w)} ${num(h)} re S`);
  }

  rule(x1: number, y: number, x2: number, color: Rgb = C.rule, width = 0.6): void {
    this.ops.push(`${rgb(color)} RG ${num(width)} w ${num(x1)} ${num(PAGE_HEIGHT - y)} m ${num(x2)} ${num(PAGE_HEIGHT - y)} l S`);
  }
}

export interface PdfLayout {
  pages: PdfPage[];
  fonts: Record<FontKey, FontMetrics>;
}

/** Text and boxes flowing down A4 pages, a new page when the next block does not fit. */
export class Flow {
  readonly pages: PdfPage[] = [];
  page!: PdfPage;
  y = TOP;

  constructor(readonly fonts: Record<FontKey, FontMetrics>) {
    this.newPage();
  }

  newPage(): void {
    this.page = new PdfPage(this.fonts);
    this.pages.push(this.page);
    this.y = TOP;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > BOTTOM && this.y > TOP) this.newPage();
  }

  wrap(text: string, font: FontKey, size: number, width: number): string[] {
    const m = this.fonts[font];
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (m.width(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      // A word longer than the line is cut where it must be.
      let rest = word;
      while (m.width(rest, size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && m.width(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    if (line) lines.push(line);
    return lines;
  }

  paragraph(text: string, font: FontKey, size: number, color: Rgb = C.text, x = LEFT, width = WIDTH, leading = 1.38): void {
    for (const line of this.wrap(text, font, size, width)) {
      this.ensure(size * leading);
      this.page.text(x, this.y + size, line, font, size, color);
      this.y += size * leading;
    }
  }

  heading(text: string, size: number, gapBefore: number, keepWith = 60): void {
    this.y += gapBefore;
    this.ensure(size * 1.4 + keepWith);
    this.paragraph(text, 'bold', size, C.strong);
    this.y += 2;
  }
}


/** The regular face and its synthetic bold, measured with a margin (the stroke makes it wider). */
export function documentFonts(): Record<FontKey, FontMetrics> {
  const regular = new FontMetrics(NOTO_SANS_REGULAR);
  const bold = Object.assign(Object.create(regular) as FontMetrics, {
    width: (text: string, size: number) => regular.width(text, size) * 1.04 + size * BOLD_STROKE,
  });
  return { regular, bold };
}

/** A rule and a footer on every page, now that the number of pages is known: a title shortened to fit, and "page i of n". */
export function drawFooters(layout: PdfLayout, title: string, pageLabel: (i: number, n: number) => string): void {
  const n = layout.pages.length;
  layout.pages.forEach((page, i) => {
    const label = pageLabel(i + 1, n);
    const room = WIDTH - layout.fonts.regular.width(label, 7.5) - 20;
    let left = title;
    while (left.length > 8 && layout.fonts.regular.width(left, 7.5) > room) left = `${left.slice(0, -2).trimEnd()}…`;
    page.rule(LEFT, PAGE_HEIGHT - 40, RIGHT);
    page.text(LEFT, PAGE_HEIGHT - 28, left, 'regular', 7.5, C.muted);
    page.textRight(RIGHT, PAGE_HEIGHT - 28, label, 'regular', 7.5, C.muted);
  });
}

/** The PDF file of laid-out pages, with the font subset they use and the document's information. */
export async function writePdfDocument(layout: PdfLayout, info: { title: string; author: string; locale: 'vi' | 'en'; createdAt: string }): Promise<Uint8Array> {
  const w = new PdfWriter();
  const catalog = w.reserve();
  const pagesRoot = w.reserve();
  const font = w.addFont(layout.fonts.regular, 'SCRPTA', base64ToBytes(NOTO_SANS_REGULAR.ttfDeflatedBase64));
  const kids: number[] = [];
  for (const page of layout.pages) {
    const content = await deflate(new TextEncoder().encode(page.ops.join('\n')));
    const contents = w.addStream('/Filter /FlateDecode', content);
    kids.push(
      w.add(
        `<< /Type /Page /Parent ${pagesRoot} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
          `/Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${contents} 0 R >>`,
      ),
    );
  }
  w.set(pagesRoot, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  const lang = info.locale === 'vi' ? 'vi-VN' : 'en-GB';
  w.set(catalog, `<< /Type /Catalog /Pages ${pagesRoot} 0 R /Lang (${lang}) >>`);
  const created = info.createdAt.replace(/[-:]/g, '').replace(/\.\d+/, '').replace('T', '').replace('Z', '');
  const infoRef = w.add(
    `<< /Title ${pdfTextString(info.title)} /Author ${pdfTextString(info.author)} ` +
      `/Producer ${pdfTextString('Sẻ Chia')} /CreationDate (D:${created.slice(0, 14)}Z) >>`,
  );
  return w.toBytes(catalog, infoRef);
}

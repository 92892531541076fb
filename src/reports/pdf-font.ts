/**
 * A TrueType font prepared at build time (scripts/build-report-font.ts → font-data.ts) for the
 * PDF renderer: nothing is parsed at run time, so the renderer works the same in Workers and Node.
 */
export interface EmbeddedFont {
  postScriptName: string;
  bold: boolean;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  bbox: [number, number, number, number];
  italicAngle: number;
  missingWidth: number;
  /** Flat triples: code point, glyph id, advance width (font units). */
  glyphs: number[];
  ttfLength: number;
  /** The subset TrueType file, zlib-deflated (PDF /FlateDecode), base64. */
  ttfDeflatedBase64: string;
}

export interface Glyph {
  gid: number;
  /** Advance width in font units. */
  advance: number;
  codePoint: number;
}

/** Characters the fonts lack, written the way a typist would. */
const SUBSTITUTES: Record<string, string> = { '≤': '<=', '≥': '>=', '→': '->', '\u2028': ' ', '\u2029': ' ', '\t': ' ', '\n': ' ', '\r': ' ' };

/** Maps text to glyphs of one embedded font and remembers which glyphs a document used. */
export class FontMetrics {
  private readonly map = new Map<number, { gid: number; advance: number }>();
  /** Glyph id → the code point it was first used for (ToUnicode, so PDF text can be copied and searched). */
  readonly used = new Map<number, number>();

  constructor(readonly font: EmbeddedFont) {
    const g = font.glyphs;
    for (let i = 0; i + 2 < g.length; i += 3) this.map.set(g[i]!, { gid: g[i + 1]!, advance: g[i + 2]! });
  }

  has(cp: number): boolean {
    return this.map.has(cp);
  }

  /** NFC text, substitutes, then for a letter the font lacks its base letter, else "?". */
  glyphs(text: string): Glyph[] {
    const out: Glyph[] = [];
    const push = (ch: string) => {
      const cp = ch.codePointAt(0)!;
      const m = this.map.get(cp);
      if (m) out.push({ gid: m.gid, advance: m.advance, codePoint: cp });
      return !!m;
    };
    for (const raw of text.normalize('NFC')) {
      const sub = SUBSTITUTES[raw];
      if (sub !== undefined) {
        for (const ch of sub) push(ch);
        continue;
      }
      if (push(raw)) continue;
      const base = raw.normalize('NFD')[0];
      if (base && base !== raw && push(base)) continue;
      push('?');
    }
    return out;
  }

  width(text: string, size: number): number {
    return (this.glyphs(text).reduce((a, g) => a + g.advance, 0) * size) / this.font.unitsPerEm;
  }

  /** The glyph ids as a PDF hex string for an Identity-H font, recording their use. */
  encode(text: string): string {
    let hex = '';
    for (const g of this.glyphs(text)) {
      if (!this.used.has(g.gid)) this.used.set(g.gid, g.codePoint);
      hex += g.gid.toString(16).padStart(4, '0');
    }
    return `<${hex}>`;
  }
}

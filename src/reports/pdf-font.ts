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

/**
 * Builds src/reports/font-data.ts: Noto Sans Regular (SIL Open Font License 1.1, from the
 * @expo-google-fonts/noto-sans devDependency) cut down to Latin + Vietnamese, digits, punctuation,
 * "<" and the currency signs the reports print, for the PDF renderer.
 *
 * The PDF renderer runs in Workers too, so everything it needs at run time is precomputed here:
 * the character → glyph id → advance width map, the metrics of the font descriptor, and the
 * subset TrueType file itself, already deflated (PDF /FlateDecode) and base64-encoded.
 *
 *   npx tsx scripts/build-report-font.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import subsetFont from 'subset-font';

const require = createRequire(import.meta.url);

function range(from: number, to: number): string {
  let s = '';
  for (let cp = from; cp <= to; cp++) s += String.fromCodePoint(cp);
  return s;
}

/**
 * Every character a report may print. Text is NFC-normalised before drawing; Noto Sans has no
 * "≤", "≥" or "→", so the renderer writes "<=", ">=" and "->" for them (see pdf-font.ts).
 */
export const REPORT_CHARSET =
  range(0x20, 0x7e) + // ASCII
  range(0xa0, 0xff) + // Latin-1: NBSP, ©, ·, ×, é, ...
  'ĂăĐđĨĩŨũƠơƯư' + // Vietnamese letters outside Latin-1 and Latin Extended Additional
  range(0x1ea0, 0x1ef9) + // Latin Extended Additional: ạ ả ấ ầ ẩ ẫ ậ ... ỹ
  '\u2002\u2009\u202f\u2010\u2011\u2012\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2030\u2039\u203a\u2212\u20ab\u20ac\u2116';

const SOURCES = [
  { key: 'regular', file: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf', name: 'NotoSans-Regular', bold: false },
] as const;

interface Tables {
  [tag: string]: { offset: number; length: number };
}

function readTables(buf: Buffer): Tables {
  const numTables = buf.readUInt16BE(4);
  const tables: Tables = {};
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    tables[buf.toString('latin1', rec, rec + 4)] = { offset: buf.readUInt32BE(rec + 8), length: buf.readUInt32BE(rec + 12) };
  }
  return tables;
}

function table(tables: Tables, tag: string): number {
  const t = tables[tag];
  if (!t) throw new Error(`font has no ${tag} table`);
  return t.offset;
}

/** Unicode → glyph id from a format 4 or 12 cmap subtable (Windows Unicode). */
function readCmap(buf: Buffer, tables: Tables): Map<number, number> {
  const base = table(tables, 'cmap');
  const n = buf.readUInt16BE(base + 2);
  const map = new Map<number, number>();
  let chosen = -1;
  let chosenFormat = 0;
  for (let i = 0; i < n; i++) {
    const platform = buf.readUInt16BE(base + 4 + i * 8);
    const encoding = buf.readUInt16BE(base + 4 + i * 8 + 2);
    const offset = buf.readUInt32BE(base + 4 + i * 8 + 4);
    const format = buf.readUInt16BE(base + offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode && (format === 12 || (format === 4 && chosenFormat !== 12))) {
      chosen = base + offset;
      chosenFormat = format;
    }
  }
  if (chosen < 0) throw new Error('no Unicode cmap');
  if (chosenFormat === 12) {
    const groups = buf.readUInt32BE(chosen + 12);
    for (let g = 0; g < groups; g++) {
      const p = chosen + 16 + g * 12;
      const start = buf.readUInt32BE(p);
      const end = buf.readUInt32BE(p + 4);
      const gid = buf.readUInt32BE(p + 8);
      for (let cp = start; cp <= end; cp++) map.set(cp, gid + (cp - start));
    }
  } else {
    const segX2 = buf.readUInt16BE(chosen + 6);
    const ends = chosen + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    for (let s = 0; s < segX2 / 2; s++) {
      const end = buf.readUInt16BE(ends + s * 2);
      const start = buf.readUInt16BE(starts + s * 2);
      const delta = buf.readInt16BE(deltas + s * 2);
      const ro = buf.readUInt16BE(rangeOffsets + s * 2);
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        let gid: number;
        if (ro === 0) gid = (cp + delta) & 0xffff;
        else {
          const at = rangeOffsets + s * 2 + ro + (cp - start) * 2;
          gid = buf.readUInt16BE(at);
          if (gid !== 0) gid = (gid + delta) & 0xffff;
        }
        if (gid !== 0) map.set(cp, gid);
      }
    }
  }
  return map;
}

async function build(source: (typeof SOURCES)[number]) {
  const original = readFileSync(require.resolve(source.file));
  const subset = Buffer.from(
    await subsetFont(original, REPORT_CHARSET, {
      targetFormat: 'truetype',
      noHinting: true,
      // No shaping at run time (Vietnamese letters are precomposed after NFC): layout tables are dead weight.
      dropTables: ['GSUB', 'GPOS', 'GDEF', 'DSIG', 'hdmx', 'LTSH', 'VDMX', 'kern', 'BASE', 'JSTF', 'MATH', 'STAT'],
    }),
  );
  const tables = readTables(subset);
  const head = table(tables, 'head');
  const unitsPerEm = subset.readUInt16BE(head + 18);
  const bbox = [subset.readInt16BE(head + 36), subset.readInt16BE(head + 38), subset.readInt16BE(head + 40), subset.readInt16BE(head + 42)];
  const hhea = table(tables, 'hhea');
  const ascent = subset.readInt16BE(hhea + 4);
  const descent = subset.readInt16BE(hhea + 6);
  const numberOfHMetrics = subset.readUInt16BE(hhea + 34);
  const os2 = table(tables, 'OS/2');
  const capHeight = subset.readUInt16BE(os2) >= 2 ? subset.readInt16BE(os2 + 88) : ascent;
  const post = table(tables, 'post');
  const italicAngle = subset.readInt16BE(post + 4);
  const hmtx = table(tables, 'hmtx');
  const advance = (gid: number) => subset.readUInt16BE(hmtx + Math.min(gid, numberOfHMetrics - 1) * 4);
  const cmap = readCmap(subset, tables);

  const glyphs: number[] = [];
  const missing: string[] = [];
  for (const ch of REPORT_CHARSET) {
    const cp = ch.codePointAt(0)!;
    const gid = cmap.get(cp);
    if (gid === undefined) {
      missing.push(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
      continue;
    }
    glyphs.push(cp, gid, advance(gid));
  }
  const deflated = deflateSync(subset, { level: 9 });
  return {
    key: source.key,
    postScriptName: source.name,
    bold: source.bold,
    unitsPerEm,
    ascent,
    descent,
    capHeight,
    bbox,
    italicAngle,
    missingWidth: advance(0),
    glyphs,
    ttfLength: subset.length,
    ttf: deflated.toString('base64'),
    missing,
    deflatedLength: deflated.length,
  };
}

const fonts = [];
for (const s of SOURCES) fonts.push(await build(s));

const out = `/* Generated by scripts/build-report-font.ts: do not edit by hand.
 * Noto Sans Regular, Copyright 2022 The Noto Project Authors
 * (https://github.com/notofonts/latin-greek-cyrillic), licensed under the SIL Open Font
 * License 1.1 (see README.md, "Reports"). Subset to Latin + Vietnamese for the PDF renderer.
 */
import type { EmbeddedFont } from './pdf-font';

${fonts
  .map(
    (f) => `/** ${f.postScriptName}: ${f.glyphs.length / 3} characters, ${f.ttfLength} bytes of TrueType (${f.deflatedLength} deflated). */
export const NOTO_SANS_REGULAR: EmbeddedFont = {
  postScriptName: '${f.postScriptName}',
  bold: ${f.bold},
  unitsPerEm: ${f.unitsPerEm},
  ascent: ${f.ascent},
  descent: ${f.descent},
  capHeight: ${f.capHeight},
  bbox: [${f.bbox.join(', ')}],
  italicAngle: ${f.italicAngle},
  missingWidth: ${f.missingWidth},
  glyphs: [${f.glyphs.join(',')}],
  ttfLength: ${f.ttfLength},
  ttfDeflatedBase64:
    '${f.ttf}',
};
`,
  )
  .join('\n')}`;

writeFileSync(new URL('../src/reports/font-data.ts', import.meta.url), out);
for (const f of fonts) {
  console.log(`${f.postScriptName}: ${f.glyphs.length / 3} chars, ttf ${f.ttfLength} B, deflated ${f.deflatedLength} B, missing ${f.missing.join(' ') || 'none'}`);
}

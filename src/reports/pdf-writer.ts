/**
 * A small PDF 1.7 writer: numbered objects, streams (deflated with the standard
 * CompressionStream, present in Workers and Node), embedded TrueType fonts as Type 0 /
 * CIDFontType2 with Identity-H encoding and a ToUnicode map, and the cross-reference table.
 * Written for the report renderer so that it runs in Workers without a PDF library's weight.
 */
import type { FontMetrics } from './pdf-font';

const ascii = new TextEncoder();

function bytes(s: string): Uint8Array {
  // Object syntax is ASCII only: text goes in hex strings.
  if (/[^\x00-\x7f]/.test(s)) throw new Error('PDF object syntax must be ASCII');
  return ascii.encode(s);
}

export async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A text string as UTF-16BE hex with a byte-order mark (any language, ASCII-safe syntax). */
export function pdfTextString(s: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

export class PdfWriter {
  private readonly objects: (Uint8Array | null)[] = [];

  /** Reserves an object number, to be filled later (forward references). */
  reserve(): number {
    this.objects.push(null);
    return this.objects.length;
  }

  set(num: number, body: string): void {
    this.objects[num - 1] = bytes(body);
  }

  add(body: string): number {
    const n = this.reserve();
    this.set(n, body);
    return n;
  }

  /** A stream object; `dict` is the inside of the dictionary without /Length. */
  setStream(num: number, dict: string, data: Uint8Array): void {
    const head = bytes(`<< ${dict} /Length ${data.length} >>\nstream\n`);
    const tail = bytes('\nendstream');
    const out = new Uint8Array(head.length + data.length + tail.length);
    out.set(head, 0);
    out.set(data, head.length);
    out.set(tail, head.length + data.length);
    this.objects[num - 1] = out;
  }

  addStream(dict: string, data: Uint8Array): number {
    const n = this.reserve();
    this.setStream(n, dict, data);
    return n;
  }

  /** Embeds a font with the glyphs the document used; returns the Type 0 font object number. */
  addFont(metrics: FontMetrics, tag: string, fontFile: Uint8Array): number {
    const f = metrics.font;
    const scale = (v: number) => Math.round((v * 1000) / f.unitsPerEm);
    const name = `${tag}+${f.postScriptName}`;
    const file = this.addStream(`/Filter /FlateDecode /Length1 ${f.ttfLength}`, fontFile);
    const descriptor = this.add(
      `<< /Type /FontDescriptor /FontName /${name} /Flags 32 /FontBBox [${f.bbox.map(scale).join(' ')}] /ItalicAngle ${f.italicAngle} ` +
        `/Ascent ${scale(f.ascent)} /Descent ${scale(f.descent)} /CapHeight ${scale(f.capHeight)} /StemV ${f.bold ? 120 : 80} /FontFile2 ${file} 0 R >>`,
    );
    const used = [...metrics.used.entries()].sort((a, b) => a[0] - b[0]);
    const advance = new Map<number, number>();
    for (let i = 0; i + 2 < f.glyphs.length; i += 3) advance.set(f.glyphs[i + 1]!, f.glyphs[i + 2]!);
    const widths = used.map(([gid]) => `${gid} [${scale(advance.get(gid) ?? f.missingWidth)}]`).join(' ');
    const cid = this.add(
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> ` +
        `/FontDescriptor ${descriptor} 0 R /DW ${scale(f.missingWidth)} /W [${widths}] /CIDToGIDMap /Identity >>`,
    );
    const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
    const utf16 = (cp: number) => {
      const s = String.fromCodePoint(cp);
      let h = '';
      for (let i = 0; i < s.length; i++) h += hex4(s.charCodeAt(i));
      return h;
    };
    const chunks: string[] = [];
    for (let i = 0; i < used.length; i += 100) {
      const part = used.slice(i, i + 100);
      chunks.push(`${part.length} beginbfchar\n${part.map(([gid, cp]) => `<${hex4(gid)}> <${utf16(cp)}>`).join('\n')}\nendbfchar`);
    }
    const cmap =
      '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n' +
      `1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${chunks.join('\n')}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`;
    const toUnicode = this.addStream('', bytes(cmap));
    return this.add(`<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`);
  }

  toBytes(root: number, info: number): Uint8Array {
    const header = new Uint8Array([...bytes('%PDF-1.7\n%'), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]);
    const parts: Uint8Array[] = [header];
    const offsets: number[] = [];
    let pos = header.length;
    this.objects.forEach((body, i) => {
      if (!body) throw new Error(`PDF object ${i + 1} was reserved but never written`);
      offsets.push(pos);
      const open = bytes(`${i + 1} 0 obj\n`);
      const close = bytes('\nendobj\n');
      parts.push(open, body, close);
      pos += open.length + body.length + close.length;
    });
    const xref =
      `xref\n0 ${this.objects.length + 1}\n0000000000 65535 f \n` +
      offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
      `trailer\n<< /Size ${this.objects.length + 1} /Root ${root} 0 R /Info ${info} 0 R >>\nstartxref\n${pos}\n%%EOF\n`;
    parts.push(bytes(xref));
    const total = parts.reduce((a, p) => a + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

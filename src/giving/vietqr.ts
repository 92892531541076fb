import qrcode from 'qrcode-generator';

/**
 * VietQR (NAPAS 247) bank-transfer payloads: EMVCo merchant-presented QR, each field
 * ID(2) + length(2) + value, closed by CRC-16/CCITT-FALSE over everything up to and including
 * "6304". See shared/VIETQR.md for the field table and published samples.
 */

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR. "123456789" → 29B1. */
export function crc16ccitt(input: string): string {
  const bytes = new TextEncoder().encode(input);
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export type TlvValue = string | TlvField[];
export interface TlvField {
  id: string;
  value: TlvValue;
}

/** Length is counted in UTF-8 bytes, as scanners do; payloads here are ASCII anyway. */
const byteLength = (s: string) => new TextEncoder().encode(s).length;

export function encodeTlv(fields: TlvField[]): string {
  let out = '';
  for (const f of fields) {
    const v = typeof f.value === 'string' ? f.value : encodeTlv(f.value);
    const n = byteLength(v);
    if (!/^\d{2}$/.test(f.id)) throw new Error(`bad field id ${f.id}`);
    if (n > 99) throw new Error(`field ${f.id} is longer than 99`);
    out += f.id + String(n).padStart(2, '0') + v;
  }
  return out;
}

/** Fields whose value is itself a TLV list in VietQR / EMVCo. */
const NESTED = new Set(['38', '62']);
const NESTED_IN_38 = new Set(['01']);

export function parseTlv(payload: string, nested: (id: string, depth: number) => boolean = (id, d) => (d === 0 ? NESTED.has(id) : d === 1 && NESTED_IN_38.has(id)), depth = 0, parentId = ''): TlvField[] {
  const out: TlvField[] = [];
  let i = 0;
  while (i < payload.length) {
    const id = payload.slice(i, i + 2);
    const len = Number(payload.slice(i + 2, i + 4));
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(payload.slice(i + 2, i + 4))) throw new Error(`malformed field at ${i}`);
    const value = payload.slice(i + 4, i + 4 + len);
    if (value.length !== len) throw new Error(`field ${id} is truncated`);
    const isNested = depth === 1 ? parentId === '38' && nested(id, depth) : nested(id, depth);
    out.push({ id, value: isNested ? parseTlv(value, nested, depth + 1, id) : value });
    i += 4 + len;
  }
  return out;
}

/** Appends "6304" and its CRC. */
export function withCrc(body: string): string {
  const s = body + '6304';
  return s + crc16ccitt(s);
}

/** True when the last field is a CRC that matches the rest. */
export function checkCrc(payload: string): boolean {
  if (payload.length < 8 || payload.slice(-8, -4) !== '6304') return false;
  return crc16ccitt(payload.slice(0, -4)) === payload.slice(-4).toUpperCase();
}

export interface VietQrInput {
  bankBin: string;
  accountNumber: string;
  /** Whole đồng; omitted → a static QR where the donor types the amount. */
  amountVnd?: bigint | null;
  /** The transfer note (field 62/08): carries our payment reference. */
  note?: string | null;
  /** 'account' (QRIBFTTA, default) or 'card' (QRIBFTTC). */
  to?: 'account' | 'card';
  /** Field 01: "12" dynamic (default with an amount) or "11" static (default without). */
  initiation?: 'static' | 'dynamic';
}

/** Transfer notes travel through banks that drop diacritics and symbols: keep A–Z, 0–9, space. */
export function sanitiseNote(note: string): string {
  return note
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 50);
}

export const CANONICAL_ORDER = ['00', '01', '38', '53', '54', '58', '62'] as const;

/**
 * Builds the payload. Fields go in `order` (the table order by default); generators in the
 * wild use other orders, and a scanner accepts any, so tests can reproduce their bytes.
 */
export function buildVietQr(input: VietQrInput, order: readonly string[] = CANONICAL_ORDER): string {
  if (!/^\d{6}$/.test(input.bankBin)) throw new Error('bank BIN must be 6 digits');
  if (!/^[0-9A-Za-z]{1,19}$/.test(input.accountNumber)) throw new Error('account number must be 1–19 letters or digits');
  if (input.amountVnd !== undefined && input.amountVnd !== null && input.amountVnd <= 0n) throw new Error('amount must be positive');
  const hasAmount = input.amountVnd !== undefined && input.amountVnd !== null;
  const note = input.note ? sanitiseNote(input.note) : '';
  const fields: Record<string, TlvField | null> = {
    '00': { id: '00', value: '01' },
    '01': { id: '01', value: (input.initiation ?? (hasAmount ? 'dynamic' : 'static')) === 'dynamic' ? '12' : '11' },
    '38': {
      id: '38',
      value: [
        { id: '00', value: 'A000000727' },
        { id: '01', value: [{ id: '00', value: input.bankBin }, { id: '01', value: input.accountNumber }] },
        { id: '02', value: input.to === 'card' ? 'QRIBFTTC' : 'QRIBFTTA' },
      ],
    },
    '53': { id: '53', value: '704' },
    '54': hasAmount ? { id: '54', value: input.amountVnd!.toString() } : null,
    '58': { id: '58', value: 'VN' },
    '62': note ? { id: '62', value: [{ id: '08', value: note }] } : null,
  };
  const ordered = order.map((id) => fields[id]).filter((f): f is TlvField => !!f);
  return withCrc(encodeTlv(ordered));
}

/** The QR code as inline SVG: one path, no style attributes (the CSP forbids inline styles). */
export function qrSvg(payload: string, opts: { title: string; moduleSize?: number; margin?: number }): string {
  const qr = qrcode(0, 'M');
  qr.addData(payload, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const m = opts.margin ?? 4;
  const size = n + 2 * m;
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c)) d += `M${c + m} ${r + m}h1v1h-1z`;
    }
  }
  const px = size * (opts.moduleSize ?? 6);
  const title = opts.title.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${px}" height="${px}" role="img" aria-label="${title}" shape-rendering="crispEdges"><title>${title}</title><rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

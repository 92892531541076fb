import { describe, expect, it } from 'vitest';
import { buildVietQr, checkCrc, crc16ccitt, encodeTlv, parseTlv, qrSvg, sanitiseNote, type TlvField } from '../../src/giving/vietqr';

// Published payloads, copied byte for byte from shared/VIETQR.md.
const SAMPLE_1 = '00020101021262110807tien le38560010A0000007270126000697041501121133666688880208QRIBFTTA5303704540460005802VN63046893';
const SAMPLE_2 = '00020101021138560010A0000007270126000697041501121133666688880208QRIBFTTA54057000153037045802VN6304ED54';
const SAMPLE_3 = '00020101021138480010A00000072701300006970403011621129950446040255204581253037045802VN5910PHUONG CAC6005HANOI62110307NPS686963045802';

const field = (fs: TlvField[], id: string) => fs.find((f) => f.id === id)?.value;

describe('VietQR payloads', () => {
  it('CRC-16/CCITT-FALSE has the standard check value', () => {
    expect(crc16ccitt('123456789')).toBe('29B1');
  });

  it.each([
    ['sample 1', SAMPLE_1, '6893'],
    ['sample 2', SAMPLE_2, 'ED54'],
    ['sample 3 (merchant)', SAMPLE_3, '5802'],
  ])('%s: parses, recomputes its CRC and re-encodes byte for byte', (_name, sample, crc) => {
    expect(checkCrc(sample)).toBe(true);
    expect(crc16ccitt(sample.slice(0, -4))).toBe(crc);
    const fields = parseTlv(sample);
    expect(field(fields, '63')).toBe(crc);
    const body = encodeTlv(fields.filter((f) => f.id !== '63'));
    expect(body + '6304' + crc16ccitt(body + '6304')).toBe(sample);
  });

  it('builds sample 1 (dynamic, with a transfer note) exactly, CRC included', () => {
    const built = buildVietQr({ bankBin: '970415', accountNumber: '113366668888', amountVnd: 6000n, note: 'tien le' }, ['00', '01', '62', '38', '53', '54', '58']);
    expect(built).toBe(SAMPLE_1);
  });

  it('builds sample 2 (static QR carrying amount 70001) exactly, CRC included', () => {
    const built = buildVietQr({ bankBin: '970415', accountNumber: '113366668888', amountVnd: 70001n, initiation: 'static' }, ['00', '01', '38', '54', '53', '58']);
    expect(built).toBe(SAMPLE_2);
  });

  it('carries the bank BIN, account, amount and our reference where scanners look for them', () => {
    const p = buildVietQr({ bankBin: '970415', accountNumber: '0071000123456', amountVnd: 500_000n, note: 'SCHP K7M3QD' });
    const f = parseTlv(p);
    expect(field(f, '00')).toBe('01');
    expect(field(f, '01')).toBe('12');
    const acct = field(f, '38') as TlvField[];
    expect(field(acct, '00')).toBe('A000000727');
    expect(field(field(acct, '01') as TlvField[], '00')).toBe('970415');
    expect(field(field(acct, '01') as TlvField[], '01')).toBe('0071000123456');
    expect(field(acct, '02')).toBe('QRIBFTTA');
    expect(field(f, '53')).toBe('704');
    expect(field(f, '54')).toBe('500000');
    expect(field(f, '58')).toBe('VN');
    expect(field(field(f, '62') as TlvField[], '08')).toBe('SCHP K7M3QD');
    expect(checkCrc(p)).toBe(true);
    // Without an amount the QR is static and has no field 54.
    const s = parseTlv(buildVietQr({ bankBin: '970415', accountNumber: '0071000123456' }));
    expect(field(s, '01')).toBe('11');
    expect(field(s, '54')).toBeUndefined();
  });

  it('strips diacritics and symbols from notes; refuses bad BINs and amounts', () => {
    expect(sanitiseNote('Ủng hộ Trung thu – Đặng Văn Ơn!')).toBe('Ung ho Trung thu Dang Van On');
    expect(() => buildVietQr({ bankBin: '97041', accountNumber: '1' })).toThrow(/BIN/);
    expect(() => buildVietQr({ bankBin: '970415', accountNumber: '1', amountVnd: 0n })).toThrow(/amount/);
  });

  it('renders an SVG without style attributes', () => {
    const svg = qrSvg(SAMPLE_2, { title: 'VietQR' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toMatch(/style=/);
    expect(svg).toContain('<path d="M');
  });
});

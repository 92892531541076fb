import { describe, expect, it } from 'vitest';
import { formatMoney, formatNumber, pick, t } from '../../src/ui/i18n';

describe('texts in two languages', () => {
  const merge = { vi: 'Gộp {a} vào {b}', en: 'Merge {a} into {b}' };
  it('fills each placeholder once, in the reader’s language, and leaves an unknown one as written', () => {
    expect(pick('vi', merge, { a: 'Nguyễn An', b: 'An Nguyễn' })).toBe('Gộp Nguyễn An vào An Nguyễn');
    expect(pick('en', merge, { a: 'Nguyễn An', b: 'An Nguyễn' })).toBe('Merge Nguyễn An into An Nguyễn');
    // A value that itself looks like a placeholder is not filled again.
    expect(pick('en', merge, { a: '{b}', b: 'X' })).toBe('Merge {b} into X');
    expect(pick('en', merge, { a: 'Y' })).toBe('Merge Y into {b}');
    expect(pick('vi', { vi: 'Gửi cho {n} nhà hảo tâm', en: 'Send to {n} donors' }, { n: formatNumber(12_500, 'vi') })).toBe('Gửi cho 12.500 nhà hảo tâm');
    expect(pick('en', merge)).toBe('Merge {a} into {b}');
  });
  it('formats money in Vietnamese and English without minor units for VND', () => {
    expect(formatMoney(22_500_000n, 'VND', 'vi')).toMatch(/^22\.500\.000\s?₫$/);
    expect(formatMoney(2_550n, 'USD', 'en')).toBe('$25.50');
    expect(t('en', 'language')).toBe('Tiếng Việt');
  });
});

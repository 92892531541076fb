import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditLine, auditTable, extendTable, suppressLine, suppressTable, type Mark, type TableSuppression } from '../../src/reports/suppression';

/*
 * The attacker model: every published number is known; a "<5" is between 1 and 4; a "*" is 0 or at
 * least 5 (we assume the attacker learns which, the stronger attacker). A hidden entry is safe when
 * another table, different in that entry, agrees with everything published. These tests look for
 * such a table by brute force, independently of the max-flow audit in the module.
 */

type Grid = number[][];

function marksGrid(s: TableSuppression): Mark[][] {
  return [...s.cells.map((r, i) => [...r, s.rowTotals[i]!]), [...s.columnTotals, s.grandTotal]];
}

/** What a reader of the published table sees: numbers, "<5" or "*". */
function published(e: Grid, m: Mark[][]): (number | '<5' | '*')[][] {
  return e.map((row, i) => row.map((v, j) => (m[i]![j] === 'small' ? '<5' : m[i]![j] === 'complementary' ? '*' : v)));
}

/** Is `other` (interior counts) indistinguishable from the real table for a reader? */
function consistent(view: (number | '<5' | '*')[][], realExt: Grid, other: Grid, withheld: boolean): boolean {
  if (other.some((r) => r.some((v) => v < 0))) return false;
  const e = extendTable(other);
  return view.every((row, i) =>
    row.every((p, j) => {
      const v = e[i]![j]!;
      if (p === '<5') return v >= 1 && v <= 4;
      // In a withheld table "*" may be anything.
      if (p === '*' && withheld) return true;
      // A hidden complement: the attacker knows whether it was 0.
      if (p === '*') return realExt[i]![j] === 0 ? v === 0 : v >= 5;
      return v === p;
    }),
  );
}

/**
 * Looks for a table the reader cannot tell apart from the real one, differing at (ti, tj) of the
 * extended table. Changes of -1, 0, +1 on hidden interior cells suffice: a change along one cycle
 * of hidden entries touches each cell once.
 */
function alternative(counts: Grid, m: Mark[][], ti: number, tj: number, withheld = false): Grid | null {
  const realExt = extendTable(counts);
  const view = published(realExt, m);
  const R = counts.length;
  const C = counts[0]!.length;
  const hiddenCells: [number, number][] = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) if (m[i]![j]) hiddenCells.push([i, j]);
  const delta = counts.map((r) => r.map(() => 0));
  const rowPublished = (i: number) => !m[i]![C];
  const search = (k: number): Grid | null => {
    if (k === hiddenCells.length) {
      const other = counts.map((r, i) => r.map((v, j) => v + delta[i]![j]!));
      const e = extendTable(other);
      if (e[ti]![tj] === realExt[ti]![tj]) return null;
      return consistent(view, realExt, other, withheld) ? other : null;
    }
    const [i, j] = hiddenCells[k]!;
    for (const d of [-1, 0, 1]) {
      delta[i]![j] = d;
      // Prune: a finished row with a published total must not change its sum.
      const last = k + 1 === hiddenCells.length || hiddenCells[k + 1]![0] !== i;
      if (last && rowPublished(i) && delta[i]!.reduce((a, x) => a + x, 0) !== 0) continue;
      const found = search(k + 1);
      if (found) return found;
    }
    delta[i]![j] = 0;
    return null;
  };
  return search(0);
}

function linesWithOneHidden(m: Mark[][]): number {
  let bad = 0;
  for (const row of m) if (row.filter(Boolean).length === 1) bad++;
  for (let j = 0; j < m[0]!.length; j++) if (m.filter((r) => r[j]).length === 1) bad++;
  return bad;
}

const table = (maxRows: number, maxCols: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: maxRows }), fc.integer({ min: 2, max: maxCols }))
    .chain(([r, c]) =>
      fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 30 })), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
    );

describe('primary suppression', () => {
  it('hides 1 to 4, publishes 0 and 5 or more', () => {
    const s = suppressLine([0, 1, 4, 5, 12], 22);
    expect(s.parts.slice(0, 4)).toEqual([null, 'small', 'small', null]);
    const t = suppressTable([
      [0, 3],
      [5, 9],
    ]);
    expect(t.cells[0]![0]).toBeNull();
    expect(t.cells[0]![1]).toBe('small');
    expect(t.rowTotals[0]).toBe('small'); // the row total is 3 too
  });

  it('treats a small total as a small count', () => {
    const s = suppressLine([2, 0, 0], 2);
    expect(s).toEqual({ parts: ['small', null, null], total: 'small' });
  });
});

describe('complementary suppression of the demo breakdown (girls aged 0–5: 3)', () => {
  const counts = [
    [3, 9, 8, 5],
    [7, 6, 7, 0],
  ];
  const s = suppressTable(counts);

  it('hides the 3 and a rectangle of the smallest interior cells, keeping every total', () => {
    expect(s.cells).toEqual([
      ['small', 'complementary', null, null],
      ['complementary', 'complementary', null, null],
    ]);
    expect([...s.rowTotals, ...s.columnTotals, s.grandTotal].every((x) => x === null)).toBe(true);
  });

  it('no row, column or total equation has exactly one unknown', () => {
    expect(linesWithOneHidden(marksGrid(s))).toBe(0);
  });

  it('the 3 cannot be recovered: the audit leaves a range, and another table fits everything published', () => {
    const audit = auditTable(counts, s);
    expect(audit[0]![0]!.min).toBeLessThan(audit[0]![0]!.max);
    expect(audit[0]![0]!.min).toBeLessThanOrEqual(3);
    expect(audit[0]![0]!.max).toBeGreaterThanOrEqual(3);
    const other = alternative(counts, marksGrid(s), 0, 0);
    expect(other).not.toBeNull();
    expect(other![0]![0]).not.toBe(3);
  });

  it('without the complements the 3 would be given away by subtraction', () => {
    const onlyPrimary: TableSuppression = { ...s, cells: [['small', null, null, null], [null, null, null, null]] };
    const audit = auditTable(counts, onlyPrimary);
    expect(audit[0]![0]).toEqual({ min: 3, max: 3 });
    expect(alternative(counts, marksGrid(onlyPrimary), 0, 0)).toBeNull();
  });
});

describe('the audit sees through bounds, not only single unknowns', () => {
  it('two hidden 4s adding up to a published 8 are both 4', () => {
    const marks = { parts: ['small', 'small', null] as Mark[], total: null };
    const audit = auditLine([4, 4, 20], 28, marks);
    expect(audit.parts[0]).toEqual({ min: 4, max: 4 });
    const s = suppressLine([4, 4, 20], 28);
    const safe = auditLine([4, 4, 20], 28, s);
    expect(safe.parts[0]!.min).toBeLessThan(safe.parts[0]!.max);
  });
});

describe('tables that cannot be protected are withheld', () => {
  it('four girls, one per age band, with nobody else: only the total "<5" is published', () => {
    const counts = [
      [1, 1, 1, 1],
      [0, 0, 0, 0],
    ];
    const s = suppressTable(counts);
    expect(s.withheld).toBe(true);
    expect(s.grandTotal).toBe('small');
    expect([...s.cells.flat(), ...s.rowTotals, ...s.columnTotals].every((x) => x === 'complementary')).toBe(true);
    // Had the "<5" been shown, each would be 1: four numbers of at least 1 adding up to at most 4.
    const shownSmall: TableSuppression = { cells: [['small', 'small', 'small', 'small'], [null, null, null, null]], rowTotals: ['small', null], columnTotals: ['small', 'small', 'small', 'small'], grandTotal: 'small' };
    expect(auditTable(counts, shownSmall)[0]![0]).toEqual({ min: 1, max: 1 });
    for (let j = 0; j < 4; j++) expect(alternative(counts, marksGrid(s), 0, j, true)).not.toBeNull();
  });

  it('likewise for a one-way breakdown of 1 + 1 + 1 + 1 = 4', () => {
    const s = suppressLine([1, 1, 1, 1, 0], 4);
    expect(s).toEqual({ parts: ['complementary', 'complementary', 'complementary', 'complementary', 'complementary'], total: 'small', withheld: true });
    const audit = auditLine([1, 1, 1, 1, 0], 4, s);
    expect(audit.parts[0]).toEqual({ min: 0, max: 4 });
  });
});

describe('property: random two-way tables', () => {
  it('every small count is hidden as "<5", nothing else is, and zeros stay published (or the table is withheld)', () => {
    fc.assert(
      fc.property(table(4, 4), (counts) => {
        const e = extendTable(counts);
        const s = suppressTable(counts);
        const m = marksGrid(s);
        const R = counts.length;
        const C = counts[0]!.length;
        e.forEach((row, i) =>
          row.forEach((v, j) => {
            if (s.withheld && !(i === R && j === C)) {
              expect(m[i]![j]).toBe('complementary');
              return;
            }
            expect(m[i]![j] === 'small').toBe(v >= 1 && v <= 4);
            if (v === 0) expect(m[i]![j]).toBeNull();
          }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('no row, column or total equation is left with exactly one unknown', () => {
    fc.assert(
      fc.property(table(5, 5), (counts) => {
        expect(linesWithOneHidden(marksGrid(suppressTable(counts)))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('no small count can be recovered: for each there is another table that fits everything published', () => {
    fc.assert(
      fc.property(table(3, 4), (counts) => {
        const s = suppressTable(counts);
        const m = marksGrid(s);
        const e = extendTable(counts);
        const audit = auditTable(counts, s);
        m.forEach((row, i) =>
          row.forEach((mark, j) => {
            const small = e[i]![j]! >= 1 && e[i]![j]! <= 4;
            if (!small) return;
            expect(mark).not.toBeNull();
            expect(audit[i]![j]!.max).toBeGreaterThan(audit[i]![j]!.min);
            expect(alternative(counts, m, i, j, s.withheld)).not.toBeNull();
          }),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('a cell of 3 planted anywhere is never recoverable', () => {
    fc.assert(
      fc.property(table(3, 4), fc.nat(), fc.nat(), (counts, a, b) => {
        const i = a % counts.length;
        const j = b % counts[0]!.length;
        counts[i]![j] = 3;
        const s = suppressTable(counts);
        expect(s.cells[i]![j]).toBe(s.withheld ? 'complementary' : 'small');
        const other = alternative(counts, marksGrid(s), i, j, s.withheld);
        expect(other).not.toBeNull();
        expect(other![i]![j]).not.toBe(3);
      }),
      { numRuns: 150 },
    );
  });
});

describe('property: one-way breakdowns (parts and their total)', () => {
  it('hides small parts with at least one complement, and none can be pinned down', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 8 }), (parts) => {
        const total = parts.reduce((x, y) => x + y, 0);
        const s = suppressLine(parts, total);
        const marks = [...s.parts, s.total];
        const values = [...parts, total];
        const small = (v: number) => v >= 1 && v <= 4;
        if (s.withheld) {
          expect(s.parts.every((p) => p === 'complementary')).toBe(true);
          expect(s.total === 'small').toBe(small(total));
          return;
        }
        values.forEach((v, i) => expect(marks[i] === 'small').toBe(small(v)));
        expect(marks.filter(Boolean).length).not.toBe(1);
        const audit = auditLine(parts, total, s);
        [...audit.parts, audit.total].forEach((r, i) => {
          if (marks[i] === 'small') expect(r!.max).toBeGreaterThan(r!.min);
        });
        // An explicit witness: move one unit between the hidden entry and another hidden one.
        values.forEach((v, i) => {
          if (marks[i] !== 'small') return;
          const ok = values.some((w, k) => {
            if (k === i || !marks[k]) return false;
            const isTotal = (x: number) => x === parts.length;
            for (const d of [-1, 1]) {
              const vi = v + d;
              // Moving a part and the total together, or two parts in opposite directions.
              const wk = isTotal(k) || isTotal(i) ? w + d : w - d;
              const inRange = (x: number, mark: Mark, real: number) => (mark === 'small' ? x >= 1 && x <= 4 : real === 0 ? x === 0 : x >= 5);
              if (inRange(vi, marks[i]!, v) && inRange(wk, marks[k]!, w)) return true;
            }
            return false;
          });
          expect(ok).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
  });
});

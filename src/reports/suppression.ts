/**
 * Small-cell suppression for counts of people in funder reports.
 *
 * Rule (primary suppression): a count of people from 1 to 4 is never published; it is shown as
 * "<5". Zero is published as 0: "nobody" identifies no one, and hiding zeros would make every
 * empty category look like a secret.
 *
 * Complementary suppression: a hidden count must not be recoverable from the published ones.
 * A table publishes its totals, so every row, column and total line is an equation; a line with
 * exactly one hidden entry gives it away by subtraction. Hidden entries therefore come at least
 * two to a line, and more: an attacker also knows that a "<5" lies between 1 and 4 and that a
 * complementary cell is 0 or at least 5, and may combine all equations at once. `auditTable` and
 * `auditLine` compute, for every hidden entry, the exact range of values consistent with all
 * published numbers and those bounds (a small max-flow problem: the suppressed entries of a
 * two-way table with margins form a bipartite network). Suppression repeats until no line has a
 * single hidden entry and no protected entry has a range of one value: a fixed point.
 *
 * Complementary cells are chosen among the cheapest: the smallest non-zero interior cells
 * completing a rectangle with the exposed cell, then margins, the grand total last. A zero is
 * never hidden as a complement: everyone could guess it.
 *
 * Some tables cannot be protected at all (four categories of 1 and a total of 4: each must be 1).
 * They are withheld: every entry but the grand total is "*", small counts included.
 */

export const SMALL_COUNT_LIMIT = 5;

/** Why an entry is hidden: a small count ("<5"), or to protect one ("*"). */
export type Mark = 'small' | 'complementary' | null;

export const isSmallCount = (n: number): boolean => n >= 1 && n < SMALL_COUNT_LIMIT;

export interface Interval {
  min: number;
  max: number;
}

/**
 * What an attacker may assume about a hidden entry (see the module comment). In a withheld
 * table "*" may stand for any number, small ones included.
 */
function bounds(value: number, mark: Mark, withheld = false): Interval | null {
  if (mark === 'small') return { min: 1, max: SMALL_COUNT_LIMIT - 1 };
  if (mark === 'complementary') {
    if (withheld) return { min: 0, max: Infinity };
    return value === 0 ? null : { min: SMALL_COUNT_LIMIT, max: Infinity };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// One equation: parts that add up to a total (a one-way breakdown, or indicators with sumOf).

export interface LineSuppression {
  parts: Mark[];
  total: Mark;
  /**
   * Too few people to publish the parts at all (four parts of 1 adding up to 4 give each other
   * away, whatever else is hidden): every part is hidden as "*", small ones included.
   */
  withheld?: boolean;
}

/** The ranges an attacker can infer for each hidden entry of `parts = total` (null: published). */
export function auditLine(parts: readonly number[], total: number, marks: LineSuppression): { parts: (Interval | null)[]; total: Interval | null } {
  const values = [...parts, total];
  const ms = [...marks.parts, marks.total];
  const sign = (i: number) => (i === parts.length ? -1 : 1);
  const b = values.map((v, i) => bounds(v, ms[i] ?? null, marks.withheld && i < parts.length));
  let known = 0;
  values.forEach((v, i) => {
    if (!b[i]) known += sign(i) * v;
  });
  const range = (k: number): Interval | null => {
    const own = b[k];
    if (!own) return null;
    // sign(k)·x_k = −known − Σ_{others} sign(i)·x_i
    let lo = -known;
    let hi = -known;
    values.forEach((_, i) => {
      const bi = b[i];
      if (i === k || !bi) return;
      const [smin, smax] = sign(i) > 0 ? [bi.min, bi.max] : [-bi.max, -bi.min];
      lo -= smax;
      hi -= smin;
    });
    const [xmin, xmax] = sign(k) > 0 ? [lo, hi] : [-hi, -lo];
    return { min: Math.max(own.min, xmin), max: Math.min(own.max, xmax) };
  };
  return { parts: parts.map((_, i) => range(i)), total: range(parts.length) };
}

/**
 * Suppresses the small counts of a line and enough complements that none can be recovered.
 * `forced` entries are hidden as complements from the start (used when the same number is
 * hidden elsewhere in the report) and are protected like small counts.
 */
export function suppressLine(parts: readonly number[], total: number, forced: { parts?: readonly boolean[]; total?: boolean } = {}): LineSuppression {
  const values = [...parts, total];
  const n = values.length;
  const marks: Mark[] = values.map((v) => (isSmallCount(v) ? 'small' : null));
  const guarded = values.map((_, i) => marks[i] === 'small' || (i < parts.length ? !!forced.parts?.[i] : !!forced.total));
  guarded.forEach((g, i) => {
    if (g && !marks[i]) marks[i] = 'complementary';
  });
  const result = () => ({ parts: marks.slice(0, parts.length), total: marks[n - 1] ?? null });
  const addCheapest = (): boolean => {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (marks[i] || values[i] === 0) continue;
      const isTotal = i === n - 1;
      if (best < 0) best = i;
      else {
        const bestIsTotal = best === n - 1;
        if (bestIsTotal && !isTotal) best = i;
        else if (bestIsTotal === isTotal && values[i]! < values[best]!) best = i;
      }
    }
    if (best < 0) return false;
    marks[best] = 'complementary';
    return true;
  };
  for (;;) {
    const hidden = marks.filter((m) => m).length;
    if (hidden === 0) return result();
    if (hidden === 1) {
      if (addCheapest()) continue;
    }
    const audit = auditLine(parts, total, result());
    const ranges = [...audit.parts, audit.total];
    const exposed = ranges.some((r, i) => guarded[i] && r && r.min === r.max);
    if (!exposed) return result();
    if (!addCheapest()) return withheldLine(parts, total, forced.total);
  }
}

function withheldLine(parts: readonly number[], total: number, forcedTotal = false): LineSuppression {
  return { parts: parts.map(() => 'complementary'), total: isSmallCount(total) ? 'small' : forcedTotal ? 'complementary' : null, withheld: true };
}

// ---------------------------------------------------------------------------------------------
// Two-way tables with row totals, column totals and the grand total.

export interface TableSuppression {
  cells: Mark[][];
  rowTotals: Mark[];
  columnTotals: Mark[];
  grandTotal: Mark;
  /** Nothing but the grand total can be published safely (see LineSuppression.withheld). */
  withheld?: boolean;
}

/** The table with its totals: rows 0..R-1 then the column-totals row; columns likewise. */
export function extendTable(counts: readonly (readonly number[])[]): number[][] {
  const R = counts.length;
  const C = counts[0]?.length ?? 0;
  const e = counts.map((row) => [...row, row.reduce((a, v) => a + v, 0)]);
  const totals: number[] = [];
  for (let j = 0; j <= C; j++) totals.push(e.reduce((a, row) => a + row[j]!, 0));
  e.push(totals);
  if (e.length !== R + 1) throw new Error('unreachable');
  return e;
}

function splitMarks(m: Mark[][], withheld = false): TableSuppression {
  const R = m.length - 1;
  const C = m[0]!.length - 1;
  return {
    cells: m.slice(0, R).map((row) => row.slice(0, C)),
    rowTotals: m.slice(0, R).map((row) => row[C]!),
    columnTotals: m[R]!.slice(0, C),
    grandTotal: m[R]![C]!,
    ...(withheld ? { withheld } : {}),
  };
}

function joinMarks(s: TableSuppression): Mark[][] {
  return [...s.cells.map((row, i) => [...row, s.rowTotals[i]!]), [...s.columnTotals, s.grandTotal]];
}

/** Max flow from s to t in a capacity matrix (Edmonds–Karp), stopping once `limit` is reached. */
function maxFlow(capacity: number[][], s: number, t: number, limit: number): number {
  if (limit <= 0) return 0;
  const n = capacity.length;
  const cap = capacity.map((r) => [...r]);
  let flow = 0;
  while (flow < limit) {
    const prev = new Array<number>(n).fill(-1);
    prev[s] = s;
    const queue = [s];
    while (queue.length && prev[t] === -1) {
      const u = queue.shift()!;
      for (let v = 0; v < n; v++) {
        if (prev[v] === -1 && cap[u]![v]! > 0) {
          prev[v] = u;
          queue.push(v);
        }
      }
    }
    if (prev[t] === -1) break;
    let push = limit - flow;
    for (let v = t; v !== s; v = prev[v]!) push = Math.min(push, cap[prev[v]!]![v]!);
    if (push === Infinity) return Infinity;
    for (let v = t; v !== s; v = prev[v]!) {
      cap[prev[v]!]![v]! -= push;
      cap[v]![prev[v]!]! += push;
    }
    flow += push;
  }
  return flow;
}

/**
 * For every hidden entry of a two-way table (cells and totals), the exact range of values
 * consistent with everything published, the table's equations and the attacker's bounds.
 *
 * Writing y = x for cells and the grand total and y = −x for row and column totals turns every
 * line equation into "the y's at this row (column) node add up to a known constant": the hidden
 * entries are the edges of a bipartite graph between row and column nodes, a change that keeps
 * every equation is a circulation on it, and the largest possible increase (decrease) of one entry
 * is a max flow between its two nodes through the others, within their bounds.
 */
export function auditTable(counts: readonly (readonly number[])[], marks: TableSuppression): (Interval | null)[][] {
  const e = extendTable(counts);
  const m = joinMarks(marks);
  const R = e.length - 1;
  const C = e[0]!.length - 1;
  const n = R + 1 + C + 1;
  const col = (j: number) => R + 1 + j;
  const cap = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const unknown: { i: number; j: number; s: number; up: number; down: number }[] = [];
  for (let i = 0; i <= R; i++) {
    for (let j = 0; j <= C; j++) {
      const b = bounds(e[i]![j]!, m[i]![j]!, marks.withheld && !(i === R && j === C));
      if (!b) continue;
      const s = i < R === j < C ? 1 : -1;
      const x0 = e[i]![j]!;
      const [ylo, yhi] = s > 0 ? [b.min, b.max] : [-b.max, -b.min];
      const y0 = s * x0;
      const u = { i, j, s, up: yhi - y0, down: y0 - ylo };
      unknown.push(u);
      cap[i]![col(j)] = u.up;
      cap[col(j)]![i] = u.down;
    }
  }
  const out: (Interval | null)[][] = e.map((row) => row.map(() => null));
  for (const u of unknown) {
    cap[u.i]![col(u.j)] = 0;
    cap[col(u.j)]![u.i] = 0;
    const inc = Math.min(u.up, maxFlow(cap, col(u.j), u.i, u.up));
    const dec = Math.min(u.down, maxFlow(cap, u.i, col(u.j), u.down));
    cap[u.i]![col(u.j)] = u.up;
    cap[col(u.j)]![u.i] = u.down;
    const x0 = e[u.i]![u.j]!;
    out[u.i]![u.j] = u.s > 0 ? { min: x0 - dec, max: x0 + inc } : { min: x0 - inc, max: x0 + dec };
  }
  return out;
}

/**
 * Suppresses a breakdown: small counts (cells and totals) and enough complements that none can
 * be recovered. A one-column table is a one-way breakdown: only its column total is published.
 * `forced.grandTotal` hides the grand total from the start (the same number is hidden elsewhere).
 */
export function suppressTable(counts: readonly (readonly number[])[], forced: { grandTotal?: boolean } = {}): TableSuppression {
  const R = counts.length;
  const C = counts[0]?.length ?? 0;
  if (R === 0 || C === 0) throw new Error('suppressTable: empty table');
  if (C === 1) {
    const column = counts.map((r) => r[0]!);
    const line = suppressLine(
      column,
      column.reduce((a, v) => a + v, 0),
      { total: forced.grandTotal },
    );
    return {
      cells: line.parts.map((p) => [p]),
      rowTotals: [...line.parts],
      columnTotals: [line.total],
      grandTotal: line.total,
      ...(line.withheld ? { withheld: true } : {}),
    };
  }

  const e = extendTable(counts);
  const withheld = (): TableSuppression => {
    const all: Mark[][] = e.map((row) => row.map(() => 'complementary'));
    all[R]![C] = isSmallCount(e[R]![C]!) ? 'small' : forced.grandTotal ? 'complementary' : null;
    return splitMarks(all, true);
  };
  const m: Mark[][] = e.map((row) => row.map((v) => (isSmallCount(v) ? 'small' : null)));
  const guarded: boolean[][] = m.map((row) => row.map((x) => x === 'small'));
  if (forced.grandTotal) {
    guarded[R]![C] = true;
    if (!m[R]![C]) m[R]![C] = 'complementary';
  }

  const weight = (i: number, j: number): number => {
    const v = e[i]![j]!;
    const margins = (i === R ? 1 : 0) + (j === C ? 1 : 0);
    return margins === 0 ? v : margins === 1 ? 1e6 + v : 1e12 + v;
  };
  const available = (i: number, j: number) => !m[i]![j] && e[i]![j]! > 0;

  /** Hides the cheapest rectangle of entries through (i, j): a cycle of hidden entries. */
  const addRectangle = (i: number, j: number): boolean => {
    let best: { cost: number; corners: [number, number][] } | null = null;
    for (let k = 0; k <= R; k++) {
      if (k === i) continue;
      for (let l = 0; l <= C; l++) {
        if (l === j) continue;
        const corners: [number, number][] = [
          [i, l],
          [k, j],
          [k, l],
        ];
        let cost = 0;
        let fresh = 0;
        let ok = true;
        for (const [a, b] of corners) {
          if (m[a]![b]) continue;
          if (!available(a, b)) {
            ok = false;
            break;
          }
          cost += weight(a, b);
          fresh++;
        }
        if (ok && fresh > 0 && (!best || cost < best.cost)) best = { cost, corners: corners.filter(([a, b]) => !m[a]![b]) };
      }
    }
    if (!best) return false;
    for (const [a, b] of best.corners) m[a]![b] = 'complementary';
    return true;
  };

  const addCheapest = (entries: [number, number][]): boolean => {
    let best: [number, number] | null = null;
    for (const [a, b] of entries) if (available(a, b) && (!best || weight(a, b) < weight(best[0], best[1]))) best = [a, b];
    if (!best) return false;
    m[best[0]]![best[1]] = 'complementary';
    return true;
  };

  const rowEntries = (i: number): [number, number][] => e[i]!.map((_, j) => [i, j]);
  const colEntries = (j: number): [number, number][] => e.map((_, i) => [i, j]);
  const lines = [...e.map((_, i) => rowEntries(i)), ...e[0]!.map((_, j) => colEntries(j))];

  for (let guard = 0; guard < 10_000; guard++) {
    const exposedLine = lines.find((line) => line.filter(([a, b]) => m[a]![b]).length === 1);
    if (exposedLine) {
      const [a, b] = exposedLine.find(([x, y]) => m[x]![y])!;
      if (addRectangle(a, b) || addCheapest(exposedLine)) continue;
      return withheld();
    }
    const audit = auditTable(counts, splitMarks(m));
    let disclosed: [number, number] | null = null;
    for (let i = 0; i <= R && !disclosed; i++) {
      for (let j = 0; j <= C; j++) {
        const r = audit[i]![j];
        if (guarded[i]![j] && r && r.min === r.max) {
          disclosed = [i, j];
          break;
        }
      }
    }
    if (!disclosed) return splitMarks(m);
    const [a, b] = disclosed;
    const everything = e.flatMap((row, i) => row.map((_, j) => [i, j] as [number, number]));
    if (addRectangle(a, b) || addCheapest([...rowEntries(a), ...colEntries(b)]) || addCheapest(everything)) continue;
    return withheld();
  }
  return withheld();
}

/** Median-of-N timing: benchmarks report medians of at least 5 runs. */
export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: round(median), samples: samples.map(round) };
}

export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

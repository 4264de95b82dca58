/** Small timing helpers for the benchmarks: medians and percentiles of repeated runs. */

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Milliseconds of each of `runs` calls of `body` (after one warm-up call). */
export function timeRuns(runs: number, body: (run: number) => void): number[] {
  body(-1);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    body(run);
    times.push(performance.now() - started);
  }
  return times;
}

export function fixed(value: number, digits = 1): string {
  return value.toFixed(digits);
}

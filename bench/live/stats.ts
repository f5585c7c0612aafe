/** Latency statistics: exact quantiles of small samples, and a fixed-bucket histogram for many millions. */

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN };
}

const RESOLUTION = 10; // buckets per ms: 0.1 ms
const LIMIT_MS = 120_000;

/** Latencies in ms, 0.1 ms buckets up to 120 s (beyond: the last bucket). */
export class Histogram {
  private readonly counts = new Float64Array(LIMIT_MS * RESOLUTION + 1);
  count = 0;
  max = 0;

  add(ms: number, times = 1): void {
    const v = ms < 0 ? 0 : ms;
    const i = Math.min(this.counts.length - 1, Math.floor(v * RESOLUTION));
    this.counts[i]! += times;
    this.count += times;
    if (v > this.max) this.max = v;
  }

  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const target = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return Math.min((i + 1) / RESOLUTION, this.max);
    }
    return this.max;
  }

  summary(): Summary {
    return { count: this.count, p50: this.quantile(0.5), p90: this.quantile(0.9), p99: this.quantile(0.99), max: this.count ? this.max : Number.NaN };
  }
}

/** NaN crosses the IPC channel as null. */
export const fmtMs = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? "–" : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/**
 * Part 2 of bench:site: the lot page under a crowd. A visitor's first load of a lot page is server-rendered; while
 * thousands of watchers hold Socket.IO connections to that lot, the same process renders the page. This part loads
 * the page in a closed loop at rising concurrency, once with nobody watching and once with the crowd connected, and
 * gives loads/s and latency for each step. The honest comparison is the page with the crowd against the same page,
 * same server, same concurrency, without it.
 */
import { summarize, type Summary } from "../live/stats.ts";

export interface LoadStep {
  concurrency: number;
  loads: number;
  loadsPerSecond: number;
  latency: Summary;
  failures: number;
}

/** `concurrency` visitors each load `url` again as soon as the last load's body has arrived, for `ms`. */
export async function loadPage(url: string, concurrency: number, ms: number): Promise<LoadStep> {
  const times: number[] = [];
  let failures = 0;
  const started = performance.now();
  const until = started + ms;
  const visitor = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const response = await fetch(url, { headers: { "accept-language": "zh-CN" } });
      const body = await response.text();
      times.push(performance.now() - t0);
      // A page that is not the lot's (an error page) is a failure, however fast.
      if (response.status !== 200 || !body.includes('data-testid="price-panel"')) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, visitor));
  const elapsed = (performance.now() - started) / 1000;
  return { concurrency, loads: times.length, loadsPerSecond: times.length / elapsed, latency: summarize(times), failures };
}

/** Each step in turn (after one warm-up second at the highest concurrency). */
export async function loadSteps(url: string, concurrencies: number[], ms: number, log: (m: string) => void, label: string): Promise<LoadStep[]> {
  await loadPage(url, Math.max(...concurrencies), 1_000);
  const steps: LoadStep[] = [];
  for (const c of concurrencies) {
    const step = await loadPage(url, c, ms);
    log(`  ${label}, ${c} at a time: ${step.loadsPerSecond.toFixed(0)} loads/s, p50 ${step.latency.p50.toFixed(1)} / p99 ${step.latency.p99.toFixed(1)} ms${step.failures ? `, ${step.failures} failed` : ""}`);
    steps.push(step);
  }
  return steps;
}

/** The most loads/s among the steps whose p99 is under the limit and that had no failure (null if none). */
export function bestWithin(steps: LoadStep[], p99LimitMs: number): LoadStep | null {
  const fit = steps.filter((s) => s.latency.p99 < p99LimitMs && s.failures === 0);
  return fit.length ? fit.reduce((a, b) => (b.loadsPerSecond > a.loadsPerSecond ? b : a)) : null;
}

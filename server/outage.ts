import type { Logger } from "pino";
import { unavailableReason } from "../core/database-unavailable.ts";

/**
 * One outage of the database, told once: the first connection error is logged, the rest are counted,
 * and a probe every `probeMs` notices the return ("database back", with how long and how many errors),
 * then runs the `onRecovered` steps (catching up on jobs that came due meanwhile). Errors that are not
 * about reaching the database are not its business: `report` answers false and the caller logs them.
 */
/** Right after a restart, pooled connections to the old server still fail once each (57P01): not a new outage. */
const SETTLE_MS = 5_000;

export class DatabaseOutage {
  private since: number | null = null;
  private backAt = Number.NEGATIVE_INFINITY;
  private errors = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly recovered: (() => Promise<void>)[] = [];

  private readonly log: Logger;
  private readonly probe: () => Promise<unknown>;
  private readonly probeMs: number;

  constructor(log: Logger, probe: () => Promise<unknown>, probeMs = 1_000) {
    this.log = log;
    this.probe = probe;
    this.probeMs = probeMs;
  }

  get down(): boolean {
    return this.since !== null;
  }

  /** Runs after each outage, once the database answers again. */
  onRecovered(step: () => Promise<void>) {
    this.recovered.push(step);
  }

  /** True when `error` means the database is unreachable (then it belongs to the outage's single log line). */
  report(error: unknown, source: string): boolean {
    const reason = unavailableReason(error);
    if (reason === null) return false;
    this.errors++;
    if (this.since !== null || Date.now() - this.backAt < SETTLE_MS) return true;
    this.since = Date.now();
    this.errors = 1;
    // The reason only: driver errors carry their whole connection (and its settings) with them.
    this.log.error({ source, reason }, "database unreachable: pages and the API answer 503 until it is back");
    this.timer = setInterval(() => void this.check(), this.probeMs);
    this.timer.unref();
    return true;
  }

  private async check() {
    try {
      await this.probe();
    } catch {
      return;
    }
    if (this.since === null) return;
    this.log.warn({ downMs: Date.now() - this.since, errors: this.errors }, "database back");
    this.since = null;
    this.backAt = Date.now();
    this.stop();
    for (const step of this.recovered) {
      try {
        await step();
      } catch (error) {
        if (!this.report(error, "recovery")) this.log.error({ err: error }, "catching up after the outage failed");
      }
    }
  }

  private stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close() {
    this.stop();
  }
}

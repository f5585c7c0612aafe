// ADR 021: events that committed while another transaction held the audit chain are chained by the next transaction
// that takes it. In a quiet moment there may be none: this timer, on every node, chains what is left, so an event
// waits at most about a second for its place in the chain.
import type { Logger } from "pino";
import { chainPendingAudits } from "../core/audit.ts";
import type { Db } from "../db/client.ts";
import type { DatabaseOutage } from "./outage.ts";

const EVERY_MS = 1_000;

export function startAuditSweep(db: Db, log: Logger, outage: DatabaseOutage): { stop: () => void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    chainPendingAudits(db)
      .catch((error: unknown) => {
        if (!outage.report(error, "audit sweep")) log.error({ err: error }, "audit sweep failed");
      })
      .finally(() => (running = false));
  }, EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

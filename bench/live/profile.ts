/**
 * `--profile`: what the hot lot's row lock holder is doing. Every few ms, finds the transaction that
 * others wait for (pg_locks: an ungranted transactionid lock and its granted holder) and records the
 * holder's state: "idle in transaction" means PostgreSQL waits for the client (the Node process, its
 * event loop, the network) while holding the lock; "active" is PostgreSQL working (or waiting on WAL).
 */
import postgres from "postgres";

const HOLDER = `
select a.state, coalesce(a.wait_event_type, '') as wtype, coalesce(a.wait_event, '') as wevent,
       (select count(*) from pg_locks x where not x.granted and x.database is not distinct from w.database) as waiters
from pg_locks w
join pg_locks h on h.locktype = 'transactionid' and h.transactionid = w.transactionid and h.granted
join pg_stat_activity a on a.pid = h.pid
where w.locktype = 'transactionid' and not w.granted and a.datname = current_database()
limit 1`;

export interface HolderProfile {
  samples: number;
  /** Samples with nobody waiting on a transaction (no contention at that instant). */
  uncontended: number;
  /** Share of contended samples per holder state. */
  states: Record<string, number>;
  meanWaiters: number;
}

export async function sampleLockHolder(url: string, run: () => Promise<unknown>, everyMs = 4): Promise<HolderProfile> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const counts: Record<string, number> = {};
  let samples = 0;
  let uncontended = 0;
  let waiters = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const rows = (await sql.unsafe(HOLDER)) as unknown as { state: string; wtype: string; wevent: string; waiters: string }[];
      samples += 1;
      const row = rows[0];
      if (!row) uncontended += 1;
      else {
        const key = row.wtype ? `${row.state} (${row.wtype}: ${row.wevent})` : row.state;
        counts[key] = (counts[key] ?? 0) + 1;
        waiters += Number(row.waiters);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  try {
    await run();
  } finally {
    running = false;
    await sampler;
    await sql.end();
  }
  const contended = samples - uncontended;
  const states: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts).sort((a, b) => b[1] - a[1])) states[k] = v / Math.max(1, contended);
  return { samples, uncontended, states, meanWaiters: waiters / Math.max(1, contended) };
}

export const holderText = (p: HolderProfile) =>
  `${p.samples} samples, ${p.uncontended} without a waiter; lock holder: ` +
  Object.entries(p.states)
    .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
    .join(", ") +
  `; ${p.meanWaiters.toFixed(1)} waiting on average`;

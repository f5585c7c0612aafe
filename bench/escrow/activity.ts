/**
 * What the database's sessions are doing while something runs: every few ms, each other session of this database
 * that is in a transaction or running a statement is one sample of (state, wait event, statement). The shares say
 * which statement dominates, and whether sessions wait on a lock, on the WAL, or on their client.
 */
import postgres from "postgres";

const SAMPLE = `
select a.state, coalesce(a.wait_event_type || ': ' || a.wait_event, '') as wait, left(regexp_replace(a.query, '\\s+', ' ', 'g'), 90) as query
from pg_stat_activity a
where a.datname = current_database() and a.pid <> pg_backend_pid() and a.backend_type = 'client backend'
  and a.state in ('active', 'idle in transaction')`;

export interface ActivityProfile {
  samples: number;
  /** Share of all session-samples, by "state | wait | statement", largest first. */
  top: { what: string; share: number }[];
  /** Mean number of sessions busy (active or in a transaction) per sample. */
  meanBusy: number;
}

export function sampleActivity(url: string, everyMs = 10): { stop: () => Promise<ActivityProfile> } {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const counts = new Map<string, number>();
  let samples = 0;
  let busy = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = (await sql.unsafe(SAMPLE)) as unknown as { state: string; wait: string; query: string }[];
      samples += 1;
      busy += rows.length;
      for (const r of rows) {
        const key = `${r.state} | ${r.wait || "-"} | ${r.query}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await sql.end();
      const top = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([what, n]) => ({ what, share: n / Math.max(1, busy) }));
      return { samples, top, meanBusy: busy / Math.max(1, samples) };
    },
  };
}

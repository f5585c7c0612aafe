/** CPU use of the processes taking part, over an interval (Linux /proc): who was busy during a run. */
import { readdirSync, readFileSync } from "node:fs";
import { cpuMs } from "./procs.ts";

const TICK_MS = 10; // USER_HZ = 100

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The postmaster and its children (backends, walwriter, …), by parent pid. */
function clusterCpuMs(postmasterPid: number): number {
  let sum = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      if (pid === postmasterPid || Number(fields[1]) === postmasterPid) sum += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

export interface CpuShare {
  /** Percent of one core, per process name. */
  processes: Record<string, number>;
  /** Percent of the whole machine busy (every process, ours and others'). */
  machine: number;
}

export class Meter {
  private readonly pids: Record<string, number>;
  private readonly postmasterPid: number | null;

  constructor(pids: Record<string, number>, postmasterPid: number | null) {
    this.pids = pids;
    this.postmasterPid = postmasterPid;
  }

  private snapshot() {
    const per: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      try {
        per[name] = cpuMs(pid);
      } catch {
        per[name] = Number.NaN;
      }
    }
    if (this.postmasterPid !== null) per.postgres = clusterCpuMs(this.postmasterPid);
    return { at: performance.now(), per, machine: machineTicks() };
  }

  /** Runs `fn` and returns its result with the CPU shares during it. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; cpu: CpuShare }> {
    const before = this.snapshot();
    const result = await fn();
    const after = this.snapshot();
    const wall = after.at - before.at;
    const processes: Record<string, number> = {};
    for (const name of Object.keys(after.per)) processes[name] = ((after.per[name]! - before.per[name]!) / wall) * 100;
    const machine = ((after.machine.busy - before.machine.busy) / Math.max(1, after.machine.total - before.machine.total)) * 100;
    return { result, cpu: { processes, machine } };
  }
}

export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
  } catch {
    return null;
  }
}

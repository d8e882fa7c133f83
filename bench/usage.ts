import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Where a load's time goes, per request: the server thread's CPU, the CPU of every local
 * PostgreSQL process, and the statements the server sent. Figures that cannot be read here
 * (PostgreSQL on another machine, no /proc) are null.
 */
export interface Usage {
  serverCpuMs: number;
  postgresCpuMs: number | null;
  statements: number;
  /** The machine's CPU ticks so far, all and stolen by the hypervisor (/proc/stat); null elsewhere. */
  machineTicks: { total: number; steal: number } | null;
  /** The server thread's longest event-loop delay since the last reading, in ms. */
  serverLoopMaxMs: number;
}

export interface UsagePerRequest {
  serverCpuMs: number;
  postgresCpuMs: number | null;
  statements: number;
  /** Of the machine's CPU time during the load, the share the hypervisor gave elsewhere. */
  stealPercent: number | null;
  /** The server thread's longest event-loop delay during the load, in ms. */
  serverLoopMaxMs: number;
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time of every process named postgres on this machine, in ms, including backends that
 * have ended (the postmaster's reaped children); null where unreadable.
 */
export function postgresCpuMs(databaseUrl: string): number | null {
  const host = new URL(databaseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host)) return null;
  let ticks = 0;
  let found = false;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  for (const pid of entries) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
      // Fields after the command name: utime, stime, then cutime and cstime (ended children).
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      found = true;
    } catch {
      // the process ended while being read
    }
  }
  return found ? (ticks * 1000) / TICKS_PER_SECOND : null;
}

/** The machine's CPU ticks (all, and stolen), from the first line of /proc/stat. */
export function machineTicks(): { total: number; steal: number } | null {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const ticks = fields.slice(1, 9).map(Number);
    return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 };
  } catch {
    return null;
  }
}

export function perRequest(before: Usage, after: Usage, requests: number): UsagePerRequest {
  const per = (a: number, b: number) => (b - a) / Math.max(requests, 1);
  const ticks =
    before.machineTicks && after.machineTicks
      ? {
          total: after.machineTicks.total - before.machineTicks.total,
          steal: after.machineTicks.steal - before.machineTicks.steal,
        }
      : null;
  return {
    stealPercent: ticks && ticks.total > 0 ? (100 * ticks.steal) / ticks.total : null,
    serverLoopMaxMs: after.serverLoopMaxMs,
    serverCpuMs: per(before.serverCpuMs, after.serverCpuMs),
    postgresCpuMs:
      before.postgresCpuMs === null || after.postgresCpuMs === null
        ? null
        : per(before.postgresCpuMs, after.postgresCpuMs),
    statements: per(before.statements, after.statements),
  };
}

import { readFileSync } from 'node:fs';

/**
 * CPU time of threads and processes from Linux's /proc, for measuring where a box's CPU goes (bench:box): wall
 * time lies on a shared or loaded machine, CPU seconds do not. Linux only; elsewhere every reading is undefined.
 */

/** USER_HZ: /proc counts CPU time in clock ticks of 10 ms on every Linux this runs on. */
const TICK_MS = 10;

/** The calling thread's kernel thread id (a worker thread's own, not the process's); undefined off Linux. */
export function currentThreadId(): number | undefined {
  const stat = read('/proc/thread-self/stat');
  return stat === undefined ? undefined : Number(stat.slice(0, stat.indexOf(' ')));
}

/** User + system CPU milliseconds of one thread of a process so far. */
export function threadCpuMs(tid: number, pid = process.pid): number | undefined {
  return cpuMsOf(read(`/proc/${pid}/task/${tid}/stat`));
}

/** User + system CPU milliseconds of a whole process (all its threads) so far. */
export function processCpuMs(pid: number): number | undefined {
  return cpuMsOf(read(`/proc/${pid}/stat`));
}

/** utime + stime (fields 14 and 15) of a /proc stat line; the command name may hold spaces, so count after ")". */
export function cpuMsOf(stat: string | undefined): number | undefined {
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * TICK_MS : undefined;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // not Linux, or the thread or process ended
  }
}

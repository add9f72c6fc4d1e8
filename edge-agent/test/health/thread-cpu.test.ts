import { describe, expect, it } from 'vitest';
import { cpuMsOf, currentThreadId, processCpuMs, threadCpuMs } from '../../src/health/thread-cpu';

describe('thread CPU time from /proc', () => {
  it('reads utime + stime after the command name, even one with spaces and parentheses', () => {
    const line = '4242 (npm exec (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 137 25 0 0 20 0 11 0';
    expect(cpuMsOf(line)).toBe((137 + 25) * 10);
    expect(cpuMsOf(undefined)).toBeUndefined();
  });

  it("counts this thread's CPU, not the wall clock", () => {
    // The main thread's kernel id is the process id.
    expect(currentThreadId()).toBe(process.pid);
    const before = threadCpuMs(process.pid)!;
    const wallStart = Date.now();
    let x = 0;
    while (Date.now() - wallStart < 300) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    // Busy for 300 ms of wall time: some CPU time (less on a loaded machine), never more than the wall time.
    const used = threadCpuMs(process.pid)! - before;
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(Date.now() - wallStart + 20);
    expect(processCpuMs(process.pid)!).toBeGreaterThanOrEqual(threadCpuMs(process.pid)!);
    expect(threadCpuMs(process.pid, 999_999_999)).toBeUndefined();
  });
});

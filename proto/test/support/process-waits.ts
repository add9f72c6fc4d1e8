/**
 * Waiting on processes in tests that start real servers and agents (`pnpm cloud serve`, `pnpm edge run`). Import
 * from `@tally/proto/test-process`.
 */

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` every 200 ms until it gives a truthy value; fails naming `what` after `timeoutMs`. */
export async function waitUntil<T>(
  check: () => T | null | undefined | false,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

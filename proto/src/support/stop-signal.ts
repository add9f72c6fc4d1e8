/**
 * When a long-running command (`cloud serve`, `edge run`) should stop: SIGTERM, SIGINT, or its parent going away.
 * `pnpm cloud serve` and `pnpm edge run` run node under pnpm and a shell; a SIGTERM sent to pnpm alone (a
 * supervisor, `kill <pid>`) ends pnpm and the shell but never reaches node, which used to keep running with the
 * ports, the cameras and the data folder. An orphaned process (its parent pid changed) stops as if signalled. Listen
 * from the start, so a signal during start-up stops the process as soon as it is up.
 */
export function stopSignal(checkEveryMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const timer = setInterval(() => {
      if (process.ppid !== parent) done(`parent ${parent} exited`);
    }, checkEveryMs);
    timer.unref();
    const onTerm = () => done('SIGTERM');
    const onInt = () => done('SIGINT');
    const done = (why: string) => {
      clearInterval(timer);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolve(why);
    };
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
  });
}

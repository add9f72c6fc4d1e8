import { useEffect, useState } from 'react';

/** Milliseconds left until `untilMs`, re-rendered every second; stops ticking at zero. */
export function useCountdown(untilMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, untilMs - now);
  const over = left === 0;
  useEffect(() => {
    if (over) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [over]);
  return left;
}

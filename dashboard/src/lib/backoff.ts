/**
 * Reconnect delay after `attempt` failed tries: 1 s, 2 s, 4 s … capped at 30 s, with up to 20 % random jitter so
 * a cloud restart does not get every open dashboard back in the same instant.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.2 * random()));
}

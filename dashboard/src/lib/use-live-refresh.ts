import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLiveMessages } from './live-context';

/** At most one refetch per site this often, however fast counts arrive. */
const THROTTLE_MS = 2000;

/**
 * Keeps a page's queries about a site fresh from the live socket: any message about the site marks its queries
 * (keys starting `['site', siteId]`, and the `also` keys) stale and refetches the ones on screen, throttled per site.
 */
export function useLiveRefresh(siteIds: readonly string[] | 'all', also: readonly QueryKey[] = []): void {
  const queryClient = useQueryClient();
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((t) => clearTimeout(t));
  }, []);
  useLiveMessages((m) => {
    if (m.type === 'hello') return;
    if (siteIds !== 'all' && !siteIds.includes(m.siteId)) return;
    if (timers.current.has(m.siteId)) return;
    timers.current.set(
      m.siteId,
      setTimeout(() => {
        timers.current.delete(m.siteId);
        void queryClient.invalidateQueries({ queryKey: ['site', m.siteId] });
        for (const queryKey of also) void queryClient.invalidateQueries({ queryKey });
      }, THROTTLE_MS),
    );
  });
}

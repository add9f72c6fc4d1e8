import { useQueries, useQuery } from '@tanstack/react-query';
import type { Camera, Rule } from '@tally/proto';
import { useApi } from '../../../lib/api-context';

/** A line or zone an alert can watch, by the key counts and occupancy carry. */
export interface CountingRule {
  key: string;
  kind: 'line' | 'zone';
  label: string;
}

/**
 * The site's lines and zones (`GET /api/cameras?siteId=`, then each camera's rules), to pick what a count or
 * occupancy alert watches. Empty while loading or when they cannot be read: the form then offers "any".
 */
export function useCountingRules(siteId: string): CountingRule[] {
  const api = useApi();
  const cameras = useQuery({
    queryKey: ['site', siteId, 'cameras'],
    queryFn: () => api.json<Camera[]>('/cameras', { query: { siteId } }),
    staleTime: 60_000,
  });
  return useQueries({
    queries: (cameras.data ?? []).map((c) => ({
      queryKey: ['site', siteId, 'rules', c.id],
      queryFn: () => api.json<Rule[]>(`/cameras/${c.id}/rules`),
      staleTime: 60_000,
    })),
    combine: (results) => {
      const seen = new Map<string, CountingRule>();
      results.forEach((r, i) => {
        for (const rule of r.data ?? []) {
          if (!seen.has(rule.key))
            seen.set(rule.key, {
              key: rule.key,
              kind: rule.kind,
              label: `${rule.name} (${cameras.data![i]!.name})`,
            });
        }
      });
      return [...seen.values()];
    },
  });
}

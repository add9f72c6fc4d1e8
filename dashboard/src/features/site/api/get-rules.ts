import { useQueries } from '@tanstack/react-query';
import type { Camera, Rule } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/cameras/:cameraId/rules`: a camera's lines and zones. */
export const getRules = (api: ApiClient, cameraId: string) => api.json<Rule[]>(`/cameras/${cameraId}/rules`);

/** A counting rule as counts identify it: device, camera key and rule key, with its name and kind. */
export interface NamedRule {
  id: string;
  deviceId: string;
  cameraKey: string;
  cameraName: string;
  key: string;
  kind: 'line' | 'zone';
  name: string;
}

export const ruleIdentity = (deviceId: string, cameraKey: string, ruleKey: string) =>
  `${deviceId}/${cameraKey}/${ruleKey}`;

/** Every rule of the given cameras, named; `pending` until all have loaded. */
export function useSiteRules(siteId: string, cameras: Camera[] | undefined) {
  const api = useApi();
  return useQueries({
    queries: (cameras ?? []).map((c) => ({
      queryKey: ['site', siteId, 'rules', c.id],
      queryFn: () => getRules(api, c.id),
      staleTime: 60_000,
    })),
    combine: (results) => ({
      pending: cameras === undefined || results.some((r) => r.isPending),
      error: results.find((r) => r.isError)?.error ?? null,
      rules: results.flatMap((r, i) =>
        (r.data ?? []).map((rule): NamedRule => ({
          id: ruleIdentity(cameras![i]!.deviceId, cameras![i]!.key, rule.key),
          deviceId: cameras![i]!.deviceId,
          cameraKey: cameras![i]!.key,
          cameraName: cameras![i]!.name,
          key: rule.key,
          kind: rule.kind,
          name: rule.name,
        })),
      ),
    }),
  });
}

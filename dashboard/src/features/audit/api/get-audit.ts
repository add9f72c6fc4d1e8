import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditEntry, AuditFilter } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditPage {
  entries: AuditEntry[];
  /** The `before` of the next (older) page, or null on the last page. */
  next: number | null;
}

/**
 * `GET /api/audit`: one page of the filtered log, newest first. Asks for one entry more than it shows, to know
 * whether an older page exists without reading the response headers.
 */
export async function getAuditPage(
  api: ApiClient,
  filter: AuditFilter,
  before: number | undefined,
): Promise<AuditPage> {
  const rows = await api.json<AuditEntry[]>('/audit', {
    query: { ...filter, limit: AUDIT_PAGE_SIZE + 1, before },
  });
  const entries = rows.slice(0, AUDIT_PAGE_SIZE);
  return { entries, next: rows.length > AUDIT_PAGE_SIZE ? entries[entries.length - 1]!.id : null };
}

export const auditQuery = (api: ApiClient, filter: AuditFilter, before: number | undefined) =>
  queryOptions({
    queryKey: ['audit', filter, before ?? null],
    queryFn: () => getAuditPage(api, filter, before),
    placeholderData: keepPreviousData,
  });

export function useAuditPage(filter: AuditFilter, before: number | undefined) {
  return useQuery(auditQuery(useApi(), filter, before));
}

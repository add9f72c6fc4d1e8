import { useMutation } from '@tanstack/react-query';
import type { CountsQuery } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

export type ExportFormat = 'csv' | 'json';

/** `GET /api/sites/:siteId/analytics/export`: the same query as the chart, as a file (the cloud audits it). */
export const exportCounts = (api: ApiClient, siteId: string, query: CountsQuery, format: ExportFormat) =>
  api.text(`/sites/${siteId}/analytics/export`, { query: { ...query, format } });

/** Hands the text to the browser as a download (through a temporary object URL). */
function download(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useExportCounts(siteId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async ({ query, format }: { query: CountsQuery; format: ExportFormat }) => {
      const text = await exportCounts(api, siteId, query, format);
      const name = `tally-${siteId}-${query.bucket ?? 'hour'}-${query.from.slice(0, 10)}.${format}`;
      download(text, name, format === 'csv' ? 'text/csv' : 'application/json');
    },
  });
}

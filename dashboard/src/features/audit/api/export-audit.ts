import { useMutation } from '@tanstack/react-query';
import type { AuditFilter } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

/** `GET /api/audit/export`: every entry matching the filter as CSV, built and escaped by the cloud (audited). */
export const exportAudit = (api: ApiClient, filter: AuditFilter) =>
  api.text('/audit/export', { query: { ...filter } });

/** Hands the text to the browser as a download (through a temporary object URL). */
function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useExportAudit() {
  const api = useApi();
  return useMutation({
    mutationFn: async (filter: AuditFilter) => {
      const text = await exportAudit(api, filter);
      download(text, `tally-audit-${new Date().toISOString().slice(0, 10)}.csv`);
      return text.split('\r\n').filter(Boolean).length - 1;
    },
  });
}

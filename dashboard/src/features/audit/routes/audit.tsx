import { ChevronLeft, ChevronRight, Download } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Forbidden } from '../../../components/forbidden';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { useSession } from '../../../lib/api-context';
import { may } from '../../../lib/permissions';
import { useExportAudit } from '../api/export-audit';
import { useActors } from '../api/get-actors';
import { useAuditPage } from '../api/get-audit';
import { fieldsFromParams, fieldsToParams, toApiFilter } from '../components/audit-filter';
import { AuditFiltersForm } from '../components/audit-filters-form';
import { AuditTable } from '../components/audit-table';

/** `/audit` (owners and admins): who did what, filtered by user, action, target and time; paged; CSV export. */
export function AuditRoute() {
  const { user } = useSession();
  if (!may(user, 'audit.read')) return <Forbidden what="the audit log" />;
  return <AuditPage />;
}

function AuditPage() {
  const [params, setParams] = useSearchParams();
  const fields = useMemo(() => fieldsFromParams(params), [params]);
  const filter = useMemo(() => toApiFilter(fields), [fields]);
  // The cursors of the pages before this one (newest first); empty on the first page.
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors[cursors.length - 1];
  const page = useAuditPage(filter, before);
  const actors = useActors();
  const exporter = useExportAudit();

  const filtered = Object.keys(filter).length > 0;
  return (
    <section className="page">
      <div className="section-head">
        <h1>Audit log</h1>
        <button
          type="button"
          className="button"
          disabled={exporter.isPending}
          onClick={() => exporter.mutate(filter)}
        >
          <Download size={16} aria-hidden /> {filtered ? 'Export filtered CSV' : 'Export CSV'}
        </button>
      </div>
      {exporter.isError && <ErrorState error={exporter.error} />}
      {exporter.isSuccess && (
        <p role="status" data-testid="export-done">
          Exported {exporter.data} {exporter.data === 1 ? 'entry' : 'entries'}.
        </p>
      )}
      <AuditFiltersForm
        value={fields}
        users={actors.data ?? []}
        onApply={(f) => {
          setCursors([]);
          exporter.reset();
          setParams(fieldsToParams(f));
        }}
      />
      {page.isPending ? (
        <Loading label="Loading the audit log…" />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} />
      ) : page.data.entries.length === 0 ? (
        <EmptyState>
          {filtered ? 'No entries match these filters.' : 'Nothing has been recorded yet.'}
        </EmptyState>
      ) : (
        <>
          <AuditTable entries={page.data.entries} users={actors.data ?? []} />
          <nav className="buttons pager" aria-label="Pages">
            <button
              type="button"
              className="button small"
              disabled={cursors.length === 0 || page.isFetching}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              <ChevronLeft size={14} aria-hidden /> Newer
            </button>
            <span className="muted">Page {cursors.length + 1}</span>
            <button
              type="button"
              className="button small"
              disabled={page.data.next === null || page.isFetching}
              onClick={() => page.data.next !== null && setCursors([...cursors, page.data.next])}
            >
              Older <ChevronRight size={14} aria-hidden />
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

import { Link, useParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { useSession } from '../../../lib/api-context';
import { may } from '../../../lib/permissions';
import { useLiveRefresh } from '../../../lib/use-live-refresh';
import { useAcknowledgeAlert } from '../api/acknowledge-alert';
import { useAlerts } from '../api/get-alerts';
import { useSite } from '../../../lib/api/get-site';
import { AlertsTable, type ShownAlert } from '../components/alerts-table';

/**
 * Whether the cloud records acknowledgements: its alerts then carry `acknowledged` (null until acknowledged). An
 * older cloud without it gets no button, rather than one that fails.
 */
const supportsAcknowledge = (a: ShownAlert) => 'acknowledged' in a;

/** `/sites/:siteId/alerts`: open alerts first, then past ones; site managers and up acknowledge. */
export function AlertsRoute() {
  const { siteId = '' } = useParams();
  const site = useSite(siteId);
  const alerts = useAlerts(siteId);
  const ack = useAcknowledgeAlert(siteId);
  const { user } = useSession();
  useLiveRefresh([siteId]);

  if (site.isPending || alerts.isPending) return <Loading label="Loading alerts…" />;
  const failed = site.error ?? alerts.error;
  if (failed) return <ErrorState error={failed} onRetry={() => void alerts.refetch()} />;
  const list = (alerts.data ?? []) as ShownAlert[];
  const open = list.filter((a) => a.state === 'firing');
  const past = list.filter((a) => a.state !== 'firing');
  const table = (rows: ShownAlert[], caption: string) => (
    <AlertsTable
      alerts={rows}
      timezone={site.data!.timezone}
      canAcknowledge={may(user, 'alert.ack') && rows.every(supportsAcknowledge)}
      onAcknowledge={(id) => ack.mutate(id)}
      pendingId={ack.isPending ? (ack.variables ?? null) : null}
      caption={caption}
    />
  );
  return (
    <section className="page">
      <h1>Alerts · {site.data!.name}</h1>
      <p className="muted">
        <Link to={`/sites/${siteId}/alert-rules`}>Alert rules</Link>: what raises these alerts and where they
        are sent.
      </p>
      {ack.isError && <ErrorState error={ack.error} />}
      <section className="section" aria-labelledby="open-heading">
        <h2 id="open-heading">Open</h2>
        {open.length === 0 ? <EmptyState>No open alerts.</EmptyState> : table(open, 'Open alerts')}
      </section>
      <section className="section" aria-labelledby="past-heading">
        <h2 id="past-heading">Past</h2>
        {past.length === 0 ? <EmptyState>No past alerts.</EmptyState> : table(past, 'Past alerts')}
      </section>
    </section>
  );
}

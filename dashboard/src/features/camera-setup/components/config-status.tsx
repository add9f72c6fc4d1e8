import { CheckCircle2, Clock, History, XCircle } from 'lucide-react';
import { formatAge } from '../../../lib/format';
import type { ConfigVersion } from '../api/get-config-versions';
import { useRestoreVersion } from '../api/restore-version';

const LABEL: Record<ConfigVersion['status'], string> = {
  pending: 'pending: waiting for the device',
  applied: 'applied',
  rejected: 'rejected',
  superseded: 'replaced before the device answered',
};

/**
 * The device's config versions: the newest with its state (pending → applied, or rejected with the device's
 * message), and the earlier ones, each of which can be restored as a new version.
 */
export function ConfigStatus({
  deviceId,
  versions,
  canRestore,
}: {
  deviceId: string;
  versions: ConfigVersion[];
  canRestore: boolean;
}) {
  const restore = useRestoreVersion(deviceId);
  const [latest, ...earlier] = versions;
  if (!latest) return <p className="muted">No configuration sent to this device yet.</p>;
  return (
    <section className="section config-status" aria-label="Configuration versions">
      <p className={`config-latest ${latest.status}`} data-testid="config-latest" role="status">
        <StatusIcon status={latest.status} /> Version {latest.version}: {LABEL[latest.status]}
      </p>
      {latest.status === 'rejected' && latest.errors && (
        <ul className="field-error" data-testid="config-errors">
          {latest.errors.map((e, i) => (
            <li key={i}>
              {e.message}
              {e.path ? <span className="muted"> ({e.path})</span> : null}
            </li>
          ))}
        </ul>
      )}
      {restore.isError && (
        <p className="field-error" role="alert">
          Could not restore: {restore.error.message}
        </p>
      )}
      {restore.isSuccess && (
        <p className="notice">
          Restored version {restore.data.restoredFrom} as version {restore.data.config.version}.
        </p>
      )}
      {earlier.length > 0 && (
        <details>
          <summary>Earlier versions</summary>
          <ul className="version-list">
            {earlier.slice(0, 10).map((v) => (
              <li key={v.version}>
                <StatusIcon status={v.status} /> Version {v.version} · {LABEL[v.status]} ·{' '}
                <span className="muted">{formatAge(Date.parse(v.createdAt))} ago</span>{' '}
                {canRestore && v.status !== 'rejected' && (
                  <button
                    type="button"
                    className="button small"
                    disabled={restore.isPending}
                    onClick={() => restore.mutate(v.version)}
                  >
                    <History size={14} aria-hidden /> Restore version {v.version}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function StatusIcon({ status }: { status: ConfigVersion['status'] }) {
  if (status === 'applied') return <CheckCircle2 size={16} aria-hidden className="ok" />;
  if (status === 'rejected') return <XCircle size={16} aria-hidden className="bad" />;
  return <Clock size={16} aria-hidden />;
}

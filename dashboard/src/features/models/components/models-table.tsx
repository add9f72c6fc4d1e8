import type { Model } from '@tally/proto';
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { EmptyState } from '../../../components/states';
import { formatCount, formatInZone } from '../../../lib/format';

/** The catalogue: name, version, layout, size and sha256 of each model; delete after a confirmation naming it. */
export function ModelsTable({
  models,
  onDelete,
  deleting,
}: {
  models: Model[];
  onDelete: (id: string) => void;
  deleting: string | null;
}) {
  const [asking, setAsking] = useState<string | null>(null);
  if (models.length === 0)
    return <EmptyState>No models uploaded yet: the boxes run their default model.</EmptyState>;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Models">
      <table>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Key</th>
            <th scope="col">Layout</th>
            <th scope="col">Size</th>
            <th scope="col">sha256</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id} data-testid={`model-${m.key}`}>
              <td>
                {m.name} <span className="muted">{m.version}</span>
              </td>
              <td className="mono">{m.key}</td>
              <td>{m.layout}</td>
              <td>{m.sizeBytes === null ? 'no file yet' : `${formatCount(m.sizeBytes)} B`}</td>
              <td className="mono" title={m.sha256 ?? ''}>
                {m.sha256 ? `${m.sha256.slice(0, 12)}…` : '—'}
              </td>
              <td>{formatInZone(Date.parse(m.createdAt), zone, 'd MMM yyyy')}</td>
              <td>
                {asking === m.id ? (
                  <span className="buttons">
                    <button
                      type="button"
                      className="button small danger"
                      disabled={deleting === m.id}
                      onClick={() => onDelete(m.id)}
                    >
                      Delete {m.name} {m.version}
                    </button>
                    <button type="button" className="button small" onClick={() => setAsking(null)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete ${m.name} ${m.version}`}
                    onClick={() => setAsking(m.id)}
                  >
                    <Trash2 size={16} aria-hidden />
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

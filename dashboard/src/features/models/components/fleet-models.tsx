import type { Camera, Device, Model } from '@tally/proto';
import { useState } from 'react';
import { EmptyState } from '../../../components/states';

const DEFAULT = '';

function ModelSelect({
  label,
  value,
  models,
  onChange,
  disabled,
  mixed,
}: {
  label: string;
  value: string;
  models: Model[];
  onChange: (modelId: string | null) => void;
  disabled: boolean;
  mixed?: boolean;
}) {
  return (
    <select
      aria-label={label}
      value={mixed ? 'mixed' : value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value === DEFAULT ? null : e.target.value)}
    >
      {mixed && (
        <option value="mixed" disabled>
          (cameras differ)
        </option>
      )}
      <option value={DEFAULT}>Box default</option>
      {models.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name} {m.version}
        </option>
      ))}
    </select>
  );
}

/**
 * Each box: the model its latest heartbeat says it runs and its config state (a new assignment is pending until
 * the box applies it); assign a model to the whole box (all its cameras) or to one camera.
 */
export function FleetModels({
  devices,
  cameras,
  models,
  onAssign,
  pending,
}: {
  devices: Device[];
  cameras: Camera[];
  models: Model[];
  onAssign: (cameraIds: string[], modelId: string | null) => void;
  pending: boolean;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const usable = models.filter((m) => m.sha256);
  const live = devices.filter((d) => !d.revoked);
  if (live.length === 0)
    return <EmptyState>No boxes yet: provision one from a site's Devices page.</EmptyState>;
  return (
    <ul className="code-list">
      {live.map((d) => {
        const own = cameras.filter((c) => c.deviceId === d.id);
        const assigned = new Set(own.map((c) => c.modelId ?? DEFAULT));
        const [only] = [...assigned];
        return (
          <li key={d.id} className="card fleet-device" data-testid={`fleet-${d.id}`}>
            <div>
              <strong>{d.name}</strong>
              <div className="muted">
                runs{' '}
                <span data-testid="running-model">
                  {d.health?.modelVersion ?? (d.health ? 'default model' : 'unknown (no heartbeat yet)')}
                </span>
                {' · '}config{' '}
                {d.config.status === 'none' ? 'none' : `v${d.config.version} ${d.config.status}`}
              </div>
            </div>
            {own.length === 0 ? (
              <span className="muted">no cameras</span>
            ) : (
              <div className="buttons">
                <ModelSelect
                  label={`Model for all cameras of ${d.name}`}
                  value={only ?? DEFAULT}
                  mixed={assigned.size > 1}
                  models={usable}
                  disabled={pending}
                  onChange={(m) =>
                    onAssign(
                      own.map((c) => c.id),
                      m,
                    )
                  }
                />
                <button
                  type="button"
                  className="button small"
                  onClick={() => setOpen(open === d.id ? null : d.id)}
                >
                  {open === d.id ? 'Hide cameras' : `Per camera (${own.length})`}
                </button>
              </div>
            )}
            {open === d.id && (
              <ul className="camera-models">
                {own.map((c) => (
                  <li key={c.id}>
                    <span>{c.name}</span>
                    <ModelSelect
                      label={`Model for camera ${c.name}`}
                      value={c.modelId ?? DEFAULT}
                      models={usable}
                      disabled={pending}
                      onChange={(m) => onAssign([c.id], m)}
                    />
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}

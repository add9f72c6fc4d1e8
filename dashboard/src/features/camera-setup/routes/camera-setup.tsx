import { DEFAULT_CLASSES, type Camera, type Device } from '@tally/proto';
import { useEffect, useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, ForbiddenState, Loading } from '../../../components/states';
import { useSession } from '../../../lib/api-context';
import { useSite } from '../../../lib/api/get-site';
import { may } from '../../../lib/permissions';
import { useDeviceCameras } from '../api/get-cameras';
import { useConfigVersions } from '../api/get-config-versions';
import { useSetupDevices } from '../api/get-devices';
import { useCameraRules } from '../api/get-rules';
import { useSnapshot } from '../api/get-snapshot';
import { useSaveRules } from '../api/save-rules';
import { AddCameraForm } from '../components/add-camera-form';
import { CameraSourceForm } from '../components/camera-source-form';
import { ConfigStatus } from '../components/config-status';
import { RuleEditor } from '../components/rule-editor';
import { SnapshotControls } from '../components/snapshot-controls';
import { fromApiRule } from '../geometry/draft-rule';
import type { Size } from '../geometry/viewport';
import '../camera-setup.css';

/**
 * `/sites/:siteId/camera-setup?device=…&camera=…`: an installer's page for one camera: a fresh snapshot, the lines and
 * zones drawn on it, the device's answer to each saved version, and the camera's source. Installers, site
 * managers and admins; other roles get a forbidden state (the API refuses them too).
 */
export function CameraSetupRoute() {
  const { siteId = '' } = useParams();
  const { user } = useSession();
  const allowed = may(user, 'camera.setup');
  const site = useSite(siteId);
  const devices = useSetupDevices(allowed ? siteId : '');
  if (!allowed) {
    return (
      <section className="page">
        <h1>Camera setup</h1>
        <ForbiddenState>
          Your role ({user?.role ?? 'unknown'}) cannot set up cameras. Ask an installer, a site manager or an
          admin.
        </ForbiddenState>
      </section>
    );
  }
  if (site.isPending || devices.isPending) return <Loading label="Loading devices…" />;
  const failed = site.error ?? devices.error;
  if (failed) return <ErrorState error={failed} onRetry={() => void devices.refetch()} />;
  return (
    <section className="page camera-setup">
      <h1>Camera setup · {site.data!.name}</h1>
      {devices.data!.length === 0 ? (
        <EmptyState>No devices on this site yet: provision one first (Devices).</EmptyState>
      ) : (
        <Picker devices={devices.data!} />
      )}
    </section>
  );
}

function Picker({ devices }: { devices: Device[] }) {
  const [params, setParams] = useSearchParams();
  const deviceId = devices.some((d) => d.id === params.get('device'))
    ? params.get('device')!
    : devices[0]!.id;
  const cameras = useDeviceCameras(deviceId);
  const cameraKey = params.get('camera') ?? '';
  const camera = cameras.data?.find((c) => c.key === cameraKey) ?? cameras.data?.[0];
  const pick = (next: { device?: string; camera?: string }) =>
    setParams(
      (p) => {
        const q = new URLSearchParams(p);
        if (next.device !== undefined) {
          q.set('device', next.device);
          q.delete('camera');
        }
        if (next.camera !== undefined) q.set('camera', next.camera);
        return q;
      },
      { replace: true },
    );
  return (
    <>
      <div className="controls pickers">
        <label>
          Device
          <select value={deviceId} onChange={(e) => pick({ device: e.target.value })}>
            {devices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.status})
              </option>
            ))}
          </select>
        </label>
        {cameras.data && cameras.data.length > 0 && (
          <label>
            Camera
            <select value={camera?.key ?? ''} onChange={(e) => pick({ camera: e.target.value })}>
              {cameras.data.map((c) => (
                <option key={c.id} value={c.key}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {cameras.data && (
        <details className="section" open={cameras.data.length === 0}>
          <summary>Add a camera to this box</summary>
          <AddCameraForm
            deviceId={deviceId}
            taken={cameras.data.map((c) => c.key)}
            onAdded={(added) => pick({ camera: added.key })}
          />
        </details>
      )}
      {cameras.isPending ? (
        <Loading label="Loading cameras…" />
      ) : cameras.isError ? (
        <ErrorState error={cameras.error} onRetry={() => void cameras.refetch()} />
      ) : !camera ? (
        <EmptyState>This device has no camera yet: add one above.</EmptyState>
      ) : (
        <CameraSetup key={camera.id} camera={camera} />
      )}
    </>
  );
}

function CameraSetup({ camera }: { camera: Camera }) {
  const rules = useCameraRules(camera.id);
  const versions = useConfigVersions(camera.deviceId);
  const snapshot = useSnapshot(camera.deviceId, camera.key);
  const save = useSaveRules(camera.id, camera.deviceId);
  const imageUrl = useObjectUrl(snapshot.data?.blob ?? null);
  const frame = useImageSize(imageUrl, camera.setup.inputSize);
  const classOptions = useMemo(() => [...new Set([...DEFAULT_CLASSES, ...camera.setup.classes])], [camera]);
  const { user } = useSession();
  return (
    <div className="setup-grid">
      <div>
        <SnapshotControls
          deviceId={camera.deviceId}
          cameraKey={camera.key}
          takenAt={snapshot.data?.takenAt ?? null}
          hasSnapshot={Boolean(snapshot.data)}
        />
        {snapshot.isError && <ErrorState error={snapshot.error} onRetry={() => void snapshot.refetch()} />}
        {rules.isPending ? (
          <Loading label="Loading lines and zones…" />
        ) : rules.isError ? (
          <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
        ) : (
          <RuleEditor
            key={rules.dataUpdatedAt}
            initial={rules.data.map(fromApiRule)}
            imageUrl={imageUrl}
            frame={frame}
            classOptions={classOptions}
            defaultClasses={camera.setup.classes.includes('person') ? ['person'] : []}
            saving={save.isPending}
            onSave={(drafts) => save.mutate({ rules: drafts })}
          />
        )}
        {save.isError && (
          <p className="field-error" role="alert">
            Not saved: {save.error.message}
          </p>
        )}
        {save.isSuccess && <p className="muted">Saved as version {save.data.config.version}.</p>}
      </div>
      <div>
        <h2>Device configuration</h2>
        {versions.isPending ? (
          <Loading label="Loading versions…" />
        ) : versions.isError ? (
          <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />
        ) : (
          <ConfigStatus
            deviceId={camera.deviceId}
            versions={versions.data}
            canRestore={may(user, 'camera.setup')}
          />
        )}
        <h2>Camera source</h2>
        <CameraSourceForm camera={camera} classOptions={DEFAULT_CLASSES} />
      </div>
    </div>
  );
}

/** An object URL for the snapshot's bytes, revoked when it changes or the page closes. */
function useObjectUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob || typeof URL.createObjectURL !== 'function') return setUrl(null);
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}

/** The snapshot's own pixel size once it has loaded (what the box decodes), else the camera's input size. */
function useImageSize(url: string | null, fallback: Size): Size {
  const [size, setSize] = useState<Size | null>(null);
  useEffect(() => {
    setSize(null);
    if (!url) return;
    const img = new Image();
    img.onload = () =>
      img.naturalWidth > 0 && setSize({ width: img.naturalWidth, height: img.naturalHeight });
    img.src = url;
  }, [url]);
  return size ?? fallback;
}

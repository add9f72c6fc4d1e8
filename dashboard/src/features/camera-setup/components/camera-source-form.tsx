import { Save } from 'lucide-react';
import { useForm } from 'react-hook-form';
import type { Camera } from '@tally/proto';
import { useUpdateCamera } from '../api/update-camera';
import {
  formValuesOf,
  isMaskedUrl,
  setupPatch,
  sourceFormIssues,
  type SourceFormValues,
} from './source-patch';

/**
 * The camera's source and detection settings. The URL field shows what the API returns (its password masked);
 * the URL is sent only when it was changed, so the stored password is never overwritten with the mask.
 */
export function CameraSourceForm({
  camera,
  classOptions,
}: {
  camera: Camera;
  classOptions: readonly string[];
}) {
  const initial = formValuesOf(camera.setup);
  const { register, handleSubmit, formState, setError, reset } = useForm<SourceFormValues>({
    defaultValues: initial,
  });
  const update = useUpdateCamera(camera.id, camera.deviceId);
  const submit = handleSubmit((values) => {
    const issues = sourceFormIssues(camera.setup, values);
    const entries = Object.entries(issues) as [keyof SourceFormValues, string][];
    if (entries.length > 0) {
      entries.forEach(([field, message]) => setError(field, { message }));
      return;
    }
    update.mutate(setupPatch(camera.setup, values), { onSuccess: () => reset(values) });
  });
  const options = [...new Set([...classOptions, ...camera.setup.classes])];
  return (
    <form className="form source-form" onSubmit={submit} noValidate aria-label="Camera source">
      <label>
        Camera URL
        <input
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          {...register('url')}
          aria-describedby="url-help"
        />
      </label>
      <p id="url-help" className="muted">
        {isMaskedUrl(initial.url)
          ? 'The password is hidden (***). Leave the URL as it is to keep it, or type the whole URL to change it.'
          : 'rtsp://…, http(s)://…, /dev/video0 or a video file path.'}
      </p>
      {formState.errors.url && <p className="field-error">{formState.errors.url.message}</p>}
      <label>
        Detections per second (empty: every frame, up to {camera.setup.fps})
        <input type="number" inputMode="decimal" min={0} step="any" {...register('detectFps')} />
      </label>
      {formState.errors.detectFps && <p className="field-error">{formState.errors.detectFps.message}</p>}
      <fieldset className="classes">
        <legend>Classes detected</legend>
        {options.map((c) => (
          <label key={c} className="check">
            <input type="checkbox" value={c} {...register('classes')} /> {c}
          </label>
        ))}
      </fieldset>
      {formState.errors.classes && <p className="field-error">{formState.errors.classes.message}</p>}
      <label className="check">
        <input type="checkbox" {...register('motionGating')} /> Skip detection while nothing moves (saves
        power)
      </label>
      {update.isError && (
        <p className="field-error" role="alert">
          {update.error.message}
        </p>
      )}
      {update.isSuccess && <p role="status">Saved as version {update.data.config.version}.</p>}
      <button type="submit" className="button primary" disabled={update.isPending}>
        <Save size={16} aria-hidden /> Save camera settings
      </button>
    </form>
  );
}

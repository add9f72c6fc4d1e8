import { DEFAULT_CLASSES, type Camera } from '@tally/proto';
import { useForm } from 'react-hook-form';
import { useCreateCamera } from '../api/create-camera';
import { cameraKeyFor } from './camera-key';

interface Fields {
  name: string;
  url: string;
  fps: string;
  width: string;
  height: string;
  person: boolean;
  vehicles: boolean;
}

const SOURCE_HINT =
  'rtsp://user:password@192.168.1.20/stream1, http(s)://…, /dev/video0 or a video file path';

/**
 * A new camera on the box: a name, the stream's URL, the rate to process and the picture size the box decodes at.
 * Lines and zones are drawn on its snapshot once the box has it.
 */
export function AddCameraForm({
  deviceId,
  taken,
  onAdded,
}: {
  deviceId: string;
  taken: readonly string[];
  onAdded: (camera: Camera) => void;
}) {
  const { register, handleSubmit, formState } = useForm<Fields>({
    defaultValues: {
      name: '',
      url: '',
      fps: '10',
      width: '1280',
      height: '720',
      person: true,
      vehicles: false,
    },
  });
  const create = useCreateCamera(deviceId);
  const submit = handleSubmit((f) => {
    const classes = [
      ...(f.person ? ['person'] : []),
      ...(f.vehicles ? DEFAULT_CLASSES.filter((c) => c !== 'person') : []),
    ];
    create.mutate(
      {
        key: cameraKeyFor(f.name, taken),
        name: f.name.trim(),
        setup: {
          source: { url: f.url.trim() },
          fps: Number(f.fps),
          inputSize: { width: Number(f.width), height: Number(f.height) },
          classes: classes.length > 0 ? classes : ['person'],
          scoreThreshold: 0.3,
        },
      },
      { onSuccess: (r) => onAdded(r.camera) },
    );
  });
  const error = (field: keyof Fields) =>
    formState.errors[field] && <p className="field-error">{formState.errors[field]?.message}</p>;
  const whole = (min: number, max: number, what: string) => ({
    validate: (v: string) =>
      (Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max) || `${what}: ${min} to ${max}`,
  });
  return (
    <form className="form add-camera" onSubmit={submit} noValidate aria-label="Add camera">
      <label>
        Camera name
        <input
          aria-invalid={Boolean(formState.errors.name)}
          {...register('name', {
            validate: (v) => v.trim().length > 0 || 'name the camera, e.g. Front door',
          })}
        />
      </label>
      {error('name')}
      <label>
        Stream URL
        <input
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="rtsp://user:password@192.168.1.20/stream1"
          aria-invalid={Boolean(formState.errors.url)}
          {...register('url', {
            validate: (v) => v.trim().length > 0 || `enter the camera's URL: ${SOURCE_HINT}`,
          })}
        />
      </label>
      {error('url')}
      <div className="controls">
        <label>
          Frames per second
          <input
            inputMode="decimal"
            {...register('fps', {
              validate: (v) => (Number(v) > 0 && Number(v) <= 60) || 'frames per second: above 0, at most 60',
            })}
          />
        </label>
        <label>
          Width
          <input inputMode="numeric" {...register('width', whole(32, 7680, 'width'))} />
        </label>
        <label>
          Height
          <input inputMode="numeric" {...register('height', whole(32, 4320, 'height'))} />
        </label>
      </div>
      {error('fps')}
      {error('width')}
      {error('height')}
      <p className="muted">The box scales the stream to this size; use the camera&apos;s own resolution.</p>
      <fieldset className="controls">
        <legend>Count</legend>
        <label>
          <input type="checkbox" {...register('person')} /> People
        </label>
        <label>
          <input type="checkbox" {...register('vehicles')} /> Vehicles and bicycles
        </label>
      </fieldset>
      {create.isError && (
        <p className="field-error" role="alert">
          {create.error.message}
        </p>
      )}
      <button type="submit" className="button primary" disabled={create.isPending}>
        {create.isPending ? 'Adding…' : 'Add camera'}
      </button>
    </form>
  );
}

import type { Model, ModelLayout } from '@tally/proto';
import { CheckCircle2, Upload } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { formatCount } from '../../../lib/format';
import { useUploadModel, type UploadProgress } from '../api/upload-model';

interface Fields {
  file: FileList;
  name: string;
  key: string;
  version: string;
  layout: ModelLayout;
  classNames: string;
}

/** A model key from a file name: "yolox_nano-v2.onnx" → "yolox-nano-v2" (the catalogue's key pattern). */
export function keyFromFileName(name: string): string {
  return name
    .replace(/\.onnx$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

const MB = 1024 * 1024;
const megabytes = (n: number) => `${(n / MB).toFixed(1)} MB`;

/** Upload an ONNX model: its metadata, then the file with a progress bar; the sha256 the cloud computed shown. */
export function UploadForm() {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const upload = useUploadModel(setProgress);
  const form = useForm<Fields>({ defaultValues: { layout: 'yolox', version: '1', classNames: '' } });
  const { errors } = form.formState;
  const submit = form.handleSubmit((v) => {
    const file = v.file[0]!;
    setProgress({ loaded: 0, total: file.size });
    const classNames = v.classNames
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    upload.mutate({
      file,
      body: {
        key: v.key.trim(),
        name: v.name.trim(),
        version: v.version.trim(),
        layout: v.layout,
        ...(classNames.length ? { classNames } : {}),
      },
    });
  });
  const done: Model | undefined = upload.data?.model;
  const pct = progress && progress.total > 0 ? Math.round((100 * progress.loaded) / progress.total) : 0;
  return (
    <form className="form upload-form" aria-label="Upload a model" onSubmit={submit} noValidate>
      <label>
        ONNX file
        <input
          type="file"
          accept=".onnx,application/octet-stream"
          {...form.register('file', {
            validate: (f) => (f?.length === 1 && /\.onnx$/i.test(f[0]!.name)) || 'choose one .onnx file',
            onChange: (e: { target: { files: FileList | null } }) => {
              const f = e.target.files?.[0];
              if (!f) return;
              if (!form.getValues('key')) form.setValue('key', keyFromFileName(f.name));
              if (!form.getValues('name')) form.setValue('name', f.name.replace(/\.onnx$/i, ''));
            },
          })}
        />
      </label>
      <label>
        Name
        <input
          {...form.register('name', { validate: (v) => v.trim().length > 0 || 'give the model a name' })}
        />
      </label>
      <label>
        Key (letters, digits, dashes; unique)
        <input
          {...form.register('key', {
            validate: (v) =>
              /^[a-z0-9][a-z0-9-]{0,63}$/.test(v.trim()) || 'a key of lower-case letters, digits and dashes',
          })}
          autoComplete="off"
        />
      </label>
      <label>
        Version
        <input {...form.register('version', { validate: (v) => v.trim().length > 0 || 'give a version' })} />
      </label>
      <label>
        Output layout
        <select {...form.register('layout')}>
          <option value="yolox">YOLOX (1×N×(5+C))</option>
          <option value="yolov8">YOLOv8 / YOLO11 (1×(4+C)×N)</option>
        </select>
      </label>
      <label>
        Class names, in output order (optional, comma-separated; default COCO)
        <input {...form.register('classNames')} placeholder="person, bicycle, car" />
      </label>
      {Object.values(errors).length > 0 && (
        <ul className="field-error" role="alert">
          {Object.entries(errors).map(([k, e]) => (
            <li key={k}>{e?.message}</li>
          ))}
        </ul>
      )}
      <button type="submit" className="button primary" disabled={upload.isPending}>
        <Upload size={16} aria-hidden /> {upload.isPending ? 'Uploading…' : 'Upload model'}
      </button>
      {progress && (upload.isPending || done) && (
        <div>
          <progress
            className="progress"
            max={progress.total}
            value={progress.loaded}
            aria-label="Upload progress"
            data-testid="upload-progress"
          />
          <p className="muted" aria-live="polite" data-testid="upload-progress-text">
            {pct} % · {megabytes(progress.loaded)} of {megabytes(progress.total)}
          </p>
        </div>
      )}
      {upload.error && (
        <p className="field-error" role="alert">
          Upload failed: {upload.error.message}
        </p>
      )}
      {done && (
        <div className="notice" data-testid="upload-done">
          <CheckCircle2 size={16} aria-hidden /> {done.name} {done.version} uploaded,{' '}
          {formatCount(done.sizeBytes ?? 0)} bytes.
          <div>
            sha256 <span className="mono secret">{done.sha256}</span>
          </div>
          {upload.data!.localSha256 && (
            <div>
              {upload.data!.localSha256 === done.sha256
                ? 'Matches the file as this browser read it.'
                : 'Does NOT match the file as this browser read it: upload it again.'}
            </div>
          )}
        </div>
      )}
    </form>
  );
}

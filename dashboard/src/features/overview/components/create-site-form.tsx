import { useMemo } from 'react';
import { useForm } from 'react-hook-form';
import type { CreateSiteBody } from '@tally/proto';
import { useCreateSite } from '../api/create-site';

/** The browser's own zone first: most sites are created by someone in the site's region. */
function timeZones(): { own: string; all: string[] } {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const all =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [own, 'UTC'];
  return { own, all: all.includes(own) ? all : [own, ...all] };
}

/** A site: a name and the time zone its days, charts and reports are counted in. */
export function CreateSiteForm({ onCreated }: { onCreated?: () => void }) {
  const zones = useMemo(timeZones, []);
  const { register, handleSubmit, formState, reset } = useForm<CreateSiteBody>({
    defaultValues: { name: '', timezone: zones.own },
  });
  const create = useCreateSite();
  const submit = handleSubmit((body) =>
    create.mutate(
      { ...body, name: body.name.trim() },
      {
        onSuccess: () => {
          reset({ name: '', timezone: body.timezone });
          onCreated?.();
        },
      },
    ),
  );
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New site">
      <label>
        Site name
        <input
          aria-invalid={Boolean(formState.errors.name)}
          {...register('name', {
            validate: (v) => v.trim().length > 0 || 'name the site',
            maxLength: { value: 100, message: 'at most 100 characters' },
          })}
        />
      </label>
      {formState.errors.name && <p className="field-error">{formState.errors.name.message}</p>}
      <label>
        Time zone
        <select {...register('timezone', { required: true })}>
          {zones.all.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
      {create.isError && (
        <p className="field-error" role="alert">
          {create.error.message}
        </p>
      )}
      <button type="submit" className="button primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create site'}
      </button>
    </form>
  );
}

import { KeyRound } from 'lucide-react';
import { useForm } from 'react-hook-form';

export interface ClaimCodeRequest {
  name: string;
  ttlMinutes: number;
}

const VALIDITY = [
  { minutes: 15, label: '15 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 240, label: '4 hours' },
  { minutes: 1440, label: '1 day' },
];

/** The box's name and how long the code stays valid: what an installer decides before going to the box. */
export function ClaimCodeForm({
  onSubmit,
  pending,
  error,
}: {
  onSubmit: (r: ClaimCodeRequest) => void;
  pending: boolean;
  error: string | null;
}) {
  const form = useForm<{ name: string; ttlMinutes: string }>({
    defaultValues: { name: '', ttlMinutes: '60' },
  });
  const nameError = form.formState.errors.name?.message;
  return (
    <form
      className="form inline-form"
      aria-label="Create a claim code"
      onSubmit={form.handleSubmit((v) => onSubmit({ name: v.name.trim(), ttlMinutes: Number(v.ttlMinutes) }))}
      noValidate
    >
      <label>
        Box name
        <input
          {...form.register('name', {
            validate: (v) =>
              (v.trim().length > 0 && v.trim().length <= 100) || 'give the box a name, e.g. Gate 3',
          })}
          placeholder="e.g. Gate 3"
          autoComplete="off"
          aria-invalid={nameError ? true : undefined}
        />
      </label>
      <label>
        Valid for
        <select {...form.register('ttlMinutes')}>
          {VALIDITY.map((v) => (
            <option key={v.minutes} value={v.minutes}>
              {v.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button primary" disabled={pending}>
        <KeyRound size={16} aria-hidden /> {pending ? 'Creating…' : 'Create claim code'}
      </button>
      {(nameError ?? error) && (
        <p className="field-error" role="alert">
          {nameError ?? error}
        </p>
      )}
    </form>
  );
}

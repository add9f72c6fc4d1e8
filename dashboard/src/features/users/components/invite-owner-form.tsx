import { useForm } from 'react-hook-form';

/** An owner invites another owner by email (an owner account is made by its holder, with the code, on the CLI). */
export function InviteOwnerForm({
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  pending: boolean;
  error: string | null;
  onSubmit: (email: string) => void;
  onCancel: () => void;
}) {
  const { register, handleSubmit, formState } = useForm<{ email: string }>({ defaultValues: { email: '' } });
  return (
    <form
      className="form card"
      aria-label="Invite an owner"
      noValidate
      onSubmit={handleSubmit(({ email }) => onSubmit(email.trim()))}
    >
      <h2>Invite an owner</h2>
      <p className="muted hint">
        Owners can change everything, including other owners. The invitation is valid 72 hours, once, for this
        email.
      </p>
      <label>
        Email
        <input
          type="email"
          autoComplete="off"
          {...register('email', {
            required: 'enter their email',
            pattern: {
              value: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
              message: 'enter an email such as sam@example.com',
            },
          })}
        />
      </label>
      {formState.errors.email && <p className="field-error">{formState.errors.email.message}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <p className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Create invitation
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}

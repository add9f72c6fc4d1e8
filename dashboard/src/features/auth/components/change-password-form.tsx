import { useForm } from 'react-hook-form';
import { useChangePassword } from '../api/change-password';

interface Fields {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

/** Current and new password (at least 10 characters, the cloud's rule), typed twice. */
export function ChangePasswordForm() {
  const { register, handleSubmit, formState, getValues, reset } = useForm<Fields>();
  const change = useChangePassword();
  const submit = handleSubmit(({ currentPassword, newPassword }) =>
    change.mutate({ currentPassword, newPassword }, { onSuccess: () => reset() }),
  );
  return (
    <form className="form" onSubmit={submit} noValidate>
      <label>
        Current password
        <input
          type="password"
          autoComplete="current-password"
          {...register('currentPassword', { required: 'enter your current password' })}
        />
      </label>
      {formState.errors.currentPassword && (
        <p className="field-error">{formState.errors.currentPassword.message}</p>
      )}
      <label>
        New password
        <input
          type="password"
          autoComplete="new-password"
          {...register('newPassword', { minLength: { value: 10, message: 'use at least 10 characters' } })}
        />
      </label>
      {formState.errors.newPassword && <p className="field-error">{formState.errors.newPassword.message}</p>}
      <label>
        New password again
        <input
          type="password"
          autoComplete="new-password"
          {...register('repeat', {
            validate: (v) => v === getValues('newPassword') || 'the two new passwords differ',
          })}
        />
      </label>
      {formState.errors.repeat && <p className="field-error">{formState.errors.repeat.message}</p>}
      {change.isError && (
        <p className="field-error" role="alert">
          {change.error.message}
        </p>
      )}
      {change.isSuccess && <p role="status">Password changed. Your other sessions were signed out.</p>}
      <button type="submit" className="button primary" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}

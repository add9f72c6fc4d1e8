import { useForm } from 'react-hook-form';
import type { SetupBody } from '@tally/proto';
import { useCompleteSetup } from '../api/complete-setup';

type Fields = Required<Pick<SetupBody, 'token' | 'organisation' | 'email' | 'password'>> & { name: string };

/** The first owner: the token from the server log, the organisation, and the owner's sign-in. */
export function SetupForm({ onDone }: { onDone: (email: string) => void }) {
  const { register, handleSubmit, formState } = useForm<Fields>();
  const setup = useCompleteSetup((result) => onDone(result.email));
  const submit = handleSubmit(({ name, ...fields }) =>
    setup.mutate({ ...fields, token: fields.token.trim(), ...(name.trim() ? { name: name.trim() } : {}) }),
  );
  const error = (field: keyof Fields) =>
    formState.errors[field] && <p className="field-error">{formState.errors[field]?.message}</p>;
  return (
    <form className="form" onSubmit={submit} noValidate>
      <label>
        Setup token
        <input
          autoComplete="off"
          spellCheck={false}
          autoFocus
          aria-invalid={Boolean(formState.errors.token)}
          {...register('token', {
            required: 'paste the setup token from the server log',
            minLength: { value: 16, message: 'the token in the log is 32 characters long' },
          })}
        />
      </label>
      {error('token')}
      <label>
        Organisation
        <input
          autoComplete="organization"
          aria-invalid={Boolean(formState.errors.organisation)}
          {...register('organisation', { required: 'name your organisation' })}
        />
      </label>
      {error('organisation')}
      <label>
        Your name (optional)
        <input autoComplete="name" {...register('name')} />
      </label>
      <label>
        Email
        <input
          type="email"
          autoComplete="username"
          aria-invalid={Boolean(formState.errors.email)}
          {...register('email', { required: 'enter your email' })}
        />
      </label>
      {error('email')}
      <label>
        Password
        <input
          type="password"
          autoComplete="new-password"
          aria-invalid={Boolean(formState.errors.password)}
          {...register('password', {
            required: 'choose a password',
            minLength: { value: 10, message: 'at least 10 characters' },
          })}
        />
      </label>
      {error('password')}
      {setup.isError && (
        <p className="field-error" role="alert">
          {setup.error.message}
        </p>
      )}
      <button type="submit" className="button primary" disabled={setup.isPending}>
        {setup.isPending ? 'Creating…' : 'Create owner account'}
      </button>
    </form>
  );
}

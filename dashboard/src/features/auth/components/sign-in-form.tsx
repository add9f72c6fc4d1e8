import { useForm } from 'react-hook-form';
import { useSignIn } from '../api/sign-in';

interface Fields {
  email: string;
  password: string;
}

/** Email and password; the cloud's message (wrong password, too many tries) shows under the form. */
export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const { register, handleSubmit, formState } = useForm<Fields>();
  const signIn = useSignIn();
  const submit = handleSubmit((fields) => signIn.mutate(fields, { onSuccess: onSignedIn }));
  return (
    <form className="form" onSubmit={submit} noValidate>
      <label>
        Email
        <input
          type="email"
          autoComplete="username"
          autoFocus
          aria-invalid={Boolean(formState.errors.email)}
          {...register('email', { required: 'enter your email' })}
        />
      </label>
      {formState.errors.email && <p className="field-error">{formState.errors.email.message}</p>}
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          aria-invalid={Boolean(formState.errors.password)}
          {...register('password', { required: 'enter your password' })}
        />
      </label>
      {formState.errors.password && <p className="field-error">{formState.errors.password.message}</p>}
      {signIn.isError && (
        <p className="field-error" role="alert">
          {signIn.error.message}
        </p>
      )}
      <button type="submit" className="button primary" disabled={signIn.isPending}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

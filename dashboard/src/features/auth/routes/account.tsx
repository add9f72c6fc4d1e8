import { useSession } from '../../../lib/api-context';
import { ChangePasswordForm } from '../components/change-password-form';

export function AccountRoute() {
  const { user } = useSession();
  return (
    <section className="page narrow">
      <h1>Account</h1>
      {user && (
        <p>
          {user.email} · {user.role.replace('_', ' ')}
        </p>
      )}
      <h2>Change password</h2>
      <ChangePasswordForm />
    </section>
  );
}

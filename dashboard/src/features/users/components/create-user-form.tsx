import type { CreateUserBody, Role, Site } from '@tally/proto';
import { Controller, useForm } from 'react-hook-form';
import { assignableRoles, ROLE_HINT, ROLE_LABEL, scopedRole } from './roles';
import { SitePicker } from './site-picker';
import { generatePassword } from './temporary-password';

interface Fields {
  email: string;
  name: string;
  role: Role;
  siteIds: string[];
  password: string;
}

/**
 * A new user: email, name, role, the sites a scoped role covers, and an initial password (generated; the admin
 * hands it over once and the user changes it). Validation mirrors the cloud's (email, 10+ characters).
 */
export function CreateUserForm({
  callerRole,
  sites,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  callerRole: Role;
  sites: Site[];
  pending: boolean;
  error: string | null;
  onSubmit: (body: CreateUserBody) => void;
  onCancel: () => void;
}) {
  const { register, handleSubmit, control, watch, formState } = useForm<Fields>({
    defaultValues: { email: '', name: '', role: 'viewer', siteIds: [], password: generatePassword() },
  });
  const role = watch('role');
  const submit = handleSubmit(({ email, name, role, siteIds, password }) =>
    onSubmit({
      email: email.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
      role,
      siteIds: scopedRole(role) ? siteIds : [],
      password,
    }),
  );
  const { errors } = formState;
  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="Add a user">
      <h2>Add a user</h2>
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
      {errors.email && <p className="field-error">{errors.email.message}</p>}
      <label>
        Name
        <input type="text" autoComplete="off" {...register('name', { maxLength: 100 })} />
      </label>
      <label>
        Role
        <select aria-describedby="role-hint" {...register('role')}>
          {assignableRoles(callerRole).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted hint" id="role-hint">
        {ROLE_HINT[role]}
      </p>
      {scopedRole(role) && (
        <Controller
          control={control}
          name="siteIds"
          rules={{
            validate: (v) => role === 'viewer' || v.length > 0 || 'choose at least one site for this role',
          }}
          render={({ field }) => (
            <SitePicker
              sites={sites}
              value={field.value}
              onChange={field.onChange}
              emptyMeans={role === 'viewer' ? 'every site' : 'no site'}
            />
          )}
        />
      )}
      {errors.siteIds && <p className="field-error">{errors.siteIds.message}</p>}
      <label>
        Initial password
        <input
          type="text"
          className="mono"
          autoComplete="off"
          {...register('password', { minLength: { value: 10, message: 'use at least 10 characters' } })}
        />
      </label>
      <p className="muted hint">Generated; shown again once the user is created.</p>
      {errors.password && <p className="field-error">{errors.password.message}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <p className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Create user
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}

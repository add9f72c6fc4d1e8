import type { User } from '@tally/proto';
import { Filter, X } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { KNOWN_ACTIONS, TARGET_TYPES, type FilterFields } from './audit-filter';

const EMPTY: FilterFields = { actorUserId: '', action: '', targetType: '', targetId: '', from: '', to: '' };

/** User, action, target and time range; applied together (the list and the CSV export use the same filter). */
export function AuditFiltersForm({
  value,
  users,
  onApply,
}: {
  value: FilterFields;
  users: User[];
  onApply: (f: FilterFields) => void;
}) {
  const { register, handleSubmit, reset, formState, getValues } = useForm<FilterFields>({ values: value });
  const submit = handleSubmit(onApply);
  return (
    <form className="controls audit-filters" onSubmit={submit} aria-label="Filter the audit log" noValidate>
      <label>
        User
        <select {...register('actorUserId')}>
          <option value="">Anyone</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name ? `${u.name} (${u.email})` : u.email}
            </option>
          ))}
        </select>
      </label>
      <label>
        Action
        <input list="audit-actions" placeholder="any" {...register('action', { maxLength: 64 })} />
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label>
        Target type
        <select {...register('targetType')}>
          <option value="">any</option>
          {TARGET_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Target id
        <input placeholder="any" {...register('targetId', { maxLength: 128 })} />
      </label>
      <label>
        From
        <input type="datetime-local" {...register('from')} />
      </label>
      <label>
        To
        <input
          type="datetime-local"
          {...register('to', {
            validate: (to) => {
              const from = getValues('from');
              return !to || !from || Date.parse(to) > Date.parse(from) || '“To” must be after “From”';
            },
          })}
        />
      </label>
      {formState.errors.to && (
        <p className="field-error" role="alert">
          {formState.errors.to.message}
        </p>
      )}
      <p className="buttons filter-buttons">
        <button type="submit" className="button primary">
          <Filter size={14} aria-hidden /> Apply filters
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            reset(EMPTY);
            onApply(EMPTY);
          }}
        >
          <X size={14} aria-hidden /> Clear
        </button>
      </p>
    </form>
  );
}

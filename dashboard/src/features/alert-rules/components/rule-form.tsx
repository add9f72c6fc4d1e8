import { useForm } from 'react-hook-form';
import type { CountingRule } from '../api/get-counting-rules';
import { EMPTY_FIELDS, fieldsOf, KINDS, type RuleFields } from './rule-fields';

const WHOLE = /^\d+$/;
const number = (what: string, min: number, max = 10_080) => ({
  required: `enter ${what}`,
  validate: (v: string) =>
    (WHOLE.test(v) && Number(v) >= min && Number(v) <= max) ||
    `${what}: a whole number from ${min} to ${max}`,
});

/**
 * Creates or edits a rule: its name and kind, the kind's own numbers (threshold, minutes, period, what it watches),
 * and where it notifies (webhook, email). Checks here what the cloud checks, so that most mistakes never leave the
 * page; the cloud's own refusal (e.g. email without SMTP) is shown under the form. Selects also get `defaultValue`
 * (React then selects the stored option on mount; the registration alone left an edited rule's zone unselected).
 */
export function RuleForm({
  initial = EMPTY_FIELDS,
  countingRules,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial?: RuleFields;
  countingRules: CountingRule[];
  submitLabel: string;
  pending: boolean;
  error: Error | null;
  onSubmit: (fields: RuleFields) => void;
  onCancel: () => void;
}) {
  const { register, handleSubmit, watch, formState } = useForm<RuleFields>({ defaultValues: initial });
  const kind = watch('kind');
  const uses = fieldsOf(kind);
  const errors = formState.errors;
  const zones = countingRules.filter((r) => r.kind === 'zone');
  const fieldError = (name: keyof RuleFields) =>
    errors[name] && (
      <p className="field-error" id={`${name}-error`}>
        {errors[name]?.message}
      </p>
    );
  return (
    <form
      className="form rule-form"
      onSubmit={handleSubmit(onSubmit)}
      noValidate
      aria-label={submitLabel}
      data-testid="rule-form"
    >
      <label>
        Name
        <input {...register('name', { required: 'give the rule a name', maxLength: 100 })} />
      </label>
      {fieldError('name')}
      <label>
        When
        <select defaultValue={initial.kind} {...register('kind')}>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <div className="form-row">
        {uses.threshold && (
          <label>
            {kind === 'occupancy_above' ? 'More than (people)' : 'Threshold (count)'}
            <input inputMode="numeric" {...register('threshold', number('the threshold', 0, 1_000_000))} />
          </label>
        )}
        {uses.period && (
          <label>
            Per period (minutes)
            <input inputMode="numeric" {...register('periodMinutes', number('the period', 1))} />
          </label>
        )}
        <label>
          For at least (minutes)
          <input inputMode="numeric" {...register('forMinutes', number('the minutes', 0))} />
        </label>
      </div>
      {fieldError('threshold')}
      {fieldError('periodMinutes')}
      {fieldError('forMinutes')}
      {uses.zone && (
        <label>
          Zone
          <select defaultValue={initial.zoneId} {...register('zoneId')}>
            <option value="">Any zone</option>
            {zones.map((z) => (
              <option key={z.key} value={z.key}>
                {z.label}
              </option>
            ))}
            {initial.zoneId && !zones.some((z) => z.key === initial.zoneId) && (
              <option value={initial.zoneId}>{initial.zoneId}</option>
            )}
          </select>
        </label>
      )}
      {uses.countedRule && (
        <div className="form-row">
          <label>
            Counted at
            <select defaultValue={initial.ruleId} {...register('ruleId')}>
              <option value="">The whole site</option>
              {countingRules.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.label}
                </option>
              ))}
              {initial.ruleId && !countingRules.some((r) => r.key === initial.ruleId) && (
                <option value={initial.ruleId}>{initial.ruleId}</option>
              )}
            </select>
          </label>
          <label>
            Direction
            <select defaultValue={initial.direction} {...register('direction')}>
              <option value="">In and out</option>
              <option value="in">In</option>
              <option value="out">Out</option>
            </select>
          </label>
        </div>
      )}
      <label>
        Webhook URL (optional)
        <input
          type="url"
          inputMode="url"
          placeholder="https://hooks.example.com/tally"
          {...register('webhookUrl', {
            validate: (v) =>
              !v.trim() || /^https?:\/\/\S+$/.test(v.trim()) || 'a webhook URL starts with https://',
          })}
        />
      </label>
      {fieldError('webhookUrl')}
      <label>
        Email (optional)
        <input
          type="email"
          inputMode="email"
          placeholder="ops@example.com"
          {...register('emailTo', {
            validate: (v) =>
              !v.trim() || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) || 'enter one email address',
          })}
        />
      </label>
      {fieldError('emailTo')}
      <label className="checkbox">
        <input type="checkbox" {...register('enabled')} /> Enabled
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          {submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { ArrowLeftRight, Trash2 } from 'lucide-react';
import type { DraftRule } from '../geometry/draft-rule';

/** One rule's name, classes and (zones) dwell threshold, beside the picture. */
export function RuleFields({
  rule,
  selected,
  classOptions,
  onSelect,
  onChange,
  onFlip,
  onDelete,
}: {
  rule: DraftRule;
  selected: boolean;
  classOptions: readonly string[];
  onSelect: () => void;
  onChange: (patch: { name?: string; classes?: string[]; dwellThresholdS?: number | null }) => void;
  onFlip: () => void;
  onDelete: () => void;
}) {
  const id = `rule-${rule.key}`;
  const toggle = (c: string, on: boolean) =>
    onChange({ classes: on ? [...rule.classes, c] : rule.classes.filter((x) => x !== c) });
  return (
    <li className={`rule-item card${selected ? ' selected' : ''}`} onFocus={onSelect} onClick={onSelect}>
      <div className="rule-head">
        <span className={`pill ${rule.kind}`}>{rule.kind}</span>
        <label htmlFor={`${id}-name`} className="visually-hidden">
          Name of {rule.key}
        </label>
        <input
          id={`${id}-name`}
          value={rule.name}
          maxLength={100}
          onChange={(e) => onChange({ name: e.target.value })}
        />
        {rule.kind === 'line' && (
          <button type="button" className="icon-button" aria-label={`Flip ${rule.name}`} onClick={onFlip}>
            <ArrowLeftRight size={16} aria-hidden />
          </button>
        )}
        <button type="button" className="icon-button" aria-label={`Delete ${rule.name}`} onClick={onDelete}>
          <Trash2 size={16} aria-hidden />
        </button>
      </div>
      <fieldset className="classes">
        <legend className="muted">Counts (none ticked: every class the camera detects)</legend>
        {classOptions.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              checked={rule.classes.includes(c)}
              onChange={(e) => toggle(c, e.target.checked)}
            />{' '}
            {c}
          </label>
        ))}
      </fieldset>
      {rule.kind === 'zone' && (
        <label className="dwell">
          Alert on visits longer than (s){' '}
          <input
            type="number"
            min={1}
            max={86400}
            inputMode="numeric"
            value={rule.dwellThresholdS ?? ''}
            placeholder="off"
            onChange={(e) =>
              onChange({ dwellThresholdS: e.target.value === '' ? null : Number(e.target.value) })
            }
          />
        </label>
      )}
    </li>
  );
}

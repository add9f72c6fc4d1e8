import { ArrowLeftRight, Check, Hexagon, MousePointer2, Save, Spline, Trash2, X } from 'lucide-react';
import { useReducer } from 'react';
import type { RuleDraft } from '@tally/proto';
import { draftIssue, toRuleDraft, type DraftRule } from '../geometry/draft-rule';
import { editorReducer, initialEditor, openZone, type Mode } from '../geometry/editor-state';
import type { Size } from '../geometry/viewport';
import { RuleCanvas } from './rule-canvas';
import { RuleFields } from './rule-fields';

const HINTS: Record<Mode, string> = {
  select: 'Drag a point or a whole shape to move it. Select a line to flip its direction.',
  line: 'Tap where the line starts, then where it ends. The arrow shows which way counts as "in".',
  zone: 'Tap each corner of the zone; tap the first corner (or "Close shape") to finish it.',
};

/**
 * Draws and edits a camera's lines and zones over its snapshot, then saves them all as one config version.
 * Remounted (by key) when the saved rules change, so it always starts from what the cloud has.
 */
export function RuleEditor({
  initial,
  imageUrl,
  frame,
  classOptions,
  defaultClasses,
  saving,
  onSave,
}: {
  initial: DraftRule[];
  imageUrl: string | null;
  frame: Size;
  classOptions: readonly string[];
  defaultClasses: string[];
  saving: boolean;
  onSave: (rules: RuleDraft[]) => void;
}) {
  const [state, dispatch] = useReducer(editorReducer, undefined, () =>
    initialEditor(initial, defaultClasses),
  );
  const selected = state.selected !== null ? state.rules[state.selected] : undefined;
  const drawingZone = openZone(state) !== null;
  const issues = state.rules
    .map((r) => ({ r, issue: draftIssue(r) }))
    .filter((x): x is { r: DraftRule; issue: string } => x.issue !== null);
  const mode = (m: Mode) => () => dispatch({ type: 'mode', mode: state.mode === m ? 'select' : m });

  return (
    <section className="section rule-editor" aria-label="Lines and zones">
      <div className="toolbar" role="toolbar" aria-label="Drawing tools">
        <button
          type="button"
          className="button small"
          aria-pressed={state.mode === 'select'}
          onClick={() => dispatch({ type: 'mode', mode: 'select' })}
        >
          <MousePointer2 size={16} aria-hidden /> Move
        </button>
        <button
          type="button"
          className="button small"
          aria-pressed={state.mode === 'line'}
          onClick={mode('line')}
        >
          <Spline size={16} aria-hidden /> Add line
        </button>
        <button
          type="button"
          className="button small"
          aria-pressed={state.mode === 'zone'}
          onClick={mode('zone')}
        >
          <Hexagon size={16} aria-hidden /> Add zone
        </button>
        {drawingZone && (
          <button type="button" className="button small" onClick={() => dispatch({ type: 'close-zone' })}>
            <Check size={16} aria-hidden /> Close shape
          </button>
        )}
        {selected?.kind === 'line' && (
          <button
            type="button"
            className="button small"
            onClick={() => dispatch({ type: 'flip', rule: state.selected! })}
          >
            <ArrowLeftRight size={16} aria-hidden /> Flip direction
          </button>
        )}
        {selected?.kind === 'zone' && state.selectedPoint !== null && (
          <button
            type="button"
            className="button small"
            disabled={selected.closed && selected.polygon.length <= 3}
            onClick={() => dispatch({ type: 'delete-point' })}
          >
            <X size={16} aria-hidden /> Delete point
          </button>
        )}
        {selected && (
          <button
            type="button"
            className="button small danger"
            onClick={() => dispatch({ type: 'delete-rule', rule: state.selected! })}
          >
            <Trash2 size={16} aria-hidden /> Delete {selected.kind}
          </button>
        )}
      </div>
      <p className="muted hint" aria-live="polite">
        {HINTS[state.mode]}
      </p>
      <RuleCanvas state={state} dispatch={dispatch} imageUrl={imageUrl} frame={frame} />
      {state.rules.length === 0 ? (
        <p className="muted">
          No lines or zones yet: add a line where people walk through, or a zone to watch.
        </p>
      ) : (
        <ul className="rule-list">
          {state.rules.map((rule, i) => (
            <RuleFields
              key={rule.key}
              rule={rule}
              selected={i === state.selected}
              classOptions={classOptions}
              onSelect={() => dispatch({ type: 'select', rule: i })}
              onChange={(patch) => dispatch({ type: 'update', rule: i, patch })}
              onFlip={() => dispatch({ type: 'flip', rule: i })}
              onDelete={() => dispatch({ type: 'delete-rule', rule: i })}
            />
          ))}
        </ul>
      )}
      {issues.length > 0 && state.dirty && (
        <ul className="field-error" role="alert">
          {issues.map(({ r, issue }) => (
            <li key={r.key}>
              {r.name || r.key}: {issue}
            </li>
          ))}
        </ul>
      )}
      <div className="buttons">
        <button
          type="button"
          className="button primary"
          disabled={!state.dirty || issues.length > 0 || saving}
          onClick={() => onSave(state.rules.map(toRuleDraft))}
        >
          <Save size={16} aria-hidden /> {saving ? 'Saving…' : 'Save lines and zones'}
        </button>
        {state.dirty && <span className="muted">Unsaved changes</span>}
      </div>
    </section>
  );
}

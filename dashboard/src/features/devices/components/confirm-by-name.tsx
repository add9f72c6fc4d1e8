import { useId, useState, type ReactNode } from 'react';

/**
 * A confirmation for what cannot be undone on a box: it names the device, and the button works only once its name
 * is typed back (a finger on a ladder cannot revoke the wrong box by a slip).
 */
export function ConfirmByName({
  title,
  name,
  children,
  confirmLabel,
  pending,
  onConfirm,
  onCancel,
}: {
  title: string;
  name: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const [typed, setTyped] = useState('');
  const id = useId();
  const matches = typed.trim() === name;
  return (
    <div className="confirm" role="dialog" aria-modal="false" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <div>{children}</div>
      <label className="form">
        Type <strong className="mono">{name}</strong> to confirm
        <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus />
      </label>
      <div className="buttons">
        <button type="button" className="button danger" disabled={!matches || pending} onClick={onConfirm}>
          {pending ? 'Working…' : confirmLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** An inline confirmation that names who is affected and what follows; nothing happens until it is confirmed. */
export function ConfirmAction({
  question,
  consequence,
  confirmLabel,
  danger,
  pending,
  onConfirm,
  onCancel,
}: {
  question: string;
  consequence: string;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="notice" role="alertdialog" aria-label={question} data-testid="confirm">
      <p>
        <strong>{question}</strong> {consequence}
      </p>
      <p className="buttons">
        <button
          type="button"
          className={`button small ${danger ? 'danger' : 'primary'}`}
          disabled={pending}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </div>
  );
}

import type { AlertRule, AlertRuleTestResult } from '@tally/proto';
import { Mail, Pencil, RotateCw, Send, Trash2, Webhook } from 'lucide-react';
import { useState } from 'react';
import { DeliveryStatusLine } from './delivery-status';
import { describeCondition } from './rule-fields';
import { TestResult } from './test-result';

export interface RuleActions {
  onToggle: (enabled: boolean) => void;
  onEdit: () => void;
  onDelete: () => void;
  onTest: () => void;
  onRotate: () => void;
}

/**
 * One rule: what it watches, where it notifies and how the last deliveries went. Those who manage rules also get
 * the enable switch, edit, send test, rotate secret and delete (asked to confirm, naming the rule).
 */
export function RuleCard({
  rule,
  timezone,
  canManage,
  labelOf,
  actions,
  busy,
  test,
}: {
  rule: AlertRule;
  timezone: string;
  canManage: boolean;
  labelOf: (key: string) => string;
  actions: RuleActions;
  busy: boolean;
  test: { pending: boolean; result?: AlertRuleTestResult; error?: Error | null };
}) {
  const [confirming, setConfirming] = useState(false);
  const hasTarget = Boolean(rule.webhookUrl || rule.emailTo);
  return (
    <article className="card rule-card" data-testid={`rule-${rule.name}`} aria-label={rule.name}>
      <header>
        <h3>{rule.name}</h3>
        {canManage ? (
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={rule.enabled}
              disabled={busy}
              onChange={(e) => actions.onToggle(e.target.checked)}
              aria-label={`${rule.name} enabled`}
            />
            {rule.enabled ? 'Enabled' : 'Disabled'}
          </label>
        ) : (
          <span className={`pill ${rule.enabled ? 'live' : ''}`}>
            {rule.enabled ? 'enabled' : 'disabled'}
          </span>
        )}
      </header>
      <p className="condition">{describeCondition(rule.condition, labelOf)}</p>
      <ul className="targets">
        {rule.webhookUrl && (
          <li>
            <Webhook size={14} aria-hidden /> <span className="url">{rule.webhookUrl}</span>
            {!rule.webhookSigned && <span className="muted"> (unsigned: rotate the secret to sign)</span>}
            <br />
            <DeliveryStatusLine channel="webhook" status={rule.delivery.webhook} timezone={timezone} />
          </li>
        )}
        {rule.emailTo && (
          <li>
            <Mail size={14} aria-hidden /> {rule.emailTo}
            <br />
            <DeliveryStatusLine channel="email" status={rule.delivery.email} timezone={timezone} />
          </li>
        )}
        {!hasTarget && <li className="muted">No webhook or email: alerts show in the dashboard only.</li>}
      </ul>
      {test.result && <TestResult result={test.result} />}
      {test.error && (
        <p className="field-error" role="alert">
          Test not sent: {test.error.message}
        </p>
      )}
      {canManage &&
        (confirming ? (
          <div className="confirm" role="group" aria-label="Confirm deletion">
            <span>Delete the rule “{rule.name}”? Its past alerts stay.</span>
            <div className="buttons">
              <button
                type="button"
                className="button small danger"
                onClick={actions.onDelete}
                disabled={busy}
              >
                Delete “{rule.name}”
              </button>
              <button type="button" className="button small" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </div>
          </div>
        ) : (
          <div className="buttons">
            <button type="button" className="button small" onClick={actions.onEdit}>
              <Pencil size={14} aria-hidden /> Edit
            </button>
            <button
              type="button"
              className="button small"
              onClick={actions.onTest}
              disabled={!hasTarget || test.pending}
              title={hasTarget ? undefined : 'Add a webhook or an email first'}
            >
              <Send size={14} aria-hidden /> {test.pending ? 'Sending…' : 'Send test'}
            </button>
            {rule.webhookUrl && (
              <button type="button" className="button small" onClick={actions.onRotate} disabled={busy}>
                <RotateCw size={14} aria-hidden /> Rotate secret
              </button>
            )}
            <button type="button" className="button small" onClick={() => setConfirming(true)}>
              <Trash2 size={14} aria-hidden /> Delete
            </button>
          </div>
        ))}
    </article>
  );
}

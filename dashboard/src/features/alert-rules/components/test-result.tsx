import type { AlertRuleTestResult } from '@tally/proto';
import { CheckCircle2, XCircle } from 'lucide-react';

/** What "send test" answered, per channel: delivered (with the HTTP status) or the error. */
export function TestResult({ result }: { result: AlertRuleTestResult }) {
  return (
    <ul className="test-result" role="status" data-testid="test-result">
      {result.results.map((r) => (
        <li key={r.channel} className={r.ok ? 'ok' : 'failed'}>
          {r.ok ? <CheckCircle2 size={16} aria-hidden /> : <XCircle size={16} aria-hidden />}{' '}
          {r.channel === 'webhook' ? 'Webhook' : 'Email'}:{' '}
          {r.ok
            ? `test delivered${r.httpStatus !== null ? ` (HTTP ${r.httpStatus})` : ''} in ${r.durationMs} ms`
            : `not delivered: ${r.error ?? 'unknown error'}`}
        </li>
      ))}
    </ul>
  );
}

import type { OpenClaimCode } from '@tally/proto';
import { useState } from 'react';
import { EmptyState, QueryView } from '../../../components/states';
import type { UseQueryResult } from '@tanstack/react-query';
import { formatCountdown } from './provision-command';
import { useCountdown } from './use-countdown';

function Expiry({ at }: { at: string }) {
  const left = useCountdown(Date.parse(at));
  return <>{left === 0 ? 'expired' : `in ${formatCountdown(left)}`}</>;
}

/** Codes not yet used: which box, the code's first characters, who made it, time left; each can be revoked. */
export function OpenClaimCodes({
  query,
  onRevoke,
  revoking,
  error,
}: {
  query: UseQueryResult<OpenClaimCode[]>;
  onRevoke: (id: string) => void;
  revoking: string | null;
  error: string | null;
}) {
  const [asking, setAsking] = useState<string | null>(null);
  return (
    <section className="section" aria-labelledby="open-codes-title">
      <h2 id="open-codes-title">Open claim codes</h2>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <QueryView query={query} loadingLabel="Loading claim codes…">
        {(codes) =>
          codes.length === 0 ? (
            <EmptyState>No open claim codes.</EmptyState>
          ) : (
            <ul className="code-list">
              {codes.map((c) => {
                const label = c.name ?? 'unnamed box';
                return (
                  <li key={c.id} className="card" data-testid={`claim-${c.id}`}>
                    <div>
                      <strong>{label}</strong>{' '}
                      <span className="mono muted">{c.prefix ? `${c.prefix}··-····` : '····-····'}</span>
                      <div className="muted">
                        by {c.createdBy?.email ?? 'someone'} · expires <Expiry at={c.expiresAt} />
                      </div>
                    </div>
                    {asking === c.id ? (
                      <div className="buttons" role="group" aria-label={`Revoke the code for ${label}?`}>
                        <button
                          type="button"
                          className="button small danger"
                          disabled={revoking === c.id}
                          onClick={() => onRevoke(c.id)}
                        >
                          Revoke the code for {label}
                        </button>
                        <button type="button" className="button small" onClick={() => setAsking(null)}>
                          Keep it
                        </button>
                      </div>
                    ) : (
                      <button type="button" className="button small" onClick={() => setAsking(c.id)}>
                        Revoke
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

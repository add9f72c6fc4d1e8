import type { UseQueryResult } from '@tanstack/react-query';
import { AlertTriangle, Inbox, Loader2, RefreshCw } from 'lucide-react';
import type { ReactNode } from 'react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      <Loader2 className="spin" aria-hidden size={18} /> {label}
    </p>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <p className="state empty">
      <Inbox aria-hidden size={18} /> {children}
    </p>
  );
}

/** An API error with what to do next: the cloud's message, and a retry. Never a blank page. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : 'something went wrong';
  return (
    <div className="state error" role="alert">
      <AlertTriangle aria-hidden size={18} /> <span>Could not load this: {message}</span>
      {onRetry && (
        <button type="button" className="button small" onClick={onRetry}>
          <RefreshCw aria-hidden size={14} /> Retry
        </button>
      )}
    </div>
  );
}

/** Renders a query's loading and error states, then `children(data)`. */
export function QueryView<T>({
  query,
  children,
  loadingLabel,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

/** A page the signed-in role may not use: says so and why, instead of an empty page or an error. */
export function ForbiddenState({ children }: { children: ReactNode }) {
  return (
    <div className="state error" role="alert" data-testid="forbidden">
      <AlertTriangle aria-hidden size={18} /> <span>{children}</span>
    </div>
  );
}

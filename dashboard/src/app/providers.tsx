import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { ToastProvider } from '../components/toasts';
import { ApiClient, ApiError } from '../lib/api-client';
import { ApiProvider } from '../lib/api-context';
import { LiveProvider } from '../lib/live-context';
import { SessionStore, type SessionTransport } from '../lib/session';
import { httpSessionTransport } from '../lib/session-transport';

/** Client errors (a 403, a 404, a bad range) will not change on retry; network and server errors might. */
function retry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry, staleTime: 15_000 }, mutations: { retry: false } },
  });
}

/** Everything the pages rely on: the session, the API client, react-query, the live socket, toasts. */
export function AppProviders({
  children,
  transport = httpSessionTransport,
  queryClient,
}: {
  children: ReactNode;
  transport?: SessionTransport;
  queryClient?: QueryClient;
}) {
  const [deps] = useState(() => {
    const session = new SessionStore(transport);
    return { session, api: new ApiClient(session), queryClient: queryClient ?? createQueryClient() };
  });
  useEffect(() => {
    if (deps.session.getSnapshot().status === 'unknown') void deps.session.restore();
  }, [deps.session]);
  return (
    <ApiProvider session={deps.session} api={deps.api}>
      <QueryClientProvider client={deps.queryClient}>
        <LiveProvider>
          <ToastProvider>{children}</ToastProvider>
        </LiveProvider>
      </QueryClientProvider>
    </ApiProvider>
  );
}

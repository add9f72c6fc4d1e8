import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiClient } from './api-client';
import type { SessionSnapshot, SessionStore } from './session';

interface ApiContextValue {
  session: SessionStore;
  api: ApiClient;
}

const ApiContext = createContext<ApiContextValue | null>(null);

/** Gives every feature the one API client and the session it authenticates with. */
export function ApiProvider(props: ApiContextValue & { children: ReactNode }) {
  return (
    <ApiContext.Provider value={{ session: props.session, api: props.api }}>
      {props.children}
    </ApiContext.Provider>
  );
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('ApiProvider is missing above this component');
  return value;
}

export function useApi(): ApiClient {
  return useApiContext().api;
}

export function useSessionStore(): SessionStore {
  return useApiContext().session;
}

/** The session's state; re-renders when the user signs in or out or the session ends. */
export function useSession(): SessionSnapshot {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

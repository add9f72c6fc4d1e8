import type { LiveMessage } from '@tally/proto';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useSession, useSessionStore } from './api-context';
import { LiveSocket, type LiveStatus } from './live-socket';

type Listener = (message: LiveMessage) => void;

interface LiveContextValue {
  status: LiveStatus | 'off';
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<LiveContextValue>({ status: 'off', subscribe: () => () => {} });

function liveUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api/live`;
}

/** One live socket per signed-in tab, shared by every page; closed when the session ends. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const session = useSessionStore();
  const { status: sessionStatus } = useSession();
  const [status, setStatus] = useState<LiveStatus | 'off'>('off');
  const listeners = useRef(new Set<Listener>());

  useEffect(() => {
    if (sessionStatus !== 'signed-in') return;
    const socket = new LiveSocket({
      url: liveUrl(),
      token: async (fresh) => (fresh ? session.refresh() : session.accessToken),
      onMessage: (m) => listeners.current.forEach((l) => l(m)),
      onStatus: setStatus,
    });
    socket.start();
    const offToken = session.onToken((token) => socket.authenticate(token));
    return () => {
      offToken();
      socket.stop();
      setStatus('off');
    };
  }, [session, sessionStatus]);

  const [value] = useState<Pick<LiveContextValue, 'subscribe'>>(() => ({
    subscribe: (l: Listener) => {
      listeners.current.add(l);
      return () => listeners.current.delete(l);
    },
  }));
  return <LiveContext.Provider value={{ status, ...value }}>{children}</LiveContext.Provider>;
}

/** Calls `handler` for every live message while the component is mounted (the latest handler, no resubscribing). */
export function useLiveMessages(handler: Listener): void {
  const { subscribe } = useContext(LiveContext);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => subscribe((m) => latest.current(m)), [subscribe]);
}

export function useLiveStatus(): LiveStatus | 'off' {
  return useContext(LiveContext).status;
}

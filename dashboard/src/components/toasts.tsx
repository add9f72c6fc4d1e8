import { X } from 'lucide-react';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

export interface Toast {
  id: number;
  tone: 'alert' | 'info';
  title: string;
  body: string;
}

const ToastContext = createContext<(t: Omit<Toast, 'id'>) => void>(() => {});

/** Live notices in a polite live region, newest first, at most five, each dismissible with the keyboard. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((t: Omit<Toast, 'id'>) => {
    const toast = { ...t, id: Date.now() + Math.random() };
    setToasts((list) => [toast, ...list].slice(0, 5));
    setTimeout(() => setToasts((list) => list.filter((x) => x.id !== toast.id)), 15_000);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
        {toasts.map((t) => (
          <div key={t.id} className={`toast ${t.tone}`}>
            <div>
              <strong>{t.title}</strong>
              <p>{t.body}</p>
            </div>
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss"
              onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}
            >
              <X size={16} aria-hidden />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): (t: Omit<Toast, 'id'>) => void {
  return useContext(ToastContext);
}

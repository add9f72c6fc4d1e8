import { useQueryClient } from '@tanstack/react-query';
import { useToast } from '../components/toasts';
import { useLiveMessages } from '../lib/live-context';

/** A notice whenever an alert fires on any site the user can see (the socket only carries those), on every page. */
export function AlertToasts() {
  const toast = useToast();
  const queryClient = useQueryClient();
  useLiveMessages((m) => {
    if (m.type !== 'alert') return;
    void queryClient.invalidateQueries({ queryKey: ['site', m.siteId, 'alerts'] });
    if (m.state === 'firing') toast({ tone: 'alert', title: 'Alert', body: m.message });
  });
  return null;
}

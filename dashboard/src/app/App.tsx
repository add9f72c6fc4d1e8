import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { TOPIC_ROOT } from '@tally/proto';

const queryClient = new QueryClient();

/**
 * The dashboard's shell. Features (live counts, charts, the line editor, devices, alerts, users) mount here as
 * their issues land; until then it says what it is and which contract it speaks.
 */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <main style={{ fontFamily: 'system-ui, sans-serif', padding: '1.5rem' }}>
        <h1>Tally</h1>
        <p data-testid="contract">Speaks the {TOPIC_ROOT} contract.</p>
      </main>
    </QueryClientProvider>
  );
}

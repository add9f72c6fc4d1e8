import type { Site } from '@tally/proto';
import { useQueryClient } from '@tanstack/react-query';
import { ArrowDownLeft, ArrowUpRight, Users } from 'lucide-react';
import { useState } from 'react';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { formatCount } from '../../../lib/format';
import { useLiveMessages } from '../../../lib/live-context';
import { isoRange, presetRange } from '../../../lib/time-range';
import { useCounts } from '../api/get-counts';
import { useOccupancy } from '../api/get-occupancy';
import type { NamedRule } from '../api/get-rules';
import {
  addCounts,
  emptyTally,
  lineCounters,
  setOccupancy,
  zoneCounters,
  type LiveTally,
} from './live-tally';

/**
 * Today's counters per line and zone (site time zone), ticking as the live socket pushes counts. The loaded totals
 * use their own query keys (`live-base`), so the page's throttled refetches never add what a delta already added;
 * after the socket reconnects (events may have been missed) both are reloaded together.
 */
export function LiveCounters({ site, rules }: { site: Site; rules: NamedRule[] }) {
  const [range] = useState(() => {
    const today = presetRange('today', site.timezone, Date.now());
    return {
      today: isoRange(today),
      untilNow: isoRange({ fromMs: today.fromMs, toMs: Date.now() + 3_600_000 }),
    };
  });
  const [tally, setTally] = useState<LiveTally>(emptyTally);
  const queryClient = useQueryClient();
  const base = { ...range.today, bucket: 'day', groupBy: 'rule' } as const;
  const crossings = useCounts(site.id, { ...base, kind: 'line_cross' }, 'live-base');
  const entries = useCounts(site.id, { ...base, kind: 'zone_enter' }, 'live-base');
  const occupancy = useOccupancy(site.id, range.untilNow, 'live-base');
  const [seenHello, setSeenHello] = useState(false);

  useLiveMessages((m) => {
    if (m.type === 'hello') {
      // The first hello follows the page load; a later one means we were disconnected and may have missed counts.
      if (seenHello) {
        setTally(emptyTally());
        void queryClient.invalidateQueries({ queryKey: ['live-base', site.id] });
      }
      setSeenHello(true);
      return;
    }
    if (m.siteId !== site.id) return;
    if (m.type === 'counts') setTally((t) => addCounts(t, m));
    if (m.type === 'occupancy') setTally((t) => setOccupancy(t, m));
  });

  if (crossings.isPending || entries.isPending) return <Loading label="Loading today's counts…" />;
  const failed = crossings.error ?? entries.error;
  if (failed)
    return (
      <ErrorState
        error={failed}
        onRetry={() => void queryClient.invalidateQueries({ queryKey: ['live-base', site.id] })}
      />
    );
  if (rules.length === 0) return <EmptyState>No lines or zones on this site's cameras yet.</EmptyState>;

  const lines = lineCounters(rules, crossings.data, tally);
  const zones = zoneCounters(rules, entries.data, occupancy.data, tally);
  return (
    <div className="counter-grid" data-testid="live-counters">
      {lines.map((c) => (
        <article key={c.rule.id} className="card counter" data-testid={`counter-${c.rule.key}`}>
          <h3>{c.rule.name}</h3>
          <p className="muted">Line · {c.rule.cameraName}</p>
          <dl className="figures">
            <div>
              <dt>
                <ArrowDownLeft size={14} aria-hidden /> In
              </dt>
              <dd data-testid="counter-in">{formatCount(c.in)}</dd>
            </div>
            <div>
              <dt>
                <ArrowUpRight size={14} aria-hidden /> Out
              </dt>
              <dd data-testid="counter-out">{formatCount(c.out)}</dd>
            </div>
          </dl>
        </article>
      ))}
      {zones.map((c) => (
        <article key={c.rule.id} className="card counter" data-testid={`counter-${c.rule.key}`}>
          <h3>{c.rule.name}</h3>
          <p className="muted">Zone · {c.rule.cameraName}</p>
          <dl className="figures">
            <div>
              <dt>
                <Users size={14} aria-hidden /> Inside now
              </dt>
              <dd data-testid="counter-inside">
                {c.inside === null ? '—' : formatCount(c.inside)}
                {c.stale && <span className="muted"> (stale)</span>}
              </dd>
            </div>
            <div>
              <dt>Entries today</dt>
              <dd data-testid="counter-entries">{formatCount(c.entries)}</dd>
            </div>
          </dl>
        </article>
      ))}
    </div>
  );
}

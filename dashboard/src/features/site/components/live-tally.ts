import type { CountsReport, LiveMessage, OccupancyReport } from '@tally/proto';
import { ruleIdentity, type NamedRule } from '../api/get-rules';

/**
 * Today's counters per line and zone, kept live without reloading: the analytics API's totals at load time (the
 * base) plus what the live socket has pushed since (the deltas). Pure: the component keeps the state.
 *
 * A delta key is `<device>/<camera>/<rule>|<kind>|<direction>`; kinds stay apart (a zone entry is never a line
 * crossing). Occupancy is a level, not a count: the latest live value replaces the loaded one.
 */
export interface LiveTally {
  deltas: Record<string, number>;
  occupancy: Record<string, number>;
}

export const emptyTally = (): LiveTally => ({ deltas: {}, occupancy: {} });

type LiveCounts = Extract<LiveMessage, { type: 'counts' }>;
type LiveOccupancy = Extract<LiveMessage, { type: 'occupancy' }>;

export function addCounts(tally: LiveTally, message: LiveCounts): LiveTally {
  const deltas = { ...tally.deltas };
  for (const item of message.items) {
    const key = `${ruleIdentity(item.deviceId, item.cameraId, item.ruleId)}|${item.kind}|${item.direction}`;
    deltas[key] = (deltas[key] ?? 0) + item.count;
  }
  return { ...tally, deltas };
}

export function setOccupancy(tally: LiveTally, message: LiveOccupancy): LiveTally {
  const total = Object.values(message.counts).reduce((a, b) => a + b, 0);
  const id = ruleIdentity(message.deviceId, message.cameraId, message.zoneId);
  return { ...tally, occupancy: { ...tally.occupancy, [id]: total } };
}

export interface LineCounter {
  rule: NamedRule;
  in: number;
  out: number;
}

export interface ZoneCounter {
  rule: NamedRule;
  entries: number;
  inside: number | null;
  /** The loaded value is the last one a box that went quiet sent (and no live value came since). */
  stale: boolean;
}

const seriesTotals = (report: CountsReport | undefined, id: string) =>
  report?.series.find(
    (s) => ruleIdentity(s.key.deviceId ?? '', s.key.cameraId ?? '', s.key.ruleId ?? '') === id,
  )?.totals;

/** Lines: crossings in and out. `crossings` is the counts report grouped by rule for `kind=line_cross`. */
export function lineCounters(
  rules: NamedRule[],
  crossings: CountsReport | undefined,
  tally: LiveTally,
): LineCounter[] {
  return rules
    .filter((r) => r.kind === 'line')
    .map((rule) => {
      const base = seriesTotals(crossings, rule.id);
      return {
        rule,
        in: (base?.in ?? 0) + (tally.deltas[`${rule.id}|line_cross|in`] ?? 0),
        out: (base?.out ?? 0) + (tally.deltas[`${rule.id}|line_cross|out`] ?? 0),
      };
    });
}

/** Zones: entries today (`kind=zone_enter` grouped by rule) and how many are inside now. */
export function zoneCounters(
  rules: NamedRule[],
  entries: CountsReport | undefined,
  occupancy: OccupancyReport | undefined,
  tally: LiveTally,
): ZoneCounter[] {
  return rules
    .filter((r) => r.kind === 'zone')
    .map((rule) => {
      const loaded = occupancy?.zones.find((z) => ruleIdentity(z.deviceId, z.cameraId, z.zoneId) === rule.id);
      const live = tally.occupancy[rule.id];
      const added = Object.entries(tally.deltas)
        .filter(([k]) => k.startsWith(`${rule.id}|zone_enter|`))
        .reduce((sum, [, n]) => sum + n, 0);
      return {
        rule,
        entries: (seriesTotals(entries, rule.id)?.total ?? 0) + added,
        inside: live ?? loaded?.now ?? null,
        stale: live === undefined && (loaded?.stale ?? false),
      };
    });
}

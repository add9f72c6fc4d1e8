/**
 * The box's running totals per counting rule, for its own health server (`/counts`, `/metrics`) and a local
 * broker: what a standalone box with no cloud shows its installer. Folded from the events and occupancy samples
 * the cameras hand to the store, so they agree with what is stored and synced.
 *
 * Totals count from the agent's start (`since`); the store and the cloud keep the history. Occupancy is the latest
 * sample of each zone. Every rule of the running config is listed, at zero until something counts.
 *
 * Pure: no clock, no I/O.
 */
import type { CameraConfig, OccupancySample } from '@tally/proto';
import type { CountEventDraft } from '../vision/types';

export interface LineCount {
  cameraId: string;
  ruleId: string;
  name: string;
  kind: 'line';
  in: number;
  out: number;
}

export interface ZoneCount {
  cameraId: string;
  ruleId: string;
  name: string;
  kind: 'zone';
  enter: number;
  exit: number;
  /** Objects in the zone now (latest sample), all classes together. */
  occupancy: number;
  dwellExceeded: number;
}

export type RuleCount = LineCount | ZoneCount;

interface Totals {
  in: number;
  out: number;
  enter: number;
  exit: number;
  dwellExceeded: number;
  occupancy: number;
}

const key = (cameraId: string, ruleId: string) => `${cameraId}\u0000${ruleId}`;
const zero = (): Totals => ({ in: 0, out: 0, enter: 0, exit: 0, dwellExceeded: 0, occupancy: 0 });

export class RuleCounts {
  private readonly totals = new Map<string, Totals>();

  constructor(readonly since: number) {}

  addEvents(drafts: readonly CountEventDraft[]): void {
    for (const d of drafts) {
      const t = this.entry(d.cameraId, d.ruleId);
      if (d.kind === 'line_cross') {
        if (d.direction === 'out') t.out++;
        else t.in++;
      } else if (d.kind === 'zone_enter') t.enter++;
      else if (d.kind === 'zone_exit') t.exit++;
      else t.dwellExceeded++;
    }
  }

  addOccupancy(samples: readonly OccupancySample[]): void {
    for (const s of samples) {
      this.entry(s.cameraId, s.zoneId).occupancy = Object.values(s.counts).reduce((a, b) => a + b, 0);
    }
  }

  /** Every line and zone of `cameras` (the running config), in config order. */
  snapshot(cameras: readonly CameraConfig[]): RuleCount[] {
    const out: RuleCount[] = [];
    for (const c of cameras) {
      for (const l of c.lines) {
        const t = this.totals.get(key(c.id, l.id)) ?? zero();
        out.push({ cameraId: c.id, ruleId: l.id, name: l.name, kind: 'line', in: t.in, out: t.out });
      }
      for (const z of c.zones) {
        const t = this.totals.get(key(c.id, z.id)) ?? zero();
        out.push({
          cameraId: c.id,
          ruleId: z.id,
          name: z.name,
          kind: 'zone',
          enter: t.enter,
          exit: t.exit,
          occupancy: t.occupancy,
          dwellExceeded: t.dwellExceeded,
        });
      }
    }
    return out;
  }

  private entry(cameraId: string, ruleId: string): Totals {
    const k = key(cameraId, ruleId);
    let t = this.totals.get(k);
    if (!t) this.totals.set(k, (t = zero()));
    return t;
  }
}

/** The counts in Prometheus text exposition format 0.0.4, appended to the agent's /metrics. */
export function renderRuleCountMetrics(counts: readonly RuleCount[]): string {
  const out: string[] = [];
  const labels = (c: RuleCount, extra = '') =>
    `{camera="${esc(c.cameraId)}",rule="${esc(c.ruleId)}",name="${esc(c.name)}"${extra}}`;
  const lines = counts.filter((c): c is LineCount => c.kind === 'line');
  const zones = counts.filter((c): c is ZoneCount => c.kind === 'zone');
  out.push(
    '# HELP tally_line_crossings_total Line crossings since the agent started',
    '# TYPE tally_line_crossings_total counter',
  );
  for (const c of lines) {
    out.push(`tally_line_crossings_total${labels(c, ',direction="in"')} ${c.in}`);
    out.push(`tally_line_crossings_total${labels(c, ',direction="out"')} ${c.out}`);
  }
  const family = (name: string, type: string, help: string, value: (z: ZoneCount) => number) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const z of zones) out.push(`${name}${labels(z)} ${value(z)}`);
  };
  family('tally_zone_entries_total', 'counter', 'Zone entries since the agent started', (z) => z.enter);
  family('tally_zone_exits_total', 'counter', 'Zone exits since the agent started', (z) => z.exit);
  family('tally_zone_occupancy', 'gauge', 'Objects in the zone now', (z) => z.occupancy);
  return `${out.join('\n')}\n`;
}

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

import type { Camera, CountsReport, CountTotals, Device, OccupancyReport, Rule, Site } from '@tally/proto';
import { SITE_ID } from './render';

export const site: Site = {
  id: SITE_ID,
  name: 'Riverside Mall',
  timezone: 'Europe/Paris',
  createdAt: '2026-01-01T00:00:00Z',
};

const zero: CountTotals = { in: 0, out: 0, total: 0, net: 0 };
const totals = (inn: number, out: number): CountTotals => ({
  in: inn,
  out,
  total: inn + out,
  net: inn - out,
});

/** A counts report of line crossings: one series per given rule key (groupBy rule) or one series (none). */
export function countsReport(opts: {
  groupBy?: 'none' | 'rule';
  series?: { ruleId?: string; points: [number, number][] }[];
  kind?: 'line_cross' | 'zone_enter';
}): CountsReport {
  const kind = opts.kind ?? 'line_cross';
  const series = (opts.series ?? []).map((s) => {
    const points = s.points.map(([inn, out], i) => ({
      start: new Date(Date.UTC(2026, 2, 2, i)).toISOString(),
      startMs: Date.UTC(2026, 2, 2, i),
      ...totals(inn, out),
    }));
    const sum = points.reduce((a, p) => totals(a.in + p.in, a.out + p.out), zero);
    return {
      key: { kind, ...(s.ruleId ? { deviceId: 'dev-1', cameraId: 'cam-1', ruleId: s.ruleId } : {}) },
      points,
      totals: sum,
    };
  });
  const all = series.reduce((a, s) => totals(a.in + s.totals.in, a.out + s.totals.out), zero);
  return {
    siteId: SITE_ID,
    timezone: 'Europe/Paris',
    from: '2026-03-02T00:00:00+01:00',
    to: '2026-03-03T00:00:00+01:00',
    bucket: 'hour',
    groupBy: opts.groupBy ?? 'none',
    series,
    byKind: { line_cross: zero, zone_enter: zero, zone_exit: zero, dwell_exceeded: zero, [kind]: all },
  };
}

export const occupancy: OccupancyReport = {
  siteId: SITE_ID,
  timezone: 'Europe/Paris',
  from: '',
  to: '',
  now: 4,
  zones: [
    {
      deviceId: 'dev-1',
      cameraId: 'cam-1',
      zoneId: 'lobby',
      now: 4,
      nowAt: '2026-03-02T10:00:00Z',
      stale: false,
      ageMs: 1000,
      byClass: { person: 4 },
      peak: 9,
      peakAt: '2026-03-02T09:00:00Z',
    },
  ],
};

export const camera = {
  id: '33333333-3333-4333-8333-333333333333',
  deviceId: 'dev-1',
  siteId: SITE_ID,
  key: 'cam-1',
  name: 'Entrance camera',
  setup: {
    source: { url: '/dev/video0' },
    fps: 10,
    inputSize: { width: 768, height: 576 },
    classes: ['person'],
    scoreThreshold: 0.3,
  },
  modelId: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
} as Camera;

export const rules = [
  {
    id: '44444444-4444-4444-8444-444444444444',
    cameraId: camera.id,
    key: 'doors',
    kind: 'line',
    name: 'Main doors',
    definition: { p1: { x: 0.5, y: 0 }, p2: { x: 0.5, y: 1 } },
    updatedAt: '2026-01-01T00:00:00Z',
  },
  {
    id: '55555555-5555-4555-8555-555555555555',
    cameraId: camera.id,
    key: 'lobby',
    kind: 'zone',
    name: 'Lobby',
    definition: {
      polygon: [
        { x: 0, y: 0 },
        { x: 1, y: 0 },
        { x: 1, y: 1 },
      ],
    },
    updatedAt: '2026-01-01T00:00:00Z',
  },
] as Rule[];

export function device(overrides: Partial<Device> = {}): Device {
  return {
    id: 'dev-1',
    siteId: SITE_ID,
    name: 'Main entrance box',
    revoked: false,
    status: 'online',
    statusReason: null,
    statusSince: '2026-03-02T08:00:00Z',
    lastSeenAt: new Date(Date.now() - 30_000).toISOString(),
    health: {
      heartbeatAt: new Date(Date.now() - 30_000).toISOString(),
      agentVersion: '0.3.1',
      modelVersion: 'yolox-nano',
      uptimeS: 3600,
      backlog: 12,
      lastAckAt: null,
      disk: { usedBytes: 1, budgetBytes: 10, foldedEvents: 0 },
      cameras: [
        {
          cameraId: 'cam-1',
          state: 'live',
          reason: null,
          fps: 9.8,
          framesProcessed: 100,
          framesDropped: 2,
          detectorLatencyMs: { p50: 9, p95: 14 },
          lastFrameAt: null,
        },
      ],
    },
    config: { version: 2, status: 'applied', appliedVersion: 2 },
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

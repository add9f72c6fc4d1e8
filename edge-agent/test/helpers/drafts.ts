import type { CountEventDraft } from '../../src/vision/types';

export const T0 = Date.UTC(2026, 10, 26, 9, 30, 0);

/** A plausible line-crossing draft; `i` spreads them over time and cameras. */
export function draft(i: number, cameraId = 'cam-entrance'): CountEventDraft {
  return {
    cameraId,
    ruleId: 'door-line',
    kind: 'line_cross',
    direction: i % 3 === 0 ? 'out' : 'in',
    objectClass: 'person',
    trackId: i,
    ts: T0 + i * 1000,
    confidence: 0.8,
  };
}

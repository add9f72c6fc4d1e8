import { Type, type Static } from '@sinclair/typebox';
import { Id, SchemaVersion, TimestampMs } from '../common';
import { SCHEMA_VERSION } from '../version';

/** Retained. Published `online` on connect; the broker publishes the last will (`offline`) when the device vanishes. */
export const Status = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    ts: TimestampMs,
  },
  { additionalProperties: false },
);
export type Status = Static<typeof Status>;

export function statusMessage(deviceId: string, state: Status['state'], ts: number = Date.now()): Status {
  return { v: SCHEMA_VERSION, deviceId, state, ts };
}

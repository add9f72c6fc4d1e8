import { Type, type Static } from '@sinclair/typebox';
import { Direction, Id, ObjectClass, SchemaVersion, TimestampMs } from '../common';
import { EventKind } from './count-event';

/**
 * Counts per camera / rule / class / kind / direction / minute. A bucket's `count` is the device's total for that
 * key and minute, so resending it is idempotent (the receiver replaces, never adds). The device keeps a total due until the
 * cloud acknowledges the batch that carried it (`batchId`), not merely until the broker took it. Devices send buckets for
 * minutes whose raw events were folded away under disk pressure, and as a cheap summary for live charts.
 */
export const MinuteBucket = Type.Object(
  {
    cameraId: Id,
    ruleId: Id,
    kind: EventKind,
    direction: Type.Optional(Direction),
    objectClass: ObjectClass,
    minute: Type.Integer({ minimum: 0, multipleOf: 60000, description: 'Start of the minute, ms UTC' }),
    count: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type MinuteBucket = Static<typeof MinuteBucket>;

export const BucketBatch = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    sentAt: TimestampMs,
    batchId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'Names the batch: the cloud acknowledges it on `ack` (`batch`), and the device resends it until then',
      }),
    ),
    buckets: Type.Array(MinuteBucket, { minItems: 1, maxItems: 5000 }),
  },
  { additionalProperties: false },
);
export type BucketBatch = Static<typeof BucketBatch>;

/** Occupancy of one zone at one instant, per class. Kept on the device until the cloud acknowledges its batch. */
export const OccupancySample = Type.Object(
  {
    cameraId: Id,
    zoneId: Id,
    ts: TimestampMs,
    counts: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Integer({ minimum: 0 }), {
      description: 'Objects in the zone by class, e.g. {"person": 3}',
    }),
  },
  { additionalProperties: false },
);
export type OccupancySample = Static<typeof OccupancySample>;

export const OccupancyBatch = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    sentAt: TimestampMs,
    batchId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'Names the batch: the cloud acknowledges it on `ack` (`batch`), and the device resends it until then',
      }),
    ),
    samples: Type.Array(OccupancySample, { minItems: 1, maxItems: 5000 }),
  },
  { additionalProperties: false },
);
export type OccupancyBatch = Static<typeof OccupancyBatch>;

import { Type, type Static } from '@sinclair/typebox';
import { Direction, Id, ObjectClass, SchemaVersion, TimestampMs } from '../common';

export const EventKind = Type.Union(
  [
    Type.Literal('line_cross'),
    Type.Literal('zone_enter'),
    Type.Literal('zone_exit'),
    Type.Literal('dwell_exceeded'),
  ],
  {
    description:
      'What happened: a line crossing, a zone entry or exit, or a visit longer than the dwell threshold',
  },
);
export type EventKind = Static<typeof EventKind>;

export const VisitEndReason = Type.Union([Type.Literal('camera_restart'), Type.Literal('camera_stopped')], {
  description:
    'Why a zone visit ended without the object being seen leaving: the camera restarted (its tracks were reset) or stopped (config change, shutdown)',
});
export type VisitEndReason = Static<typeof VisitEndReason>;

/**
 * One count. `(deviceId, seq)` is its idempotency key: the device assigns `seq` when it stores the event, strictly
 * increasing per device, and the cloud stores each pair once, ever.
 */
export const CountEvent = Type.Object(
  {
    deviceId: Id,
    seq: Type.Integer({ minimum: 1, description: 'Per-device sequence number, strictly increasing from 1' }),
    cameraId: Id,
    ruleId: Id,
    kind: EventKind,
    direction: Type.Optional(Direction),
    objectClass: ObjectClass,
    trackId: Type.Integer({ minimum: 0, description: "The tracker's id for the object on this camera" }),
    ts: TimestampMs,
    confidence: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Detector score of the track at the event',
    }),
    dwellMs: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Time in the zone so far (zone_exit, dwell_exceeded)' }),
    ),
    endReason: Type.Optional(VisitEndReason),
  },
  { additionalProperties: false },
);
export type CountEvent = Static<typeof CountEvent>;

/** Events travel in batches, in seq order. */
export const EventBatch = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    sentAt: TimestampMs,
    events: Type.Array(CountEvent, { minItems: 1, maxItems: 5000 }),
    foldedThrough: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Every seq up to this one that the cloud has not received was folded into minute buckets on the device (disk budget) and will never come raw: count it as present when computing the contiguous ack',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EventBatch = Static<typeof EventBatch>;

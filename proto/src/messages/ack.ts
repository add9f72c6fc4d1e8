import { Type, type Static } from '@sinclair/typebox';
import { Id, SchemaVersion, TimestampMs } from '../common';

/**
 * Cloud → device, two kinds of acknowledgement in one message:
 * - `seq`: every event seq up to and including it is stored. Contiguous: a gap holds the ack back, so the device
 *   resends what is missing and may forget everything at or below `seq`.
 * - `batch`: the bucket or occupancy batch with this `batchId` is stored. Those batches have no seq (a bucket is a
 *   total that is resent whenever it grows), so the device names each one and keeps it until this ack arrives.
 * At least one of them is present.
 */
export const BatchRef = Type.Object(
  {
    channel: Type.Union([Type.Literal('buckets'), Type.Literal('occupancy')]),
    id: Type.String({ minLength: 1, maxLength: 64, description: "The batch's `batchId`" }),
  },
  { additionalProperties: false },
);
export type BatchRef = Static<typeof BatchRef>;

export const Ack = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    seq: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Highest contiguous seq stored (0: nothing yet)' }),
    ),
    batch: Type.Optional(BatchRef),
    ts: TimestampMs,
  },
  { additionalProperties: false, minProperties: 4 },
);
export type Ack = Static<typeof Ack>;

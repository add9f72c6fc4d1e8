import { Type, type Static } from '@sinclair/typebox';
import { Id, SchemaVersion, TimestampMs } from '../common';

/**
 * Cloud → device: every seq up to and including `seq` is stored. Contiguous: a gap holds the ack back, so the
 * device resends what is missing and may forget everything at or below `seq`.
 */
export const Ack = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    seq: Type.Integer({ minimum: 0, description: 'Highest contiguous seq stored (0: nothing yet)' }),
    ts: TimestampMs,
  },
  { additionalProperties: false },
);
export type Ack = Static<typeof Ack>;

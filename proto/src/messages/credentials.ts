import { Type, type Static } from '@sinclair/typebox';
import { Id, SchemaVersion, TimestampMs } from '../common';

/**
 * Cloud → device, over the device's current (authenticated) session: its new MQTT password after a rotation. The
 * previous password stays valid until `previousValidUntil` (or until the device connects with the new one), so the
 * box stores the new one, reconnects with it, and never stops counting or syncing. QoS 1 on the persistent session:
 * a box that is offline gets it when it comes back, still within the overlap. Never retained.
 */
export const Credentials = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    password: Type.String({
      minLength: 16,
      maxLength: 256,
      description: 'The new MQTT (and HTTP Basic) password',
    }),
    issuedAt: TimestampMs,
    previousValidUntil: Type.Integer({
      minimum: 0,
      description: 'ms since the epoch: until then the previous password is still accepted',
    }),
  },
  { additionalProperties: false },
);
export type Credentials = Static<typeof Credentials>;

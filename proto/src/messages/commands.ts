import { Type, type Static } from '@sinclair/typebox';
import { Id, SchemaVersion, TimestampMs } from '../common';

const CommandBase = {
  v: SchemaVersion,
  id: Type.String({ minLength: 1, maxLength: 64, description: 'Unique command id, echoed in the result' }),
  issuedAt: TimestampMs,
};

/** Take a JPEG of a camera's current frame with its lines and zones drawn, and upload it to the cloud. */
export const SnapshotCommand = Type.Object(
  { ...CommandBase, type: Type.Literal('snapshot'), cameraId: Id },
  { additionalProperties: false },
);
/** Resend every stored event from `fromSeq` on (the cloud lost data, or asks after a restore). */
export const ResyncCommand = Type.Object(
  { ...CommandBase, type: Type.Literal('resync'), fromSeq: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
/** Stop and start one camera's pipeline. */
export const RestartCameraCommand = Type.Object(
  { ...CommandBase, type: Type.Literal('restart_camera'), cameraId: Id },
  { additionalProperties: false },
);

export const Command = Type.Union([SnapshotCommand, ResyncCommand, RestartCameraCommand]);
export type Command = Static<typeof Command>;
export type CommandType = Command['type'];

export const CommandResult = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    commandId: Type.String({ minLength: 1, maxLength: 64 }),
    type: Type.Optional(Type.String({ maxLength: 32 })),
    ok: Type.Boolean(),
    error: Type.Optional(Type.String({ maxLength: 2000 })),
    snapshotUrl: Type.Optional(Type.String({ maxLength: 2000 })),
    ts: TimestampMs,
  },
  { additionalProperties: false },
);
export type CommandResult = Static<typeof CommandResult>;

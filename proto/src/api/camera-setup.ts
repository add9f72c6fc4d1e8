import { Type, type Static } from '@sinclair/typebox';
import { Id } from '../common';
import { LineDefinition, ZoneDefinition } from './devices';

/**
 * A device has this long to answer a command on `commands/result` before the cloud reports it `timed_out`. A
 * snapshot encodes a JPEG and uploads it (the edge gives the upload 30 s), so the window covers that plus the trip.
 */
export const COMMAND_TIMEOUT_MS = 45_000;

/** `POST /api/devices/:deviceId/commands`: what to send the box (proto's Command, less what the cloud fills in). */
export const SendCommandBody = Type.Union(
  [
    Type.Object(
      {
        type: Type.Literal('snapshot'),
        cameraId: Type.String({
          minLength: 1,
          maxLength: 64,
          description: "The camera's key (its id in the device config)",
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('restart_camera'),
        cameraId: Type.String({
          minLength: 1,
          maxLength: 64,
          description: "The camera's key (its id in the device config)",
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('resync'),
        fromSeq: Type.Integer({ minimum: 1, description: 'Resend every stored event from this seq on' }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'snapshot and restart_camera name a camera; resync names the first seq to resend' },
);
export type SendCommandBody = Static<typeof SendCommandBody>;

export const CommandStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('timed_out')],
  {
    description:
      'pending until the box answers; succeeded or failed (with its error) by its answer; timed_out when it has not ' +
      'answered within COMMAND_TIMEOUT_MS (an answer arriving later still counts)',
  },
);
export type CommandStatus = Static<typeof CommandStatus>;

/** A command sent to a device and where it stands. */
export const DeviceCommand = Type.Object({
  commandId: Type.String(),
  deviceId: Id,
  type: Type.Union([Type.Literal('snapshot'), Type.Literal('restart_camera'), Type.Literal('resync')]),
  cameraId: Type.Union([Type.String(), Type.Null()], { description: 'The camera key, for camera commands' }),
  status: CommandStatus,
  error: Type.Union([Type.String(), Type.Null()], { description: "The device's message when it failed" }),
  issuedAt: Type.String({ format: 'date-time' }),
  answeredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  timeoutAt: Type.String({ format: 'date-time', description: 'When a pending command becomes timed_out' }),
});
export type DeviceCommand = Static<typeof DeviceCommand>;

/** One rule in `PUT /api/cameras/:cameraId/rules`: the camera's whole rule set, saved as one config version. */
export const RuleDraft = Type.Union([
  Type.Object(
    {
      key: Id,
      kind: Type.Literal('line'),
      name: Type.String({ minLength: 1, maxLength: 100 }),
      definition: LineDefinition,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      key: Id,
      kind: Type.Literal('zone'),
      name: Type.String({ minLength: 1, maxLength: 100 }),
      definition: ZoneDefinition,
    },
    { additionalProperties: false },
  ),
]);
export type RuleDraft = Static<typeof RuleDraft>;

export const ReplaceRulesBody = Type.Object(
  {
    rules: Type.Array(RuleDraft, {
      maxItems: 128,
      description:
        'Every line and zone the camera should have: rules with a known key are updated (their counts keep their ' +
        'history), new keys are added, rules left out are deleted',
    }),
  },
  { additionalProperties: false },
);
export type ReplaceRulesBody = Static<typeof ReplaceRulesBody>;

/** `POST /api/devices/:deviceId/config-versions/:version/restore`: what the restore did. */
export const RestoreResult = Type.Object({
  restoredFrom: Type.Integer({ description: 'The version whose cameras and rules were restored' }),
  config: Type.Object({ version: Type.Integer(), hash: Type.String() }, { description: 'The new version' }),
  cameras: Type.Array(
    Type.Object({
      key: Type.String(),
      action: Type.Union([Type.Literal('restored'), Type.Literal('recreated'), Type.Literal('kept')], {
        description:
          'restored: setup and rules as in that version; recreated: deleted since, added back; kept: added after ' +
          'that version, left as it is',
      }),
    }),
  ),
});
export type RestoreResult = Static<typeof RestoreResult>;

import { Type, type Static } from '@sinclair/typebox';
import { Id } from '../common';
import { CameraState } from '../messages/heartbeat';
import {
  CameraSource,
  DetectionCost,
  LineRule,
  ModelLayout,
  ValidationIssue,
  ZoneRule,
} from '../messages/config';
import { ObjectClass } from '../common';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

/** Where a device's latest config stands: `pending` until it answers on `config/applied`. */
export const ConfigState = Type.Object({
  version: Type.Integer({ description: 'Latest version issued (0: none yet)' }),
  status: Type.Union([
    Type.Literal('none'),
    Type.Literal('pending'),
    Type.Literal('applied'),
    Type.Literal('rejected'),
  ]),
  appliedVersion: Type.Union([Type.Integer(), Type.Null()]),
  errors: Type.Optional(Type.Array(ValidationIssue)),
});
export type ConfigState = Static<typeof ConfigState>;

/** One camera as its device's latest heartbeat reported it. */
export const CameraHealthSummary = Type.Object({
  cameraId: Type.String(),
  state: CameraState,
  reason: Type.Union([Type.String(), Type.Null()]),
  fps: Type.Number(),
  framesProcessed: Type.Integer(),
  framesDropped: Type.Integer(),
  detectorLatencyMs: Type.Object({ p50: Type.Number(), p95: Type.Number() }),
  lastFrameAt: Type.Union([DateTime, Type.Null()]),
});
export type CameraHealthSummary = Static<typeof CameraHealthSummary>;

/** What the latest heartbeat said: software, backlog, disk and each camera. */
export const DeviceHealth = Type.Object({
  heartbeatAt: DateTime,
  agentVersion: Type.String(),
  modelVersion: Type.Union([Type.String(), Type.Null()]),
  uptimeS: Type.Number(),
  backlog: Type.Integer({ description: 'Events stored on the box, not yet acknowledged by the cloud' }),
  lastAckAt: Type.Union([DateTime, Type.Null()]),
  disk: Type.Object({ usedBytes: Type.Integer(), budgetBytes: Type.Integer(), foldedEvents: Type.Integer() }),
  cameras: Type.Array(CameraHealthSummary),
});
export type DeviceHealth = Static<typeof DeviceHealth>;

export const Device = Type.Object({
  id: Id,
  siteId: Uuid,
  name: Type.String(),
  revoked: Type.Boolean(),
  status: Type.Union([Type.Literal('online'), Type.Literal('offline')], {
    description: `offline when the box said so (or its last will did), or has been silent for DEVICE_SILENT_AFTER_MS, or never connected`,
  }),
  statusReason: Type.Union(
    [Type.Literal('disconnected'), Type.Literal('silent'), Type.Literal('never_seen'), Type.Null()],
    { description: 'Why offline; null when online' },
  ),
  statusSince: Type.Union([DateTime, Type.Null()], { description: 'Since when in that state, when known' }),
  lastSeenAt: Type.Union([DateTime, Type.Null()]),
  config: ConfigState,
  health: Type.Union([DeviceHealth, Type.Null()], {
    description: 'From the latest heartbeat; null before one',
  }),
  createdAt: DateTime,
});
export type Device = Static<typeof Device>;

export const UpdateDeviceBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);
export type UpdateDeviceBody = Static<typeof UpdateDeviceBody>;

/** `POST /api/devices/:deviceId/credentials`: a new MQTT password; the old one stops working at once. */
export const DeviceCredentials = Type.Object({
  deviceId: Id,
  mqtt: Type.Object({ url: Type.String(), username: Type.String(), password: Type.String() }),
  previousValidUntil: Type.Optional(
    Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'Until when the previous password still works (null: revoked at once)',
    }),
  ),
  handedOver: Type.Optional(
    Type.Boolean({
      description: 'The new password was sent to the box over its MQTT session; it switches by itself',
    }),
  ),
});

export const RotateCredentialsQuery = Type.Object(
  {
    overlapS: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 30 * 86_400,
        description:
          'Seconds the previous password keeps working (default 7 days); 0 revokes it now and disconnects the box (a leaked password)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RotateCredentialsQuery = Static<typeof RotateCredentialsQuery>;
export type DeviceCredentials = Static<typeof DeviceCredentials>;

/**
 * A camera's setup as edited in the dashboard: proto's CameraConfig without `id` (the camera key), `lines` and
 * `zones` (the rules) and `modelId` (chosen by model assignment).
 */
export const CameraSetup = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    enabled: Type.Optional(Type.Boolean()),
    source: CameraSource,
    fps: Type.Number({ exclusiveMinimum: 0, maximum: 60 }),
    inputSize: Type.Object(
      {
        width: Type.Integer({ minimum: 32, maximum: 7680 }),
        height: Type.Integer({ minimum: 32, maximum: 4320 }),
      },
      { additionalProperties: false },
    ),
    classes: Type.Array(ObjectClass, { minItems: 1 }),
    scoreThreshold: Type.Number({ minimum: 0.01, maximum: 1 }),
    ...DetectionCost,
  },
  { additionalProperties: false },
);
export type CameraSetup = Static<typeof CameraSetup>;

export const Camera = Type.Object({
  id: Uuid,
  deviceId: Id,
  siteId: Uuid,
  key: Type.String({ description: 'The camera id in the device config and in count events' }),
  name: Type.String(),
  setup: CameraSetup,
  modelId: Type.Union([Uuid, Type.Null()]),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Camera = Static<typeof Camera>;

export const CreateCameraBody = Type.Object(
  { key: Id, name: Type.String({ minLength: 1, maxLength: 100 }), setup: CameraSetup },
  { additionalProperties: false },
);
export type CreateCameraBody = Static<typeof CreateCameraBody>;

export const UpdateCameraBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    setup: Type.Optional(CameraSetup),
    modelId: Type.Optional(
      Type.Union([Uuid, Type.Null()], { description: 'Assign a catalogue model (null: default)' }),
    ),
  },
  { additionalProperties: false },
);
export type UpdateCameraBody = Static<typeof UpdateCameraBody>;

/** A camera's counting rule; `definition` is the LineRule or ZoneRule without its `id` (the rule key). */
export const LineDefinition = Type.Omit(LineRule, ['id', 'name']);
export const ZoneDefinition = Type.Omit(ZoneRule, ['id', 'name']);

export const Rule = Type.Object({
  id: Uuid,
  cameraId: Uuid,
  key: Type.String({ description: 'The ruleId in count events' }),
  kind: Type.Union([Type.Literal('line'), Type.Literal('zone')]),
  name: Type.String(),
  definition: Type.Union([LineDefinition, ZoneDefinition]),
  updatedAt: DateTime,
});
export type Rule = Static<typeof Rule>;

export const CreateRuleBody = Type.Union([
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
export type CreateRuleBody = Static<typeof CreateRuleBody>;

export const UpdateRuleBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    definition: Type.Optional(Type.Union([LineDefinition, ZoneDefinition])),
  },
  { additionalProperties: false },
);
export type UpdateRuleBody = Static<typeof UpdateRuleBody>;

/** `GET /api/models`: the detector model catalogue. */
export const Model = Type.Object({
  id: Uuid,
  key: Id,
  name: Type.String(),
  version: Type.String(),
  layout: ModelLayout,
  sha256: Type.Union([Type.String(), Type.Null()]),
  sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
  classNames: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdAt: DateTime,
});
export type Model = Static<typeof Model>;

export const CreateModelBody = Type.Object(
  {
    key: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.String({ minLength: 1, maxLength: 50 }),
    layout: ModelLayout,
    classNames: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type CreateModelBody = Static<typeof CreateModelBody>;

/** `POST /api/sites/:siteId/claim-codes`: shown once; the box trades it at POST /api/provision. */
export const ClaimCode = Type.Object({
  id: Type.Optional(Uuid),
  code: Type.String({ description: 'e.g. K7QM-4XPR; case and dashes do not matter' }),
  siteId: Uuid,
  name: Type.Optional(
    Type.Union([Type.String(), Type.Null()], { description: 'The box name it was made for, if given' }),
  ),
  expiresAt: DateTime,
});
export type ClaimCode = Static<typeof ClaimCode>;

export const CreateClaimCodeBody = Type.Object(
  {
    ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 60, default: 60 })),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'The box it is for, e.g. "Gate 3": a label to tell open codes apart',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateClaimCodeBody = Static<typeof CreateClaimCodeBody>;

/**
 * `GET /api/sites/:siteId/claim-codes`, `GET /api/claim-codes`: codes not yet used, revoked or expired. The code
 * itself is never shown again after creation (only its hash is stored): its first characters tell codes apart.
 */
export const OpenClaimCode = Type.Object({
  id: Uuid,
  siteId: Uuid,
  name: Type.Union([Type.String(), Type.Null()], { description: 'The box name given at creation' }),
  prefix: Type.Union([Type.String(), Type.Null()], {
    description: 'The first two characters of the code, e.g. "K7" (null for codes made before prefixes)',
  }),
  createdBy: Type.Union([
    Type.Object({ userId: Uuid, email: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  createdAt: DateTime,
  expiresAt: DateTime,
});
export type OpenClaimCode = Static<typeof OpenClaimCode>;

/** `GET /api/audit`: who did what, newest first. */
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  action: Type.String({ description: 'e.g. auth.login, camera.setup, device.provision, user.role' }),
  actorUserId: Type.Union([Uuid, Type.Null()]),
  actorDeviceId: Type.Union([Type.String(), Type.Null()]),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
});
export type AuditEntry = Static<typeof AuditEntry>;

/** `GET /api/ingest/quarantine`: what ingest could not store even alone, with the reason, newest first. */
export const QuarantineEntry = Type.Object({
  id: Type.Integer(),
  siteId: Uuid,
  deviceId: Type.String(),
  channel: Type.String({ description: 'The device→cloud channel: events, buckets, occupancy…' }),
  seq: Type.Union([
    Type.String({ description: 'The event seq, as text (it may be beyond 64 bits)' }),
    Type.Null(),
  ]),
  reason: Type.String({ description: 'The database error that refused it' }),
  payload: Type.Unknown({ description: 'The event or message as received' }),
  createdAt: DateTime,
});
export type QuarantineEntry = Static<typeof QuarantineEntry>;

/**
 * A device is offline once it has been silent this long, whatever the reason (no last will sent, a NAT timeout, a
 * box locked out by a credential rotation): four of the agent's default 30 s heartbeats.
 */
export const DEVICE_SILENT_AFTER_MS = 120_000;

/** One change in a device's history: the device itself (`cameraId` '') going online/offline, or a camera's state. */
export const DeviceStateChange = Type.Object({
  cameraId: Type.String({ description: "'' for the device itself" }),
  state: Type.String({
    description: 'online/offline for the device; connecting, live, stalled, failed, stopped for a camera',
  }),
  reason: Type.Union([Type.String(), Type.Null()]),
  at: DateTime,
});
export type DeviceStateChange = Static<typeof DeviceStateChange>;

export const DeviceHistoryQuery = Type.Object(
  {
    cameraId: Type.Optional(
      Type.String({ maxLength: 64, description: "Only this camera ('' for the device)" }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);
export type DeviceHistoryQuery = Static<typeof DeviceHistoryQuery>;

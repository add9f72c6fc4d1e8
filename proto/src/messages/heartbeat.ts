import { Type, type Static } from '@sinclair/typebox';
import { Id, SchemaVersion, TimestampMs } from '../common';

export const CameraState = Type.Union(
  [
    Type.Literal('connecting'),
    Type.Literal('live'),
    Type.Literal('stalled'),
    Type.Literal('failed'),
    Type.Literal('stopped'),
  ],
  {
    description:
      'connecting: opening the stream; live: frames flowing; stalled: no frame for a while; failed: gave up for now (see reason); stopped: disabled',
  },
);
export type CameraState = Static<typeof CameraState>;

export const CameraHealth = Type.Object(
  {
    cameraId: Id,
    state: CameraState,
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why the camera is not live' })),
    fps: Type.Number({ minimum: 0, description: 'Frames processed per second, recent average' }),
    detectorLatencyMs: Type.Object(
      { p50: Type.Number({ minimum: 0 }), p95: Type.Number({ minimum: 0 }) },
      { additionalProperties: false },
    ),
    framesProcessed: Type.Integer({ minimum: 0 }),
    framesDropped: Type.Integer({
      minimum: 0,
      description: 'Stale frames skipped because detection was busy',
    }),
    lastFrameAt: Type.Optional(TimestampMs),
    framesGated: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Frames not sent to the detector on purpose: nothing moved (motion gating) or above detectFps',
      }),
    ),
    dropRate: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Share of received frames dropped in the last ~10 s',
      }),
    ),
    overloaded: Type.Optional(
      Type.Boolean({
        description: 'The camera drops frames because detection cannot keep up (see overloadReason)',
      }),
    ),
    overloadReason: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type CameraHealth = Static<typeof CameraHealth>;

export const Heartbeat = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    ts: TimestampMs,
    uptimeS: Type.Number({ minimum: 0 }),
    versions: Type.Object(
      {
        agent: Type.String({ maxLength: 64 }),
        schema: Type.Integer({ minimum: 1 }),
        config: Type.Optional(Type.Integer({ minimum: 0, description: 'Version of the applied config' })),
        model: Type.Optional(Type.String({ maxLength: 128 })),
      },
      { additionalProperties: false },
    ),
    outbox: Type.Object(
      {
        backlog: Type.Integer({ minimum: 0, description: 'Events stored but not yet acknowledged' }),
        lastSeq: Type.Integer({ minimum: 0 }),
        ackedSeq: Type.Integer({ minimum: 0 }),
        lastAckAt: Type.Optional(TimestampMs),
        quarantined: Type.Optional(
          Type.Integer({
            minimum: 0,
            description:
              'Stored rows that failed validation on the device: kept there with the reason, never sent (absent: none)',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    disk: Type.Object(
      {
        usedBytes: Type.Integer({ minimum: 0 }),
        budgetBytes: Type.Integer({ minimum: 0 }),
        foldedEvents: Type.Integer({
          minimum: 0,
          description: 'Unsynced raw events folded into minute buckets to stay within the disk budget',
        }),
      },
      { additionalProperties: false },
    ),
    cameras: Type.Array(CameraHealth, { maxItems: 256 }),
    health: Type.Optional(
      Type.Object(
        {
          ok: Type.Boolean({ description: "The box's own /healthz verdict" }),
          reasons: Type.Array(Type.String({ maxLength: 500 }), {
            maxItems: 32,
            description: 'Why it is not ok: failed cameras, store write failures, broker refusals, sync age',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    mqtt: Type.Optional(
      Type.Object(
        {
          refusals: Type.Integer({
            minimum: 0,
            description:
              'CONNECTs the broker refused since the agent started (credentials rotated or revoked)',
          }),
          lastRefusal: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Heartbeat = Static<typeof Heartbeat>;

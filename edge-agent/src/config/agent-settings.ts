import { Type, type Static } from '@sinclair/typebox';
import { ModelLayout } from '@tally/proto';

/**
 * The agent's own settings file (`tally-edge run --config <file>`, JSON). It says where the agent keeps its data,
 * how it syncs and serves health, and — for installers without a cloud — where a local device config lives (a
 * proto `DeviceConfig` JSON file, the same document the cloud publishes on the `config` topic). Every field has a
 * default except none: `{}` is a valid file. Unknown keys are rejected so a typo never goes unnoticed.
 */
export const AgentSettings = Type.Object(
  {
    dataDir: Type.String({
      minLength: 1,
      default: '/var/lib/tally-edge',
      description:
        'Directory of the SQLite database, downloaded models and provisioning state (relative: to this file)',
    }),
    deviceConfigFile: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'A local DeviceConfig JSON (proto contract) to run when no newer config came from the cloud (relative: to this file)',
      }),
    ),
    deviceId: Type.Optional(
      Type.String({
        description:
          'Device id for a box that was never provisioned (local-only, no MQTT); provisioning wins',
      }),
    ),
    mqtt: Type.Object(
      {
        url: Type.Optional(
          Type.String({ description: 'Overrides the broker URL from provisioning (mqtt:// or mqtts://)' }),
        ),
        caFile: Type.Optional(
          Type.String({
            description: 'PEM CA bundle that signs the broker certificate (mqtts); default: system CAs',
          }),
        ),
        reconnectPeriodMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 2000 }),
        keepaliveS: Type.Integer({ minimum: 5, maximum: 3600, default: 30 }),
      },
      { additionalProperties: false, default: {} },
    ),
    sync: Type.Object(
      {
        batchSize: Type.Integer({
          minimum: 1,
          maximum: 5000,
          default: 500,
          description: 'Events per EventBatch',
        }),
        backfillRatePerS: Type.Number({
          minimum: 1,
          default: 5000,
          description: 'Ceiling on events per second resent from the backlog (live events are not limited)',
        }),
        ackTimeoutMs: Type.Integer({
          minimum: 100,
          default: 30_000,
          description: 'Resend what is unacknowledged when no ack progress came for this long',
        }),
        cycleMs: Type.Integer({
          minimum: 10,
          maximum: 10_000,
          default: 100,
          description: 'Send loop period',
        }),
        maxInflightBatches: Type.Integer({ minimum: 1, maximum: 1000, default: 32 }),
        heartbeatIntervalS: Type.Number({ minimum: 0.1, maximum: 3600, default: 30 }),
        bucketIntervalS: Type.Number({
          minimum: 0.1,
          maximum: 3600,
          default: 60,
          description: 'How often changed minute buckets are sent',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    store: Type.Object(
      {
        diskBudgetBytes: Type.Integer({ minimum: 1_000_000, default: 1_073_741_824 }),
        checkIntervalS: Type.Number({
          minimum: 0.1,
          default: 30,
          description: 'How often the disk budget is checked',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    health: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        host: Type.String({
          default: '127.0.0.1',
          description: 'Bind address; anything but loopback requires token',
        }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 9464 }),
        token: Type.Optional(
          Type.String({ minLength: 16, description: 'Bearer token for /metrics and snapshots off loopback' }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    homeAssistant: Type.Optional(
      Type.Object(
        {
          url: Type.String({
            pattern: '^(mqtts?|wss?)://',
            description:
              'Broker Home Assistant reads (e.g. mqtt://homeassistant.local:1883): publishes discovery and state',
          }),
          username: Type.Optional(Type.String()),
          password: Type.Optional(Type.String()),
          discoveryPrefix: Type.String({
            default: 'homeassistant',
            description: "Home Assistant's discovery prefix",
          }),
          topicPrefix: Type.String({ default: 'tally', description: 'Where state and availability go' }),
          intervalS: Type.Number({
            minimum: 1,
            maximum: 3600,
            default: 10,
            description: 'Seconds between updates',
          }),
          name: Type.Optional(
            Type.String({ description: "The box's name in Home Assistant; default: its id" }),
          ),
        },
        {
          additionalProperties: false,
          description: 'Home Assistant MQTT discovery (docs/HOME-ASSISTANT.md)',
        },
      ),
    ),
    detector: Type.Object(
      {
        modelPath: Type.Optional(
          Type.String({ description: 'Default model file; default: the shared yolox_nano.onnx' }),
        ),
        layout: Type.Optional(ModelLayout),
        executionProviders: Type.Optional(Type.Array(Type.String())),
        threads: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 64,
            description: 'ONNX Runtime threads of each detector thread; default: cores − 1 (1 to 4)',
          }),
        ),
        sessions: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 16,
            description:
              'Detector threads (sessions) a model may have, cameras spread over them past the second camera; default: 2 on the CPU, 1 on a GPU',
          }),
        ),
        deviceId: Type.Optional(
          Type.Integer({
            minimum: 0,
            description: 'CUDA device of the cuda and tensorrt providers; default 0',
          }),
        ),
        tensorrt: Type.Optional(
          Type.Object(
            {
              fp16: Type.Optional(
                Type.Boolean({
                  default: true,
                  description: 'Let TensorRT run layers in FP16 (default true)',
                }),
              ),
              engineCacheDir: Type.Optional(
                Type.String({
                  minLength: 1,
                  description:
                    'Where built TensorRT engines are kept across restarts; default <dataDir>/tensorrt-engines (relative: to this file)',
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    decode: Type.Object(
      {
        hwaccel: Type.Union(
          [Type.Literal('auto'), Type.Literal('cuda'), Type.Literal('nvv4l2'), Type.Literal('none')],
          {
            default: 'auto',
            description:
              'Hardware decoding of network cameras: cuda (NVDEC, -hwaccel cuda), nvv4l2 (Jetson), none, or auto (the first this box has; else software)',
          },
        ),
        codec: Type.Union([Type.Literal('h264'), Type.Literal('hevc')], {
          default: 'h264',
          description: "The cameras' codec, for the Jetson decoder (h264_nvv4l2dec or hevc_nvv4l2dec)",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type AgentSettings = Static<typeof AgentSettings>;

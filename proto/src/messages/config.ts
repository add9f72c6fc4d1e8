import { Type, type Static } from '@sinclair/typebox';
import { Id, ObjectClass, Point, SchemaVersion, TimestampMs } from '../common';

/** Which point of a box represents the object for counting. Feet (bottom-center) suit people seen from above. */
export const Anchor = Type.Union(
  [Type.Literal('bottom_center'), Type.Literal('center'), Type.Literal('top_center')],
  { default: 'bottom_center', description: 'Point of the box that must cross the line or lie in the zone' },
);
export type Anchor = Static<typeof Anchor>;

/**
 * A counting line p1 → p2 in normalised coordinates. The `in` side is where cross(p2 - p1, p - p1) > 0 in image
 * coordinates (x right, y down): walking from p1 to p2, `in` is on your right hand on screen. A crossing towards
 * that side counts `in`, the other way `out`. It counts only after the anchor stays on the new side for
 * `sustainMs` or moves `sustainDistance` past the line, whichever comes first, and only once the object has been a
 * small margin (a fraction of its height, set by the edge) clearly on the old side and then on the new one.
 */
export const LineRule = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    p1: Point,
    p2: Point,
    anchor: Type.Optional(Anchor),
    classes: Type.Optional(
      Type.Array(ObjectClass, { description: "Classes counted; default: the camera's" }),
    ),
    sustainMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 300 })),
    sustainDistance: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        default: 0.02,
        description: 'Normalised distance past the line',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LineRule = Static<typeof LineRule>;

/** A zone polygon (simple: no self-intersection), its occupancy, entries, exits and dwell. */
export const ZoneRule = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    polygon: Type.Array(Point, { minItems: 3, maxItems: 64 }),
    anchor: Type.Optional(Anchor),
    classes: Type.Optional(Type.Array(ObjectClass)),
    dwellThresholdS: Type.Optional(
      Type.Number({
        minimum: 1,
        maximum: 86400,
        description: 'Emit dwell_exceeded when a visit lasts longer',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ZoneRule = Static<typeof ZoneRule>;

export const ModelLayout = Type.Union([Type.Literal('yolox'), Type.Literal('yolov8')], {
  description:
    'Output layout: yolox (1×N×(5+C), objectness) or yolov8 (1×(4+C)×N, Ultralytics YOLOv8/YOLO11)',
});
export type ModelLayout = Static<typeof ModelLayout>;

/** A detector model the device can download from the cloud and verify before switching. */
export const ModelRef = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.String({ minLength: 1, maxLength: 50 }),
    layout: ModelLayout,
    url: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'HTTP(S) URL the device downloads it from',
    }),
    sha256: Type.String({ pattern: '^[a-f0-9]{64}$' }),
    classNames: Type.Optional(
      Type.Array(Type.String(), { description: 'Class names in output order; default COCO' }),
    ),
  },
  { additionalProperties: false },
);
export type ModelRef = Static<typeof ModelRef>;

/**
 * The camera sources a device may open, and nothing else: rtsp(s):// and http(s):// URLs, a V4L2 device
 * (/dev/videoN), or an absolute path to a video file (by its extension: demos and tests play recorded video). Every
 * other string is refused — `file:///etc/passwd`, ffmpeg's other protocols (`concat:`, `data:`, `subfile:`…),
 * relative paths, `..` segments, and anything starting with `-` that ffmpeg could read as an option. A JSON Schema
 * pattern, so the cloud's API and the device's config check enforce the same rule.
 */
export const CAMERA_SOURCE_PATTERN =
  '^(?!.*/\\.\\.(?:/|$))(?:(?:rtsps?|https?)://[^\\s/?#]+(?:[/?#]\\S*)?|/dev/video[0-9]{1,3}|' +
  '/[^\\u0000-\\u001f]*\\.(?:avi|mp4|mkv|mov|webm|ts|m4v|mpg|mpeg|flv|mjpeg|mjpg|h264|h265|hevc|AVI|MP4|MKV|MOV|M4V|MPG))$';

const cameraSourceRegExp = new RegExp(CAMERA_SOURCE_PATTERN, 'u');

/** Whether `url` is a camera source a device may open (CAMERA_SOURCE_PATTERN). */
export function isCameraSourceUrl(url: string): boolean {
  return url.length <= 2000 && cameraSourceRegExp.test(url);
}

export const CameraSource = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2000,
      pattern: CAMERA_SOURCE_PATTERN,
      description:
        'rtsp(s)://… or http(s)://… (MJPEG or a video), a V4L2 device such as /dev/video0, or an absolute path ' +
        'to a video file (.mp4, .avi, .mkv…); nothing else',
    }),
    loop: Type.Optional(Type.Boolean({ default: false, description: 'Loop a video file (demos, tests)' })),
    rtspTransport: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp')], { default: 'tcp' })),
  },
  { additionalProperties: false },
);
export type CameraSource = Static<typeof CameraSource>;

/**
 * Motion gating: a cheap frame-difference test on a small grey copy of each frame decides whether the frame goes to
 * the detector. While nothing moves the detector runs at `keepAliveFps` only (tracks keep their state in between);
 * motion in a rule's area or near a track wakes detection on that frame. Default: on.
 */
export const MotionGating = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ default: true, description: 'Gate the detector on motion' })),
    keepAliveFps: Type.Optional(
      Type.Number({
        minimum: 0.1,
        maximum: 10,
        default: 1,
        description: 'Detections per second while nothing moves (tracks and occupancy stay fresh)',
      }),
    ),
    ignore: Type.Optional(
      Type.Array(Type.Array(Point, { minItems: 3, maxItems: 64 }), {
        maxItems: 16,
        description: 'Polygons (normalised) whose motion is ignored: trees, screens, a road outside the area',
      }),
    ),
  },
  { additionalProperties: false },
);
export type MotionGating = Static<typeof MotionGating>;

/** Camera fields that tune detection cost; the same in the device config and in the cloud's camera setup. */
export const DetectionCost = {
  detectFps: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      maximum: 60,
      description:
        "Detections per second at most (default: every frame, the camera's fps); e.g. 5 for walking people",
    }),
  ),
  motionGating: Type.Optional(MotionGating),
};

export const CameraConfig = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String({ maxLength: 100 })),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    source: CameraSource,
    fps: Type.Number({
      exclusiveMinimum: 0,
      maximum: 60,
      default: 10,
      description: 'Frames analysed per second',
    }),
    inputSize: Type.Object(
      {
        width: Type.Integer({ minimum: 32, maximum: 7680 }),
        height: Type.Integer({ minimum: 32, maximum: 4320 }),
      },
      { additionalProperties: false, description: 'Decoded frame size the pipeline works at' },
    ),
    modelId: Type.Optional(
      Type.String({ description: "A ModelRef id from the config's models; default: the agent's" }),
    ),
    classes: Type.Array(ObjectClass, { minItems: 1, description: 'Classes detected and tracked' }),
    scoreThreshold: Type.Number({ minimum: 0.01, maximum: 1, default: 0.3 }),
    ...DetectionCost,
    lines: Type.Array(LineRule, { maxItems: 64 }),
    zones: Type.Array(ZoneRule, { maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type CameraConfig = Static<typeof CameraConfig>;

/**
 * Cloud → device, retained. The whole desired configuration of one device. `version` increases with every change;
 * `hash` is the sha256 of the canonical JSON of `{cameras, models}` (see `configContentHash`), so a device can tell
 * a real change from a re-publication.
 */
export const DeviceConfig = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    version: Type.Integer({ minimum: 1 }),
    hash: Type.String({ pattern: '^[a-f0-9]{64}$' }),
    issuedAt: TimestampMs,
    models: Type.Optional(Type.Array(ModelRef, { maxItems: 16 })),
    cameras: Type.Array(CameraConfig, { maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type DeviceConfig = Static<typeof DeviceConfig>;

export const ValidationIssue = Type.Object(
  { path: Type.String(), message: Type.String() },
  { additionalProperties: false },
);
export type ValidationIssue = Static<typeof ValidationIssue>;

/** Device → cloud: the outcome of a config version. */
export const ConfigApplied = Type.Object(
  {
    v: SchemaVersion,
    deviceId: Id,
    version: Type.Integer({ minimum: 0 }),
    hash: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Union([Type.Literal('applied'), Type.Literal('rejected')]),
    errors: Type.Optional(Type.Array(ValidationIssue, { maxItems: 100 })),
    ts: TimestampMs,
  },
  { additionalProperties: false },
);
export type ConfigApplied = Static<typeof ConfigApplied>;

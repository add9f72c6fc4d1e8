import { Type, type Static } from '@sinclair/typebox';
import { SCHEMA_VERSION } from './version';

/** The schema version every message carries. */
export const SchemaVersion = Type.Literal(SCHEMA_VERSION, { description: 'Schema version of this message' });

/**
 * Identifiers: devices, cameras, rules. Safe inside an MQTT topic level (no `/`, `+`, `#`) and in URLs.
 */
export const Id = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
  description:
    'Identifier: letters, digits, `_`, `.`, `-`; starts with a letter or digit; at most 64 characters',
});

/** Milliseconds since the Unix epoch, UTC. */
export const TimestampMs = Type.Integer({
  minimum: 0,
  description: 'Milliseconds since 1970-01-01T00:00:00Z',
});

/** A point in normalised image coordinates: x right, y down, (0,0) top-left, (1,1) bottom-right. */
export const Point = Type.Object(
  {
    x: Type.Number({ minimum: 0, maximum: 1 }),
    y: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false, description: 'Normalised image point: x right, y down, both in [0, 1]' },
);
export type Point = Static<typeof Point>;

/** The default classes counted: the COCO names of people and vehicles. */
export const DEFAULT_CLASSES = ['person', 'bicycle', 'car', 'motorbike', 'bus', 'truck'] as const;

export const ObjectClass = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'Detector class name, e.g. `person` (COCO names)',
});

export const Direction = Type.Union([Type.Literal('in'), Type.Literal('out')], {
  description: "Crossing direction by the line's arrow: `in` is the side where cross(p2 - p1, p - p1) > 0",
});
export type Direction = Static<typeof Direction>;

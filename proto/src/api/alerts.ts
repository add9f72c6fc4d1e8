import { Type, type Static } from '@sinclair/typebox';
import { Id } from '../common';

/**
 * Alert rules, alert events and scheduled reports (`/api/sites/:siteId/alert-rules`, `/alerts`, `/reports`).
 * A rule's condition must hold for `forMinutes` before it fires; it resolves as soon as it stops holding.
 */
const Minutes = (description: string) => Type.Integer({ minimum: 0, maximum: 10_080, description });
const Target = {
  webhookUrl: Type.Optional(
    Type.String({
      format: 'uri',
      maxLength: 2000,
      description: 'POSTed a JSON body, signed (docs/WEBHOOKS.md), retried',
    }),
  ),
  emailTo: Type.Optional(
    Type.String({ format: 'email', maxLength: 254, description: 'Sent by SMTP when configured' }),
  ),
};

export const OccupancyAboveParams = Type.Object(
  {
    kind: Type.Literal('occupancy_above'),
    threshold: Type.Integer({ minimum: 0, description: 'Fires when occupancy is above this' }),
    forMinutes: Minutes('For at least this long'),
    zoneId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export const DeviceOfflineParams = Type.Object(
  { kind: Type.Literal('device_offline'), forMinutes: Minutes('Offline (or silent) for at least this long') },
  { additionalProperties: false },
);
export const CameraStalledParams = Type.Object(
  {
    kind: Type.Literal('camera_stalled'),
    forMinutes: Minutes('Not live (stalled/failed) for at least this long'),
  },
  { additionalProperties: false },
);
export const CountThresholdParams = Type.Object(
  {
    kind: Type.Union([Type.Literal('count_above'), Type.Literal('count_below')]),
    threshold: Type.Integer({ minimum: 0 }),
    periodMinutes: Type.Integer({
      minimum: 1,
      maximum: 10_080,
      description: 'Counted over the last this many minutes',
    }),
    forMinutes: Type.Optional(Minutes('For at least this long (default 0)')),
    ruleId: Type.Optional(Id),
    direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])),
  },
  { additionalProperties: false },
);

export const AlertCondition = Type.Union([
  OccupancyAboveParams,
  DeviceOfflineParams,
  CameraStalledParams,
  CountThresholdParams,
]);
export type AlertCondition = Static<typeof AlertCondition>;
export type AlertKind = AlertCondition['kind'];

export const AlertRuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    condition: AlertCondition,
    enabled: Type.Optional(Type.Boolean({ default: true })),
    ...Target,
  },
  { additionalProperties: false },
);
export type AlertRuleBody = Static<typeof AlertRuleBody>;

/**
 * A change to a rule: any of its fields; `null` removes a target. A new condition replaces the old one whole (its
 * kind may change); the rule then starts over (alerts it had open are resolved).
 */
export const AlertRulePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    condition: Type.Optional(AlertCondition),
    enabled: Type.Optional(
      Type.Boolean({ description: 'false stops evaluation and resolves its open alerts' }),
    ),
    webhookUrl: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 2000 }), Type.Null()])),
    emailTo: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AlertRulePatch = Static<typeof AlertRulePatch>;

/** One channel's last delivery attempt (an alert, a resolution or a test). */
export const DeliveryStatus = Type.Object({
  status: Type.Union([Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('skipped')], {
    description: 'skipped: the channel could not be used (email without SMTP configured)',
  }),
  at: Type.String({ description: 'When the last attempt ended' }),
  attempts: Type.Integer({ description: 'Attempts made for this delivery (webhooks retry with backoff)' }),
  httpStatus: Type.Union([Type.Integer(), Type.Null()], {
    description: "The webhook's last HTTP status; null for email or when no answer came",
  }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'The last error; null when delivered' }),
  test: Type.Boolean({ description: 'Whether it was a test notification (POST …/test)' }),
});
export type DeliveryStatus = Static<typeof DeliveryStatus>;

export const AlertRule = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  name: Type.String(),
  condition: AlertCondition,
  enabled: Type.Boolean(),
  webhookUrl: Type.Union([Type.String(), Type.Null()], {
    description:
      'Shown in full to those who may manage alert rules; others see only its origin (such URLs often embed a token)',
  }),
  emailTo: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  webhookSigned: Type.Boolean({
    description:
      'Whether webhook deliveries are signed (the rule has a secret; rules made before signing have none until rotated)',
  }),
  delivery: Type.Object(
    {
      webhook: Type.Union([DeliveryStatus, Type.Null()]),
      email: Type.Union([DeliveryStatus, Type.Null()]),
    },
    { description: 'The last delivery per channel; null before the first' },
  ),
});
export type AlertRule = Static<typeof AlertRule>;

/** A rule as answered when its signing secret was just made (creation, rotation): the only time it is shown. */
export const AlertRuleWithSecret = Type.Composite([
  AlertRule,
  Type.Object({
    webhookSecret: Type.String({
      description:
        'The webhook signing secret (HMAC-SHA256 key, docs/WEBHOOKS.md). Shown this once: store it in the receiver',
    }),
  }),
]);
export type AlertRuleWithSecret = Static<typeof AlertRuleWithSecret>;

/** The result of a test notification per channel of the rule. */
export const AlertRuleTestResult = Type.Object({
  results: Type.Array(
    Type.Object({
      channel: Type.Union([Type.Literal('webhook'), Type.Literal('email')]),
      target: Type.String(),
      ok: Type.Boolean(),
      httpStatus: Type.Union([Type.Integer(), Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()]),
      durationMs: Type.Integer(),
    }),
  ),
});
export type AlertRuleTestResult = Static<typeof AlertRuleTestResult>;

/** The body POSTed to a rule's webhook (and summarised by email) by POST …/alert-rules/:ruleId/test. */
export const TestNotification = Type.Object({
  type: Type.Literal('test'),
  ruleId: Type.String(),
  ruleName: Type.String(),
  siteId: Type.String(),
  message: Type.String(),
  sentAt: Type.String(),
});
export type TestNotification = Static<typeof TestNotification>;

export const AlertEvent = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  ruleId: Type.String(),
  subject: Type.String({
    description: 'What it is about: a device id, device/camera, a zone, or "" for the site',
  }),
  state: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  message: Type.String(),
  startedAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  acknowledged: Type.Union(
    [
      Type.Object({
        at: Type.String(),
        userId: Type.String(),
        email: Type.Union([Type.String(), Type.Null()], { description: 'null when the user was deleted' }),
      }),
      Type.Null(),
    ],
    { description: 'Who acknowledged it and when; null while nobody has' },
  ),
});
export type AlertEvent = Static<typeof AlertEvent>;

/** Filters of a site's alert list, newest first. Open = firing; past = resolved. */
export const AlertEventsQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('firing'), Type.Literal('resolved')])),
    acknowledged: Type.Optional(Type.Boolean()),
    ruleId: Type.Optional(Type.String({ format: 'uuid' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Started at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Started before' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type AlertEventsQuery = Static<typeof AlertEventsQuery>;

export const ReportScheduleBody = Type.Object(
  { period: Type.Union([Type.Literal('daily'), Type.Literal('weekly')]), ...Target },
  { additionalProperties: false },
);
export type ReportScheduleBody = Static<typeof ReportScheduleBody>;

export const ReportSchedule = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  period: Type.Union([Type.Literal('daily'), Type.Literal('weekly')]),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  emailTo: Type.Union([Type.String(), Type.Null()]),
  lastPeriodStart: Type.Union([Type.String(), Type.Null()], {
    description: 'Local date of the last period sent',
  }),
});
export type ReportSchedule = Static<typeof ReportSchedule>;

/** The body POSTed to a webhook (and summarised in an email) for an alert. */
export const AlertNotification = Type.Object({
  type: Type.Literal('alert'),
  alert: AlertEvent,
  ruleName: Type.String(),
});
export type AlertNotification = Static<typeof AlertNotification>;

/** A daily or weekly site summary: totals, the busiest bucket, occupancy peak, and the previous period. */
export const SiteReport = Type.Object({
  type: Type.Literal('report'),
  siteId: Type.String(),
  siteName: Type.String(),
  period: Type.Union([Type.Literal('daily'), Type.Literal('weekly')]),
  from: Type.String(),
  to: Type.String(),
  totals: Type.Object({
    in: Type.Integer(),
    out: Type.Integer(),
    total: Type.Integer(),
    net: Type.Integer(),
  }),
  previousTotals: Type.Object({
    in: Type.Integer(),
    out: Type.Integer(),
    total: Type.Integer(),
    net: Type.Integer(),
  }),
  change: Type.Union([Type.Number(), Type.Null()], {
    description: 'Relative change of the total vs the previous period',
  }),
  peak: Type.Union([Type.Object({ start: Type.String(), total: Type.Integer() }), Type.Null()], {
    description: 'The busiest hour (daily) or day (weekly)',
  }),
  occupancyPeak: Type.Union([
    Type.Object({ zoneId: Type.String(), count: Type.Integer(), at: Type.String() }),
    Type.Null(),
  ]),
});
export type SiteReport = Static<typeof SiteReport>;

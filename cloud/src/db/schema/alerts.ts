import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Alert rules per site. `kind` picks the condition; `params` holds its numbers (see proto's AlertRuleParams):
 * occupancy_above {threshold, forMinutes, zoneId?}, device_offline {forMinutes}, camera_stalled {forMinutes},
 * count_above / count_below {threshold, periodMinutes, ruleId?, direction?}.
 */
export const alertRules = pgTable(
  'alert_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    siteId: uuid('site_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    params: jsonb('params').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    webhookUrl: text('webhook_url'),
    emailTo: text('email_to'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /**
     * The key that signs this rule's webhook deliveries (HMAC-SHA256, docs/WEBHOOKS.md). Stored as is: HMAC needs
     * the key itself, a hash would not do; it never leaves the server except once, when made. Null for rules made
     * before signing existed, until rotated.
     */
    webhookSecret: text('webhook_secret'),
    /** The last delivery per channel, `{webhook?, email?}` (proto's DeliveryStatus), for the API and the page. */
    lastDeliveries: jsonb('last_deliveries').notNull().default({}),
  },
  (t) => [index('alert_rules_site').on(t.siteId)],
);

/** One row per firing: opened when the condition has held long enough, resolved when it clears. */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    siteId: uuid('site_id').notNull(),
    ruleId: uuid('rule_id').notNull(),
    subject: text('subject').notNull().default(''),
    state: text('state').notNull(),
    message: text('message').notNull(),
    details: jsonb('details').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    /** Who acknowledged it and when (a person has seen it; it keeps firing until its condition clears). */
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    acknowledgedBy: uuid('acknowledged_by'),
  },
  (t) => [index('alert_events_site').on(t.siteId, t.startedAt)],
);

/** Each attempt to deliver an alert or a report: webhook or email, with retries recorded. */
export const alertDeliveries = pgTable('alert_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  alertEventId: uuid('alert_event_id'),
  reportId: uuid('report_id'),
  channel: text('channel').notNull(),
  target: text('target').notNull(),
  status: text('status').notNull(),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Scheduled summary reports per site: daily or weekly, sent by webhook and/or email. */
export const reportSchedules = pgTable('report_schedules', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  siteId: uuid('site_id').notNull(),
  period: text('period').notNull(),
  webhookUrl: text('webhook_url'),
  emailTo: text('email_to'),
  lastPeriodStart: text('last_period_start'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

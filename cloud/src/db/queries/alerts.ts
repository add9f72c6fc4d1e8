import type {
  AlertCondition,
  AlertEvent,
  AlertEventsQuery,
  AlertRule,
  AlertRuleBody,
  AlertRulePatch,
  DeliveryStatus,
  ReportSchedule,
  ReportScheduleBody,
} from '@tally/proto';
import type { Database } from '../client';

/** Alert rules, alert events and report schedules, always scoped by organisation and site. */
type Query = Pick<Database, 'query'>;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

interface RuleRow {
  id: string;
  site_id: string;
  name: string;
  params: AlertCondition;
  enabled: boolean;
  webhook_url: string | null;
  email_to: string | null;
  created_at: Date;
  webhook_secret: string | null;
  last_deliveries: { webhook?: DeliveryStatus; email?: DeliveryStatus };
}

/** A rule with what only the server needs: the signing secret (never sent in an answer but once, when made). */
export interface StoredAlertRule extends AlertRule {
  orgId: string;
  webhookSecret: string | null;
}

/**
 * The webhook URL as a reader sees it: in full for those who manage rules, else only its origin, since a webhook
 * URL is often itself a credential (Slack, Teams and Discord put a token in the path).
 */
export function shownWebhookUrl(url: string | null, full: boolean): string | null {
  if (url === null || full) return url;
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

const toRule = (r: RuleRow): AlertRule => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  condition: r.params,
  enabled: r.enabled,
  webhookUrl: r.webhook_url,
  emailTo: r.email_to,
  createdAt: iso(r.created_at)!,
  webhookSigned: r.webhook_secret !== null,
  delivery: { webhook: r.last_deliveries?.webhook ?? null, email: r.last_deliveries?.email ?? null },
});

export async function listAlertRules(db: Query, orgId: string, siteId: string): Promise<AlertRule[]> {
  const rows = await db.query<RuleRow>(
    `SELECT * FROM alert_rules WHERE org_id = $1 AND site_id = $2 ORDER BY created_at`,
    [orgId, siteId],
  );
  return rows.map(toRule);
}

/** One rule of the site, with its secret (for signing a test delivery); undefined when the site has no such rule. */
export async function getAlertRule(
  db: Query,
  orgId: string,
  siteId: string,
  ruleId: string,
): Promise<StoredAlertRule | undefined> {
  const [row] = await db.query<RuleRow & { org_id: string }>(
    `SELECT * FROM alert_rules WHERE org_id = $1 AND site_id = $2 AND id = $3`,
    [orgId, siteId, ruleId],
  );
  return row ? { ...toRule(row), orgId: row.org_id, webhookSecret: row.webhook_secret } : undefined;
}

export async function createAlertRule(
  db: Query,
  orgId: string,
  siteId: string,
  body: AlertRuleBody,
  webhookSecret: string,
): Promise<AlertRule> {
  const [row] = await db.query<RuleRow>(
    `INSERT INTO alert_rules (org_id, site_id, name, kind, params, enabled, webhook_url, email_to, webhook_secret)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [
      orgId,
      siteId,
      body.name,
      body.condition.kind,
      JSON.stringify(body.condition),
      body.enabled ?? true,
      body.webhookUrl ?? null,
      body.emailTo ?? null,
      webhookSecret,
    ],
  );
  return toRule(row!);
}

/**
 * Applies a change to a rule of the site (absent fields are kept, null targets removed). When it is disabled or
 * its condition changes, the alerts it has open are resolved in the same statement's transaction: nothing would
 * ever resolve them otherwise. Undefined when the site has no such rule.
 */
export async function updateAlertRule(
  db: Query,
  orgId: string,
  siteId: string,
  ruleId: string,
  patch: AlertRulePatch,
): Promise<{ rule: AlertRule; before: AlertRule } | undefined> {
  const [current] = await db.query<RuleRow>(
    `SELECT * FROM alert_rules WHERE org_id = $1 AND site_id = $2 AND id = $3 FOR UPDATE`,
    [orgId, siteId, ruleId],
  );
  if (!current) return undefined;
  const condition = patch.condition ?? current.params;
  const [row] = await db.query<RuleRow>(
    `UPDATE alert_rules SET name = $2, kind = $3, params = $4, enabled = $5, webhook_url = $6, email_to = $7
      WHERE id = $1 RETURNING *`,
    [
      ruleId,
      patch.name ?? current.name,
      condition.kind,
      JSON.stringify(condition),
      patch.enabled ?? current.enabled,
      patch.webhookUrl === undefined ? current.webhook_url : patch.webhookUrl,
      patch.emailTo === undefined ? current.email_to : patch.emailTo,
    ],
  );
  const stopped = row!.enabled === false && current.enabled;
  const changed = JSON.stringify(row!.params) !== JSON.stringify(current.params);
  if (stopped || changed) {
    const why = stopped ? 'rule disabled' : 'rule changed';
    await db.query(
      `UPDATE alert_events SET state = 'resolved', resolved_at = now(), message = message || ' — resolved: ' || $2
        WHERE rule_id = $1 AND state = 'firing'`,
      [ruleId, why],
    );
  }
  return { rule: toRule(row!), before: toRule(current) };
}

/** Gives the rule a new signing secret (the old one stops working at once). False when the site has no such rule. */
export async function setWebhookSecret(
  db: Query,
  orgId: string,
  siteId: string,
  ruleId: string,
  secret: string,
): Promise<AlertRule | undefined> {
  const [row] = await db.query<RuleRow>(
    `UPDATE alert_rules SET webhook_secret = $4 WHERE org_id = $1 AND site_id = $2 AND id = $3 RETURNING *`,
    [orgId, siteId, ruleId, secret],
  );
  return row ? toRule(row) : undefined;
}

export async function deleteAlertRule(
  db: Query,
  orgId: string,
  siteId: string,
  ruleId: string,
): Promise<boolean> {
  const rows = await db.query(
    `DELETE FROM alert_rules WHERE org_id = $1 AND site_id = $2 AND id = $3 RETURNING id`,
    [orgId, siteId, ruleId],
  );
  if (rows.length > 0) {
    // Its open alerts would otherwise stay "firing" for ever, with nothing left to resolve them.
    await db.query(
      `UPDATE alert_events SET state = 'resolved', resolved_at = now(), message = message || ' — resolved: rule deleted'
        WHERE rule_id = $1 AND state = 'firing'`,
      [ruleId],
    );
  }
  return rows.length > 0;
}

interface AlertEventRow {
  id: string;
  site_id: string;
  rule_id: string;
  subject: string;
  state: 'firing' | 'resolved';
  message: string;
  started_at: Date;
  resolved_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_email: string | null;
}

const EVENT_COLUMNS = `e.id, e.site_id, e.rule_id, e.subject, e.state, e.message, e.started_at, e.resolved_at,
  e.acknowledged_at, e.acknowledged_by, u.email AS acknowledged_email`;

const toAlertEvent = (r: AlertEventRow): AlertEvent => ({
  id: r.id,
  siteId: r.site_id,
  ruleId: r.rule_id,
  subject: r.subject,
  state: r.state,
  message: r.message,
  startedAt: iso(r.started_at)!,
  resolvedAt: iso(r.resolved_at),
  acknowledged:
    r.acknowledged_at && r.acknowledged_by
      ? { at: iso(r.acknowledged_at)!, userId: r.acknowledged_by, email: r.acknowledged_email }
      : null,
});

/** A site's alerts, newest first, filtered by state, acknowledgement, rule and start time. */
export async function listAlertEvents(
  db: Query,
  orgId: string,
  siteId: string,
  options: Omit<AlertEventsQuery, 'limit'> & { limit?: number },
): Promise<AlertEvent[]> {
  const values: unknown[] = [orgId, siteId, options.limit ?? 100];
  const where = ['e.org_id = $1', 'e.site_id = $2'];
  if (options.state) where.push(`e.state = $${values.push(options.state)}`);
  if (options.acknowledged !== undefined)
    where.push(options.acknowledged ? 'e.acknowledged_at IS NOT NULL' : 'e.acknowledged_at IS NULL');
  if (options.ruleId) where.push(`e.rule_id = $${values.push(options.ruleId)}`);
  if (options.from) where.push(`e.started_at >= $${values.push(options.from)}::timestamptz`);
  if (options.to) where.push(`e.started_at < $${values.push(options.to)}::timestamptz`);
  const rows = await db.query<AlertEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM alert_events e LEFT JOIN users u ON u.id = e.acknowledged_by
      WHERE ${where.join(' AND ')} ORDER BY e.started_at DESC LIMIT $3`,
    values,
  );
  return rows.map(toAlertEvent);
}

/**
 * Marks an alert of the site acknowledged by `userId`, once: a second acknowledgement keeps the first (who saw it
 * first). Undefined when the site has no such alert.
 */
export async function acknowledgeAlertEvent(
  db: Query,
  orgId: string,
  siteId: string,
  alertId: string,
  userId: string,
): Promise<{ event: AlertEvent; changed: boolean } | undefined> {
  const updated = await db.query<{ id: string }>(
    `UPDATE alert_events SET acknowledged_at = now(), acknowledged_by = $4
      WHERE org_id = $1 AND site_id = $2 AND id = $3 AND acknowledged_at IS NULL RETURNING id`,
    [orgId, siteId, alertId, userId],
  );
  const [row] = await db.query<AlertEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM alert_events e LEFT JOIN users u ON u.id = e.acknowledged_by
      WHERE e.org_id = $1 AND e.site_id = $2 AND e.id = $3`,
    [orgId, siteId, alertId],
  );
  return row ? { event: toAlertEvent(row), changed: updated.length > 0 } : undefined;
}

interface ScheduleRow {
  id: string;
  site_id: string;
  period: 'daily' | 'weekly';
  webhook_url: string | null;
  email_to: string | null;
  last_period_start: string | null;
}

const toSchedule = (r: ScheduleRow): ReportSchedule => ({
  id: r.id,
  siteId: r.site_id,
  period: r.period,
  webhookUrl: r.webhook_url,
  emailTo: r.email_to,
  lastPeriodStart: r.last_period_start,
});

export async function listReportSchedules(
  db: Query,
  orgId: string,
  siteId: string,
): Promise<ReportSchedule[]> {
  const rows = await db.query<ScheduleRow>(
    `SELECT * FROM report_schedules WHERE org_id = $1 AND site_id = $2 ORDER BY created_at`,
    [orgId, siteId],
  );
  return rows.map(toSchedule);
}

export async function createReportSchedule(
  db: Query,
  orgId: string,
  siteId: string,
  body: ReportScheduleBody,
): Promise<ReportSchedule> {
  const [row] = await db.query<ScheduleRow>(
    `INSERT INTO report_schedules (org_id, site_id, period, webhook_url, email_to) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [orgId, siteId, body.period, body.webhookUrl ?? null, body.emailTo ?? null],
  );
  return toSchedule(row!);
}

export async function deleteReportSchedule(
  db: Query,
  orgId: string,
  siteId: string,
  id: string,
): Promise<boolean> {
  const rows = await db.query(
    `DELETE FROM report_schedules WHERE org_id = $1 AND site_id = $2 AND id = $3 RETURNING id`,
    [orgId, siteId, id],
  );
  return rows.length > 0;
}

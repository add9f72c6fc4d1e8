import type {
  AlertCondition,
  AlertEvent,
  AlertRule,
  AlertRuleBody,
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
});

export async function listAlertRules(db: Query, orgId: string, siteId: string): Promise<AlertRule[]> {
  const rows = await db.query<RuleRow>(
    `SELECT * FROM alert_rules WHERE org_id = $1 AND site_id = $2 ORDER BY created_at`,
    [orgId, siteId],
  );
  return rows.map(toRule);
}

export async function createAlertRule(
  db: Query,
  orgId: string,
  siteId: string,
  body: AlertRuleBody,
): Promise<AlertRule> {
  const [row] = await db.query<RuleRow>(
    `INSERT INTO alert_rules (org_id, site_id, name, kind, params, enabled, webhook_url, email_to)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [
      orgId,
      siteId,
      body.name,
      body.condition.kind,
      JSON.stringify(body.condition),
      body.enabled ?? true,
      body.webhookUrl ?? null,
      body.emailTo ?? null,
    ],
  );
  return toRule(row!);
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
  return rows.length > 0;
}

export async function listAlertEvents(
  db: Query,
  orgId: string,
  siteId: string,
  options: { state?: 'firing' | 'resolved'; limit?: number },
): Promise<AlertEvent[]> {
  const values: unknown[] = [orgId, siteId, options.limit ?? 100];
  const state = options.state ? ` AND state = $${values.push(options.state)}` : '';
  const rows = await db.query<{
    id: string;
    site_id: string;
    rule_id: string;
    subject: string;
    state: 'firing' | 'resolved';
    message: string;
    started_at: Date;
    resolved_at: Date | null;
  }>(
    `SELECT id, site_id, rule_id, subject, state, message, started_at, resolved_at FROM alert_events
      WHERE org_id = $1 AND site_id = $2${state} ORDER BY started_at DESC LIMIT $3`,
    values,
  );
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    ruleId: r.rule_id,
    subject: r.subject,
    state: r.state,
    message: r.message,
    startedAt: iso(r.started_at)!,
    resolvedAt: iso(r.resolved_at),
  }));
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

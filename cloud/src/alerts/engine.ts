import type { AlertCondition, AlertNotification } from '@tally/proto';
import type { Logger } from '@tally/proto/log';
import type { Database } from '../db/client';
import type { CloudBus } from '../live/bus';
import { track, type SubjectState, type Transition } from './condition-tracker';
import type { Deliverer } from './delivery';
import { observe } from './observe';

interface RuleRow {
  id: string;
  org_id: string;
  site_id: string;
  name: string;
  params: AlertCondition;
  webhook_url: string | null;
  email_to: string | null;
  webhook_secret: string | null;
}

/**
 * Debounce state is kept per rule *and* condition: an edited condition starts over instead of inheriting the
 * old one's timers (the route resolves the alerts the old condition had open).
 */
const stateKey = (ruleId: string, params: AlertCondition) => `${ruleId} ${JSON.stringify(params)}`;

export interface AlertEngineOptions {
  database: Pick<Database, 'query'>;
  deliverer: Deliverer;
  bus?: CloudBus;
  log: Logger;
  now?: () => number;
}

/**
 * Evaluates every enabled alert rule on each `tick()`: observes its condition, debounces it per subject
 * (condition-tracker), stores each firing as an alert event and resolves it when the condition clears, pushes both
 * live, and delivers them (webhook with retries, email). Open alerts are reloaded at start, so a restart neither
 * loses nor repeats them. Run it on one instance (ALERTS=off elsewhere): two engines would both fire.
 */
export class AlertEngine {
  private readonly states = new Map<string, Map<string, SubjectState>>();
  private readonly deliveries = new Set<Promise<unknown>>();
  private loaded = false;
  private readonly now: () => number;

  constructor(private readonly options: AlertEngineOptions) {
    this.now = options.now ?? Date.now;
  }

  async tick(): Promise<void> {
    const { database: db } = this.options;
    if (!this.loaded) await this.reloadOpenAlerts();
    const rules = await db.query<RuleRow>(
      `SELECT id, org_id, site_id, name, params, webhook_url, email_to, webhook_secret FROM alert_rules WHERE enabled`,
    );
    const live = new Set(rules.map((r) => stateKey(r.id, r.params)));
    for (const id of this.states.keys()) if (!live.has(id)) this.states.delete(id);
    for (const rule of rules) {
      try {
        await this.evaluate(rule);
      } catch (err) {
        this.options.log.error({ err, ruleId: rule.id }, 'evaluating an alert rule failed');
      }
    }
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  private async reloadOpenAlerts(): Promise<void> {
    const open = await this.options.database.query<{
      id: string;
      rule_id: string;
      params: AlertCondition;
      subject: string;
      started: number;
    }>(
      `SELECT e.id, e.rule_id, r.params, e.subject, (extract(epoch FROM e.started_at) * 1000)::float8 AS started
         FROM alert_events e JOIN alert_rules r ON r.id = e.rule_id WHERE e.state = 'firing'`,
    );
    for (const a of open) {
      this.stateOf(stateKey(a.rule_id, a.params)).set(a.subject, {
        since: Number(a.started),
        firing: true,
        alertId: a.id,
      });
    }
    this.loaded = true;
  }

  private stateOf(key: string): Map<string, SubjectState> {
    let s = this.states.get(key);
    if (!s) {
      s = new Map();
      this.states.set(key, s);
    }
    return s;
  }

  private async evaluate(rule: RuleRow): Promise<void> {
    const now = this.now();
    const observations = await observe(this.options.database, rule.site_id, rule.params, now);
    const forMs = (rule.params.forMinutes ?? 0) * 60_000;
    const state = this.stateOf(stateKey(rule.id, rule.params));
    for (const t of track(state, observations, now, forMs)) {
      const alertId = await this.persist(rule, t, now);
      if (t.to === 'firing') state.get(t.subject)!.alertId = alertId;
      this.announce(rule, t, alertId, now);
    }
  }

  private async persist(rule: RuleRow, t: Transition, now: number): Promise<string> {
    const db = this.options.database;
    const message = `${rule.name}: ${t.detail}`;
    if (t.to === 'firing') {
      const [row] = await db.query<{ id: string }>(
        `INSERT INTO alert_events (org_id, site_id, rule_id, subject, state, message, details, started_at)
         VALUES ($1, $2, $3, $4, 'firing', $5, $6, to_timestamp($7 / 1000.0)) RETURNING id`,
        [
          rule.org_id,
          rule.site_id,
          rule.id,
          t.subject,
          message,
          JSON.stringify({ condition: rule.params }),
          t.since,
        ],
      );
      return row!.id;
    }
    const [row] = await db.query<{ id: string }>(
      `UPDATE alert_events SET state = 'resolved', resolved_at = to_timestamp($3 / 1000.0),
              message = message || ' — resolved: ' || $4
        WHERE rule_id = $1 AND subject = $2 AND state = 'firing' RETURNING id`,
      [rule.id, t.subject, now, t.detail],
    );
    return row?.id ?? t.alertId ?? '';
  }

  private announce(rule: RuleRow, t: Transition, alertId: string, now: number): void {
    const message = `${rule.name}: ${t.detail}`;
    this.options.bus?.emit('alert', {
      siteId: rule.site_id,
      orgId: rule.org_id,
      alertId,
      ruleId: rule.id,
      state: t.to,
      message,
      ts: now,
    });
    const body: AlertNotification = {
      type: 'alert',
      ruleName: rule.name,
      alert: {
        id: alertId,
        siteId: rule.site_id,
        ruleId: rule.id,
        subject: t.subject,
        state: t.to,
        message,
        startedAt: new Date(t.since).toISOString(),
        resolvedAt: t.to === 'resolved' ? new Date(now).toISOString() : null,
        // Notifications carry the transition; GET /sites/:id/alerts has who acknowledged it.
        acknowledged: null,
      },
    };
    const job = this.options.deliverer
      .deliver(
        {
          orgId: rule.org_id,
          webhookUrl: rule.webhook_url,
          emailTo: rule.email_to,
          alertEventId: alertId,
          ruleId: rule.id,
          webhookSecret: rule.webhook_secret,
        },
        { subject: `[Tally] ${t.to === 'firing' ? 'ALERT' : 'resolved'}: ${rule.name}`, text: message, body },
      )
      .finally(() => this.deliveries.delete(job));
    this.deliveries.add(job);
  }
}

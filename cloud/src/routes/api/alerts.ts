import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AlertEvent,
  AlertEventsQuery,
  AlertRule,
  AlertRuleBody,
  AlertRulePatch,
  AlertRuleTestResult,
  AlertRuleWithSecret,
  ReportSchedule,
  ReportScheduleBody,
} from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { can, type AuthContext } from '../../auth/permissions';
import { Deliverer, smtpMailer } from '../../alerts/delivery';
import { testNotification } from '../../alerts/test-notification';
import { newWebhookSecret } from '../../alerts/webhook-signature';
import {
  createAlertRule,
  getAlertRule,
  setWebhookSecret,
  shownWebhookUrl,
  updateAlertRule,
  createReportSchedule,
  deleteAlertRule,
  deleteReportSchedule,
  acknowledgeAlertEvent,
  listAlertEvents,
  listAlertRules,
  listReportSchedules,
} from '../../db/queries/alerts';
import { getSite } from '../../db/queries/sites';
import { AppError, notFound } from '../../errors';
import { webhookUrlProblem } from '../../net/blocked-address';
import { audit, inTransaction } from '../../plugins/app/audit';
import { transactionQuery } from '../../db/transaction-query';
import { keyringOf } from '../../secrets/config-keyring';
import { openWebhookSecret, sealWebhookSecret } from '../../secrets/webhook-secrets';
import { requireOnSite } from './access';
import { bearer, errors, NoContent, SiteParams } from './schemas';
import { EMAIL_NOT_CONFIGURED, emailConfigured } from '../../alerts/email-configured';

/** An edited rule; with its new secret only when the edit added a webhook. */
const AlertRuleEdited = Type.Composite([
  AlertRule,
  Type.Object({ webhookSecret: Type.Optional(AlertRuleWithSecret.properties.webhookSecret) }),
]);
const RuleParams = Type.Object({
  siteId: Type.String({ format: 'uuid' }),
  ruleId: Type.String({ format: 'uuid' }),
});
const AlertParams = Type.Object({
  siteId: Type.String({ format: 'uuid' }),
  alertId: Type.String({ format: 'uuid' }),
});
const ReportParams = Type.Object({
  siteId: Type.String({ format: 'uuid' }),
  reportId: Type.String({ format: 'uuid' }),
});

/**
 * Alert rules, alert history and report schedules of a site. Reading needs `site.read` on it; changing needs
 * `alert.manage`; other organisations' sites answer 404. Changes are audited.
 */
export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, config } = app.deps;
  const ring = keyringOf(config);
  app.addHook('onRequest', app.authenticate);
  const tags = ['alerts'];

  const site = async (
    auth: AuthContext,
    siteId: string,
    action: 'site.read' | 'alert.manage' | 'alert.ack' = 'site.read',
  ) => {
    const row = await getSite(database.db, auth.orgId, siteId);
    if (!row) throw notFound('site');
    requireOnSite(auth, row.id, 'site', action);
    return row.id;
  };
  const needsTarget = (b: { webhookUrl?: string; emailTo?: string }) => {
    if (!b.webhookUrl && !b.emailTo)
      throw new AppError('TALLY_BAD_REQUEST', 'give a webhookUrl, an emailTo, or both');
    refuseEmailWithoutSmtp(b);
  };
  const refuseEmailWithoutSmtp = (b: { emailTo?: string }) => {
    if (b.emailTo && !emailConfigured()) throw new AppError('TALLY_BAD_REQUEST', EMAIL_NOT_CONFIGURED);
  };
  /** Tests are sent by a deliverer of their own: one attempt, SMTP as configured now (SMTP_URL, SMTP_FROM). */
  const testDeliverer = () =>
    new Deliverer({
      database,
      log: app.deps.log?.child({ component: 'alerts' }) ?? createLogger('alerts'),
      allowPrivateTargets: config.allowPrivateWebhooks,
      openSecret: (stored) => openWebhookSecret(ring, stored),
      retryDelaysMs: [],
      ...(process.env.SMTP_URL
        ? { mailer: smtpMailer(process.env.SMTP_URL, process.env.SMTP_FROM ?? 'tally@localhost') }
        : {}),
    });
  const safeWebhook = (b: { webhookUrl?: string }) => {
    const problem = b.webhookUrl ? webhookUrlProblem(b.webhookUrl, config.allowPrivateWebhooks) : null;
    if (problem) {
      throw new AppError('TALLY_VALIDATION', `webhookUrl: ${problem}`, [
        { path: 'body/webhookUrl', message: problem },
      ]);
    }
  };

  /** Whether the caller may see rule targets in full (only those who manage rules; see shownWebhookUrl). */
  const shown = (auth: AuthContext, siteId: string, rule: AlertRule): AlertRule => ({
    ...rule,
    webhookUrl: shownWebhookUrl(rule.webhookUrl, can(auth, 'alert.manage', siteId)),
  });
  const ruleNotFound = () => notFound('alert rule');

  app.get(
    '/sites/:siteId/alert-rules',
    {
      schema: {
        tags,
        security: bearer,
        summary: 'List alert rules',
        description:
          "A site's alert rules with their last delivery per channel (status, time, HTTP status, error, attempts). " +
          'Anyone who reads the site; only those who manage rules (`alert.manage`) see webhook URLs in full, others ' +
          'their origin. Signing secrets are never listed.',
        params: SiteParams,
        response: { 200: Type.Array(AlertRule), ...errors },
      },
    },
    async (request) => {
      const siteId = await site(request.auth, request.params.siteId);
      const rules = await listAlertRules(database, request.auth.orgId, siteId);
      return rules.map((r) => shown(request.auth, siteId, r));
    },
  );

  app.post(
    '/sites/:siteId/alert-rules',
    {
      schema: {
        tags,
        security: bearer,
        summary: 'Create an alert rule',
        description:
          'A condition (occupancy above N for M minutes, device offline, camera stalled, count above/below per ' +
          'period) with its targets (webhook, email). Answers the rule with its webhook signing secret, shown this ' +
          'once (docs/WEBHOOKS.md). Email targets need SMTP configured. Needs `alert.manage`; audited.',
        params: SiteParams,
        body: AlertRuleBody,
        response: { 201: AlertRuleWithSecret, ...errors },
      },
    },
    async (request, reply) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      refuseEmailWithoutSmtp(request.body);
      safeWebhook(request.body);
      const secret = newWebhookSecret();
      const rule = await inTransaction(request, async (tx) => {
        const rule = await createAlertRule(
          transactionQuery(tx),
          request.auth.orgId,
          siteId,
          request.body,
          sealWebhookSecret(ring, secret),
        );
        const details = { siteId, name: rule.name, condition: rule.condition };
        await audit(
          request,
          { action: 'alert_rule.create', targetType: 'alert_rule', targetId: rule.id, details },
          tx,
        );
        return rule;
      });
      return reply.status(201).send({ ...rule, webhookSecret: secret });
    },
  );

  app.patch(
    '/sites/:siteId/alert-rules/:ruleId',
    {
      schema: {
        tags,
        security: bearer,
        summary: 'Edit, enable or disable an alert rule',
        description:
          'Changes any of name, condition (replaced whole; its kind may change), enabled, webhookUrl, emailTo ' +
          '(null removes a target). Disabling it, or changing its condition, resolves the alerts it has open; a ' +
          'changed condition starts its timers over. A webhook added to a rule that had none gets a new signing ' +
          'secret, answered this once as `webhookSecret`. Needs `alert.manage`; audited with which fields changed.',
        params: RuleParams,
        body: AlertRulePatch,
        response: { 200: AlertRuleEdited, ...errors },
      },
    },
    async (request) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      const patch = request.body;
      if (patch.emailTo) refuseEmailWithoutSmtp({ emailTo: patch.emailTo });
      if (patch.webhookUrl) safeWebhook({ webhookUrl: patch.webhookUrl });
      return inTransaction(request, async (tx) => {
        const { orgId } = request.auth;
        const result = await updateAlertRule(
          transactionQuery(tx),
          orgId,
          siteId,
          request.params.ruleId,
          patch,
        );
        if (!result) throw ruleNotFound();
        const { before, rule } = result;
        // Which fields changed, not their values: a webhook URL may hold a token and the audit log is widely read.
        const fields = ['name', 'condition', 'enabled', 'webhookUrl', 'emailTo'] as const;
        const changed = fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(rule[f]));
        const toggled = before.enabled !== rule.enabled;
        const action = !toggled
          ? 'alert_rule.update'
          : rule.enabled
            ? 'alert_rule.enable'
            : 'alert_rule.disable';
        const details = { siteId, changed, enabled: rule.enabled };
        await audit(request, { action, targetType: 'alert_rule', targetId: rule.id, details }, tx);
        // A webhook added to a rule that had none gets a fresh secret, shown now: the one made with the rule was
        // never needed, so nobody kept it.
        if (before.webhookUrl === null && rule.webhookUrl !== null) {
          const secret = newWebhookSecret();
          const signed = await setWebhookSecret(
            transactionQuery(tx),
            orgId,
            siteId,
            rule.id,
            sealWebhookSecret(ring, secret),
          );
          return { ...signed!, webhookSecret: secret };
        }
        return rule;
      });
    },
  );

  app.post(
    '/sites/:siteId/alert-rules/:ruleId/rotate-secret',
    {
      schema: {
        tags,
        security: bearer,
        summary: "Rotate an alert rule's webhook secret",
        description:
          'Makes a new signing secret and answers it this once; the old one stops signing at once, so update the ' +
          'receiver right after. Also gives a secret to a rule made before signing existed. Needs `alert.manage`; audited.',
        params: RuleParams,
        response: { 200: AlertRuleWithSecret, ...errors },
      },
    },
    async (request) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      const secret = newWebhookSecret();
      const rule = await inTransaction(request, async (tx) => {
        const { orgId } = request.auth;
        const rule = await setWebhookSecret(
          transactionQuery(tx),
          orgId,
          siteId,
          request.params.ruleId,
          sealWebhookSecret(ring, secret),
        );
        if (!rule) throw ruleNotFound();
        const entry = {
          action: 'alert_rule.rotate_secret',
          targetType: 'alert_rule',
          targetId: rule.id,
          details: { siteId },
        };
        await audit(request, entry, tx);
        return rule;
      });
      return { ...rule, webhookSecret: secret };
    },
  );

  app.post(
    '/sites/:siteId/alert-rules/:ruleId/test',
    {
      schema: {
        tags,
        security: bearer,
        summary: 'Send a test notification',
        description:
          "Delivers a test notification (`{type: 'test', …}`) through each of the rule's channels now: its webhook " +
          '(signed, one attempt, no retry) and its email through the configured SMTP. Answers each result (HTTP ' +
          "status, error) and records it as the rule's last delivery. 400 when the rule has no target, or only email " +
          'and SMTP is not configured. Needs `alert.manage`; audited.',
        params: RuleParams,
        response: { 200: AlertRuleTestResult, ...errors },
      },
    },
    async (request) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      const rule = await getAlertRule(database, request.auth.orgId, siteId, request.params.ruleId);
      if (!rule) throw ruleNotFound();
      if (!rule.webhookUrl && !rule.emailTo)
        throw new AppError(
          'TALLY_BAD_REQUEST',
          'this rule has no webhookUrl or emailTo to test: add one first',
        );
      if (!rule.webhookUrl && !emailConfigured())
        throw new AppError('TALLY_BAD_REQUEST', EMAIL_NOT_CONFIGURED);
      const results = await testDeliverer().deliver(
        {
          orgId: rule.orgId,
          ruleId: rule.id,
          webhookUrl: rule.webhookUrl,
          emailTo: rule.emailTo,
          webhookSecret: rule.webhookSecret,
        },
        testNotification(rule),
        { retry: false, test: true },
      );
      const outcome = results.map((r) => ({
        channel: r.channel,
        status: r.status,
        httpStatus: r.httpStatus,
      }));
      await audit(request, {
        action: 'alert_rule.test',
        targetType: 'alert_rule',
        targetId: rule.id,
        details: { siteId, results: outcome },
      });
      return {
        results: results.map((r) => ({
          channel: r.channel,
          target: r.target,
          ok: r.status === 'delivered',
          httpStatus: r.httpStatus,
          error: r.error,
          durationMs: r.durationMs,
        })),
      };
    },
  );

  app.delete(
    '/sites/:siteId/alert-rules/:ruleId',
    {
      schema: {
        tags,
        security: bearer,
        summary: 'Delete an alert rule',
        description:
          'Stops its evaluation and resolves the alerts it has open (they stay in the history). Needs `alert.manage`; audited.',
        params: RuleParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      await inTransaction(request, async (tx) => {
        if (!(await deleteAlertRule(transactionQuery(tx), request.auth.orgId, siteId, request.params.ruleId)))
          throw ruleNotFound();
        const entry = {
          action: 'alert_rule.delete',
          targetType: 'alert_rule',
          targetId: request.params.ruleId,
          details: { siteId },
        };
        await audit(request, entry, tx);
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/sites/:siteId/alerts',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        querystring: AlertEventsQuery,
        response: { 200: Type.Array(AlertEvent), ...errors },
      },
    },
    async (request) =>
      listAlertEvents(
        database,
        request.auth.orgId,
        await site(request.auth, request.params.siteId),
        request.query,
      ),
  );

  app.post(
    '/sites/:siteId/alerts/:alertId/ack',
    {
      schema: {
        tags,
        security: bearer,
        description:
          'Acknowledges an alert (needs `alert.ack`): records who and when, once; acknowledging again keeps the first. The alert still resolves by its condition. Audited',
        params: AlertParams,
        response: { 200: AlertEvent, ...errors },
      },
    },
    async (request) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.ack');
      const { alertId } = request.params;
      const result = await acknowledgeAlertEvent(
        database,
        request.auth.orgId,
        siteId,
        alertId,
        request.auth.userId,
      );
      if (!result) throw notFound('alert');
      if (result.changed) {
        await audit(request, {
          action: 'alert.ack',
          targetType: 'alert',
          targetId: alertId,
          details: { siteId },
        });
      }
      return result.event;
    },
  );

  app.get(
    '/sites/:siteId/reports',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        response: { 200: Type.Array(ReportSchedule), ...errors },
      },
    },
    async (request) =>
      listReportSchedules(database, request.auth.orgId, await site(request.auth, request.params.siteId)),
  );

  app.post(
    '/sites/:siteId/reports',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        body: ReportScheduleBody,
        response: { 201: ReportSchedule, ...errors },
      },
    },
    async (request, reply) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      needsTarget(request.body);
      safeWebhook(request.body);
      const schedule = await inTransaction(request, async (tx) => {
        const schedule = await createReportSchedule(
          transactionQuery(tx),
          request.auth.orgId,
          siteId,
          request.body,
        );
        const details = { siteId, period: schedule.period };
        const entry = {
          action: 'report.create',
          targetType: 'report_schedule',
          targetId: schedule.id,
          details,
        };
        await audit(request, entry, tx);
        return schedule;
      });
      return reply.status(201).send(schedule);
    },
  );

  app.delete(
    '/sites/:siteId/reports/:reportId',
    { schema: { tags, security: bearer, params: ReportParams, response: { 204: NoContent, ...errors } } },
    async (request, reply) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      await inTransaction(request, async (tx) => {
        const query = transactionQuery(tx);
        if (!(await deleteReportSchedule(query, request.auth.orgId, siteId, request.params.reportId)))
          throw notFound('report schedule');
        const entry = {
          action: 'report.delete',
          targetType: 'report_schedule',
          targetId: request.params.reportId,
        };
        await audit(request, entry, tx);
      });
      return reply.status(204).send(null);
    },
  );
};

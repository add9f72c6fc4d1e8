import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AlertEvent,
  AlertEventsQuery,
  AlertRule,
  AlertRuleBody,
  ReportSchedule,
  ReportScheduleBody,
} from '@tally/proto';
import type { AuthContext } from '../../auth/permissions';
import {
  createAlertRule,
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
import { requireOnSite } from './access';
import { bearer, errors, NoContent, SiteParams } from './schemas';
import { EMAIL_NOT_CONFIGURED, emailConfigured } from '../../alerts/email-configured';

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
  const safeWebhook = (b: { webhookUrl?: string }) => {
    const problem = b.webhookUrl ? webhookUrlProblem(b.webhookUrl, config.allowPrivateWebhooks) : null;
    if (problem) {
      throw new AppError('TALLY_VALIDATION', `webhookUrl: ${problem}`, [
        { path: 'body/webhookUrl', message: problem },
      ]);
    }
  };

  app.get(
    '/sites/:siteId/alert-rules',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        response: { 200: Type.Array(AlertRule), ...errors },
      },
    },
    async (request) =>
      listAlertRules(database, request.auth.orgId, await site(request.auth, request.params.siteId)),
  );

  app.post(
    '/sites/:siteId/alert-rules',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        body: AlertRuleBody,
        response: { 201: AlertRule, ...errors },
      },
    },
    async (request, reply) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      refuseEmailWithoutSmtp(request.body);
      safeWebhook(request.body);
      const rule = await inTransaction(request, async (tx) => {
        const rule = await createAlertRule(transactionQuery(tx), request.auth.orgId, siteId, request.body);
        const details = { siteId, name: rule.name, condition: rule.condition };
        await audit(
          request,
          { action: 'alert_rule.create', targetType: 'alert_rule', targetId: rule.id, details },
          tx,
        );
        return rule;
      });
      return reply.status(201).send(rule);
    },
  );

  app.delete(
    '/sites/:siteId/alert-rules/:ruleId',
    { schema: { tags, security: bearer, params: RuleParams, response: { 204: NoContent, ...errors } } },
    async (request, reply) => {
      const siteId = await site(request.auth, request.params.siteId, 'alert.manage');
      await inTransaction(request, async (tx) => {
        if (!(await deleteAlertRule(transactionQuery(tx), request.auth.orgId, siteId, request.params.ruleId)))
          throw notFound('alert rule');
        const entry = {
          action: 'alert_rule.delete',
          targetType: 'alert_rule',
          targetId: request.params.ruleId,
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

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CountsQuery,
  CountsReport,
  DwellReport,
  ExportQuery,
  OccupancyQuery,
  OccupancyReport,
  RangeQuery,
  type AnalyticsBucket,
} from '@tally/proto';
import type { AuthContext } from '../../auth/permissions';
import { countsToCsv } from '../../analytics/csv';
import { countsReport, dwellReport, occupancyReport, type SiteRef } from '../../db/queries/analytics';
import { getSite } from '../../db/queries/sites';
import { AppError, notFound } from '../../errors';
import { audit } from '../../plugins/app/audit';
import { requireOnSite } from './access';
import { bearer, errors, SiteParams } from './schemas';

const DAY = 86_400_000;

/** The longest range per bucket size: enough for any chart, small enough that one request stays cheap. */
const MAX_RANGE_DAYS: Record<AnalyticsBucket, number> = {
  '15m': 31,
  hour: 93,
  day: 1100,
  week: 1100,
  month: 3700,
};

function parseRange(
  q: { from: string; to: string },
  bucket?: AnalyticsBucket,
): { fromMs: number; toMs: number } {
  const fromMs = Date.parse(q.from);
  const toMs = Date.parse(q.to);
  if (!(toMs > fromMs)) throw new AppError('TALLY_BAD_REQUEST', '`to` must be after `from`');
  const maxDays = MAX_RANGE_DAYS[bucket ?? 'day'];
  if (toMs - fromMs > maxDays * DAY) {
    throw new AppError(
      'TALLY_BAD_REQUEST',
      `a ${bucket ?? 'day'} query covers at most ${maxDays} days: use a larger bucket`,
    );
  }
  return { fromMs, toMs };
}

/**
 * Analytics of one site, in the site's timezone. Scoped like every site route: another organisation's site, or
 * one outside a scoped role's sites, answers 404; exporting needs `data.export` and is audited.
 */
export const analyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;
  app.addHook('onRequest', app.authenticate);
  const tags = ['analytics'];

  const siteFor = async (
    auth: AuthContext,
    siteId: string,
    action: 'site.read' | 'data.export' = 'site.read',
  ): Promise<SiteRef> => {
    const site = await getSite(database.db, auth.orgId, siteId);
    if (!site) throw notFound('site');
    requireOnSite(auth, site.id, 'site', action);
    return { siteId: site.id, timezone: site.timezone };
  };

  app.get(
    '/sites/:siteId/analytics/counts',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        querystring: CountsQuery,
        response: { 200: CountsReport, ...errors },
      },
    },
    async (request) => {
      const site = await siteFor(request.auth, request.params.siteId);
      parseRange(request.query, request.query.bucket ?? 'hour');
      return countsReport(database, site, request.query);
    },
  );

  app.get(
    '/sites/:siteId/analytics/occupancy',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        querystring: OccupancyQuery,
        response: { 200: OccupancyReport, ...errors },
      },
    },
    async (request) => {
      const site = await siteFor(request.auth, request.params.siteId);
      const { bucket } = request.query;
      const { fromMs, toMs } = parseRange(request.query, bucket);
      return occupancyReport(database, site, fromMs, toMs, bucket ? { bucket } : {});
    },
  );

  app.get(
    '/sites/:siteId/analytics/dwell',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        querystring: RangeQuery,
        response: { 200: DwellReport, ...errors },
      },
    },
    async (request) => {
      const site = await siteFor(request.auth, request.params.siteId);
      const { fromMs, toMs } = parseRange(request.query);
      return dwellReport(database, site, fromMs, toMs);
    },
  );

  app.get(
    '/sites/:siteId/analytics/export',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The counts report as CSV (one line per series point) or JSON',
            content: {
              'text/csv': { schema: Type.String() },
              'application/json': { schema: CountsReport },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const site = await siteFor(request.auth, request.params.siteId, 'data.export');
      const { format = 'csv', ...query } = request.query;
      parseRange(query, query.bucket ?? 'hour');
      const report = await countsReport(database, site, query);
      await audit(request, {
        action: 'data.export',
        targetType: 'site',
        targetId: site.siteId,
        details: { format, from: query.from, to: query.to, bucket: report.bucket, groupBy: report.groupBy },
      });
      const name = `tally-${site.siteId}-${report.bucket}`;
      if (format === 'json') {
        reply.header('content-disposition', `attachment; filename="${name}.json"`);
        return reply.type('application/json').send(report);
      }
      reply.header('content-disposition', `attachment; filename="${name}.csv"`);
      return reply.type('text/csv; charset=utf-8').send(countsToCsv(report));
    },
  );
};

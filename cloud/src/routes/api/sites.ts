import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CreateSiteBody, Site, UpdateSiteBody } from '@tally/proto';
import { visibleSiteIds } from '../../auth/permissions';
import {
  createSite,
  deleteSite,
  getSite,
  isDatabaseTimezone,
  listSites,
  updateSite,
  type SiteRow,
} from '../../db/queries/sites';
import type { Db } from '../../db/client';
import { listDevices } from '../../db/queries/devices';
import { AppError, notFound } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { rebuildDayRollupsIn } from '../../rollups/rebuild-day-rollups';
import { requireOnSite, requireOrgAction } from './access';
import { bearer, errors, SiteParams } from './schemas';

export function toSiteDto(s: SiteRow): Site {
  return { id: s.id, name: s.name, timezone: s.timezone, createdAt: s.createdAt.toISOString() };
}

/** A valid IANA zone is one Intl accepts; `UTC` and `Etc/…` included. */
export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The zone must be one both Node (site-local reports) and PostgreSQL (day rollups at ingest) know. */
async function checkTimezone(db: Db, tz: string | undefined): Promise<void> {
  if (tz !== undefined && !(isValidTimezone(tz) && (await isDatabaseTimezone(db, tz)))) {
    throw new AppError(
      'TALLY_VALIDATION',
      `unknown time zone ${JSON.stringify(tz)}: use an IANA name such as Europe/Paris`,
      [{ path: '/timezone', message: 'not an IANA time zone' }],
    );
  }
}

export const siteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.deps.database.db;
  app.addHook('onRequest', app.authenticate);
  const tags = ['sites'];

  app.get(
    '/sites',
    { schema: { tags, security: bearer, response: { 200: Type.Array(Site), ...errors } } },
    async (request) => (await listSites(db, request.auth.orgId, visibleSiteIds(request.auth))).map(toSiteDto),
  );

  app.post(
    '/sites',
    { schema: { tags, security: bearer, body: CreateSiteBody, response: { 201: Site, ...errors } } },
    async (request, reply) => {
      requireOrgAction(request.auth, 'site.create');
      await checkTimezone(db, request.body.timezone);
      const site = await inTransaction(request, async (tx) => {
        const site = await createSite(tx, request.auth.orgId, request.body);
        await audit(
          request,
          { action: 'site.create', targetType: 'site', targetId: site.id, details: request.body },
          tx,
        );
        return site;
      });
      return reply.status(201).send(toSiteDto(site));
    },
  );

  app.get(
    '/sites/:siteId',
    { schema: { tags, security: bearer, params: SiteParams, response: { 200: Site, ...errors } } },
    async (request) => {
      const site = await getSite(db, request.auth.orgId, request.params.siteId);
      if (!site) throw notFound('site');
      requireOnSite(request.auth, site.id, 'site');
      return toSiteDto(site);
    },
  );

  app.patch(
    '/sites/:siteId',
    {
      schema: {
        tags,
        security: bearer,
        params: SiteParams,
        body: UpdateSiteBody,
        response: { 200: Site, ...errors },
      },
    },
    async (request) => {
      const site = await getSite(db, request.auth.orgId, request.params.siteId);
      if (!site) throw notFound('site');
      requireOnSite(request.auth, site.id, 'site', 'site.update');
      await checkTimezone(db, request.body.timezone);
      // Day rollups are kept per site-local date: recompute them in the new zone, in the same transaction as the
      // change and its audit row.
      const updated = await inTransaction(request, async (tx) => {
        const row = await updateSite(tx, request.auth.orgId, site.id, request.body);
        if (!row) throw notFound('site');
        if (row.timezone !== site.timezone) await rebuildDayRollupsIn(tx, site.id);
        const entry = { action: 'site.update', targetType: 'site', targetId: site.id, details: request.body };
        await audit(request, entry, tx);
        return row;
      });
      return toSiteDto(updated);
    },
  );

  app.delete(
    '/sites/:siteId',
    { schema: { tags, security: bearer, params: SiteParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const site = await getSite(db, request.auth.orgId, request.params.siteId);
      if (!site) throw notFound('site');
      requireOnSite(request.auth, site.id, 'site', 'site.delete');
      if ((await listDevices(db, request.auth.orgId, [site.id])).length > 0) {
        throw new AppError('TALLY_CONFLICT', 'the site still has devices: delete or move them first');
      }
      await inTransaction(request, async (tx) => {
        await deleteSite(tx, request.auth.orgId, site.id);
        await audit(
          request,
          { action: 'site.delete', targetType: 'site', targetId: site.id, details: { name: site.name } },
          tx,
        );
      });
      return reply.status(204).send(null);
    },
  );
};

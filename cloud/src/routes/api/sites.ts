import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CreateSiteBody, Site, UpdateSiteBody } from '@tally/proto';
import { visibleSiteIds } from '../../auth/permissions';
import { createSite, deleteSite, getSite, listSites, updateSite, type SiteRow } from '../../db/queries/sites';
import { listDevices } from '../../db/queries/devices';
import { AppError, notFound } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { rebuildDayRollups } from '../../rollups/rebuild-day-rollups';
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

function checkTimezone(tz: string | undefined): void {
  if (tz !== undefined && !isValidTimezone(tz)) {
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
      checkTimezone(request.body.timezone);
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
      checkTimezone(request.body.timezone);
      const updated = await updateSite(db, request.auth.orgId, site.id, request.body);
      if (!updated) throw notFound('site');
      // Day rollups are kept per site-local date: recompute them in the new zone.
      if (updated.timezone !== site.timezone) await rebuildDayRollups(app.deps.database, site.id);
      await audit(request, {
        action: 'site.update',
        targetType: 'site',
        targetId: site.id,
        details: request.body,
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

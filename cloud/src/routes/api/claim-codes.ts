import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ClaimCode, CreateClaimCodeBody } from '@tally/proto';
import { generateClaimCode, hashClaimCode } from '../../auth/claim-code';
import { insertClaimCode } from '../../db/queries/claim-codes';
import { getSite } from '../../db/queries/sites';
import { notFound } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { requireOnSite } from './access';
import { bearer, errors, SiteParams } from './schemas';

/** An installer (or manager, admin, owner) creates a one-time code to provision a box on a site. */
export const claimCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.deps.database.db;
  app.post(
    '/sites/:siteId/claim-codes',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['provisioning'],
        security: bearer,
        params: SiteParams,
        body: CreateClaimCodeBody,
        response: { 201: ClaimCode, ...errors },
      },
    },
    async (request, reply) => {
      const { auth } = request;
      const site = await getSite(db, auth.orgId, request.params.siteId);
      if (!site) throw notFound('site');
      requireOnSite(auth, site.id, 'site', 'device.provision');
      const code = generateClaimCode();
      const expiresAt = new Date(Date.now() + (request.body.ttlMinutes ?? 60) * 60_000);
      await inTransaction(request, async (tx) => {
        const row = await insertClaimCode(tx, {
          orgId: auth.orgId,
          siteId: site.id,
          codeHash: hashClaimCode(code),
          expiresAt,
          createdBy: auth.userId,
        });
        const details = { claimCodeId: row.id, expiresAt: expiresAt.toISOString() };
        await audit(
          request,
          { action: 'claim_code.create', targetType: 'site', targetId: site.id, details },
          tx,
        );
      });
      return reply.status(201).send({ code, siteId: site.id, expiresAt: expiresAt.toISOString() });
    },
  );
};

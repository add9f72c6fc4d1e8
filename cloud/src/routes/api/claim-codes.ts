import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ClaimCode, CreateClaimCodeBody, OpenClaimCode } from '@tally/proto';
import { visibleSiteIds } from '../../auth/permissions';
import { generateClaimCode, hashClaimCode, normaliseClaimCode } from '../../auth/claim-code';
import {
  getClaimCode,
  insertClaimCode,
  listOpenClaimCodes,
  revokeClaimCode,
  type OpenClaimCodeRow,
} from '../../db/queries/claim-codes';
import { getSite } from '../../db/queries/sites';
import { AppError, notFound } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { requireOnSite, requireOrgAction } from './access';
import { bearer, errors, NoContent, SiteParams } from './schemas';

/** Characters of the code kept to tell open codes apart: 31² = 961 possibilities leave ~8e8 to guess. */
const PREFIX_LENGTH = 2;

const ClaimCodeParams = Type.Object({ claimCodeId: Type.String({ format: 'uuid' }) });

function toOpenClaimCode(row: OpenClaimCodeRow): OpenClaimCode {
  return {
    id: row.id,
    siteId: row.siteId,
    name: row.name,
    prefix: row.codePrefix,
    createdBy: row.createdBy ? { userId: row.createdBy, email: row.creatorEmail } : null,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * Claim codes: an installer (or manager, admin, owner) creates a one-time code to provision a box on a site, lists
 * the open ones (never the code again: only its first characters), and revokes one before it is used.
 */
export const claimCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.deps.database.db;
  const tags = ['provisioning'];

  app.post(
    '/sites/:siteId/claim-codes',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
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
      const name = request.body.name?.trim() || null;
      const row = await inTransaction(request, async (tx) => {
        const row = await insertClaimCode(tx, {
          orgId: auth.orgId,
          siteId: site.id,
          codeHash: hashClaimCode(code),
          codePrefix: normaliseClaimCode(code).slice(0, PREFIX_LENGTH),
          name,
          expiresAt,
          createdBy: auth.userId,
        });
        const details = { claimCodeId: row.id, name, expiresAt: expiresAt.toISOString() };
        await audit(
          request,
          { action: 'claim_code.create', targetType: 'site', targetId: site.id, details },
          tx,
        );
        return row;
      });
      return reply
        .status(201)
        .send({ id: row.id, code, siteId: site.id, name, expiresAt: expiresAt.toISOString() });
    },
  );

  app.get(
    '/sites/:siteId/claim-codes',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security: bearer,
        summary: "List a site's open claim codes",
        description:
          'Codes not yet used, revoked or expired, soonest to expire first: who made each, for which box, until when. The code itself is never shown again, only its first two characters.',
        params: SiteParams,
        response: { 200: Type.Array(OpenClaimCode), ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const site = await getSite(db, auth.orgId, request.params.siteId);
      if (!site) throw notFound('site');
      requireOnSite(auth, site.id, 'site', 'device.provision');
      return (await listOpenClaimCodes(db, auth.orgId, [site.id])).map(toOpenClaimCode);
    },
  );

  app.get(
    '/claim-codes',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security: bearer,
        summary: 'List open claim codes of the organisation',
        description:
          "Every open code on the sites the caller's scope covers (all sites for owners and admins), soonest to expire first. The codes themselves are never shown again.",
        response: { 200: Type.Array(OpenClaimCode), ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      requireOrgAction(auth, 'device.provision');
      return (await listOpenClaimCodes(db, auth.orgId, visibleSiteIds(auth))).map(toOpenClaimCode);
    },
  );

  app.delete(
    '/claim-codes/:claimCodeId',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security: bearer,
        summary: 'Revoke a claim code',
        description:
          'Withdraws a code before a box uses it: provisioning with it fails from now on. A code already used answers 409 (revoke the device instead); revoking a revoked code again changes nothing.',
        params: ClaimCodeParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      const { auth } = request;
      const code = await getClaimCode(db, auth.orgId, request.params.claimCodeId);
      if (!code) throw notFound('claim code');
      requireOnSite(auth, code.siteId, 'claim code', 'device.provision');
      if (code.usedAt) {
        throw new AppError(
          'TALLY_CONFLICT',
          `this code was already used by device ${code.deviceId}: revoke that device instead`,
        );
      }
      if (!code.revokedAt) {
        await inTransaction(request, async (tx) => {
          if (!(await revokeClaimCode(tx, auth.orgId, code.id))) {
            throw new AppError('TALLY_CONFLICT', 'this code was used meanwhile: revoke the device instead');
          }
          const details = { siteId: code.siteId, name: code.name };
          await audit(
            request,
            { action: 'claim_code.revoke', targetType: 'claim_code', targetId: code.id, details },
            tx,
          );
        });
      }
      return reply.status(204).send(null);
    },
  );
};

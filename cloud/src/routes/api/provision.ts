import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProvisionRequest, ProvisionResponse } from '@tally/proto';
import { hashClaimCode } from '../../auth/claim-code';
import { generateDeviceSecret, hashDeviceSecret } from '../../auth/device-secret';
import { publicApiUrl } from '../../config-push/public-urls';
import type { Db } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { consumeClaimCode } from '../../db/queries/claim-codes';
import { insertDevice } from '../../db/queries/devices';
import { AppError } from '../../errors';
import { errors } from './schemas';

/** `dev-` + 12 lowercase base-32 characters: valid in topics, unguessable enough not to leak fleet size. */
function newDeviceId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(12);
  return `dev-${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * `POST /api/provision`: a box trades a claim code for its identity and MQTT credentials. No user token: the
 * one-time code is the authorisation. Rate limited per address.
 */
export const provisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, config } = app.deps;
  app.post(
    '/provision',
    {
      config: { rateLimit: { max: config.provisionRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['provisioning'],
        body: ProvisionRequest,
        response: { 201: ProvisionResponse, ...errors, 429: errors[400] },
      },
    },
    async (request, reply) => {
      const deviceId = newDeviceId();
      const password = generateDeviceSecret();
      const device = await database.db.transaction(async (txn) => {
        const tx = txn as unknown as Db;
        const claim = await consumeClaimCode(tx, hashClaimCode(request.body.code), deviceId);
        if (!claim) {
          throw new AppError(
            'TALLY_CLAIM_CODE_INVALID',
            'claim code unknown, used or expired: ask for a new one',
          );
        }
        const row = await insertDevice(tx, {
          id: deviceId,
          orgId: claim.orgId,
          siteId: claim.siteId,
          name: request.body.name,
          secretHash: hashDeviceSecret(password),
        });
        await recordAudit(tx, claim.orgId, {
          action: 'device.provision',
          actorUserId: claim.createdBy,
          actorDeviceId: deviceId,
          targetType: 'device',
          targetId: deviceId,
          details: { siteId: claim.siteId, name: request.body.name, claimCodeId: claim.id },
          ip: request.ip,
        });
        return row;
      });
      return reply.status(201).send({
        deviceId: device.id,
        siteId: device.siteId,
        mqtt: { url: app.deps.deviceMqttUrl, username: device.id, password },
        apiUrl: publicApiUrl(config),
      });
    },
  );
};

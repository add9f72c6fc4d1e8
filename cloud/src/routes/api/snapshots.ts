import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getCameraByKey } from '../../db/queries/cameras';
import { getDevice } from '../../db/queries/devices';
import { AppError, forbidden, notFound } from '../../errors';
import { authenticateDevice } from '../../plugins/app/device-auth';
import { requireOnSite } from './access';
import { errors } from './schemas';

const SNAPSHOT_LIMIT = 10 * 1024 * 1024;

const Params = Type.Object({
  deviceId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
  cameraId: Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
    description: "The camera's key (its id in the device config)",
  }),
});

/**
 * Camera snapshots (for drawing lines and zones): the device uploads a JPEG with Basic device auth, users allowed
 * on the site read the latest one. Stored as DATA_DIR/snapshots/<deviceId>/<cameraKey>.jpg, replaced atomically.
 */
export const snapshotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, config } = app.deps;
  const db = database.db;
  const dir = (deviceId: string) => join(config.dataDir, 'snapshots', deviceId);
  const tags = ['snapshots'];

  app.addContentTypeParser(
    'image/jpeg',
    { parseAs: 'buffer', bodyLimit: SNAPSHOT_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.put(
    '/devices/:deviceId/cameras/:cameraId/snapshot',
    {
      schema: {
        tags,
        security: [{ device: [] }],
        params: Params,
        consumes: ['image/jpeg'],
        response: { 204: Type.Null(), ...errors, 413: errors[400], 415: errors[400] },
      },
    },
    async (request, reply) => {
      const device = await authenticateDevice(request);
      if (device.deviceId !== request.params.deviceId)
        throw forbidden('a device uploads only its own snapshots');
      const camera = await getCameraByKey(db, device.orgId, device.deviceId, request.params.cameraId);
      if (!camera) throw notFound('camera');
      const body = request.body as Buffer;
      if (
        !Buffer.isBuffer(body) ||
        body.length < 3 ||
        body[0] !== 0xff ||
        body[1] !== 0xd8 ||
        body[2] !== 0xff
      ) {
        throw new AppError('TALLY_BAD_REQUEST', 'not a JPEG image: send image/jpeg bytes');
      }
      await mkdir(dir(device.deviceId), { recursive: true });
      const temp = join(dir(device.deviceId), `.${randomUUID()}.part`);
      await writeFile(temp, body);
      await rename(temp, join(dir(device.deviceId), `${camera.cameraKey}.jpg`));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/devices/:deviceId/cameras/:cameraId/snapshot',
    {
      onRequest: app.authenticate,
      schema: { tags, security: [{ bearer: [] }], params: Params, response: { ...errors } },
    },
    async (request, reply) => {
      const device = await getDevice(db, request.auth.orgId, request.params.deviceId);
      if (!device) throw notFound('device');
      requireOnSite(request.auth, device.siteId, 'device');
      const file = join(dir(device.id), `${request.params.cameraId}.jpg`);
      const info = await stat(file).catch(() => null);
      if (!info || !(await getCameraByKey(db, request.auth.orgId, device.id, request.params.cameraId))) {
        throw notFound('snapshot');
      }
      return reply
        .type('image/jpeg')
        .header('cache-control', 'no-cache')
        .header('last-modified', info.mtime.toUTCString())
        .send(createReadStream(file) as never);
    },
  );
};

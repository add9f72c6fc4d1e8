import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  COMMAND_TIMEOUT_MS,
  DeviceCommand,
  SCHEMA_VERSION,
  SendCommandBody,
  encodeMessage,
  topics,
  type Command,
} from '@tally/proto';
import { getCameraByKey } from '../../db/queries/cameras';
import { getDeviceCommand, insertDeviceCommand } from '../../db/queries/device-commands';
import { getDevice } from '../../db/queries/devices';
import { commandStatus } from '../../devices/command-status';
import { AppError, notFound } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { requireOnSite } from './access';
import { bearer, DeviceParams, errors } from './schemas';

const CommandParams = Type.Object({
  ...DeviceParams.properties,
  commandId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
});

/**
 * Commands to a device (proto `commands`: snapshot, resync, restart_camera): sent over MQTT, their answer read back
 * from what ingest stored off `commands/result`. Whoever may set up the site's cameras may send them.
 */
export const commandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, publish } = app.deps;
  const db = database.db;
  app.addHook('onRequest', app.authenticate);
  const tags = ['devices'];

  app.post(
    '/devices/:deviceId/commands',
    {
      schema: {
        tags,
        summary: 'Send a command to a device',
        description:
          'Sends the box a snapshot (a fresh JPEG of a camera, uploaded to GET …/cameras/:cameraId/snapshot), ' +
          'restart_camera, or resync (resend stored events from a seq). Answers 202 with the command id: poll ' +
          `GET …/commands/:commandId for pending → succeeded | failed (with the device's error) | timed_out ` +
          `(no answer within ${COMMAND_TIMEOUT_MS / 1000} s). Installers, site managers and admins of the site.`,
        security: bearer,
        params: DeviceParams,
        body: SendCommandBody,
        response: { 202: DeviceCommand, ...errors },
      },
    },
    async (request, reply) => {
      const { auth, body } = request;
      const device = await getDevice(db, auth.orgId, request.params.deviceId);
      if (!device) throw notFound('device');
      requireOnSite(auth, device.siteId, 'device', 'camera.setup');
      if (device.revokedAt)
        throw new AppError('TALLY_CONFLICT', 'this device is revoked: it takes no commands');
      const cameraKey = 'cameraId' in body ? body.cameraId : null;
      if (cameraKey !== null && !(await getCameraByKey(db, auth.orgId, device.id, cameraKey))) {
        throw new AppError(
          'TALLY_BAD_REQUEST',
          `device ${device.id} has no camera ${JSON.stringify(cameraKey)}: use a key from GET /api/devices/${device.id}/cameras`,
        );
      }
      const issuedAt = new Date();
      const id = randomUUID();
      const row = {
        id,
        orgId: auth.orgId,
        deviceId: device.id,
        type: body.type,
        cameraKey,
        fromSeq: 'fromSeq' in body ? body.fromSeq : null,
        issuedBy: auth.userId,
        issuedAt,
        timeoutAt: new Date(issuedAt.getTime() + COMMAND_TIMEOUT_MS),
      };
      await inTransaction(request, async (tx) => {
        await insertDeviceCommand(tx, row);
        await audit(
          request,
          {
            action: `device.command.${body.type}`,
            targetType: 'device',
            targetId: device.id,
            details: { commandId: id, ...body },
          },
          tx,
        );
      });
      const command = { v: SCHEMA_VERSION, id, issuedAt: issuedAt.getTime(), ...body } as Command;
      await publish(topics.commands(device.id), encodeMessage('commands', command), {
        retain: false,
        qos: 1,
      });
      request.log.info({ deviceId: device.id, commandId: id, type: body.type }, 'command sent');
      return reply.status(202).send(commandStatus(row, null, Date.now()));
    },
  );

  app.get(
    '/devices/:deviceId/commands/:commandId',
    {
      schema: {
        tags,
        summary: 'Get a command and its result',
        description:
          "A command sent to the box: pending, succeeded, failed (with the device's error) or timed_out. Anyone " +
          'who may read the site.',
        security: bearer,
        params: CommandParams,
        response: { 200: DeviceCommand, ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const device = await getDevice(db, auth.orgId, request.params.deviceId);
      if (!device) throw notFound('device');
      requireOnSite(auth, device.siteId, 'device');
      const found = await getDeviceCommand(db, auth.orgId, device.id, request.params.commandId);
      if (!found) throw notFound('command');
      return commandStatus(found.command, found.result, Date.now());
    },
  );
};

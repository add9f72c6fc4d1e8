import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { RestoreResult, type DeviceConfig } from '@tally/proto';
import { pushDeviceConfig } from '../../config-push/push-config';
import { planRestore } from '../../config-push/restore-plan';
import { insertCamera, listDeviceCameras, updateCamera } from '../../db/queries/cameras';
import { getConfigVersion } from '../../db/queries/config-versions';
import { getDevice } from '../../db/queries/devices';
import { replaceCameraRules } from '../../db/queries/rules';
import { AppError, notFound } from '../../errors';
import { audit } from '../../plugins/app/audit';
import { requireOnSite } from './access';
import { bearer, DeviceParams, errors } from './schemas';

const VersionParams = Type.Object({
  ...DeviceParams.properties,
  version: Type.Integer({ minimum: 1, description: 'A version from GET …/config-versions' }),
});

/** Restoring a device's earlier config version: its cameras' setup and rules come back as a new version. */
export const configRestoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, publish, config } = app.deps;
  const db = database.db;
  const push = { db, publish, config };
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/devices/:deviceId/config-versions/:version/restore',
    {
      schema: {
        tags: ['devices'],
        summary: 'Restore a config version',
        description:
          "Puts the device's cameras back as they were in that version (setup, lines and zones; a camera deleted " +
          'since is added again, one added later is kept) and issues the result as a new version, pending until ' +
          'the box answers. Rule keys that survive keep their ids and counts. Model assignments are not restored. ' +
          'A version the device rejected cannot be restored (409).',
        security: bearer,
        params: VersionParams,
        response: { 200: RestoreResult, ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const device = await getDevice(db, auth.orgId, request.params.deviceId);
      if (!device) throw notFound('device');
      requireOnSite(auth, device.siteId, 'device', 'camera.setup');
      const stored = await getConfigVersion(db, auth.orgId, device.id, request.params.version);
      if (!stored) throw notFound('config version');
      if (stored.status === 'rejected') {
        throw new AppError(
          'TALLY_CONFLICT',
          `the device rejected version ${stored.version}: restoring it would be rejected again; pick an applied one`,
        );
      }
      const { result: plan, config: cfg } = await pushDeviceConfig(
        push,
        { orgId: auth.orgId, deviceId: device.id, userId: auth.userId },
        async (tx) => {
          const current = await listDeviceCameras(tx, auth.orgId, device.id);
          const byKey = new Map(current.map((c) => [c.cameraKey, c]));
          const plan = planRestore(
            stored.config as DeviceConfig,
            current.map((c) => c.cameraKey),
          );
          for (const cam of plan.cameras) {
            const existing = byKey.get(cam.key);
            const row = existing
              ? await updateCamera(tx, auth.orgId, existing.id, { name: cam.name, setup: cam.setup })
              : await insertCamera(tx, {
                  orgId: auth.orgId,
                  siteId: device.siteId,
                  deviceId: device.id,
                  cameraKey: cam.key,
                  name: cam.name,
                  setup: cam.setup,
                });
            if (!row) throw notFound('camera');
            await replaceCameraRules(
              tx,
              { orgId: auth.orgId, siteId: row.siteId, id: row.id },
              cam.rules.map((r) => ({ ...r, definition: r.definition as Record<string, unknown> })),
            );
          }
          return plan;
        },
        (tx, plan, cfg) =>
          audit(
            request,
            {
              action: 'device.config.restore',
              targetType: 'device',
              targetId: device.id,
              details: {
                restoredFrom: stored.version,
                configVersion: cfg.version,
                cameras: plan.cameras.map((c) => c.key),
              },
            },
            tx,
          ),
      );
      return {
        restoredFrom: stored.version,
        config: { version: cfg.version, hash: cfg.hash },
        cameras: [
          ...plan.cameras.map((c) => ({ key: c.key, action: c.action })),
          ...plan.kept.map((key) => ({ key, action: 'kept' as const })),
        ],
      };
    },
  );
};

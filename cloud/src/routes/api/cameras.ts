import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Camera, CreateCameraBody, UpdateCameraBody, type CameraSetup } from '@tally/proto';
import { visibleSiteIds } from '../../auth/permissions';
import { pushDeviceConfig } from '../../config-push/push-config';
import {
  deleteCamera,
  getCamera,
  getCameraByKey,
  insertCamera,
  listCameras,
  listDeviceCameras,
  updateCamera,
  type CameraRow,
} from '../../db/queries/cameras';
import { getDevice } from '../../db/queries/devices';
import { getModel } from '../../db/queries/models';
import { AppError, notFound } from '../../errors';
import { audit } from '../../plugins/app/audit';
import { maskSetup, openUrl, sealSetup, sourceUrlOf } from '../../secrets/camera-sources';
import { keyringOf } from '../../secrets/config-keyring';
import type { SecretKeyring } from '../../secrets/secret-box';
import { restoreMasked } from '../../secrets/url-credentials';
import { requireOnSite } from './access';
import { bearer, CameraParams, DeviceParams, errors } from './schemas';

/** A camera as the API shows it, to every role: its source URL masked (`rtsp://user:***@host/…`). */
export function toCameraDto(c: CameraRow, ring: SecretKeyring): Camera {
  return {
    id: c.id,
    deviceId: c.deviceId,
    siteId: c.siteId,
    key: c.cameraKey,
    name: c.name,
    setup: maskSetup(ring, c.setup) as CameraSetup,
    modelId: c.modelId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/**
 * The setup to store: a URL sent back masked (`***` where the API showed a secret) keeps the stored secret when
 * scheme, user and host are unchanged; a new URL replaces it. Sealed when it holds a secret.
 */
function setupToStore(
  ring: SecretKeyring,
  incoming: CameraSetup,
  stored: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const previous = stored ? sourceUrlOf(stored) : undefined;
  const restored = restoreMasked(
    incoming.source.url,
    previous === undefined ? undefined : openUrl(ring, previous),
  );
  if (!restored.ok) {
    throw new AppError('TALLY_BAD_REQUEST', `body/setup/source/url: ${restored.reason}`, [
      { path: 'body/setup/source/url', message: restored.reason },
    ]);
  }
  return sealSetup(ring, { ...incoming, source: { ...incoming.source, url: restored.url } });
}

const ConfigIssued = Type.Object({ version: Type.Integer(), hash: Type.String() });
const CameraWithConfig = Type.Object({ camera: Camera, config: ConfigIssued });

/**
 * Cameras and their setup. Every change issues the device a new config version, validated as the device would
 * (400 with the issues, nothing changed, when it would be rejected) and published retained.
 */
export const cameraRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, publish, config } = app.deps;
  const db = database.db;
  const push = { db, publish, config };
  const ring = keyringOf(config);
  const dto = (c: CameraRow) => toCameraDto(c, ring);
  app.addHook('onRequest', app.authenticate);
  const tags = ['cameras'];

  const loadCamera = async (orgId: string, cameraId: string) => {
    const camera = await getCamera(db, orgId, cameraId);
    if (!camera) throw notFound('camera');
    return camera;
  };
  const issued = (c: { version: number; hash: string }) => ({ version: c.version, hash: c.hash });

  app.get(
    '/cameras',
    {
      schema: {
        tags,
        security: bearer,
        querystring: Type.Object(
          { siteId: Type.Optional(Type.String({ format: 'uuid' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Camera), ...errors },
      },
    },
    async (request) => {
      const visible = visibleSiteIds(request.auth);
      const { siteId } = request.query;
      const scope = siteId ? (visible && !visible.includes(siteId) ? [] : [siteId]) : visible;
      return (await listCameras(db, request.auth.orgId, scope)).map(dto);
    },
  );

  app.get(
    '/devices/:deviceId/cameras',
    {
      schema: {
        tags,
        security: bearer,
        params: DeviceParams,
        response: { 200: Type.Array(Camera), ...errors },
      },
    },
    async (request) => {
      const device = await getDevice(db, request.auth.orgId, request.params.deviceId);
      if (!device) throw notFound('device');
      requireOnSite(request.auth, device.siteId, 'device');
      return (await listDeviceCameras(db, request.auth.orgId, device.id)).map(dto);
    },
  );

  app.post(
    '/devices/:deviceId/cameras',
    {
      schema: {
        tags,
        security: bearer,
        params: DeviceParams,
        body: CreateCameraBody,
        response: { 201: CameraWithConfig, ...errors },
      },
    },
    async (request, reply) => {
      const { auth } = request;
      const device = await getDevice(db, auth.orgId, request.params.deviceId);
      if (!device) throw notFound('device');
      requireOnSite(auth, device.siteId, 'device', 'camera.setup');
      if (await getCameraByKey(db, auth.orgId, device.id, request.body.key)) {
        throw new AppError('TALLY_CONFLICT', `camera ${request.body.key} already exists on this device`);
      }
      const { result: camera, config: cfg } = await pushDeviceConfig(
        push,
        { orgId: auth.orgId, deviceId: device.id, userId: auth.userId },
        (tx) =>
          insertCamera(tx, {
            orgId: auth.orgId,
            siteId: device.siteId,
            deviceId: device.id,
            cameraKey: request.body.key,
            name: request.body.name,
            setup: setupToStore(ring, request.body.setup, undefined),
          }),
        (tx, camera, cfg) =>
          audit(
            request,
            {
              action: 'camera.create',
              targetType: 'camera',
              targetId: camera.id,
              details: { deviceId: device.id, key: camera.cameraKey, configVersion: cfg.version },
            },
            tx,
          ),
      );
      return reply.status(201).send({ camera: dto(camera), config: issued(cfg) });
    },
  );

  app.get(
    '/cameras/:cameraId',
    { schema: { tags, security: bearer, params: CameraParams, response: { 200: Camera, ...errors } } },
    async (request) => {
      const camera = await loadCamera(request.auth.orgId, request.params.cameraId);
      requireOnSite(request.auth, camera.siteId, 'camera');
      return dto(camera);
    },
  );

  app.patch(
    '/cameras/:cameraId',
    {
      schema: {
        tags,
        security: bearer,
        params: CameraParams,
        body: UpdateCameraBody,
        response: { 200: CameraWithConfig, ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const camera = await loadCamera(auth.orgId, request.params.cameraId);
      requireOnSite(auth, camera.siteId, 'camera', 'camera.setup');
      const { modelId } = request.body;
      if (modelId) {
        const model = await getModel(db, auth.orgId, modelId);
        if (!model)
          throw new AppError('TALLY_BAD_REQUEST', 'unknown model id: pick one from GET /api/models');
      }
      const { result: updated, config: cfg } = await pushDeviceConfig(
        push,
        { orgId: auth.orgId, deviceId: camera.deviceId, userId: auth.userId },
        async (tx) => {
          const { setup, ...rest } = request.body;
          const patch = setup ? { ...rest, setup: setupToStore(ring, setup, camera.setup) } : rest;
          const updated = await updateCamera(tx, auth.orgId, camera.id, patch);
          if (!updated) throw notFound('camera');
          return updated;
        },
        (tx, _updated, cfg) =>
          audit(
            request,
            {
              action: modelId !== undefined && modelId !== camera.modelId ? 'camera.model' : 'camera.setup',
              targetType: 'camera',
              targetId: camera.id,
              details: {
                deviceId: camera.deviceId,
                configVersion: cfg.version,
                changed: Object.keys(request.body),
              },
            },
            tx,
          ),
      );
      return { camera: dto(updated), config: issued(cfg) };
    },
  );

  app.delete(
    '/cameras/:cameraId',
    {
      schema: {
        tags,
        security: bearer,
        params: CameraParams,
        response: { 200: Type.Object({ config: ConfigIssued }), ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const camera = await loadCamera(auth.orgId, request.params.cameraId);
      requireOnSite(auth, camera.siteId, 'camera', 'camera.setup');
      const { config: cfg } = await pushDeviceConfig(
        push,
        { orgId: auth.orgId, deviceId: camera.deviceId, userId: auth.userId },
        (tx) => deleteCamera(tx, auth.orgId, camera.id),
        (tx, _deleted, cfg) =>
          audit(
            request,
            {
              action: 'camera.delete',
              targetType: 'camera',
              targetId: camera.id,
              details: { deviceId: camera.deviceId, key: camera.cameraKey, configVersion: cfg.version },
            },
            tx,
          ),
      );
      return { config: issued(cfg) };
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ConfigState,
  Device,
  DeviceConfig,
  DeviceCredentials,
  RotateCredentialsQuery,
  DeviceHistoryQuery,
  DeviceStateChange,
  UpdateDeviceBody,
  ValidationIssue,
} from '@tally/proto';
import { visibleSiteIds } from '../../auth/permissions';
import { DEFAULT_ROTATION_OVERLAP_S, rotateCredentials } from '../../auth/credential-rotation';
import { listConfigVersions, latestConfig } from '../../db/queries/config-versions';
import { latestHeartbeats, listStateChanges, type StoredHeartbeat } from '../../db/queries/device-health';
import { toDeviceHealth } from '../../devices/device-health';
import { deviceLiveness } from '../../devices/liveness';
import {
  deleteDevice,
  getDevice,
  listDevices,
  renameDevice,
  revokeDevice,
  type DeviceRow,
} from '../../db/queries/devices';
import { AppError, notFound } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { CloudBus } from '../../live/bus';
import { maskConfig } from '../../secrets/camera-sources';
import { keyringOf } from '../../secrets/config-keyring';
import { requireOnSite } from './access';
import { bearer, DeviceParams, errors } from './schemas';

export function configStateOf(d: DeviceRow): ConfigState {
  return {
    version: d.configVersion,
    status: d.configStatus as ConfigState['status'],
    appliedVersion: d.appliedVersion,
    ...(Array.isArray(d.configErrors) ? { errors: d.configErrors as ValidationIssue[] } : {}),
  };
}

/** A device as the API shows it: its status from liveness (not only its last status message) and its health. */
export function toDeviceDto(d: DeviceRow, heartbeat?: StoredHeartbeat, now = Date.now()): Device {
  const liveness = deviceLiveness(
    {
      status: d.status,
      statusAt: d.statusAt?.getTime() ?? null,
      lastSeenAt: d.lastSeenAt?.getTime() ?? null,
    },
    now,
  );
  return {
    id: d.id,
    siteId: d.siteId,
    name: d.name,
    revoked: d.revokedAt !== null,
    status: liveness.state,
    statusReason: liveness.reason,
    statusSince: liveness.since === null ? null : new Date(liveness.since).toISOString(),
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
    config: configStateOf(d),
    health: heartbeat ? toDeviceHealth(heartbeat) : null,
    createdAt: d.createdAt.toISOString(),
  };
}

const ConfigVersionDto = Type.Object({
  version: Type.Integer(),
  hash: Type.String(),
  status: Type.String({ description: 'pending | applied | rejected | superseded' }),
  errors: Type.Optional(Type.Array(ValidationIssue)),
  createdAt: Type.String({ format: 'date-time' }),
  answeredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** Devices: list, read, rename, revoke (disconnects at once), rotate credentials, delete, config state. */
export const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, disconnectDevice } = app.deps;
  const db = database.db;
  const bus = new CloudBus(app.deps.bus);
  app.addHook('onRequest', app.authenticate);
  const tags = ['devices'];
  /** Ingest's device cache forgets the device now, so a revoke or delete takes effect with its next message. */
  const changed = (d: DeviceRow) =>
    bus.emit('deviceChanged', { orgId: d.orgId, siteId: d.siteId, deviceId: d.id });

  const load = async (orgId: string, deviceId: string) => {
    const device = await getDevice(db, orgId, deviceId);
    if (!device) throw notFound('device');
    return device;
  };

  app.get(
    '/devices',
    {
      schema: {
        tags,
        security: bearer,
        querystring: Type.Object(
          { siteId: Type.Optional(Type.String({ format: 'uuid' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Device), ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const visible = visibleSiteIds(auth);
      const { siteId } = request.query;
      const scope = siteId ? (visible && !visible.includes(siteId) ? [] : [siteId]) : visible;
      const rows = await listDevices(db, auth.orgId, scope);
      const heartbeats = await latestHeartbeats(
        database,
        auth.orgId,
        rows.map((d) => d.id),
      );
      return rows.map((d) => toDeviceDto(d, heartbeats.get(d.id)));
    },
  );

  app.get(
    '/devices/:deviceId',
    { schema: { tags, security: bearer, params: DeviceParams, response: { 200: Device, ...errors } } },
    async (request) => {
      const device = await load(request.auth.orgId, request.params.deviceId);
      requireOnSite(request.auth, device.siteId, 'device');
      const heartbeats = await latestHeartbeats(database, request.auth.orgId, [device.id]);
      return toDeviceDto(device, heartbeats.get(device.id));
    },
  );

  app.get(
    '/devices/:deviceId/history',
    {
      schema: {
        tags,
        security: bearer,
        description: 'State changes of the device (online/offline) and of its cameras, newest first',
        params: DeviceParams,
        querystring: DeviceHistoryQuery,
        response: { 200: Type.Array(DeviceStateChange), ...errors },
      },
    },
    async (request) => {
      const device = await load(request.auth.orgId, request.params.deviceId);
      requireOnSite(request.auth, device.siteId, 'device');
      return listStateChanges(database, request.auth.orgId, device.id, request.query);
    },
  );

  app.patch(
    '/devices/:deviceId',
    {
      schema: {
        tags,
        security: bearer,
        params: DeviceParams,
        body: UpdateDeviceBody,
        response: { 200: Device, ...errors },
      },
    },
    async (request) => {
      const device = await load(request.auth.orgId, request.params.deviceId);
      requireOnSite(request.auth, device.siteId, 'device', 'device.manage');
      const updated = request.body.name
        ? await renameDevice(db, request.auth.orgId, device.id, request.body.name)
        : device;
      if (!updated) throw notFound('device');
      return toDeviceDto(updated);
    },
  );

  app.post(
    '/devices/:deviceId/revoke',
    { schema: { tags, security: bearer, params: DeviceParams, response: { 200: Device, ...errors } } },
    async (request) => {
      const device = await load(request.auth.orgId, request.params.deviceId);
      requireOnSite(request.auth, device.siteId, 'device', 'device.manage');
      const revoked = await inTransaction(request, async (tx) => {
        const revoked = await revokeDevice(tx, request.auth.orgId, device.id);
        if (!revoked) throw notFound('device');
        await audit(request, { action: 'device.revoke', targetType: 'device', targetId: device.id }, tx);
        return revoked;
      });
      changed(device);
      disconnectDevice(device.id);
      return toDeviceDto(revoked);
    },
  );

  app.post(
    '/devices/:deviceId/credentials',
    {
      schema: {
        tags,
        security: bearer,
        params: DeviceParams,
        querystring: RotateCredentialsQuery,
        response: { 200: DeviceCredentials, ...errors },
      },
    },
    async (request) => {
      const device = await load(request.auth.orgId, request.params.deviceId);
      requireOnSite(request.auth, device.siteId, 'device', 'device.manage');
      const overlapS = request.query.overlapS ?? DEFAULT_ROTATION_OVERLAP_S;
      const rotation = await rotateCredentials(
        { db, publish: app.deps.publish, disconnectDevice, log: request.log },
        request.auth.orgId,
        device.id,
        overlapS,
        {
          audit: (tx) =>
            audit(
              request,
              {
                action: 'device.rotate_credentials',
                targetType: 'device',
                targetId: device.id,
                details: { overlapS },
              },
              tx,
            ),
        },
      );
      if (!rotation) throw new AppError('TALLY_CONFLICT', 'the device is revoked: provision a new one');
      return {
        deviceId: device.id,
        mqtt: { url: app.deps.deviceMqttUrl, username: device.id, password: rotation.password },
        previousValidUntil: rotation.previousValidUntil?.toISOString() ?? null,
        handedOver: rotation.handedOver,
      };
    },
  );

  app.delete(
    '/devices/:deviceId',
    { schema: { tags, security: bearer, params: DeviceParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const device = await load(request.auth.orgId, request.params.deviceId);
      requireOnSite(request.auth, device.siteId, 'device', 'device.manage');
      await inTransaction(request, async (tx) => {
        await deleteDevice(tx, request.auth.orgId, device.id);
        const details = { name: device.name };
        await audit(
          request,
          { action: 'device.delete', targetType: 'device', targetId: device.id, details },
          tx,
        );
      });
      changed(device);
      disconnectDevice(device.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/devices/:deviceId/config',
    {
      schema: {
        tags,
        security: bearer,
        params: DeviceParams,
        response: {
          200: Type.Object({ state: ConfigState, config: Type.Union([DeviceConfig, Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const device = await load(request.auth.orgId, request.params.deviceId);
      requireOnSite(request.auth, device.siteId, 'device');
      const latest = await latestConfig(db, request.auth.orgId, device.id);
      // Camera URLs masked, as everywhere in the API: the full ones go to the device only.
      const config = latest ? maskConfig(keyringOf(app.deps.config), latest.config as DeviceConfig) : null;
      return { state: configStateOf(device), config };
    },
  );

  app.get(
    '/devices/:deviceId/config-versions',
    {
      schema: {
        tags,
        security: bearer,
        params: DeviceParams,
        response: { 200: Type.Array(ConfigVersionDto), ...errors },
      },
    },
    async (request) => {
      const device = await load(request.auth.orgId, request.params.deviceId);
      requireOnSite(request.auth, device.siteId, 'device');
      const rows = await listConfigVersions(db, request.auth.orgId, device.id);
      return rows.map((r) => ({
        version: r.version,
        hash: r.hash,
        status: r.status,
        ...(Array.isArray(r.errors) ? { errors: r.errors as ValidationIssue[] } : {}),
        createdAt: r.createdAt.toISOString(),
        answeredAt: r.answeredAt?.toISOString() ?? null,
      }));
    },
  );
};

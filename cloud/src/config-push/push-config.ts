import type { DeviceConfig, ModelLayout, ModelRef } from '@tally/proto';
import type { Publish } from '../app';
import type { CloudConfig } from '../config';
import type { Db } from '../db/client';
import { listDeviceCameras } from '../db/queries/cameras';
import { insertConfigVersion, nextConfigVersion } from '../db/queries/config-versions';
import { getModels } from '../db/queries/models';
import { listCameraRules } from '../db/queries/rules';
import { AppError, notFound } from '../errors';
import { buildDeviceConfig, configIssues } from './build-config';
import { modelFileUrl } from './public-urls';
import { publishConfig } from './publish-latest';
import { openSetup, sealConfig } from '../secrets/camera-sources';
import { keyringOf } from '../secrets/config-keyring';

export interface PushContext {
  db: Db;
  publish: Publish;
  config: CloudConfig;
}

/**
 * Applies `change` and issues the device's next config version in one transaction: the change, the version, the
 * stored config and the change's audit row (`record`) commit together, or (invalid config: 400 with the issues) not at all. The config is then
 * published retained on the device's config topic, so the device gets it on (re)connect.
 */
export async function pushDeviceConfig<T>(
  ctx: PushContext,
  target: { orgId: string; deviceId: string; userId: string | null },
  change: (tx: Db) => Promise<T>,
  /** Records the change (its audit row) in the same transaction. */
  record?: (tx: Db, result: T, config: DeviceConfig) => Promise<void>,
): Promise<{ result: T; config: DeviceConfig }> {
  const ring = keyringOf(ctx.config);
  const { result, config } = await ctx.db.transaction(async (tx) => {
    const result = await change(tx as unknown as Db);
    const config = await composeConfig(ctx, tx as unknown as Db, target.orgId, target.deviceId);
    const issues = configIssues(config);
    if (issues.length > 0) {
      throw new AppError(
        'TALLY_INVALID_CONFIG',
        'the device would reject this setup; nothing was changed',
        issues,
      );
    }
    // Stored with its camera passwords sealed; published (below) in full, as the device needs them.
    await insertConfigVersion(tx as unknown as Db, target.orgId, sealConfig(ring, config), target.userId);
    await record?.(tx as unknown as Db, result, config);
    return { result, config };
  });
  await publishConfig(ctx.publish, config);
  return { result, config };
}

async function composeConfig(
  ctx: PushContext,
  db: Db,
  orgId: string,
  deviceId: string,
): Promise<DeviceConfig> {
  const version = await nextConfigVersion(db, orgId, deviceId);
  if (version === undefined) throw notFound('device');
  const cameras = await listDeviceCameras(db, orgId, deviceId);
  const rules = await listCameraRules(
    db,
    orgId,
    cameras.map((c) => c.id),
  );
  const modelIds = [...new Set(cameras.map((c) => c.modelId).filter((m): m is string => Boolean(m)))];
  const modelRows = await getModels(db, orgId, modelIds);
  const models: ModelRef[] = modelRows.map((m) => {
    if (!m.sha256) {
      throw new AppError(
        'TALLY_BAD_REQUEST',
        `model ${m.modelKey} has no file yet: upload it before assigning it`,
      );
    }
    return {
      id: m.modelKey,
      name: m.name,
      version: m.version,
      layout: m.layout as ModelLayout,
      url: modelFileUrl(ctx.config, m.id, m.sha256),
      sha256: m.sha256,
      ...(m.classNames ? { classNames: m.classNames } : {}),
    };
  });
  const keyOf = new Map(modelRows.map((m) => [m.id, m.modelKey]));
  return buildDeviceConfig({
    deviceId,
    version,
    issuedAt: Date.now(),
    models,
    cameras: cameras.map((c) => ({
      key: c.cameraKey,
      setup: openSetup(keyringOf(ctx.config), c.setup),
      modelKey: c.modelId ? keyOf.get(c.modelId) : null,
      rules: rules
        .filter((r) => r.cameraId === c.id)
        .map((r) => ({ key: r.ruleKey, kind: r.kind, name: r.name, definition: r.definition })),
    })),
  });
}

import { eq } from 'drizzle-orm';
import type { DeviceConfig } from '@tally/proto';
import type { Database } from '../db/client';
import { cameras, configVersions } from '../db/schema/index';
import type { ServerContext, Stage } from '../server';
import { sealConfig, sealSetup } from './camera-sources';
import { keyringOf } from './config-keyring';
import { SEALED_PREFIX, UnknownSecretKey, type SecretKeyring } from './secret-box';

/** The database holds camera URLs sealed under a key this server was not given: it must not start. */
export class SecretKeyMismatch extends Error {
  readonly code = 'TALLY_SECRET_KEY_MISMATCH';
  constructor(readonly keyId: string) {
    super(`camera URLs in the database were encrypted with another TALLY_SECRET_KEY (key id ${keyId})`);
  }
}

/**
 * At start, before anything publishes or answers: every camera URL at rest (cameras.setup and each stored config
 * version) that holds a secret in plain is sealed, and every one sealed under a previous key
 * (TALLY_SECRET_KEYS_PREVIOUS) is sealed again under the current one. Idempotent: a second run finds nothing to
 * do. A URL sealed under a key the server does not hold stops the start (SecretKeyMismatch) — it would otherwise
 * push configs the devices cannot use.
 */
export async function sealCameraUrlsAtRest(
  database: Database,
  ring: SecretKeyring,
): Promise<{ cameras: number; configVersions: number }> {
  const current = `${SEALED_PREFIX}${ring.currentId}:`;
  const cameraRows = await database.query<{ id: string; setup: Record<string, unknown> }>(
    `SELECT id, setup FROM cameras WHERE NOT starts_with(setup->'source'->>'url', $1)`,
    [current],
  );
  const versionRows = await database.query<{ id: string; config: DeviceConfig }>(
    `SELECT v.id, v.config FROM config_versions v
      WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(v.config->'cameras') c
                     WHERE NOT starts_with(c->'source'->>'url', $1))`,
    [current],
  );
  const db = database.db;
  const changed = { cameras: 0, configVersions: 0 };
  await db.transaction(async (tx) => {
    for (const row of cameraRows) {
      const sealed = guard(() => sealSetup(ring, row.setup));
      if (sealed === row.setup) continue;
      await tx.update(cameras).set({ setup: sealed }).where(eq(cameras.id, row.id));
      changed.cameras++;
    }
    for (const row of versionRows) {
      const sealed = guard(() => sealConfig(ring, row.config));
      if (sealed.cameras.every((c, i) => c === row.config.cameras[i])) continue;
      await tx.update(configVersions).set({ config: sealed }).where(eq(configVersions.id, row.id));
      changed.configVersions++;
    }
  });
  return changed;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UnknownSecretKey) throw new SecretKeyMismatch(err.keyId);
    throw err;
  }
}

export function cameraUrlsAtRestStage(ctx: ServerContext): Stage {
  return {
    name: 'camera-urls-at-rest',
    async start() {
      const changed = await sealCameraUrlsAtRest(ctx.database, keyringOf(ctx.config));
      if (changed.cameras + changed.configVersions > 0) {
        ctx.log.info(changed, 'camera URLs encrypted at rest (plain, or under a previous key)');
      }
    },
    async stop() {},
  };
}

import type { FastifyInstance } from 'fastify';
import { createLogger } from '@tally/proto/log';
// The REAL cloud: startServer (PGlite, embedded aedes with device auth and client-id binding, the ingest consumer,
// rollups, the HTTP API), as `pnpm cloud serve` runs it.
import { startServer, type RunningServer } from '../../../cloud/src/server';
import { testConfig } from '../../../cloud/test/app/build';
import { LINE, createCamera, createSite, seedOrg, signedIn } from '../../../cloud/test/app/seed';
import { claimCode } from './claim-code';

export interface RealCloud {
  server: RunningServer;
  app: FastifyInstance;
  url: string;
  siteId: string;
  admin: { authorization: string };
  /** A fresh claim code for the site. */
  claim(): Promise<string>;
  /** Gives a device the camera `cam-entrance` with the line `door-line` (what test drafts name). */
  setUpCamera(deviceId: string): Promise<void>;
  /** Every event the cloud's analytics counts for the site between from and to (ms). */
  siteTotal(from: number, to: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startRealCloud(): Promise<RealCloud> {
  const config = testConfig({
    port: 0,
    host: '127.0.0.1',
    mqttPort: 0,
    mqttWsPort: 0,
    provisionRateLimit: 1000,
  });
  const server = await startServer(config, { log: createLogger('real-cloud', 'silent') });
  const { app } = server;
  const db = server.ctx.database.db;
  const orgId = await seedOrg(db);
  const admin = (await signedIn(app, db, orgId, 'admin')).headers;
  const siteId = await createSite(app, admin);
  return {
    server,
    app,
    url: server.url,
    siteId,
    admin,
    claim: () => claimCode(app, siteId, admin),
    async setUpCamera(deviceId) {
      const { camera } = await createCamera(app, admin, deviceId);
      const res = await app.inject({
        method: 'POST',
        url: `/api/cameras/${camera.id}/rules`,
        headers: admin,
        payload: LINE,
      });
      if (res.statusCode !== 201) throw new Error(`create rule failed: ${res.statusCode} ${res.body}`);
    },
    async siteTotal(from, to) {
      const q = new URLSearchParams({
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        bucket: 'day',
      });
      const res = await app.inject({ url: `/api/sites/${siteId}/analytics/counts?${q}`, headers: admin });
      if (res.statusCode !== 200) throw new Error(`counts failed: ${res.statusCode} ${res.body}`);
      // Every event the box counted, of whatever kind (the API keeps kinds apart; these tests compare all of them).
      const { byKind } = res.json() as { byKind: Record<string, { total: number }> };
      return Object.values(byKind).reduce((n, k) => n + k.total, 0);
    },
    stop: () => server.stop(),
  };
}

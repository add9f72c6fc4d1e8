import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraHealth } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { Agent } from '../../src/agent';
import { parseSettings } from '../../src/config/load-settings';
import { assessHealth, MAX_SYNC_AGE_MS, type HealthState } from '../../src/health/assess-health';
import { startAedes, type TestBroker } from '../helpers/brokers';
import { camera, configFor } from '../helpers/configs';
import { syntheticRunners } from '../helpers/synthetic-runner';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('health-test', 'silent');
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

function cam(cameraId: string, state: CameraHealth['state'], reason?: string): CameraHealth {
  return {
    cameraId,
    state,
    ...(reason ? { reason } : {}),
    fps: state === 'live' ? 10 : 0,
    detectorLatencyMs: { p50: 9, p95: 12 },
    framesProcessed: 0,
    framesDropped: 0,
  };
}
const healthy: HealthState = {
  cameras: [cam('a', 'live'), cam('b', 'live')],
  store: { failing: false, pendingEvents: 0 },
  sync: { connected: true, backlog: 0, waitingSince: NOW },
};

describe('assessHealth (pure)', () => {
  it('is ok when every camera counts, the store writes and the cloud acks', () => {
    expect(assessHealth(healthy, NOW)).toEqual({ ok: true, status: 'ok', reasons: [] });
    // Disabled and still-connecting cameras, a local-only box, a fresh backlog: not failures.
    const calm = {
      ...healthy,
      cameras: [cam('a', 'stopped', 'camera disabled in the config'), cam('b', 'connecting')],
      sync: { connected: true, backlog: 40, waitingSince: NOW - 5_000 },
    };
    expect(assessHealth(calm, NOW).ok).toBe(true);
    expect(assessHealth({ ...healthy, sync: undefined, cameras: [] }, NOW).ok).toBe(true);
  });

  it('fails with one reason per camera when 3 of 4 cameras failed', () => {
    const h = assessHealth(
      {
        ...healthy,
        cameras: [
          cam('c1', 'failed', 'connection refused'),
          cam('c2', 'live'),
          cam('c3', 'stalled', 'no frame for 10 s'),
          cam('c4', 'failed', '401 Unauthorized'),
        ],
      },
      NOW,
    );
    expect(h.ok).toBe(false);
    expect(h.reasons).toEqual([
      'camera c1 failed: connection refused (3 of 4 cameras not counting)',
      'camera c3 stalled: no frame for 10 s (3 of 4 cameras not counting)',
      'camera c4 failed: 401 Unauthorized (3 of 4 cameras not counting)',
    ]);
  });

  it('fails when the store cannot write, the broker refuses, or acks are older than the limit', () => {
    const store = assessHealth(
      { ...healthy, store: { failing: true, lastError: 'disk I/O error', pendingEvents: 7 } },
      NOW,
    );
    expect(store.reasons).toEqual(['store cannot write: disk I/O error; 7 events held in memory, retrying']);
    const refused = assessHealth(
      {
        ...healthy,
        sync: {
          connected: false,
          backlog: 0,
          waitingSince: NOW,
          refused: {
            since: NOW - 30_000,
            message: 'Connection refused: Bad username or password',
            attempts: 4,
          },
        },
      },
      NOW,
    );
    expect(refused.ok).toBe(false);
    expect(refused.reasons[0]).toMatch(
      /^broker refuses this box \(Connection refused: Bad username or password\) for 30 s, 4 attempts/,
    );
    const stale = assessHealth(
      { ...healthy, sync: { connected: false, backlog: 12, waitingSince: NOW - MAX_SYNC_AGE_MS - 1000 } },
      NOW,
    );
    expect(stale.reasons).toEqual([
      `12 events not acknowledged by the cloud for ${MAX_SYNC_AGE_MS / 1000 + 1} s (broker disconnected)`,
    ]);
  });
});

describe('agent /healthz from the real state', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function startAgent(
    runners: ReturnType<typeof syntheticRunners>,
    cameras: string[],
    mqtt?: { url: string },
  ): Promise<Agent> {
    const t = tempDir('health');
    const configFile = join(t.dir, 'device.json');
    writeFileSync(
      configFile,
      JSON.stringify(
        configFor(
          'dev-health',
          1,
          cameras.map((id) => camera(id)),
        ),
      ),
    );
    const settings = parseSettings(
      {
        dataDir: t.dir,
        deviceId: 'dev-health',
        deviceConfigFile: configFile,
        health: { port: 0 },
        ...(mqtt ? { mqtt: { url: mqtt.url, reconnectPeriodMs: 100 } } : {}),
      },
      t.dir,
    );
    const agent = new Agent({ settings, runnerFactory: runners.factory, log });
    cleanups.push(() => t.remove());
    await agent.start();
    cleanups.push(() => agent.stop());
    return agent;
  }
  const healthz = async (agent: Agent) => {
    const res = await agent.health!.inject({ url: '/healthz' });
    return { code: res.statusCode, body: res.json() as { status: string; reasons: string[]; mqtt: string } };
  };

  it('answers 503 with 3 of 4 cameras failed, naming each', async () => {
    const runners = syntheticRunners({
      health: (c) => (c.id === 'cam-ok' ? undefined : { state: 'failed', reason: 'stream cannot be opened' }),
    });
    const agent = await startAgent(runners, ['cam-ok', 'cam-x', 'cam-y', 'cam-z']);
    const { code, body } = await healthz(agent);
    expect(code).toBe(503);
    expect(body.status).toBe('failing');
    expect(body.reasons).toHaveLength(3);
    expect(body.reasons.join('\n')).toMatch(/camera cam-x failed: stream cannot be opened \(3 of 4 cameras/);
  });

  it('holds counts while the store cannot write, answers 503, then stores every one of them', async () => {
    const runners = syntheticRunners();
    const agent = await startAgent(runners, ['cam-a']);
    expect((await healthz(agent)).code).toBe(200);
    // A real SQLite failure: every insert into count_events aborts until the trigger is dropped.
    const sqlite = agent.store.database.sqlite;
    sqlite.exec(
      `CREATE TRIGGER fail_writes BEFORE INSERT ON count_events BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END`,
    );
    runners.live('cam-a')!.emit(3);
    runners.live('cam-a')!.emit(2);
    expect(agent.store.events.lastSeq()).toBe(0);
    const failing = await healthz(agent);
    expect(failing.code).toBe(503);
    expect(failing.body.reasons).toEqual([
      'store cannot write: disk I/O error (test); 5 events held in memory, retrying',
    ]);
    sqlite.exec('DROP TRIGGER fail_writes');
    await waitFor(() => agent.store.events.lastSeq() === 5, 'the held events stored');
    const stored = agent.store.events.readEvents('dev-health', 1, 10).map((e) => e.trackId);
    expect(stored).toEqual([1, 2, 3, 4, 5]);
    await waitFor(async () => (await healthz(agent)).code === 200, 'healthy again');
  });

  it('reports a broker that refuses the box, keeps retrying with backoff, and connects once accepted', async () => {
    let accept = false;
    let attempts = 0;
    const broker: TestBroker = await startAedes({
      authenticate: (_client, _u, _p, done) => {
        attempts++;
        if (accept) return done(null, true);
        done(Object.assign(new Error('bad credentials'), { returnCode: 4 as const }), false);
      },
    });
    cleanups.push(() => broker.close());
    const agent = await startAgent(syntheticRunners(), ['cam-a'], { url: broker.url });
    await waitFor(() => attempts >= 3, 'three refused attempts');
    const refused = await healthz(agent);
    expect(refused.code).toBe(503);
    expect(refused.body.mqtt).toBe('refused');
    expect(refused.body.reasons[0]).toMatch(
      /^broker refuses this box \(Connection refused: Bad username or password\)/,
    );
    expect(agent.heartbeat().mqtt?.refusals).toBeGreaterThanOrEqual(3);
    accept = true;
    await waitFor(() => agent.link?.connected, 'connected once the broker accepts', 120_000);
    expect((await healthz(agent)).code).toBe(200);
  });

  it('stops promptly while the broker refuses it', async () => {
    let attempts = 0;
    const broker: TestBroker = await startAedes({
      authenticate: (_client, _u, _p, done) => {
        attempts++;
        done(Object.assign(new Error('bad credentials'), { returnCode: 4 as const }), false);
      },
    });
    cleanups.push(() => broker.close());
    const agent = await startAgent(syntheticRunners(), ['cam-a'], { url: broker.url });
    await waitFor(() => attempts >= 2, 'two refused attempts');
    await agent.stop();
    expect(agent.link!.connected).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_TO_DEVICE, decodeMessage, topics, type ChannelPayload } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { Agent } from '../../src/agent';
import { parseSettings } from '../../src/config/load-settings';
import { CloudIngest } from '../helpers/cloud-ingest';
import { startAedes, type TestBroker } from '../helpers/brokers';
import { camera, configFor } from '../helpers/configs';
import { syntheticRunners, TINY_JPEG } from '../helpers/synthetic-runner';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('agent-test', 'silent');
const DEVICE = 'dev-agent-1';

/**
 * The agent end to end against an embedded aedes broker, with in-process camera stand-ins (see
 * synthetic-runner.ts for why) and a small HTTP server standing in for the cloud's snapshot and model endpoints.
 */
describe('agent: remote config, commands, heartbeat, health', () => {
  let broker: TestBroker;
  let consumer: CloudIngest;
  let cloud: MqttClient;
  let agent: Agent;
  let http: FastifyInstance;
  let httpUrl: string;
  const uploads: { url: string; auth: string | undefined; bytes: number }[] = [];
  const modelBytes = Buffer.from('pretend-onnx-model-bytes');
  const runners = syntheticRunners({
    failPrepare: (_c, model) =>
      model.id === 'unloadable' ? 'model unloadable failed to load: not an ONNX file' : undefined,
  });
  const received: { channel: string; body: unknown }[] = [];
  const t = tempDir('agent');

  beforeAll(async () => {
    broker = await startAedes();
    consumer = new CloudIngest(broker.url);
    await consumer.start();
    http = Fastify();
    http.addContentTypeParser('image/jpeg', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    http.put('/api/devices/:d/cameras/:c/snapshot', async (req) => {
      uploads.push({ url: req.url, auth: req.headers.authorization, bytes: (req.body as Buffer).length });
      return { url: `/api/snapshots/${(req.params as { c: string }).c}/latest.jpg` };
    });
    http.get('/models/good.onnx', async (_req, reply) => reply.send(modelBytes));
    await http.listen({ port: 0, host: '127.0.0.1' });
    httpUrl = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;

    cloud = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    cloud.on('message', (topic, payload) => {
      const channel = topic.split('/').slice(3).join('/');
      received.push({ channel, body: JSON.parse(payload.toString()) });
    });
    await cloud.subscribeAsync(
      [topics.configApplied(DEVICE), topics.commandResult(DEVICE), topics.heartbeat(DEVICE)],
      { qos: 1 },
    );
    // Provisioned identity, written as `tally-edge provision` would (the snapshot goes to httpUrl).
    const settings = parseSettings(
      {
        dataDir: t.dir,
        mqtt: { url: broker.url, reconnectPeriodMs: 200 },
        sync: { heartbeatIntervalS: 0.3, cycleMs: 20, bucketIntervalS: 0.5 },
        health: { port: 0 },
      },
      t.dir,
    );
    const { openStore } = await import('../../src/store');
    const s = openStore(t.dir, 1 << 30, log);
    s.identity.replace({
      deviceId: DEVICE,
      siteId: null,
      name: 'Test box',
      mqttUrl: broker.url,
      mqttUsername: 'dev-agent-1',
      mqttPassword: 'secret-pw',
      apiUrl: httpUrl,
      cloudUrl: httpUrl,
      provisionedAt: Date.now(),
    });
    s.close();
    agent = new Agent({ settings, runnerFactory: runners.factory, log });
    await agent.start();
    await waitFor(() => agent.link?.connected, 'agent connected');
  });

  afterAll(async () => {
    await agent?.stop();
    await cloud?.endAsync(true);
    await consumer?.stop();
    await broker?.close();
    await http?.close();
    t.remove();
  });

  function publishConfig(body: unknown) {
    return cloud.publishAsync(topics.config(DEVICE), typeof body === 'string' ? body : JSON.stringify(body), {
      qos: 1,
      retain: true,
    });
  }
  async function nextApplied(version: number) {
    return waitFor(
      () =>
        received.find(
          (m) => m.channel === 'config/applied' && (m.body as { version: number }).version === version,
        )?.body as ChannelPayload<'config/applied'> | undefined,
      `config/applied for version ${version}`,
    );
  }
  async function command(body: unknown) {
    const id = (body as { id?: string }).id ?? 'unknown';
    await cloud.publishAsync(
      topics.commands(DEVICE),
      typeof body === 'string' ? body : JSON.stringify(body),
      { qos: 1 },
    );
    return waitFor(
      () =>
        received.find(
          (m) => m.channel === 'commands/result' && (m.body as { commandId: string }).commandId === id,
        )?.body as ChannelPayload<'commands/result'> | undefined,
      `result of ${id}`,
    );
  }

  it('applies a retained config from the cloud and reports it on config/applied', async () => {
    await publishConfig(configFor(DEVICE, 1, [camera('cam-a'), camera('cam-b')]));
    const applied = await nextApplied(1);
    expect(decodeMessage('config/applied', applied).ok).toBe(true);
    expect(applied.status).toBe('applied');
    expect(runners.live('cam-a')?.started).toBe(true);
    expect(runners.live('cam-b')?.started).toBe(true);
    expect(agent.store.configs.lastApplied()?.version).toBe(1);
  });

  it('a change to one camera restarts only that camera', async () => {
    const a = runners.live('cam-a')!;
    const b = runners.live('cam-b')!;
    await publishConfig(configFor(DEVICE, 2, [camera('cam-a'), camera('cam-b', { fps: 5 })]));
    expect((await nextApplied(2)).status).toBe('applied');
    expect(runners.live('cam-a')).toBe(a);
    expect(a.stopped).toBe(false);
    expect(b.stopped).toBe(true);
    expect(runners.live('cam-b')!.camera.fps).toBe(5);
  });

  it('a config with bad geometry is rejected with the field named; cameras keep running and counting goes on', async () => {
    const bad = configFor(DEVICE, 3, [camera('cam-a')]);
    bad.cameras[0]!.lines[0]!.p2 = { ...bad.cameras[0]!.lines[0]!.p1 };
    const { configContentHash } = await import('@tally/proto/hash');
    bad.hash = configContentHash(bad);
    await publishConfig(bad);
    const r = await nextApplied(3);
    expect(r.status).toBe('rejected');
    expect(r.errors?.[0]?.path).toMatch(/^\/cameras\/0\/lines\/0/);
    expect(runners.live('cam-b')?.started).toBe(true); // v2 still runs, cam-b included
    const before = agent.store.events.lastSeq();
    runners.live('cam-a')!.emit(5);
    await waitFor(() => consumer.ackedFor(DEVICE) >= before + 5, 'events after the bad config acknowledged');
  });

  it('a config that is not even JSON is rejected as version 0', async () => {
    await publishConfig('{not json');
    const r = await nextApplied(0);
    expect(r.status).toBe('rejected');
    expect(r.errors?.length).toBeGreaterThan(0);
  });

  it('downloads a new model, checks its sha256, and keeps the previous model when the new one fails to load', async () => {
    const sha = createHash('sha256').update(modelBytes).digest('hex');
    const good = {
      id: 'good',
      name: 'Good',
      version: '1',
      layout: 'yolox' as const,
      url: `${httpUrl}/models/good.onnx`,
      sha256: sha,
    };
    await publishConfig(
      configFor(DEVICE, 4, [camera('cam-a', { modelId: 'good' }), camera('cam-b', { fps: 5 })], [good]),
    );
    const r4 = await nextApplied(4);
    expect(r4.errors).toBeUndefined();
    expect(r4.status).toBe('applied');
    expect(runners.live('cam-a')!.model.id).toBe('good');

    const wrongHash = { ...good, id: 'tampered', sha256: 'a'.repeat(64) };
    await publishConfig(
      configFor(
        DEVICE,
        5,
        [camera('cam-a', { modelId: 'tampered' }), camera('cam-b', { fps: 5 })],
        [wrongHash],
      ),
    );
    const r5 = await nextApplied(5);
    expect(r5.status).toBe('rejected');
    expect(r5.errors?.[0]?.message).toMatch(/sha256/);
    expect(runners.live('cam-a')!.model.id).toBe('good');

    const unloadable = { ...good, id: 'unloadable' };
    await publishConfig(
      configFor(
        DEVICE,
        6,
        [camera('cam-a', { modelId: 'unloadable' }), camera('cam-b', { fps: 5 })],
        [unloadable],
      ),
    );
    const r6 = await nextApplied(6);
    expect(r6.status).toBe('rejected');
    expect(r6.errors?.[0]?.message).toMatch(/failed to load/);
    expect(runners.live('cam-a')!.model.id).toBe('good');
    expect(agent.configs.applied?.version).toBe(4);
  });

  it('answers a malformed command on commands/result and keeps counting', async () => {
    const r = await command({ v: 1, id: 'cmd-bad', type: 'explode', issuedAt: Date.now() });
    expect(decodeMessage('commands/result', r).ok).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/malformed command/);
    const before = agent.store.events.lastSeq();
    runners.live('cam-b')!.emit(3);
    await waitFor(() => consumer.ackedFor(DEVICE) >= before + 3, 'events after the malformed command');
  });

  it('restarts a camera, resyncs from a seq, and uploads a snapshot with the device credentials', async () => {
    const restart = await command({
      v: 1,
      id: 'cmd-restart',
      type: 'restart_camera',
      cameraId: 'cam-b',
      issuedAt: Date.now(),
    });
    expect(restart.ok).toBe(true);
    expect(runners.live('cam-b')!.restarts).toBe(1);
    const unknown = await command({
      v: 1,
      id: 'cmd-restart-x',
      type: 'restart_camera',
      cameraId: 'cam-x',
      issuedAt: Date.now(),
    });
    expect(unknown).toMatchObject({ ok: false, error: 'no running camera cam-x' });

    const deliveriesBefore = consumer.deliveries;
    const resync = await command({
      v: 1,
      id: 'cmd-resync',
      type: 'resync',
      fromSeq: 1,
      issuedAt: Date.now(),
    });
    expect(resync.ok).toBe(true);
    const last = agent.store.events.lastSeq();
    await waitFor(() => consumer.deliveries - deliveriesBefore >= last, 'every stored event resent');
    expect(await consumer.stored(DEVICE)).toEqual(Array.from({ length: last }, (_, i) => i + 1)); // still once each
    // Every event resent, and the cloud's analytics still count each once: the edge's own count.
    expect(await consumer.counted(DEVICE)).toBe(last);

    const snap = await command({
      v: 1,
      id: 'cmd-snap',
      type: 'snapshot',
      cameraId: 'cam-a',
      issuedAt: Date.now(),
    });
    expect(snap).toMatchObject({ ok: true, snapshotUrl: '/api/snapshots/cam-a/latest.jpg' });
    expect(uploads[0]).toMatchObject({
      url: `/api/devices/${DEVICE}/cameras/cam-a/snapshot`,
      auth: `Basic ${Buffer.from('dev-agent-1:secret-pw').toString('base64')}`,
      bytes: TINY_JPEG.length,
    });
  });

  it('publishes heartbeats with the contract fields', async () => {
    const hb = await waitFor(
      () =>
        [...received]
          .reverse()
          .find(
            (m) =>
              m.channel === 'heartbeat' &&
              (m.body as { versions: { config?: number } }).versions.config === 4,
          )?.body as ChannelPayload<'heartbeat'> | undefined,
      'heartbeat',
    );
    expect(decodeMessage('heartbeat', hb, DEVICE).ok).toBe(true);
    expect(hb.cameras.map((c) => c.cameraId).sort()).toEqual(['cam-a', 'cam-b']);
    expect(hb.outbox.lastSeq).toBe(agent.store.events.lastSeq());
    expect(hb.disk.budgetBytes).toBe(1 << 30);
  });

  it('serves /healthz, Prometheus /metrics and the camera snapshot locally', async () => {
    const healthz = await agent.health!.inject({ url: '/healthz' });
    expect(healthz.statusCode).toBe(200);
    expect(healthz.json()).toMatchObject({ deviceId: DEVICE, mqtt: 'connected', config: 4 });
    const metrics = await agent.health!.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'tally_camera_fps{camera="cam-a"} 10',
      'tally_camera_frames_dropped_total{camera="cam-a"} 1',
      'tally_detector_latency_ms_bucket{camera="cam-a",le="10"} 2',
      'tally_detector_latency_ms_count{camera="cam-a"} 4',
      'tally_outbox_backlog_events ',
      'tally_outbox_last_ack_age_seconds ',
      'tally_disk_used_bytes ',
    ])
      expect(metrics.body).toContain(name);
    const jpeg = await agent.health!.inject({ url: '/cameras/cam-a/snapshot.jpg' });
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
    expect(jpeg.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect((await agent.health!.inject({ url: '/cameras/nope/snapshot.jpg' })).statusCode).toBe(404);
  });

  it('handles every cloud → device channel of the contract', () => {
    expect(agent.link!.handledChannels().sort()).toEqual([...CLOUD_TO_DEVICE].sort());
  });
});

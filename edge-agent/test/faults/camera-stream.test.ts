import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { topics, type Heartbeat } from '@tally/proto';
import { assets } from '@tally/proto/assets';
import { createLogger } from '@tally/proto/log';
import { Agent } from '../../src/agent';
import { parseSettings } from '../../src/config/load-settings';
import { workerRunnerFactory } from '../../src/workers/worker-camera-runner';
import { startAedes, type TestBroker } from '../helpers/brokers';
import { camera, configFor } from '../helpers/configs';
// The adapters' GStreamer RTSP test server (Debian's gst-rtsp-server serving the shared video as H.264).
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('camera-stream', 'silent');

/** The whole agent with the real pipeline in a worker thread, watched through its heartbeats on an aedes broker. */
describe('fault: a camera stream is lost and comes back', () => {
  const t = tempDir('camera-stream');
  let broker: TestBroker;
  let rtsp: RtspServer | undefined;
  let agent: Agent | undefined;
  let cloud: MqttClient | undefined;
  afterAll(async () => {
    await agent?.stop();
    await cloud?.endAsync(true);
    await rtsp?.stop();
    await broker?.close();
    t.remove();
  });

  it('reconnects, and the heartbeat reports live → not live (with a reason) → live', async () => {
    broker = await startAedes();
    rtsp = await startRtspServer(assets.video());
    const deviceId = 'dev-stream-1';
    const configFile = join(t.dir, 'device.json');
    writeFileSync(
      configFile,
      JSON.stringify(
        configFor(deviceId, 1, [
          camera('cam-rtsp', {
            source: { url: rtsp.url, rtspTransport: 'tcp' },
            inputSize: { width: 384, height: 288 },
            fps: 5,
          }),
        ]),
      ),
    );
    const beats: Heartbeat[] = [];
    cloud = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    cloud.on('message', (_t, payload) => beats.push(JSON.parse(payload.toString()) as Heartbeat));
    await cloud.subscribeAsync(topics.heartbeat(deviceId), { qos: 1 });
    agent = new Agent({
      settings: parseSettings(
        {
          dataDir: t.dir,
          deviceId,
          deviceConfigFile: configFile,
          mqtt: { url: broker.url, reconnectPeriodMs: 200 },
          sync: { heartbeatIntervalS: 0.5 },
          health: { enabled: false },
        },
        t.dir,
      ),
      runnerFactory: workerRunnerFactory({ log }),
      log,
    });
    await agent.start();
    const cam = () => beats.at(-1)?.cameras.find((c) => c.cameraId === 'cam-rtsp');

    await waitFor(
      () => cam()?.state === 'live' && cam()!.framesProcessed > 0,
      'live in the heartbeat',
      90_000,
    );
    const port = rtsp.port;
    await rtsp.stop();
    rtsp = undefined;
    const lost = await waitFor(
      () => (cam() && cam()!.state !== 'live' ? cam() : undefined),
      'not live in the heartbeat',
      60_000,
    );
    expect(['stalled', 'failed', 'connecting']).toContain(lost.state);
    await waitFor(() => cam()?.reason, 'a reason in the heartbeat', 60_000);
    const framesAtLoss = cam()!.framesProcessed;

    rtsp = await startRtspServer(assets.video(), port);
    await waitFor(
      () => cam()?.state === 'live' && cam()!.framesProcessed > framesAtLoss,
      'live again in the heartbeat',
      120_000,
    );
  }, 300_000);
});

/**
 * A standalone box (no cloud): `config init` writes settings and a device config that `check-config` accepts and
 * the agent runs; its health server shows each rule's counts as JSON (/counts) and on /metrics. A config the agent
 * would refuse (a hash that does not match its content) is refused by `check-config` and by `run` alike.
 *
 * The cameras are in-process stand-ins (synthetic-runner.ts: exact event counts, which a video cannot give); the
 * store, config manager, health server and HTTP are real.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { HaSiteState } from '@tally/proto';
import { runCaptured } from '@tally/proto/cli';
import { createLogger } from '@tally/proto/log';
import { Agent } from '../../src/agent';
import { buildProgram } from '../../src/cli/main';
import { loadSettings, parseSettings } from '../../src/config/load-settings';
import type { CameraSink } from '../../src/workers/camera-runner';
import { startAedes } from '../helpers/brokers';
import { tempDir as mediaDir, vtestClip } from '../helpers/media';
import { syntheticRunners } from '../helpers/synthetic-runner';
import { tempDir, waitFor } from '../helpers/temp-dir';

const run = (args: string[]) => runCaptured(buildProgram(), ['node', 'tally-edge', ...args]);
const log = createLogger('standalone-test', 'silent');

describe('a standalone box from `tally-edge config init`', () => {
  const t = tempDir('standalone');
  const clip = vtestClip(mediaDir('standalone-media'), 1);
  const boxDir = join(t.dir, 'box');
  let agent: Agent | undefined;
  afterAll(async () => {
    await agent?.stop();
    t.remove();
  });

  it('writes settings and a device config (hash computed) that check-config accepts', async () => {
    const init = await run([
      ...['config', 'init', boxDir, '--camera', clip, '--device-id', 'shop-box'],
      ...['--line', 'door-line:norm:0.5,0.1,0.5,0.9', '--zone', 'till:100,100;400,100;400,400;100,400'],
    ]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`pnpm edge run --config ${join(boxDir, 'settings.json')}`);
    const config = JSON.parse(readFileSync(join(boxDir, 'device-config.json'), 'utf8'));
    // The frame size was read from the video (vtest.avi is 768x576); pixels became normalised coordinates.
    expect(config.cameras[0].inputSize).toEqual({ width: 768, height: 576 });
    expect(config.cameras[0].zones[0].polygon[2]).toEqual({ x: 400 / 768, y: 400 / 576 });
    expect(config.hash).toMatch(/^[a-f0-9]{64}$/);
    const check = await run(['check-config', join(boxDir, 'device-config.json')]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('valid (version 1, 1 camera(s), 2 rule(s))');
    // A second init does not overwrite an installer's files by accident.
    const again = await run(['config', 'init', boxDir, '--camera', clip, '--size', '640x480']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist[\s\S]*--force/);
  });

  it('runs: the health server shows the counts per rule as JSON and on /metrics', async () => {
    const sinks: CameraSink[] = [];
    const runners = syntheticRunners();
    const fromFile = loadSettings(join(boxDir, 'settings.json'));
    // The file's own settings, on a free port instead of 9464.
    const settings = parseSettings({ ...structuredClone(fromFile), health: { port: 0 } }, boxDir);
    agent = new Agent({
      settings,
      runnerFactory: (camera, model, sink) => (sinks.push(sink), runners.factory(camera, model, sink)),
      log,
    });
    await agent.start();
    expect(agent.link).toBeUndefined();
    const cam = await waitFor(() => runners.live('cam-1'), 'the local camera running');
    // Six crossings of door-line: draft i goes out when i is a multiple of 3 (i = 3, 6), in otherwise.
    cam.emit(6);
    const zoneEvent = { cameraId: 'cam-1', ruleId: 'till', objectClass: 'person' as const, confidence: 0.9 };
    sinks.at(-1)!.onEvents([
      { ...zoneEvent, kind: 'zone_enter', trackId: 1, ts: Date.now() },
      { ...zoneEvent, kind: 'zone_enter', trackId: 2, ts: Date.now() },
      { ...zoneEvent, kind: 'zone_exit', trackId: 1, ts: Date.now(), dwellMs: 4000 },
    ]);
    sinks.at(-1)!.onOccupancy([{ cameraId: 'cam-1', zoneId: 'till', ts: Date.now(), counts: { person: 1 } }]);

    const base = `http://127.0.0.1:${(agent.health!.server.address() as { port: number }).port}`;
    const counts = (await (await fetch(`${base}/counts`)).json()) as { since: number; rules: unknown[] };
    expect(counts.since).toBe(agent.startedAt);
    expect(counts.rules).toEqual([
      { cameraId: 'cam-1', ruleId: 'door-line', name: 'door-line', kind: 'line', in: 4, out: 2 },
      {
        cameraId: 'cam-1',
        ruleId: 'till',
        name: 'till',
        kind: 'zone',
        enter: 2,
        exit: 1,
        occupancy: 1,
        dwellExceeded: 0,
      },
    ]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(
      'tally_line_crossings_total{camera="cam-1",rule="door-line",name="door-line",direction="in"} 4',
    );
    expect(metrics).toContain(
      'tally_line_crossings_total{camera="cam-1",rule="door-line",name="door-line",direction="out"} 2',
    );
    expect(metrics).toContain('tally_zone_entries_total{camera="cam-1",rule="till",name="till"} 2');
    expect(metrics).toContain('tally_zone_occupancy{camera="cam-1",rule="till",name="till"} 1');
    await agent.stop();
    agent = undefined;
  });

  it('publishes the same Home Assistant discovery and state to a local broker (config init --ha-broker)', async () => {
    const broker = await startAedes();
    const dir = join(t.dir, 'ha-box');
    const init = await run([
      ...['config', 'init', dir, '--camera', clip, '--device-id', 'ha-box', '--size', '768x576'],
      ...['--line', 'door-line:norm:0.5,0.1,0.5,0.9', '--ha-broker', broker.url],
    ]);
    expect(init.code, init.stderr).toBe(0);
    const ha = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const retained = new Map<string, string>();
    ha.on('message', (topic, payload) => retained.set(topic, payload.toString()));
    await ha.subscribeAsync(['homeassistant/#', 'tally/sites/#', 'tally/status'], { qos: 1 });
    const runners = syntheticRunners();
    const fromFile = loadSettings(join(dir, 'settings.json'));
    const box = new Agent({
      settings: parseSettings(
        {
          ...structuredClone(fromFile),
          health: { port: 0 },
          homeAssistant: { ...fromFile.homeAssistant, intervalS: 1 },
        },
        dir,
      ),
      runnerFactory: runners.factory,
      log,
    });
    try {
      await box.start();
      const cam = await waitFor(() => runners.live('cam-1'), 'the local camera running');
      cam.emit(3);
      const state = await waitFor(() => {
        const text = retained.get('tally/sites/ha-box/state');
        const s = text ? (JSON.parse(text) as HaSiteState) : undefined;
        return s?.lines['cam-1.door-line']?.in === 2 && s.lines['cam-1.door-line'].out === 1 ? s : undefined;
      }, 'the box state with its counts');
      expect(state.devices).toEqual({ 'ha-box': { name: 'ha-box', online: true } });
      expect(
        JSON.parse(retained.get('homeassistant/sensor/tally_ha-box/line_cam-1_door-line_in/config')!),
      ).toMatchObject({
        name: 'door-line in',
        state_topic: 'tally/sites/ha-box/state',
        value_template: "{{ value_json.lines['cam-1.door-line'].in }}",
      });
      expect(retained.get('tally/status')).toBe('online');
      await box.stop();
      await waitFor(() => retained.get('tally/status') === 'offline', 'offline when the box stops');
    } finally {
      await box.stop().catch(() => undefined);
      await ha.endAsync(true);
      await broker.close();
    }
  });

  it('an edited config with a stale hash is refused by check-config and by run alike; config hash --write fixes it', async () => {
    const file = join(boxDir, 'device-config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.cameras[0].fps = 5;
    writeFileSync(file, JSON.stringify(config));
    const check = await run(['check-config', file]);
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/\/hash: does not match the content/);
    const started = await run(['run', '--config', join(boxDir, 'settings.json')]);
    expect(started.code).toBe(2);
    expect(started.stderr).toMatch(/\/hash: does not match the content/);
    const rehash = await run(['config', 'hash', '--write', file]);
    expect(rehash.code, rehash.stderr).toBe(0);
    expect((await run(['check-config', file])).code).toBe(0);
  });
});

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceClientId, topics } from '@tally/proto';
import { eventually } from './harness';

const SCRIPT = fileURLToPath(new URL('../../../scripts/mosquitto-dynsec-device.sh', import.meta.url));
const PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
const ADMIN = ['-u', 'admin', '-P', 'admin-password-for-test'];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });

/**
 * The external-broker setup DEPLOYMENT.md prescribes, on a real Mosquitto with its dynamic-security plugin (our own
 * process and port): scripts/mosquitto-dynsec-device.sh must bind each device's client id and topics as the
 * embedded broker does (issue 9 item 1).
 */
describe('Mosquitto dynamic security set up by scripts/mosquitto-dynsec-device.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-dynsec-'));
  let port: number;
  let proc: ChildProcess;
  const clients: MqttClient[] = [];
  const url = () => `mqtt://127.0.0.1:${port}`;
  const ctl = (...args: string[]) =>
    execFileSync('mosquitto_ctrl', ['-h', '127.0.0.1', '-p', String(port), ...ADMIN, 'dynsec', ...args], {
      stdio: 'pipe',
    });
  const device = (username: string, password: string, clientId: string) =>
    mqtt
      .connectAsync(url(), { username, password, clientId, protocolVersion: 4, reconnectPeriod: 0 })
      .then((c) => {
        clients.push(c);
        return c;
      });

  beforeAll(async () => {
    port = await freePort();
    execFileSync('mosquitto_ctrl', ['dynsec', 'init', join(dir, 'dynsec.json'), 'admin', ADMIN[3]!], {
      stdio: 'pipe',
    });
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous false',
        // Only matters when the test runs as root: keep the temp files readable.
        'user root',
        `plugin ${PLUGIN}`,
        `plugin_opt_config_file ${join(dir, 'dynsec.json')}`,
        '',
      ].join('\n'),
    );
    proc = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!(await listening(port))) {
      if (Date.now() > deadline) throw new Error('mosquitto did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    // What DEPLOYMENT.md says to set once per broker: deny by default, and the cloud's own client.
    for (const type of ['publishClientSend', 'publishClientReceive', 'subscribe'])
      ctl('setDefaultACLAccess', type, 'deny');
    ctl('createClient', 'cloud', '-p', 'cloud-password-for-test');
    ctl('createRole', 'tally-cloud');
    ctl('addRoleACL', 'tally-cloud', 'subscribePattern', 'tally/v1/#', 'allow');
    ctl('addRoleACL', 'tally-cloud', 'publishClientReceive', 'tally/v1/#', 'allow');
    ctl('addClientRole', 'cloud', 'tally-cloud');
    const env = { ...process.env, MOSQ_CTRL: `-h 127.0.0.1 -p ${port} ${ADMIN.join(' ')}` };
    for (const [id, pw] of [
      ['dev-a', 'password-of-device-a'],
      ['dev-b', 'password-of-device-b'],
    ])
      execFileSync('bash', [SCRIPT, id!, pw!], { env, stdio: 'pipe' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    if (proc && proc.exitCode === null)
      await new Promise<void>((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGTERM');
      });
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a device with its own client id and refuses it with any other', async () => {
    expect((await device('dev-a', 'password-of-device-a', deviceClientId('dev-a'))).connected).toBe(true);
    await expect(device('dev-a', 'password-of-device-a', deviceClientId('dev-b'))).rejects.toThrow(
      /Not authorized/i,
    );
    await expect(device('dev-a', 'password-of-device-a', 'anything-else')).rejects.toThrow(/Not authorized/i);
    await expect(device('dev-a', 'wrong-password', deviceClientId('dev-a'))).rejects.toThrow();
  });

  it("keeps a device to its own topics: another device's are neither delivered nor subscribable", async () => {
    const cloud = await mqtt.connectAsync(url(), {
      username: 'cloud',
      password: 'cloud-password-for-test',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    clients.push(cloud);
    const received: string[] = [];
    cloud.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`));
    await cloud.subscribeAsync('tally/v1/+/events', { qos: 1 });
    const b = await device('dev-b', 'password-of-device-b', deviceClientId('dev-b'));
    // A forged batch on A's topic, then B's own: only B's own arrives.
    await b.publishAsync(topics.events('dev-a'), 'forged', { qos: 1 });
    await b.publishAsync(topics.events('dev-b'), 'own', { qos: 1 });
    await eventually(() => received.length > 0);
    expect(received).toEqual([`${topics.events('dev-b')} own`]);
    // mqtt.js rejects a refused subscription (SUBACK 0x80).
    const granted = await b.subscribeAsync(topics.config('dev-a'), { qos: 1 }).catch(() => [{ qos: 128 }]);
    expect(granted[0]!.qos).toBe(128);
    expect((await b.subscribeAsync(topics.credentials('dev-b'), { qos: 1 }))[0]!.qos).toBe(1);
  });
});

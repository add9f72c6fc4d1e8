/**
 * `pnpm demo [--seconds N] [--keep]`: Tally end to end on one machine, with nothing installed but what setup.sh
 * installs. It starts the cloud (embedded PGlite + embedded aedes broker) in a temporary data folder, creates an
 * owner, a site and a claim code, provisions an edge agent with that code, gives the agent a camera (the real
 * pedestrian video ../shared/media/vtest.avi, looping) with a counting line and a zone through the cloud's API, runs
 * the agent, and prints the counts as the cloud's analytics API reports them. With --keep it leaves both running
 * (Ctrl-C stops them) so you can open the API docs. With --json its last stdout line is a JSON summary (the
 * end-to-end test reads it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assets, requireAsset } from '@tally/proto/assets';
import { UsageError } from '@tally/proto/cli';
import { DEMO_USAGE, parseDemoOptions, type DemoOptions } from './demo-options';

const flags = optionsOrExit(process.argv.slice(2));
const SECONDS = flags.seconds;
const EMAIL = 'owner@demo.tally';
const PASSWORD = 'demo-password-1';

const children: ChildProcess[] = [];
let stopping = false;
// With --json the narration goes to stderr, so stdout's last line is the JSON summary.
const say = (msg: string) => (flags.json ? console.error : console.log)(`\x1b[1m[demo]\x1b[0m ${msg}`);

function fail(msg: string): never {
  console.error(`\x1b[31m[demo] ${msg}\x1b[0m`);
  stopAll();
  process.exit(1);
}

function stopAll(): void {
  for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const ENTRY = { cloud: 'cloud/src/cli/main.ts', edge: 'edge-agent/src/cli/main.ts' } as const;

/** `node --import tsx <cli>`: one process per CLI, so a signal reaches it directly (no pnpm/tsx wrappers). */
function nodeArgs([tool, ...rest]: string[]): string[] {
  return ['--import', 'tsx', ENTRY[tool as keyof typeof ENTRY], ...rest];
}

/** Runs a CLI to completion; its output goes to the terminal. */
function cli(args: string[]): void {
  say(`$ pnpm ${args.join(' ')}`);
  const r = spawnSync(process.execPath, nodeArgs(args), { stdio: 'inherit' });
  if (r.status !== 0) fail(`step failed (exit ${r.status}): pnpm ${args.join(' ')}`);
}

/** Starts a long-running CLI; its logs go to a file in the demo folder so the counts stay readable. */
function daemon(name: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  say(`$ pnpm ${args.join(' ')}   (logs: ${logFile})`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, nodeArgs(args), {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
  });
  child.on('exit', (code) => {
    if (!stopping) fail(`${name} exited unexpectedly (code ${code}); see ${logFile}`);
  });
  children.push(child);
  return child;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  fail(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  const video = requireAsset(assets.video());
  requireAsset(assets.model());
  const dir = mkdtempSync(join(tmpdir(), 'tally-demo-'));
  const cloudDir = join(dir, 'cloud');
  const edgeDir = join(dir, 'edge');
  const [httpPort, mqttPort, wsPort, healthPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const api = `http://127.0.0.1:${httpPort}`;
  say(`demo folder: ${dir}`);

  cli([
    'cloud',
    'create-owner',
    '--email',
    EMAIL,
    '--password',
    PASSWORD,
    '--org',
    'Demo',
    '--data-dir',
    cloudDir,
  ]);
  daemon(
    'cloud',
    ['cloud', 'serve', '--port', String(httpPort), '--mqtt-port', String(mqttPort), '--data-dir', cloudDir],
    join(dir, 'cloud.log'),
    {
      MQTT_WS_PORT: String(wsPort),
      PUBLIC_MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`,
      PUBLIC_API_URL: api,
      LOG_LEVEL: 'info',
    },
  );
  await waitFor('the cloud to be ready', async () => (await fetch(`${api}/readyz`)).ok);
  say(`cloud ready: API ${api}/api, docs ${api}/api/docs`);

  let token = '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) fail(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  token = (
    await call<{ accessToken: string }>('POST', '/api/auth/login', { email: EMAIL, password: PASSWORD })
  ).accessToken;
  const site = await call<{ id: string }>('POST', '/api/sites', {
    name: 'Campus path',
    timezone: 'Europe/Paris',
  });
  const claim = await call<{ code: string }>('POST', `/api/sites/${site.id}/claim-codes`, { ttlMinutes: 30 });
  say(`site ${site.id} created; claim code ${claim.code}`);

  cli([
    'edge',
    'provision',
    '--cloud',
    api,
    '--code',
    claim.code,
    '--name',
    'Demo box',
    '--data-dir',
    edgeDir,
  ]);
  const devices = await call<{ id: string }[]>('GET', `/api/devices?siteId=${site.id}`);
  const deviceId = devices[0]?.id ?? fail('the provisioned device is not listed on the site');

  const { camera } = await call<{ camera: { id: string } }>('POST', `/api/devices/${deviceId}/cameras`, {
    key: 'path-cam',
    name: 'Path camera',
    setup: {
      source: { url: video, loop: true },
      fps: 10,
      inputSize: { width: 768, height: 576 },
      classes: ['person'],
      scoreThreshold: 0.3,
    },
  });
  await call('POST', `/api/cameras/${camera.id}/rules`, {
    key: 'middle',
    kind: 'line',
    name: 'Middle of the path',
    definition: { p1: { x: 0.5, y: 0.15 }, p2: { x: 0.5, y: 0.98 } },
  });
  await call('POST', `/api/cameras/${camera.id}/rules`, {
    key: 'plaza',
    kind: 'zone',
    name: 'Lower plaza',
    definition: {
      polygon: [
        { x: 0.05, y: 0.55 },
        { x: 0.95, y: 0.55 },
        { x: 0.95, y: 0.98 },
        { x: 0.05, y: 0.98 },
      ],
      dwellThresholdS: 20,
    },
  });
  say('camera and rules created; the cloud publishes the config to the device (retained)');

  const settings = join(dir, 'edge-settings.json');
  writeFileSync(
    settings,
    JSON.stringify(
      {
        dataDir: edgeDir,
        health: { port: healthPort },
        sync: { heartbeatIntervalS: 5, bucketIntervalS: 10 },
        detector: { modelPath: assets.model() },
      },
      null,
      2,
    ),
  );
  daemon('edge agent', ['edge', 'run', '--config', settings], join(dir, 'edge.log'));
  say(`edge agent running; local health: http://127.0.0.1:${healthPort}/metrics`);

  await waitFor('the device to apply its config', async () => {
    const d = await call<{ config: { status: string } }>('GET', `/api/devices/${deviceId}`);
    return d.config.status === 'applied';
  });
  say(`config applied; counting for ${SECONDS} s (video loops)…`);

  const from = new Date(Date.now() - 3600_000).toISOString();
  const started = Date.now();
  const summary = { lineIn: 0, lineOut: 0, zoneEvents: 0, zonePeak: 0 };
  while (Date.now() - started < SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 5000));
    const to = new Date(Date.now() + 3600_000).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bucket=hour&groupBy=rule`;
    const counts = await call<{ series: { key: { ruleId?: string }; totals: Record<string, number> }[] }>(
      'GET',
      `/api/sites/${site.id}/analytics/counts?${q}`,
    );
    const line = counts.series.find((s) => s.key.ruleId === 'middle')?.totals;
    const zone = counts.series.find((s) => s.key.ruleId === 'plaza')?.totals;
    const occ = await call<{ zones: { zoneId: string; now: number; peak: number }[] }>(
      'GET',
      `/api/sites/${site.id}/analytics/occupancy?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    const plaza = occ.zones.find((z) => z.zoneId === 'plaza');
    Object.assign(summary, {
      lineIn: line?.in ?? 0,
      lineOut: line?.out ?? 0,
      zoneEvents: zone?.total ?? 0,
      zonePeak: plaza?.peak ?? 0,
    });
    say(
      `t+${Math.round((Date.now() - started) / 1000)}s  line "middle": in ${line?.in ?? 0}, out ${line?.out ?? 0}` +
        `  |  zone "plaza" events: ${zone?.total ?? 0}  |  in the zone now: ${plaza?.now ?? 0} (peak ${plaza?.peak ?? 0})`,
    );
  }

  const device = await call<{ status: string | null; config: { status: string } }>(
    'GET',
    `/api/devices/${deviceId}`,
  );
  say(`device as the cloud sees it: ${JSON.stringify(device)}`);
  if (flags.json) {
    console.log(
      JSON.stringify({ deviceStatus: device.status, configStatus: device.config.status, ...summary }),
    );
  }
  if (flags.keep) {
    say(`left running: API docs ${api}/api/docs (login ${EMAIL} / ${PASSWORD}); Ctrl-C stops`);
    process.on('SIGINT', () => {
      stopping = true;
      stopAll();
      process.exit(0);
    });
    return;
  }
  stopping = true;
  stopAll();
  say('demo finished');
}

process.on('SIGINT', () => {
  stopping = true;
  stopAll();
  process.exit(130);
});
main().catch((err) => fail((err as Error).stack ?? String(err)));

/** --help prints the usage and exits 0; a bad option prints one line and a hint and exits 2. */
function optionsOrExit(argv: string[]): DemoOptions {
  try {
    const o = parseDemoOptions(argv);
    if (o.help) {
      process.stdout.write(DEMO_USAGE);
      process.exit(0);
    }
    return o;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
    process.exit(2);
  }
}

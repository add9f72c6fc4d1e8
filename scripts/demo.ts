/**
 * `pnpm demo [--duration S] [--data-dir DIR] [--json]`: Tally end to end on one machine, with nothing installed but
 * what setup.sh installs. It builds the dashboard, starts the cloud (embedded PGlite + embedded aedes broker, serving
 * the dashboard) in a data folder, creates an owner, a site and a claim code, provisions an edge agent with that code,
 * gives the agent a camera (the real pedestrian video ../shared/media/vtest.avi, looping) with a counting line and a
 * zone through the cloud's API, runs the agent, prints the dashboard's URL with the owner's email and password, and
 * prints the counts the cloud's analytics API reports until Ctrl-C (or for S seconds with --duration).
 *
 * The data folder (default .data/demo) is kept: a second run reuses the owner, site, device and ports, so the
 * counts and the dashboard's URL carry on. With --json its last stdout line is a JSON summary (the end-to-end test
 * reads it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { assets, requireAsset } from '@tally/proto/assets';
import { UsageError } from '@tally/proto/cli';
import { cachedDashboardBuild } from './dashboard/cached-build';
import { buildDashboard } from './dashboard/stack';
import { DEMO_USAGE, parseDemoOptions, type DemoOptions } from './demo-options';

const flags = optionsOrExit(process.argv.slice(2));
/** Seconds to run; undefined: until Ctrl-C. */
const DURATION = flags.duration;
const ROOT = resolve(import.meta.dirname, '..');
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

/** What a second run needs from the first: the ports the device was given, and the ids created. */
interface DemoState {
  ports: { http: number; mqtt: number; ws: number; health: number };
  siteId: string;
  deviceId: string;
}

async function main(): Promise<void> {
  const video = requireAsset(assets.video());
  requireAsset(assets.model());
  const dir = resolve(flags.dataDir ?? join(ROOT, '.data/demo'));
  mkdirSync(dir, { recursive: true });
  const cloudDir = join(dir, 'cloud');
  const edgeDir = join(dir, 'edge');
  const stateFile = join(dir, 'demo-state.json');
  const saved = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as DemoState) : null;
  // The device was provisioned with these ports: a second run must use the same ones.
  const ports = saved?.ports ?? {
    http: await freePort(),
    mqtt: await freePort(),
    ws: await freePort(),
    health: await freePort(),
  };
  const api = `http://127.0.0.1:${ports.http}`;
  say(saved ? `reusing the demo folder ${dir}` : `demo folder: ${dir}`);

  say('building the dashboard…');
  const dashboardDir = await cachedDashboardBuild(buildDashboard);

  if (!saved) {
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
  }
  daemon(
    'cloud',
    [
      'cloud',
      'serve',
      '--port',
      String(ports.http),
      '--mqtt-port',
      String(ports.mqtt),
      '--data-dir',
      cloudDir,
    ],
    join(dir, 'cloud.log'),
    {
      MQTT_WS_PORT: String(ports.ws),
      PUBLIC_MQTT_URL: `mqtt://127.0.0.1:${ports.mqtt}`,
      PUBLIC_API_URL: api,
      DASHBOARD_DIR: dashboardDir,
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
  const signIn = async () => {
    token = (
      await call<{ accessToken: string }>('POST', '/api/auth/login', { email: EMAIL, password: PASSWORD })
    ).accessToken;
  };
  await signIn();
  const state = saved ?? { ports, ...(await setUp(call, video, api, edgeDir)) };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  const { siteId, deviceId } = state;

  const settings = join(dir, 'edge-settings.json');
  writeFileSync(
    settings,
    JSON.stringify(
      {
        dataDir: edgeDir,
        health: { port: ports.health },
        sync: { heartbeatIntervalS: 5, bucketIntervalS: 10 },
        detector: { modelPath: assets.model() },
      },
      null,
      2,
    ),
  );
  daemon('edge agent', ['edge', 'run', '--config', settings], join(dir, 'edge.log'));
  say(`edge agent running; local health: http://127.0.0.1:${ports.health}/metrics`);

  await waitFor('the device to apply its config', async () => {
    const d = await call<{ config: { status: string } }>('GET', `/api/devices/${deviceId}`);
    return d.config.status === 'applied';
  });
  say(`config applied; the video loops and the box counts.`);
  say(
    `\x1b[32mdashboard: ${api}/  (sign in as ${EMAIL} / ${PASSWORD}; the site page: ${api}/sites/${siteId})\x1b[0m`,
  );
  say(DURATION === undefined ? 'Ctrl-C stops the demo' : `stopping after ${DURATION} s`);

  const from = new Date(Date.now() - 3600_000).toISOString();
  const started = Date.now();
  const summary = { lineIn: 0, lineOut: 0, zoneEvents: 0, zonePeak: 0 };
  let lastLogin = Date.now();
  while (DURATION === undefined || Date.now() - started < DURATION * 1000) {
    await new Promise((r) => setTimeout(r, 5000));
    // Access tokens are short-lived; a long-running demo signs in again now and then.
    if (Date.now() - lastLogin > 10 * 60_000) {
      await signIn();
      lastLogin = Date.now();
    }
    const to = new Date(Date.now() + 3600_000).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bucket=hour&groupBy=rule`;
    const counts = await call<{
      series: { key: { ruleId?: string; kind: string }; totals: Record<string, number> }[];
    }>('GET', `/api/sites/${siteId}/analytics/counts?${q}`);
    const line = counts.series.find((s) => s.key.ruleId === 'middle' && s.key.kind === 'line_cross')?.totals;
    const zone = counts.series.find((s) => s.key.ruleId === 'plaza' && s.key.kind === 'zone_enter')?.totals;
    const occ = await call<{ zones: { zoneId: string; now: number; peak: number }[] }>(
      'GET',
      `/api/sites/${siteId}/analytics/occupancy?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
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
        `  |  zone "plaza" entries: ${zone?.total ?? 0}  |  in the zone now: ${plaza?.now ?? 0} (peak ${plaza?.peak ?? 0})`,
    );
  }

  const device = await call<{ status: string | null; config: { status: string } }>(
    'GET',
    `/api/devices/${deviceId}`,
  );
  say(`device as the cloud sees it: ${JSON.stringify(device)}`);
  if (flags.json) {
    console.log(
      JSON.stringify({
        deviceStatus: device.status,
        configStatus: device.config.status,
        dashboardUrl: `${api}/`,
        ...summary,
      }),
    );
  }
  stopping = true;
  stopAll();
  say(`demo finished; \`pnpm demo\` again carries on with the same data (${dir})`);
}

/** First run only: a site, a claim code, the box provisioned with it, a camera on the video, a line and a zone. */
async function setUp(
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>,
  video: string,
  api: string,
  edgeDir: string,
): Promise<{ siteId: string; deviceId: string }> {
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
  return { siteId: site.id, deviceId };
}

const stop = (code: number) => () => {
  stopping = true;
  stopAll();
  process.exit(code);
};
process.on('SIGINT', stop(0));
process.on('SIGTERM', stop(0));
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

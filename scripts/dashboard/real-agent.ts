/**
 * A real edge agent for the dashboard's end-to-end tests: provisioned with a claim code through the edge CLI (as an
 * installer would, `pnpm edge provision …`) and run with `edge run` on the real model, as scripts/demo.ts does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assets, requireAsset } from '@tally/proto/assets';

const ROOT = resolve(import.meta.dirname, '../..');
const EDGE_CLI = join(ROOT, 'edge-agent/src/cli/main.ts');

export interface RealAgent {
  deviceId: string;
  logFile: string;
  stop(): Promise<void>;
}

/** `edge provision --cloud … --code … --name …` into `workDir`: the device id it was given. */
export function provisionAgent(o: { cloudUrl: string; code: string; name: string; workDir: string }): string {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      EDGE_CLI,
      'provision',
      '--cloud',
      o.cloudUrl,
      '--code',
      o.code,
      '--name',
      o.name,
      '--data-dir',
      join(o.workDir, 'edge'),
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const id = /as device (\S+)/.exec(r.stdout)?.[1];
  if (r.status !== 0 || !id) throw new Error(`edge provision failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return id;
}

/** `edge run` on the provisioned data folder, with the real detector model; fast sync so tests see counts soon. */
export function runAgent(o: { deviceId: string; workDir: string }): RealAgent {
  requireAsset(assets.model());
  mkdirSync(o.workDir, { recursive: true });
  const settings = join(o.workDir, 'edge-settings.json');
  writeFileSync(
    settings,
    JSON.stringify({
      dataDir: join(o.workDir, 'edge'),
      health: { enabled: false },
      mqtt: { reconnectPeriodMs: 500 },
      sync: { heartbeatIntervalS: 2, bucketIntervalS: 2 },
      detector: { modelPath: assets.model() },
    }),
  );
  const logFile = join(o.workDir, 'edge.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', EDGE_CLI, 'run', '--config', settings],
    {
      cwd: ROOT,
      stdio: ['ignore', fd, fd],
    },
  );
  return {
    deviceId: o.deviceId,
    logFile,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

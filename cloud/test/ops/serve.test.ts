import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '@tally/proto/cli';
import { buildProgram } from '../../src/cli/main';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The CLI in this process, with `env` set for the call: stdout and stderr captured. */
async function runInProcess(args: string[], env: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    const code = await runProgram(buildProgram(), ['node', 'tally-cloud', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The CLI as an operator runs it, with nothing configured but a data dir and free ports. */
function cli(args: string[], env: NodeJS.ProcessEnv) {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, ...env } });
}

describe('pnpm cloud create-owner / serve / SIGTERM (PGlite + embedded aedes)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-serve-'));
  const env = {
    DATA_DIR: dataDir,
    MQTT_WS_PORT: '0',
    LOG_LEVEL: 'info',
    JWT_SECRET: '',
    DATABASE_URL: '',
    MQTT_URL: '',
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates an owner, serves the API with readiness and metrics, and stops cleanly on SIGTERM', async () => {
    const owner = await runInProcess(
      ['create-owner', '--email', 'Boss@Example.com', '--password', 'a long password', '--org', 'Acme'],
      env,
    );
    expect(owner.code, owner.stderr).toBe(0);
    expect(JSON.parse(owner.stdout.trim().split('\n').pop()!)).toMatchObject({ ok: true, createdOrg: true });

    const server = cli(['serve', '--port', '0', '--mqtt-port', '0'], env);
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      server.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)".*tally cloud listening/.exec(stderr);
        if (match) resolve(match[1]!.replace('0.0.0.0', '127.0.0.1'));
      });
      server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    expect(stderr).toMatch(/JWT_SECRET is not set/);
    try {
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ ok: true, database: true, broker: true });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('tally_cloud_db_pool_connections');
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'boss@example.com', password: 'a long password' }),
      });
      expect(login.status).toBe(200);
    } finally {
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(stderr).toMatch(/"stage":"database".*"msg":"stopped"/);
  }, 300_000);

  it('refuses a bad environment with one line naming the variable', async () => {
    const r = await runInProcess(['serve'], { ...env, PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid configuration: PORT/m);
  });
});

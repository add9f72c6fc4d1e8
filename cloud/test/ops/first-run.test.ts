/**
 * The operator's first run, as docs/CLOUD.md tells it: `serve --help` lists every variable, the common mistakes are
 * one line and a hint (a port taken, a database that does not exist), `create-owner` refuses while a server holds
 * the embedded database (it used to print ok and lose the account), and a fresh cloud creates its first owner
 * through the running server with the one-time setup token from its log. A spawned `serve`, as an operator runs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alive, waitUntil } from '@tally/proto/test-process';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '@tally/proto/cli';
import { buildProgram } from '../../src/cli/main';
import { cloudEnvVars } from '../../src/env-vars';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const CLOUD_DOC = fileURLToPath(new URL('../../../docs/CLOUD.md', import.meta.url));

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

const BASE_ENV = { JWT_SECRET: '', DATABASE_URL: '', MQTT_URL: '', LOG_LEVEL: 'info', MQTT_WS_PORT: '0' };

describe('serve --help and docs/CLOUD.md', () => {
  it('list every environment variable the cloud reads, with its default', async () => {
    // As a process: commander ends a subcommand's --help with process.exit.
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--help'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const doc = readFileSync(CLOUD_DOC, 'utf8');
    const missing = { help: [] as string[], doc: [] as string[] };
    for (const v of cloudEnvVars()) {
      const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith(`${v.name} `));
      if (!line?.includes(`(default: ${v.default})`)) missing.help.push(v.name);
      if (!doc.includes(`\`${v.name}\``)) missing.doc.push(v.name);
    }
    expect(missing).toEqual({ help: [], doc: [] });
    // The ones only the stages read are there too (they used to be only in alerts/stage.ts).
    expect(r.stdout).toMatch(/^ {2}SMTP_URL /m);
    expect(r.stdout).toMatch(/^ {2}ALERT_INTERVAL_S +.*\(default: 15\)/m);
  });
});

describe('clear errors for the common mistakes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-first-run-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('an MQTT port already taken is one line naming MQTT_PORT, not a stack', async () => {
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(0, '0.0.0.0', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const r = await runInProcess(['serve', '--port', '0', '--mqtt-port', String(port)], {
        ...BASE_ENV,
        DATA_DIR: join(dataDir, 'port'),
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`error: port ${port} (0.0.0.0) for the embedded MQTT broker is in use`);
      expect(r.stderr).toMatch(
        /hint: set MQTT_PORT=<port> \(or --mqtt-port <port>\), or stop the program that holds it, or use that broker with MQTT_URL/,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise<void>((r) => holder.close(() => r()));
    }
  });

  it('the embedded broker defaults to 1884, clear of the Mosquitto setup.sh starts on 1883; taken, it says so', async () => {
    // Hold 1884 ourselves; if something else already holds it, it is taken all the same.
    const holder: Server = createServer();
    const held = await new Promise<boolean>((resolve, reject) => {
      holder.once('error', (err: NodeJS.ErrnoException) =>
        err.code === 'EADDRINUSE' ? resolve(false) : reject(err),
      );
      holder.listen(1884, '0.0.0.0', () => resolve(true));
    });
    try {
      // As a process, as an operator runs it: it must also exit (a half-started broker used to keep it alive).
      // The data folder of the test above: already migrated, so the start is quick.
      const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0'], {
        encoding: 'utf8',
        env: { ...process.env, ...BASE_ENV, MQTT_PORT: '', DATA_DIR: join(dataDir, 'port') },
        timeout: 110_000,
      });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('error: port 1884 (0.0.0.0) for the embedded MQTT broker is in use');
      expect(r.stderr).not.toContain('Mosquitto');
      expect(r.stderr).toContain('hint: set MQTT_PORT=<port> (or --mqtt-port <port>)');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      if (held) await new Promise<void>((r) => holder.close(() => r()));
    }
  }, 120_000);

  it('a DATABASE_URL naming a database that does not exist says so and how to create it', async () => {
    const name = `tally_missing_${randomBytes(4).toString('hex')}`;
    const r = await runInProcess(['serve', '--port', '0', '--mqtt-port', '0'], {
      ...BASE_ENV,
      DATA_DIR: join(dataDir, 'pg'),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error: the database "${name}" named in DATABASE_URL does not exist`);
    expect(r.stderr).toContain(`createdb ${name}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('first run with the server up (PGlite + embedded aedes)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-first-run-'));
  let server: ChildProcess | undefined;
  let stderr = '';
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function serve(): Promise<string> {
    server = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', '--mqtt-port', '0'], {
      env: { ...process.env, ...BASE_ENV, DATA_DIR: dataDir },
    });
    return new Promise<string>((resolve, reject) => {
      server!.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)".*tally cloud listening/.exec(stderr);
        if (match) resolve(match[1]!.replace('0.0.0.0', '127.0.0.1'));
      });
      server!.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
  }

  it('create-owner refuses while the server holds the data folder; the setup token creates the owner through it', async () => {
    const url = await serve();
    const owner = await runInProcess(
      ['create-owner', '--email', 'boss@example.com', '--password', 'a long password', '--org', 'Acme'],
      { ...BASE_ENV, DATA_DIR: dataDir },
    );
    expect(owner.code, owner.stdout).toBe(2);
    expect(owner.stderr).toMatch(/error: the data folder .* is in use by a running Tally server \(pid \d+\)/);
    expect(owner.stderr).toMatch(/hint: .*POST \/api\/setup/);
    expect(owner.stdout).not.toContain('"ok":true');

    const token = /one-time setup token ([A-Za-z0-9_-]{16,})/.exec(stderr)?.[1];
    expect(token, stderr).toBeDefined();
    expect(await (await fetch(`${url}/api/setup`)).json()).toEqual({ needed: true });
    const post = (body: object) =>
      fetch(`${url}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const account = { email: 'Boss@Example.com', password: 'a long password', organisation: 'Acme' };
    const wrong = await post({ ...account, token: 'x'.repeat(32) });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe(
      'TALLY_SETUP_TOKEN_INVALID',
    );
    const created = await post({ ...account, token });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ email: 'boss@example.com' });
    const again = await post({ ...account, email: 'other@example.com', token });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('TALLY_SETUP_DONE');
    expect(await (await fetch(`${url}/api/setup`)).json()).toEqual({ needed: false });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'boss@example.com', password: 'a long password' }),
    });
    expect(login.status).toBe(200);
  }, 300_000);

  it('the MQTT-over-WebSocket listener answers on loopback only by default', async () => {
    const ports = /"ports":\{"mqtt":(\d+),"ws":(\d+)/.exec(stderr);
    expect(ports, stderr).not.toBeNull();
    const [mqtt, ws] = [Number(ports![1]), Number(ports![2])];
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    // This machine has a non-loopback address (the test needs one to tell the binds apart).
    expect(external).toBeDefined();
    expect(await reachable('127.0.0.1', ws)).toBe(true);
    expect(await reachable(external!, ws)).toBe(false);
    // The plain MQTT port still serves devices on the network (HOST 0.0.0.0).
    expect(await reachable(external!, mqtt)).toBe(true);
  });

  it('stops on SIGTERM and frees the data folder', async () => {
    const exited = new Promise<number | null>((r) => server!.once('exit', (code) => r(code)));
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
    const owner = await runInProcess(
      ['create-owner', '--email', 'second@example.com', '--password', 'a long password', '--org', 'Acme Two'],
      { ...BASE_ENV, DATA_DIR: dataDir },
    );
    expect(owner.code, owner.stderr).toBe(0);
  }, 120_000);
});

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('`pnpm cloud serve` stopped through pnpm', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-pnpm-serve-'));
  let nodePid: number | undefined;
  afterAll(() => {
    // Only if the test failed: the node it left behind.
    if (nodePid !== undefined && alive(nodePid)) process.kill(nodePid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM to the pnpm process stops node too, gracefully (it used to keep running)', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const pnpm = spawn('pnpm', ['cloud', 'serve', '--port', '0', '--mqtt-port', '0'], {
      cwd: root,
      env: { ...process.env, ...BASE_ENV, DATA_DIR: dataDir },
    });
    let log = '';
    pnpm.stdout.on('data', (c: Buffer) => (log += c.toString()));
    pnpm.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const listening = await waitUntil(
      () => /"pid":(\d+).*tally cloud listening/.exec(log),
      'the server listening',
      120_000,
    );
    nodePid = Number(listening[1]);
    expect(nodePid).not.toBe(pnpm.pid);
    pnpm.kill('SIGTERM');
    await waitUntil(() => !alive(nodePid!), `node (pid ${nodePid}) to exit`, 60_000);
    // It stopped in order (not killed): the data folder mark is gone.
    expect(existsSync(join(dataDir, 'server.pid'))).toBe(false);
  }, 300_000);
});

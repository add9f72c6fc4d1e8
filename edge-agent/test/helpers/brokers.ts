import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AedesOptions } from 'aedes';
import { waitFor } from './temp-dir';

export interface TestBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** An embedded aedes broker on a random port (never 1883), plain TCP or TLS with the given key and certificate. */
export async function startAedes(
  options: AedesOptions & { tls?: { key: Buffer; cert: Buffer }; port?: number } = {},
): Promise<TestBroker> {
  const { tls, port: wanted, ...brokerOptions } = options;
  const broker = await Aedes.createBroker(brokerOptions);
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    broker.handle(s);
  };
  const server: Server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, track) : createServer(track);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wanted ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    close: async () => {
      // Like a broker that vanishes: connections are cut, not drained.
      const closed = new Promise<void>((r) => server.close(() => r()));
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((r) => broker.close(() => r()));
      await closed;
    },
  };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * Our own Mosquitto process on its own port, so a test can kill and restart the broker (the system one on 1883
 * belongs to everyone). `mosquitto -p PORT` without a config file allows anonymous clients.
 */
export async function startMosquitto(
  port?: number,
): Promise<TestBroker & { kill(): Promise<void>; restart(): Promise<void> }> {
  const p = port ?? (await freePort());
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = spawn('mosquitto', ['-p', String(p)], { stdio: 'ignore' });
    await waitFor(() => canConnect(p), `mosquitto on port ${p}`, 15_000);
  };
  const kill = async () => {
    const child = proc;
    proc = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill('SIGKILL');
    });
  };
  await launch();
  return { port: p, url: `mqtt://127.0.0.1:${p}`, close: kill, kill, restart: launch };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../../scripts/rtsp-server.py');

export interface RtspServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open but no data flows, like a hung camera. */
  freeze(): void;
  thaw(): void;
}

/**
 * Starts Debian's GStreamer RTSP server (scripts/rtsp-server.py) on 127.0.0.1 serving `file` as H.264, and resolves
 * once it listens. `port` 0 picks a free one; pass the old port to restart a server where clients expect it.
 */
export function startRtspServer(file: string, port = 0): Promise<RtspServer> {
  const child: ChildProcess = spawn('/usr/bin/python3', [script, '--port', String(port), '--file', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolveServer, reject) => {
    const timer = setTimeout(() => fail(new Error(`RTSP server did not start in 20 s: ${stderr}`)), 20_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('exit', (code) => fail(new Error(`RTSP server exited with ${code}: ${stderr}`)));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (rtsp:\/\/127\.0\.0\.1:(\d+)\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolveServer({
        url: m[1]!,
        port: Number(m[2]),
        freeze: () => child.kill('SIGSTOP'),
        thaw: () => child.kill('SIGCONT'),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
            child.kill('SIGCONT');
          }),
      });
    });
  });
}

/** Polls `check` until it returns true or the deadline passes (no fixed sleeps in tests). */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

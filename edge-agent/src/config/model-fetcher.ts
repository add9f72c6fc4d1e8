import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelRef } from '@tally/proto';

export interface ModelFetchOptions {
  /** Where verified models live: `<dir>/<sha256>.onnx`. */
  dir: string;
  /** Base for relative model URLs (the cloud's API URL from provisioning). */
  apiUrl?: string;
  /** Device credentials, sent as Basic auth to the cloud. */
  auth?: { username: string; password: string };
  fetchImpl?: typeof fetch;
}

/**
 * Makes sure a model named by a config is on disk and is the file the config means: downloads it over HTTP(S) to
 * a temporary name, checks its sha256, and only then moves it into place. A file already present under its hash is
 * reused. Throws with a message naming the model and the reason (HTTP status, hash mismatch).
 */
export async function ensureModel(ref: ModelRef, opts: ModelFetchOptions): Promise<string> {
  const path = join(opts.dir, `${ref.sha256}.onnx`);
  if (existsSync(path) && sha256(await readFile(path)) === ref.sha256) return path;
  await mkdir(opts.dir, { recursive: true });
  const url = new URL(ref.url, opts.apiUrl ?? undefined);
  const headers: Record<string, string> = {};
  if (opts.auth && opts.apiUrl && url.origin === new URL(opts.apiUrl).origin) {
    headers.authorization = `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`;
  }
  const res = await (opts.fetchImpl ?? fetch)(url, { headers, signal: AbortSignal.timeout(300_000) });
  if (!res.ok)
    throw new Error(
      `model ${ref.id} (${ref.name} ${ref.version}): download from ${url.href} failed with HTTP ${res.status}`,
    );
  const body = Buffer.from(await res.arrayBuffer());
  const got = sha256(body);
  if (got !== ref.sha256) {
    throw new Error(
      `model ${ref.id} (${ref.name} ${ref.version}): sha256 ${got} does not match the config's ${ref.sha256}`,
    );
  }
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, body);
  await rename(tmp, path).catch(async (err: unknown) => {
    await rm(tmp, { force: true });
    throw err;
  });
  return path;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

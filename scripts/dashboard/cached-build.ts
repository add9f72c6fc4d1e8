/**
 * The dashboard built once per state of its sources and shared by every e2e file, screenshot run and demo on this
 * machine: a vite build costs 20–60 s of CPU, and five e2e files each building their own copy made the suite slower
 * on a 2-core box than everything else together. The build lands in the temp folder under a hash of what goes into
 * it; one process builds (a lock folder), the others wait for it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
/** Everything the bundle is made from: the dashboard, the proto values it imports, the locked dependencies. */
const INPUTS = [
  'dashboard/src',
  'dashboard/public',
  'dashboard/index.html',
  'dashboard/vite.config.ts',
  'dashboard/package.json',
  'proto/src',
  'pnpm-lock.yaml',
];
const LOCK_STALE_MS = 10 * 60_000;

function addToHash(hash: ReturnType<typeof createHash>, path: string): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) addToHash(hash, join(path, name));
    return;
  }
  hash.update(path.slice(ROOT.length)).update('\0').update(readFileSync(path)).update('\0');
}

export function dashboardSourceHash(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) addToHash(hash, join(ROOT, input));
  return hash.digest('hex').slice(0, 16);
}

/** Returns the folder of a build of the current sources, building it with `build(outDir)` unless one exists. */
export async function cachedDashboardBuild(build: (outDir: string) => void): Promise<string> {
  const dir = join(tmpdir(), `tally-dashboard-${dashboardSourceHash()}`);
  const lock = `${dir}.lock`;
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    if (existsSync(join(dir, 'index.html'))) return dir;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building it; a lock older than any build is left over from a killed run.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > LOCK_STALE_MS)
        rmSync(lock, { force: true, recursive: true });
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for another process to build the dashboard (${lock})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (existsSync(join(dir, 'index.html'))) return dir;
    const staging = `${dir}.${process.pid}`;
    try {
      build(staging);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      throw err;
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

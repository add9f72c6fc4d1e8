/**
 * `pnpm dashboard:size [--max-kb N]`: builds the dashboard for production and prints the gzipped size of the
 * JavaScript the first page loads (the entry script and every chunk index.html preloads; pages opened later load
 * their own chunks). Exit 0 when under the budget (default 350 kB, issue 10), 1 over it or on a failed build,
 * 2 on bad input.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildDashboard } from './dashboard/stack';

/** The JS files index.html loads before the first page renders: module scripts and module preloads. */
export function firstPageScripts(indexHtml: string): string[] {
  const srcs = [...indexHtml.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...indexHtml.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  return [...new Set([...srcs, ...preloads])];
}

function main(): number {
  let maxKb: number;
  try {
    const { values } = parseArgs({ options: { 'max-kb': { type: 'string', default: '350' } } });
    maxKb = Number(values['max-kb']);
    if (!(maxKb > 0)) throw new Error(`invalid --max-kb ${JSON.stringify(values['max-kb'])}`);
  } catch (err) {
    console.error(`${(err as Error).message}\nhint: pnpm dashboard:size [--max-kb 350]`);
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tally-dash-size-'));
  try {
    buildDashboard(dir);
    const files = firstPageScripts(readFileSync(join(dir, 'index.html'), 'utf8'));
    let raw = 0;
    let gz = 0;
    for (const f of files) {
      const bytes = readFileSync(join(dir, f.replace(/^\//, '')));
      const zipped = gzipSync(bytes, { level: 9 }).length;
      raw += bytes.length;
      gz += zipped;
      console.log(`${f}  ${(bytes.length / 1024).toFixed(1)} kB  gzip ${(zipped / 1024).toFixed(1)} kB`);
    }
    const ok = gz / 1024 <= maxKb;
    console.log(
      `first page JS: ${files.length} files, ${(raw / 1024).toFixed(1)} kB, gzip ${(gz / 1024).toFixed(1)} kB ` +
        `(budget ${maxKb} kB: ${ok ? 'ok' : 'OVER'})`,
    );
    return ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();

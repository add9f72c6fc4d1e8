import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded database (PGlite in DATA_DIR) has one user at a time: a second process writing the same folder
 * loses its writes or corrupts the files. The server marks the folder as in use (`DATA_DIR/server.pid`) while it
 * runs; CLI commands that would open the same database check the mark and refuse. A mark left by a process that no
 * longer exists (kill -9, power loss) is ignored.
 */
const LOCK_FILE = 'server.pid';

export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the data folder ${dataDir} is in use by a running Tally server (pid ${pid})`);
    this.name = 'DataDirInUse';
  }
}

/** The pid of a live process holding `dataDir`, if any. */
export function dataDirHolder(dataDir: string): number | undefined {
  const file = join(dataDir, LOCK_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  return isAlive(pid) ? pid : undefined;
}

/** Marks `dataDir` as used by this process; throws DataDirInUse when another live process holds it. */
export function lockDataDir(dataDir: string): { release(): void } {
  const holder = dataDirHolder(dataDir);
  if (holder !== undefined) throw new DataDirInUse(dataDir, holder);
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  writeFileSync(file, `${process.pid}\n`);
  return {
    release: () => {
      if (existsSync(file) && readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

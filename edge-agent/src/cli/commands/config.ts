import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Value } from '@sinclair/typebox/value';
import { DeviceConfig, Id, type CameraConfig } from '@tally/proto';
import { UsageError } from '@tally/proto/cli';
import { parseLineArg, parseZoneArg } from '../../count/rule-args';
import { DEFAULT_CLASSES } from '../../detect/detector';
import { checkDeviceConfigPayload } from '../../config/device-config-check';
import { parseSettings } from '../../config/load-settings';
import {
  LOCAL_DEVICE_CONFIG_FILE,
  LOCAL_SETTINGS_FILE,
  buildLocalDeviceConfig,
  buildLocalSettings,
  withHash,
} from '../../config/local-config';
import { probeMedia } from '../../source/media-probe';

interface InitOptions {
  camera: string;
  deviceId: string;
  cameraId: string;
  size?: string;
  fps: string;
  classes?: string;
  line: string[];
  zone: string[];
  force?: boolean;
  haBroker?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/**
 * `tally-edge config init <dir>` and `tally-edge config hash <file>`: the files of a standalone box (no cloud).
 * `init` writes settings.json and device-config.json (hash computed) that `check-config` accepts and `run --config`
 * runs; `hash` recomputes the hash after a hand edit.
 */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('local configuration files for a box without a cloud');
  config
    .command('init')
    .description(
      `write ${LOCAL_SETTINGS_FILE} and ${LOCAL_DEVICE_CONFIG_FILE} for a standalone box into <dir>`,
    )
    .argument('<dir>', 'folder for the files (created if missing)')
    .requiredOption('--camera <url>', 'the camera: rtsp://…, http(s)://…, a video file or /dev/videoN')
    .option('--device-id <id>', "this box's id", 'local-box')
    .option('--camera-id <id>', "the camera's id", 'cam-1')
    .option('--size <WxH>', "decoded frame size (default: the camera's, read with ffprobe)")
    .option('--fps <n>', 'frames analysed per second', '10')
    .option('--classes <list>', `classes to count (default ${DEFAULT_CLASSES.join(',')})`)
    .option(
      '--line <NAME:x1,y1,x2,y2>',
      'counting line in pixels, or NAME:norm:… normalised 0–1 (repeatable)',
      collect,
      [],
    )
    .option(
      '--zone <NAME:x,y;x,y;...>',
      'zone in pixels, or NAME:norm:… normalised 0–1 (repeatable)',
      collect,
      [],
    )
    .option(
      '--ha-broker <url>',
      'publish counts for Home Assistant (MQTT discovery) to this broker, e.g. mqtt://127.0.0.1:1883',
    )
    .option('--force', 'overwrite existing files')
    .action(async (dir: string, o: InitOptions) => {
      const written = await init(dir, o);
      process.stdout.write(
        `wrote ${written.settings} and ${written.config} (hash ${written.hash.slice(0, 12)}…)\n` +
          `run it with: pnpm edge run --config ${written.settings}\n`,
      );
    });
  config
    .command('hash')
    .description('print the content hash of a device config file; --write stores it in the file')
    .argument('<file>', 'device config JSON')
    .option('--write', 'write the hash into the file')
    .action((file: string, o: { write?: boolean }) => {
      const json = readJson(file);
      if (!Value.Check(DeviceConfig, { ...(json as object), hash: '0'.repeat(64) })) {
        throw new UsageError(
          `${file} is not a device config`,
          `check it with: pnpm edge check-config ${file}`,
        );
      }
      const fixed = withHash(json as DeviceConfig);
      if (o.write) writeFileSync(file, `${JSON.stringify(fixed, null, 2)}\n`);
      process.stdout.write(`${fixed.hash}\n`);
    });
}

async function init(dir: string, o: InitOptions) {
  for (const [flag, id] of [
    ['--device-id', o.deviceId],
    ['--camera-id', o.cameraId],
  ] as const) {
    if (!Value.Check(Id, id)) throw new UsageError(`${flag} ${id}: letters, digits, _ . - (at most 64)`);
  }
  const fps = Number(o.fps);
  if (!(fps > 0 && fps <= 60)) throw new UsageError(`--fps ${o.fps}: expected a number in (0, 60]`);
  const size = o.size ? parseSize(o.size) : await probedSize(o.camera);
  let lines, zones;
  try {
    lines = o.line.map((l) => parseLineArg(l, size.width, size.height));
    zones = o.zone.map((z) => parseZoneArg(z, size.width, size.height));
  } catch (err) {
    throw new UsageError(
      (err as Error).message,
      'lines are NAME:x1,y1,x2,y2 (pixels) or NAME:norm:x1,y1,x2,y2',
    );
  }
  const classes = (
    o.classes ? o.classes.split(',').map((c) => c.trim()) : [...DEFAULT_CLASSES]
  ) as CameraConfig['classes'];
  const config = buildLocalDeviceConfig(
    { deviceId: o.deviceId, cameraId: o.cameraId, url: o.camera, size, fps, classes, lines, zones },
    Date.now(),
  );
  // The same check as `check-config` and the agent: never write a file they would refuse.
  const checked = checkDeviceConfigPayload(JSON.stringify(config), o.deviceId);
  if (!checked.ok) {
    throw new UsageError(checked.issues.map((i) => `${i.path || '/'}: ${i.message}`).join('; '));
  }
  const settings = buildLocalSettings(o.deviceId, o.haBroker);
  try {
    parseSettings(settings, resolve(dir));
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\n\s*/g, ' '), '--ha-broker takes mqtt://host:port');
  }
  mkdirSync(dir, { recursive: true });
  const settingsFile = join(dir, LOCAL_SETTINGS_FILE);
  const configFile = join(dir, LOCAL_DEVICE_CONFIG_FILE);
  const existing = [settingsFile, configFile].filter((f) => existsSync(f));
  if (existing.length && !o.force) {
    throw new UsageError(`${existing.join(' and ')} already exist`, 'add --force to overwrite them');
  }
  writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  return { settings: settingsFile, config: configFile, hash: config.hash };
}

async function probedSize(url: string): Promise<{ width: number; height: number }> {
  try {
    const m = await probeMedia(url);
    return { width: m.width, height: m.height };
  } catch (err) {
    throw new UsageError((err as Error).message, 'give the frame size with --size WxH');
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`);
  }
}

function parseSize(text: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 32 || Number(m[2]) < 32)
    throw new UsageError(`--size ${text}: expected WxH, e.g. 1280x720`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

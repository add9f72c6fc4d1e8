import type { Logger } from 'pino';
import { SCHEMA_VERSION, type ConfigApplied, type DeviceConfig, type ValidationIssue } from '@tally/proto';
import type { ConfigStore } from '../store/config-store';
import type { CameraSupervisor } from '../workers/camera-supervisor';
import { diffConfigs } from './config-diff';
import { checkDeviceConfigPayload } from './device-config-check';

export type ConfigSource = 'cloud' | 'file';

export interface ConfigManagerDeps {
  deviceId: string;
  store: ConfigStore;
  supervisor: CameraSupervisor;
  /** Publishes the outcome on `config/applied` (absent without a broker). */
  report?: (outcome: ConfigApplied) => void;
  log: Logger;
}

/**
 * Receives device configs (the cloud's retained `config` topic, or a local file), validates them against the
 * contract (schema, geometry, content hash), persists the outcome and applies a good one camera by camera. A bad
 * config is reported and recorded, and the running cameras keep their last good setup. Configs are handled one
 * at a time, in arrival order.
 */
export class ConfigManager {
  private current: DeviceConfig | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ConfigManagerDeps) {}

  get applied(): DeviceConfig | undefined {
    return this.current;
  }

  /** At start: run the last applied config from the database, so a box without its broker keeps counting. */
  async restore(): Promise<void> {
    const last = this.deps.store.lastApplied();
    if (!last) return;
    const r = await this.deps.supervisor.apply(diffConfigs(undefined, last));
    if (r.ok) this.current = last;
    else this.deps.log.error({ failures: r.failures }, 'the stored config could not start its cameras');
  }

  receive(payload: unknown, source: ConfigSource): Promise<ConfigApplied> {
    const next = this.queue.then(() => this.handle(payload, source));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async handle(payload: unknown, source: ConfigSource): Promise<ConfigApplied> {
    const { deviceId, log } = this.deps;
    const checked = checkDeviceConfigPayload(payload, deviceId);
    if (!checked.ok) return this.reject(payload, source, checked.issues);
    const config = checked.value;
    if (this.current && this.current.hash === config.hash && this.current.version === config.version) {
      log.debug({ version: config.version }, 'config unchanged (re-published)');
      return this.outcome(config.version, config.hash, 'applied');
    }
    const lastCloud = this.deps.store.history().find((h) => h.source === 'cloud' && h.status === 'applied');
    if (source === 'cloud' && lastCloud && config.version < lastCloud.version) {
      return this.reject(payload, source, [
        {
          path: '/version',
          message: `version ${config.version} is older than the applied version ${lastCloud.version}`,
        },
      ]);
    }
    const result = await this.deps.supervisor.apply(diffConfigs(this.current, config));
    if (!result.ok) {
      return this.reject(
        payload,
        source,
        result.failures.map((f) => ({
          path: `/cameras/${config.cameras.findIndex((c) => c.id === f.cameraId)}`,
          message: `camera ${f.cameraId}: ${f.message}`,
        })),
      );
    }
    this.current = config;
    this.deps.store.record({
      version: config.version,
      hash: config.hash,
      source,
      status: 'applied',
      body: JSON.stringify(config),
    });
    log.info({ version: config.version, source, cameras: config.cameras.length }, 'config applied');
    return this.outcome(config.version, config.hash, 'applied');
  }

  private reject(payload: unknown, source: ConfigSource, errors: ValidationIssue[]): ConfigApplied {
    const { version, hash } = peek(payload);
    this.deps.store.record({
      version,
      hash: hash ?? '',
      source,
      status: 'rejected',
      errors,
      ...(typeof payload === 'string' || Buffer.isBuffer(payload)
        ? { body: String(payload).slice(0, 1_000_000) }
        : {}),
    });
    this.deps.log.warn({ version, source, errors }, 'config rejected; the running setup is kept');
    return this.outcome(version, hash, 'rejected', errors);
  }

  private outcome(
    version: number,
    hash: string | undefined,
    status: 'applied' | 'rejected',
    errors?: ValidationIssue[],
  ): ConfigApplied {
    const message: ConfigApplied = {
      v: SCHEMA_VERSION,
      deviceId: this.deps.deviceId,
      version,
      ...(hash && hash.length <= 64 ? { hash } : {}),
      status,
      ...(errors ? { errors: errors.slice(0, 100) } : {}),
      ts: Date.now(),
    };
    this.deps.report?.(message);
    return message;
  }
}

/** Version and hash of whatever arrived, for the report of a rejected config (0 when unreadable). */
function peek(payload: unknown): { version: number; hash: string | undefined } {
  try {
    const v = (
      typeof payload === 'string' || Buffer.isBuffer(payload) ? JSON.parse(String(payload)) : payload
    ) as {
      version?: unknown;
      hash?: unknown;
    };
    return {
      version: Number.isInteger(v?.version) && (v.version as number) >= 0 ? (v.version as number) : 0,
      hash: typeof v?.hash === 'string' ? v.hash : undefined,
    };
  } catch {
    return { version: 0, hash: undefined };
  }
}

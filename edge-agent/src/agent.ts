import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { SCHEMA_VERSION, decodeMessage, type ModelRef } from '@tally/proto';
import { assets } from '@tally/proto/assets';
import pkg from '../package.json' with { type: 'json' };
import type { AgentSettings } from './config/agent-settings';
import { ConfigManager } from './config/config-manager';
import { ensureModel } from './config/model-fetcher';
import { CommandHandler } from './commands/command-handler';
import { uploadSnapshot } from './commands/snapshot-upload';
import { assessHealth, type HealthAssessment, type HealthState } from './health/assess-health';
import { buildHeartbeat } from './health/heartbeat';
import { startHealthServer } from './health/health-server';
import { renderMetrics } from './health/metrics';
import { RuleCounts, renderRuleCountMetrics } from './health/rule-counts';
import { HomeAssistantPublisher } from './integrations/home-assistant-publisher';
import { openStore, type Store } from './store';
import type { DeviceIdentity } from './store/identity-store';
import { RetryingWriter } from './store/retrying-writer';
import { MqttLink } from './sync/mqtt-link';
import { Outbox } from './sync/outbox';
import type { CameraRunnerFactory, CameraSink, ResolvedModel } from './workers/camera-runner';
import { CameraSupervisor } from './workers/camera-supervisor';

/** A part of the agent with a lifecycle: started in order, stopped in reverse. */
export interface Stage {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface AgentOptions {
  settings: Readonly<AgentSettings>;
  /** Builds a camera's runner: worker threads running the vision pipeline in production. */
  runnerFactory: CameraRunnerFactory;
  log: Logger;
}

export class AgentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentError';
  }
}

/**
 * The edge agent's composition root. Start order: store → cameras (last good config, then the local file) →
 * MQTT link and outbox → remote config and commands → heartbeat → health server. Counting starts before the
 * network, so a box without its broker counts from the first second; everything is persisted before it is sent.
 * stop() runs the stages in reverse: the health server goes first, the cameras hand over their last events, and
 * the store closes last.
 */
export class Agent {
  readonly startedAt = Date.now();
  /** Totals per counting rule since start, for the health server (a standalone box's window on its counts). */
  readonly ruleCounts = new RuleCounts(this.startedAt);
  store!: Store;
  supervisor!: CameraSupervisor;
  configs!: ConfigManager;
  link: MqttLink | undefined;
  outbox: Outbox | undefined;
  health: FastifyInstance | undefined;
  writer!: RetryingWriter;
  deviceId!: string;
  private identity: DeviceIdentity | undefined;
  private readonly started: Stage[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: AgentOptions) {}

  async start(): Promise<void> {
    for (const stage of this.stages()) {
      await stage.start();
      this.started.push(stage);
      this.o.log.debug({ stage: stage.name }, 'stage started');
    }
    this.o.log.info({ deviceId: this.deviceId, mqtt: this.link ? 'on' : 'off' }, 'agent running');
  }

  async stop(): Promise<void> {
    this.timers.splice(0).forEach(clearInterval);
    for (const stage of this.started.splice(0).reverse()) {
      try {
        await stage.stop();
      } catch (err) {
        this.o.log.error({ err, stage: stage.name }, 'stage did not stop cleanly');
      }
    }
  }

  private stages(): Stage[] {
    const { settings, log } = this.o;
    return [
      {
        name: 'store',
        start: () => {
          this.store = openStore(settings.dataDir, settings.store.diskBudgetBytes, log);
          this.writer = new RetryingWriter(this.store.events, { log, onStored: () => this.outbox?.kick() });
          this.identity = this.store.identity.get();
          this.deviceId = this.resolveDeviceId();
          this.every(settings.store.checkIntervalS, () => {
            const r = this.store.disk.enforce();
            if (r.folded > 0) this.outbox?.kick();
          });
        },
        stop: () => {
          this.writer.stop();
          this.store.close();
        },
      },
      {
        name: 'cameras',
        start: async () => {
          this.supervisor = new CameraSupervisor(
            this.o.runnerFactory,
            this.sink(),
            (ref) => this.resolveModel(ref),
            log,
          );
          this.configs = new ConfigManager({
            deviceId: this.deviceId,
            store: this.store.configs,
            supervisor: this.supervisor,
            report: (outcome) => {
              if (this.link?.connected)
                this.link
                  .publish('config/applied', outcome)
                  .catch((err: Error) => log.warn({ err: err.message }, 'config report not sent'));
            },
            log,
          });
          await this.configs.restore();
          await this.applyLocalFile();
        },
        stop: () => this.supervisor.stopAll(),
      },
      {
        name: 'mqtt',
        start: () => {
          const url = settings.mqtt.url ?? this.identity?.mqttUrl;
          if (!url) {
            log.warn('no broker: not provisioned and no mqtt.url in the settings; counting locally only');
            return;
          }
          this.link = new MqttLink({
            url,
            deviceId: this.deviceId,
            ...(this.identity
              ? { username: this.identity.mqttUsername, password: this.identity.mqttPassword }
              : {}),
            ...(settings.mqtt.caFile ? { caFile: settings.mqtt.caFile } : {}),
            reconnectPeriodMs: settings.mqtt.reconnectPeriodMs,
            keepaliveS: settings.mqtt.keepaliveS,
            log,
          });
          this.outbox = new Outbox(this.store.events, this.link, settings.sync, log);
          this.outbox.start();
          this.link.on('config', (payload) => void this.configs.receive(payload, 'cloud'));
          const commands = this.commandHandler(this.link, this.outbox);
          this.link.on('commands', (payload) => void commands.handle(payload));
          this.link.on('credentials', (payload) => this.takeCredentials(payload));
          this.link.start();
          this.every(settings.sync.heartbeatIntervalS, () => this.publishHeartbeat());
        },
        stop: async () => {
          this.outbox?.stop();
          await this.link?.stop();
        },
      },
      this.homeAssistantStage(),
      {
        name: 'health',
        start: async () => {
          if (!settings.health.enabled) return;
          this.health = await startHealthServer(
            {
              healthz: () => this.healthz(),
              metrics: () => this.metrics() + renderRuleCountMetrics(this.currentCounts()),
              snapshot: async (id) => this.supervisor.get(id)?.snapshotJpeg(),
              counts: () => ({ since: this.ruleCounts.since, rules: this.currentCounts() }),
            },
            { ...settings.health, log },
          );
        },
        stop: async () => {
          await this.health?.close();
        },
      },
    ];
  }

  /** Where cameras' output goes: the retrying writer (one transaction per frame), which nudges the outbox. */
  private sink(): CameraSink {
    return {
      onEvents: (drafts) => {
        this.writer.events(drafts);
        this.ruleCounts.addEvents(drafts);
      },
      onOccupancy: (samples) => {
        this.writer.occupancy(samples);
        this.ruleCounts.addOccupancy(samples);
      },
    };
  }

  private resolveDeviceId(): string {
    const id = this.identity?.deviceId ?? this.o.settings.deviceId ?? this.localFileDeviceId();
    if (!id) {
      throw new AgentError(
        'this box has no identity: run `tally-edge provision --cloud <url> --code <claim-code>`, or set deviceId in the settings for a local-only box',
      );
    }
    return id;
  }

  private localFileDeviceId(): string | undefined {
    const file = this.o.settings.deviceConfigFile;
    if (!file) return undefined;
    try {
      const id = (JSON.parse(readFileSync(file, 'utf8')) as { deviceId?: unknown }).deviceId;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  }

  /** The local config file runs unless a newer cloud config is already applied. */
  private async applyLocalFile(): Promise<void> {
    const file = this.o.settings.deviceConfigFile;
    if (!file) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      this.o.log.error({ file, err: (err as Error).message }, 'cannot read the local device config');
      return;
    }
    const version = (() => {
      try {
        return Number((JSON.parse(text) as { version?: unknown }).version) || 0;
      } catch {
        return 0;
      }
    })();
    const last = this.store.configs.history().find((h) => h.status === 'applied');
    if (last && last.source === 'cloud' && version <= last.version) return;
    const outcome = await this.configs.receive(text, 'file');
    if (outcome.status === 'rejected')
      this.o.log.error({ file, errors: outcome.errors }, 'the local device config is invalid');
  }

  private async resolveModel(ref: ModelRef | undefined): Promise<ResolvedModel> {
    const d = this.o.settings.detector;
    if (!ref) {
      const path = d.modelPath ?? assets.model();
      return {
        id: basename(path, extname(path)),
        path,
        layout: d.layout ?? 'yolox',
        ...(d.executionProviders ? { executionProviders: [...d.executionProviders] } : {}),
      };
    }
    const path = await ensureModel(ref, {
      dir: join(this.o.settings.dataDir, 'models'),
      ...(this.identity?.apiUrl ? { apiUrl: this.identity.apiUrl } : {}),
      ...(this.identity
        ? { auth: { username: this.identity.mqttUsername, password: this.identity.mqttPassword } }
        : {}),
    });
    return {
      id: ref.id,
      path,
      layout: ref.layout,
      ...(ref.classNames ? { classNames: ref.classNames } : {}),
      ...(d.executionProviders ? { executionProviders: [...d.executionProviders] } : {}),
    };
  }

  /**
   * Rotated credentials from the cloud, over the current session: stored first (a crash afterwards comes back with
   * the new password), then the link reconnects with them while the previous ones are still accepted.
   */
  private takeCredentials(payload: Buffer): void {
    const log = this.o.log;
    const decoded = decodeMessage('credentials', payload, this.deviceId);
    if (!decoded.ok) {
      log.warn({ issues: decoded.error.issues }, 'credentials message refused');
      return;
    }
    if (!this.identity || !this.link) {
      log.warn('credentials received by a box without a provisioned identity: ignored');
      return;
    }
    const identity = { ...this.identity, mqttPassword: decoded.value.password };
    this.store.identity.replace(identity);
    this.identity = identity;
    log.info(
      { previousValidUntil: new Date(decoded.value.previousValidUntil).toISOString() },
      'rotated MQTT credentials stored: reconnecting with them',
    );
    this.link
      .useCredentials(identity.mqttPassword)
      .catch((err: Error) =>
        log.error({ err: err.message }, 'reconnecting with the rotated credentials failed'),
      );
  }

  private commandHandler(link: MqttLink, outbox: Outbox): CommandHandler {
    return new CommandHandler({
      deviceId: this.deviceId,
      log: this.o.log,
      reply: (result) => {
        link
          .publish('commands/result', result)
          .catch((err: Error) => this.o.log.warn({ err: err.message }, 'command result not sent'));
      },
      resync: (fromSeq) => outbox.resync(fromSeq),
      restartCamera: async (cameraId) => {
        const runner = this.supervisor.get(cameraId);
        if (!runner) throw new Error(`no running camera ${cameraId}`);
        await runner.restart();
      },
      snapshot: async (cameraId) => {
        const runner = this.supervisor.get(cameraId);
        if (!runner) throw new Error(`no running camera ${cameraId}`);
        const identity = this.identity;
        if (!identity?.apiUrl) throw new Error('no cloud API URL: provision the box first');
        return uploadSnapshot(await runner.snapshotJpeg(), {
          apiUrl: identity.apiUrl,
          deviceId: this.deviceId,
          cameraId,
          username: identity.mqttUsername,
          password: identity.mqttPassword,
        });
      },
    });
  }

  heartbeat() {
    return buildHeartbeat({
      deviceId: this.deviceId,
      now: Date.now(),
      startedAt: this.startedAt,
      agentVersion: pkg.version,
      configVersion: this.configs.applied?.version,
      model: this.supervisor.modelIds().join(',') || undefined,
      outbox: this.outboxStats(),
      disk: this.store.disk.use(),
      cameras: this.supervisor.healths(),
      health: this.assessHealth(),
      ...(this.link
        ? {
            mqtt: {
              refusals: this.link.refusals,
              ...(this.link.lastRefusal ? { lastRefusal: this.link.lastRefusal } : {}),
            },
          }
        : {}),
    });
  }

  private publishHeartbeat(): void {
    if (!this.link?.connected) return;
    try {
      this.link.publish('heartbeat', this.heartbeat()).catch(() => undefined);
    } catch (err) {
      this.o.log.error({ err }, 'heartbeat not built');
    }
  }

  private outboxStats() {
    if (this.outbox) return this.outbox.stats();
    const s = this.store.events.syncState();
    return {
      backlog: this.store.events.backlog(),
      lastSeq: this.store.events.lastSeq(),
      ackedSeq: s.ackedSeq,
      lastAckAt: s.lastAckAt,
      eventsSent: 0,
      batchesSent: 0,
      quarantined: this.store.events.quarantinedCount(),
    };
  }

  /** What health is computed from: the cameras, the store writer, the broker link and the outbox. */
  healthState(): HealthState {
    const w = this.writer.stats();
    const stats = this.outboxStats();
    return {
      cameras: this.supervisor.healths(),
      store: {
        failing: w.failing || w.droppedEvents > 0,
        ...(w.lastError
          ? { lastError: w.lastError }
          : w.droppedEvents > 0
            ? { lastError: `${w.droppedEvents} events refused` }
            : {}),
        pendingEvents: w.pendingEvents,
      },
      ...(this.link
        ? {
            sync: {
              connected: this.link.connected,
              ...(this.link.refusal ? { refused: this.link.refusal } : {}),
              backlog: stats.backlog,
              waitingSince: this.oldestUnackedAt() ?? Date.now(),
            },
          }
        : {}),
    };
  }

  assessHealth(): HealthAssessment {
    return assessHealth(this.healthState(), Date.now());
  }

  /** When the oldest event still waiting for the cloud's ack was counted (undefined: none waits). */
  private oldestUnackedAt(): number | undefined {
    const events = this.store.events;
    return events.readEvents(this.deviceId, events.settledThrough() + 1, 1)[0]?.ts;
  }

  private healthz(): { ok: boolean; body: Record<string, unknown> } {
    const cameras = this.supervisor.healths();
    const verdict = this.store.database.sqlite.open
      ? this.assessHealth()
      : { ok: false, status: 'failing' as const, reasons: ['store closed'] };
    return {
      ok: verdict.ok,
      body: {
        status: verdict.status,
        reasons: verdict.reasons,
        deviceId: this.deviceId,
        schema: SCHEMA_VERSION,
        mqtt: this.link
          ? this.link.connected
            ? 'connected'
            : this.link.refusal
              ? 'refused'
              : 'disconnected'
          : 'off',
        config: this.configs.applied?.version ?? null,
        outbox: this.outboxStats(),
        store: this.writer.stats(),
        cameras: cameras.map((c) => ({
          cameraId: c.cameraId,
          state: c.state,
          fps: c.fps,
          ...(c.reason ? { reason: c.reason } : {}),
        })),
      },
    };
  }

  private metrics(): string {
    return renderMetrics({
      now: Date.now(),
      cameras: this.supervisor.cameraIds().map((id) => {
        const r = this.supervisor.get(id)!;
        const latency = r.latency?.();
        return { health: r.health(), ...(latency ? { latency } : {}) };
      }),
      outbox: this.outboxStats(),
      disk: this.store.disk.use(),
      mqttConnected: this.link?.connected ?? false,
    });
  }

  /** Publishes the box's counts for Home Assistant to a local broker when `homeAssistant` is set. */
  private homeAssistantStage(): Stage {
    const ha = this.o.settings.homeAssistant;
    let publisher: HomeAssistantPublisher | undefined;
    return {
      name: 'home-assistant',
      start: () => {
        if (!ha) return;
        publisher = new HomeAssistantPublisher({
          url: ha.url,
          ...(ha.username ? { username: ha.username, password: ha.password } : {}),
          prefixes: { discovery: ha.discoveryPrefix, state: ha.topicPrefix },
          intervalS: ha.intervalS,
          deviceId: this.deviceId,
          name: ha.name ?? this.deviceId,
          counts: () => this.currentCounts(),
          log: this.o.log,
        });
        publisher.start();
      },
      stop: () => publisher?.stop(),
    };
  }

  /** Each rule of the running config with its totals. */
  currentCounts() {
    return this.ruleCounts.snapshot(this.configs?.applied?.cameras ?? []);
  }

  private every(seconds: number, f: () => void): void {
    const t = setInterval(() => {
      try {
        f();
      } catch (err) {
        this.o.log.error({ err }, 'periodic task failed');
      }
    }, seconds * 1000);
    t.unref();
    this.timers.push(t);
  }
}

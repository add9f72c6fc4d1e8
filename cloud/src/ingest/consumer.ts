import {
  allDevicesFilter,
  DEVICE_TO_CLOUD,
  decodeMessage,
  encodeMessage,
  parseTopic,
  SCHEMA_VERSION,
  sharedFilter,
  topics,
  type BucketBatch,
  type CommandResult,
  type CountEvent,
  type ConfigApplied,
  type EventBatch,
  type Heartbeat,
  type OccupancyBatch,
  type Status,
  type DeviceToCloudChannel,
} from '@tally/proto';
import { createLogger, type Logger } from '@tally/proto/log';
import type { Database } from '../db/client';
import type { CloudBus } from '../live/bus';
import { cachedDeviceDirectory, type DeviceDirectory, type DeviceInfo } from './device-directory';
import { EventWriter, type FlushResult } from './event-writer';
import { knownRules } from './known-rules';
import { isPoison, quarantine, reasonOf } from './quarantine';
import {
  recordBuckets,
  recordCommandResult,
  recordHeartbeat,
  recordOccupancy,
  recordStatus,
} from './records';
import { emptyStats, type IngestStats, type RejectReason } from './stats';
import type { IngestTransport } from './transport';

export interface IngestOptions {
  database: Pick<Database, 'query'>;
  transport: IngestTransport;
  /** Set when several cloud instances share one broker: subscribe with `$share/<group>/…`. */
  sharedGroup?: string;
  bus?: CloudBus;
  devices?: DeviceDirectory;
  /** cloud-A's config bookkeeping (`recordConfigApplied`); without it, config/applied is only logged. */
  onConfigApplied?: (deviceId: string, message: ConfigApplied) => Promise<void>;
  log?: Logger;
  maxRowsPerStatement?: number;
  /** Event statements in flight at once: 1 for PGlite (one connection), 2 or more for a PostgreSQL pool. */
  parallelStatements?: number;
}

/**
 * The ingest consumer: subscribes to every device→cloud channel, validates each message against proto (with the
 * topic's device id, so a device cannot speak for another), refuses unknown or revoked devices, stores events once
 * and acks the highest contiguous seq, records the other channels and acks each stored bucket or occupancy batch
 * by its batchId. A bad message is counted, logged with its
 * device id and dropped; nothing a device sends can stop ingest.
 */
export class IngestConsumer {
  readonly stats: IngestStats = emptyStats();
  private readonly log: Logger;
  private readonly devices: DeviceDirectory;
  private readonly writer: EventWriter;
  private readonly sideWrites = new Set<Promise<void>>();
  private readonly chains = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly offDeviceChanged: () => void;

  constructor(private readonly options: IngestOptions) {
    this.log = options.log ?? createLogger('ingest');
    this.devices = options.devices ?? cachedDeviceDirectory(options.database);
    // A revoked or moved device is refused (or stored under its new site) from its very next message.
    this.offDeviceChanged =
      options.bus?.on('deviceChanged', (e) => this.devices.invalidate(e.deviceId)) ?? (() => undefined);
    this.writer = new EventWriter(options.database, {
      log: this.log,
      ...(options.maxRowsPerStatement ? { maxRows: options.maxRowsPerStatement } : {}),
      ...(options.parallelStatements ? { parallel: options.parallelStatements } : {}),
      onFlushed: (result) => this.afterFlush(result),
      onQuarantined: () => {
        this.stats.quarantined += 1;
      },
      onError: (err, events) => {
        this.stats.writeErrors += 1;
        // Not acked, so the devices resend: nothing is lost, only delayed.
        this.log.error({ err, events }, 'storing events failed; devices will resend them');
      },
    });
  }

  async start(): Promise<void> {
    const filters = DEVICE_TO_CLOUD.map((channel) =>
      this.options.sharedGroup ? sharedFilter(this.options.sharedGroup, channel) : allDevicesFilter(channel),
    );
    await this.options.transport.subscribe(filters, (topic, payload) => this.receive(topic, payload));
    this.log.info({ filters }, 'ingest subscribed');
  }

  /** Stops taking messages and waits for what is in flight. The transport is closed by its owner. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.offDeviceChanged();
    await this.idle();
  }

  /** Resolves when every message received so far is written. */
  async idle(): Promise<void> {
    await this.writer.idle();
    while (this.sideWrites.size > 0) await Promise.allSettled([...this.sideWrites]);
    await this.writer.idle();
  }

  get backlog(): number {
    return this.writer.backlog;
  }

  receive(topic: string, payload: Buffer): void {
    if (this.stopped) return;
    this.stats.messages += 1;
    const parsed = parseTopic(topic);
    if (!parsed || !(DEVICE_TO_CLOUD as readonly string[]).includes(parsed.channel)) {
      this.reject('bad_topic', { topic }, 'message on a topic outside the device layout');
      return;
    }
    // One chain per device: its messages are handled in arrival order, while different devices proceed in
    // parallel. (Bucket totals merge by GREATEST, so even across instances their order does not matter.)
    const { deviceId, channel } = parsed;
    const previous = this.chains.get(deviceId) ?? Promise.resolve();
    const work = previous
      .then(() => this.handle(deviceId, channel as DeviceToCloudChannel, payload))
      .catch((err) => {
        this.reject('failed', { deviceId, channel, err }, 'handling failed');
      });
    this.chains.set(deviceId, work);
    this.sideWrites.add(work);
    void work.finally(() => {
      this.sideWrites.delete(work);
      if (this.chains.get(deviceId) === work) this.chains.delete(deviceId);
    });
  }

  private async handle(deviceId: string, channel: DeviceToCloudChannel, payload: Buffer): Promise<void> {
    const device = await this.devices.lookup(deviceId);
    if (!device) {
      this.reject('unknown_device', { deviceId, channel }, 'message from an unknown or revoked device');
      return;
    }
    const decoded = decodeMessage(channel, payload, deviceId);
    if (!decoded.ok) {
      this.reject('invalid', { deviceId, channel, issues: decoded.error.issues }, decoded.error.message);
      return;
    }
    try {
      await this.record(device, channel, decoded.value);
    } catch (err) {
      if (!isPoison(err)) throw err;
      // The database refused this message itself: keep it, with the reason, and go on with the next one.
      const reason = reasonOf(err);
      await quarantine(this.options.database, device, { channel, payload: decoded.value, reason });
      this.stats.quarantined += 1;
      this.log.warn({ deviceId, channel, reason }, 'message quarantined');
    }
    this.ackBatch(deviceId, channel, decoded.value);
  }

  /**
   * A stored (or quarantined) bucket or occupancy batch that named itself is acknowledged, so the device stops
   * resending it. Only after the write: the broker accepting the message is not delivery.
   */
  private ackBatch(deviceId: string, channel: DeviceToCloudChannel, value: unknown): void {
    if (channel !== 'buckets' && channel !== 'occupancy') return;
    const id = (value as BucketBatch | OccupancyBatch).batchId;
    if (id === undefined) return;
    const ack = encodeMessage('ack', { v: SCHEMA_VERSION, deviceId, batch: { channel, id }, ts: Date.now() });
    this.options.transport.publish(topics.ack(deviceId), ack).catch((err) => {
      // The device resends the batch (totals and samples are idempotent) and gets a new ack.
      this.log.warn({ err, deviceId, channel }, 'publishing batch ack failed');
    });
  }

  private async record(device: DeviceInfo, channel: DeviceToCloudChannel, value: unknown): Promise<void> {
    const { database: db, bus } = this.options;
    const tags = { siteId: device.siteId, orgId: device.orgId, deviceId: device.deviceId };
    switch (channel) {
      case 'events': {
        const batch = value as EventBatch;
        this.stats.eventsReceived += batch.events.length;
        this.stats.lastLagMs = Math.max(0, Date.now() - batch.sentAt);
        // A foldedThrough beyond any seq the database can hold is a device bug: ignore it rather than poison the ack.
        const folded = (batch.foldedThrough ?? 0) <= Number.MAX_SAFE_INTEGER ? (batch.foldedThrough ?? 0) : 0;
        this.writer.enqueue(device, await this.withKnownRules(device, batch.events), folded);
        return;
      }
      case 'status': {
        const status = value as Status;
        if (await recordStatus(db, status))
          bus?.emit('deviceStatus', { ...tags, state: status.state, ts: status.ts });
        return;
      }
      case 'heartbeat': {
        const hb = value as Heartbeat;
        await recordHeartbeat(db, device, hb);
        bus?.emit('heartbeat', { ...tags, ts: hb.ts, cameras: hb.cameras });
        return;
      }
      case 'buckets':
        await recordBuckets(db, device, value as BucketBatch);
        return;
      case 'occupancy': {
        const batch = value as OccupancyBatch;
        await recordOccupancy(db, device, batch);
        for (const s of batch.samples) bus?.emit('occupancy', { ...tags, ...s });
        return;
      }
      case 'commands/result':
        await recordCommandResult(db, value as CommandResult);
        return;
      case 'config/applied': {
        const msg = value as ConfigApplied;
        if (this.options.onConfigApplied) await this.options.onConfigApplied(device.deviceId, msg);
        else
          this.log.info(
            { deviceId: device.deviceId, version: msg.version, status: msg.status },
            'config/applied',
          );
        return;
      }
    }
  }

  /**
   * The events naming a camera and rule some config issued to the device has; the others are quarantined (kept
   * with the reason, acked like stored ones) instead of being counted under a rule nobody configured.
   */
  private async withKnownRules(device: DeviceInfo, events: CountEvent[]): Promise<CountEvent[]> {
    const known = await knownRules(this.options.database, device.deviceId);
    if (!known) return events;
    const kept: CountEvent[] = [];
    for (const e of events) {
      if (known.has(`${e.cameraId}/${e.ruleId}`)) {
        kept.push(e);
        continue;
      }
      const reason = `camera ${e.cameraId} rule ${e.ruleId} is in no config issued to the device`;
      await quarantine(this.options.database, device, { channel: 'events', seq: e.seq, payload: e, reason });
      this.stats.quarantined += 1;
      this.log.warn({ deviceId: device.deviceId, seq: e.seq, reason }, 'event quarantined');
    }
    return kept;
  }

  private afterFlush(result: FlushResult): void {
    const inserted = result.inserted.reduce((n, c) => n + c.count, 0);
    this.stats.eventsInserted += inserted;
    this.stats.eventsDuplicate += result.received - inserted;
    for (const [deviceId, seq] of result.acks) {
      const ack = encodeMessage('ack', { v: SCHEMA_VERSION, deviceId, seq, ts: Date.now() });
      this.options.transport.publish(topics.ack(deviceId), ack).catch((err) => {
        // The next flush for this device acks again; a lost ack only delays the device's cleanup.
        this.log.warn({ err, deviceId }, 'publishing ack failed');
      });
    }
    if (this.options.bus && result.inserted.length > 0) this.emitCounts(result);
  }

  private emitCounts(result: FlushResult): void {
    const bySite = new Map<string, FlushResult['inserted']>();
    for (const c of result.inserted) {
      const list = bySite.get(c.siteId) ?? [];
      list.push(c);
      bySite.set(c.siteId, list);
    }
    for (const [siteId, items] of bySite) {
      this.devices
        .lookup(items[0]!.deviceId)
        .then((d) => d && this.options.bus!.emit('counts', { siteId, orgId: d.orgId, items }))
        .catch(() => undefined);
    }
  }

  private reject(reason: RejectReason, context: Record<string, unknown>, message: string): void {
    this.stats.rejected[reason] += 1;
    this.log.warn({ reason, ...context }, message);
  }
}

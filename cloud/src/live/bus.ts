import { EventEmitter } from 'node:events';
import type { CameraHealth } from '@tally/proto';
import type { InsertedCounts } from '../ingest/event-statement';

/** Everything that happened worth telling a dashboard or the alert engine, each tagged with its site. */
export interface BusEvents {
  /** New count events actually stored (replays excluded), per key. */
  counts: { siteId: string; orgId: string; items: InsertedCounts[] };
  occupancy: {
    siteId: string;
    orgId: string;
    deviceId: string;
    cameraId: string;
    zoneId: string;
    ts: number;
    counts: Record<string, number>;
  };
  deviceStatus: { siteId: string; orgId: string; deviceId: string; state: 'online' | 'offline'; ts: number };
  heartbeat: { siteId: string; orgId: string; deviceId: string; ts: number; cameras: CameraHealth[] };
  /** A device was revoked, deleted, re-bound or moved: whoever caches it (ingest's directory) forgets it now. */
  deviceChanged: { siteId: string; orgId: string; deviceId: string };
  alert: {
    siteId: string;
    orgId: string;
    alertId: string;
    ruleId: string;
    state: 'firing' | 'resolved';
    message: string;
    ts: number;
  };
}

export type BusEventName = keyof BusEvents;

/**
 * A typed in-process event bus: ingest and the alert engine emit, the live WebSocket and the alert engine listen.
 * `on` returns the function that removes the listener, so each owner can stop cleanly.
 */
export class CloudBus {
  /** Wraps the process's shared emitter (the server's `ctx.bus` / the app's `deps.bus`) or a new one. */
  constructor(private readonly emitter: EventEmitter = new EventEmitter()) {
    this.emitter.setMaxListeners(0);
  }

  emit<K extends BusEventName>(name: K, event: BusEvents[K]): void {
    this.emitter.emit(name, event);
  }

  on<K extends BusEventName>(name: K, listener: (event: BusEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}

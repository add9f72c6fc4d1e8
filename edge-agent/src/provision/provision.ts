import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { openStore } from '../store';
import type { DeviceIdentity } from '../store/identity-store';
import { requestProvisioning } from './provision-client';

export interface ProvisionOptions {
  cloudUrl: string;
  code: string;
  name: string;
  dataDir: string;
  log: Logger;
  fetchImpl?: typeof fetch;
}

export interface ProvisionOutcome {
  identity: DeviceIdentity;
  /** The device id this box had before (provisioning again replaces the identity and credentials). */
  replaced?: string;
  /** Events stored under the previous identity that the cloud never acknowledged: not sent under the new one. */
  unsentOfPrevious?: number;
}

/**
 * A box keeps one identity of its counts: after a switch to a new device id it sends only what it counts from then
 * on. Everything stored under the old id is settled (never sent under the new one, even if the old one never had it
 * acknowledged: the cloud may hold it already), and the minute totals start from zero, because the cloud takes
 * max(raw events, device total) per device and minute: a total carried over would count the old id's events again
 * under the new one. Occupancy samples not yet sent belong to the old id too.
 */
function startNewIdentity(sqlite: Database): void {
  sqlite
    .prepare(
      `UPDATE sync_state SET acked_seq = (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'count_events'),
         folded_through = (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'count_events') WHERE id = 1`,
    )
    .run();
  sqlite.prepare('DELETE FROM minute_buckets').run();
  sqlite.prepare('DELETE FROM occupancy_samples').run();
}

/** Provisions the box: asks the cloud, then stores the identity in the data directory's database (mode 0600). */
export async function provision(o: ProvisionOptions): Promise<ProvisionOutcome> {
  const response = await requestProvisioning(o.cloudUrl, { code: o.code, name: o.name }, o.fetchImpl);
  const store = openStore(o.dataDir, Number.MAX_SAFE_INTEGER, o.log);
  try {
    const previous = store.identity.get();
    const identity: DeviceIdentity = {
      deviceId: response.deviceId,
      siteId: response.siteId ?? null,
      name: o.name,
      mqttUrl: response.mqtt.url,
      mqttUsername: response.mqtt.username,
      mqttPassword: response.mqtt.password,
      apiUrl: response.apiUrl ?? o.cloudUrl,
      cloudUrl: o.cloudUrl,
      provisionedAt: Date.now(),
    };
    const switched = previous !== undefined && previous.deviceId !== identity.deviceId;
    const unsent = switched ? store.events.backlog() : 0;
    store.database.sqlite.transaction(() => {
      store.identity.replace(identity);
      if (switched) startNewIdentity(store.database.sqlite);
    })();
    if (unsent > 0)
      o.log.warn(
        { unsent, previous: previous!.deviceId },
        'events the previous identity never had acknowledged will not be sent: the box starts counting afresh',
      );
    return {
      identity,
      ...(previous ? { replaced: previous.deviceId } : {}),
      ...(unsent > 0 ? { unsentOfPrevious: unsent } : {}),
    };
  } finally {
    store.close();
  }
}

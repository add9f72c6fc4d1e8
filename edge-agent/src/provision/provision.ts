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
    store.identity.replace(identity);
    if (previous && previous.deviceId !== identity.deviceId) {
      // A new identity starts a new seq history in the cloud: what the old device never sent stays in its minute
      // buckets here, but the new device's first ack must not wait for seqs the cloud will never see.
      const backlog = store.events.backlog();
      store.database.sqlite
        .prepare('UPDATE sync_state SET folded_through = max(folded_through, ?) WHERE id = 1')
        .run(store.events.lastSeq());
      if (backlog > 0)
        o.log.warn(
          { backlog, previous: previous.deviceId },
          'unsent events of the previous identity will not be sent',
        );
    }
    return { identity, ...(previous ? { replaced: previous.deviceId } : {}) };
  } finally {
    store.close();
  }
}

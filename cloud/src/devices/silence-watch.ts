import { createLogger } from '@tally/proto/log';
import type { Database } from '../db/client';
import { CloudBus } from '../live/bus';
import type { ServerContext, Stage } from '../server';
import { silenceTransitions } from './silence';

type Query = Pick<Database, 'query'>;

/**
 * Finds devices that went silent (or came back) since the last look, adds the change to their history and tells
 * the live dashboards (`device_status`), as a status message would have. Returns the transitions made.
 */
export async function watchSilence(db: Query, bus: CloudBus, now: number) {
  const rows = await db.query<{
    id: string;
    org_id: string;
    site_id: string;
    status: string | null;
    status_at: number | null;
    seen: number | null;
    last_state: string | null;
    last_reason: string | null;
  }>(
    `WITH last AS (
       SELECT DISTINCT ON (device_id) device_id, state, reason FROM device_state_changes
        WHERE camera_id = '' ORDER BY device_id, at DESC, id DESC)
     SELECT d.id, d.org_id, d.site_id, d.status, (extract(epoch FROM d.status_at) * 1000)::float8 AS status_at,
            (extract(epoch FROM d.last_seen_at) * 1000)::float8 AS seen, l.state AS last_state,
            l.reason AS last_reason
       FROM devices d LEFT JOIN last l ON l.device_id = d.id
      WHERE d.revoked_at IS NULL AND d.last_seen_at IS NOT NULL`,
    [],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const transitions = silenceTransitions(
    rows.map((r) => ({
      deviceId: r.id,
      status: r.status,
      statusAt: r.status_at === null ? null : Number(r.status_at),
      lastSeenAt: r.seen === null ? null : Number(r.seen),
      lastState: r.last_state,
      lastReason: r.last_reason,
    })),
    now,
  );
  for (const t of transitions) {
    const d = byId.get(t.deviceId)!;
    await db.query(
      `INSERT INTO device_state_changes (org_id, site_id, device_id, camera_id, state, reason, at)
       VALUES ($1, $2, $3, '', $4, $5, to_timestamp($6 / 1000.0))`,
      [d.org_id, d.site_id, t.deviceId, t.state, t.reason, t.at],
    );
    bus.emit('deviceStatus', {
      siteId: d.site_id,
      orgId: d.org_id,
      deviceId: t.deviceId,
      state: t.state,
      ts: t.at,
    });
  }
  return transitions;
}

/** The stage of `cloud serve` that runs watchSilence every 15 s. */
export function silenceWatchStage(ctx: ServerContext): Stage {
  const log = ctx.log?.child({ component: 'silence-watch' }) ?? createLogger('silence-watch');
  const bus = new CloudBus(ctx.bus);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  const tick = () => {
    running ??= watchSilence(ctx.database, bus, Date.now())
      .catch((err) => log.error({ err }, 'silence watch failed'))
      .finally(() => (running = null));
  };
  return {
    name: 'silence-watch',
    async start() {
      timer = setInterval(tick, 15_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

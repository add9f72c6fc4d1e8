/**
 * Home Assistant MQTT discovery, the contract between Tally (the cloud, or a standalone box) and any MQTT consumer
 * (Home Assistant, Node-RED, openHAB). Pure: it builds topics and payloads; the publishers send them, retained.
 *
 * Topics (prefixes configurable, defaults shown):
 * - `tally/status`: `online` / `offline` (retained; the publisher's last will): availability of every entity.
 * - `tally/sites/<siteId>/state`: one JSON object per site (`HaSiteState`), retained, re-sent when it changes.
 * - `homeassistant/<component>/tally_<site>/<object>/config`: one discovery message per entity, retained.
 *   Entities per site: for each counting line, `sensor` "<line> in" and "<line> out" (today's counts, in the site's
 *   time zone on the cloud; since the agent started on a standalone box); for each zone, `sensor` "<zone>
 *   occupancy" (objects in it now); for each device, `binary_sensor` "<device> connected" (connectivity). They
 *   belong to one Home Assistant device per site. An empty retained payload on a config topic removes the entity.
 */
import { Type, type Static } from '@sinclair/typebox';

export interface HaTopicPrefixes {
  /** Home Assistant's discovery prefix (its `discovery_prefix`, default `homeassistant`). */
  discovery: string;
  /** Where Tally's state and availability go (default `tally`). */
  state: string;
}

export const DEFAULT_HA_PREFIXES: HaTopicPrefixes = { discovery: 'homeassistant', state: 'tally' };

export const HaSiteState = Type.Object(
  {
    siteId: Type.String(),
    name: Type.String(),
    updatedAt: Type.Integer({ minimum: 0, description: 'Milliseconds since the epoch' }),
    lines: Type.Record(
      Type.String(),
      Type.Object({ name: Type.String(), in: Type.Integer(), out: Type.Integer() }),
      { description: 'Counting lines by key: crossings in and out (today, or since start on a box)' },
    ),
    zones: Type.Record(Type.String(), Type.Object({ name: Type.String(), occupancy: Type.Integer() }), {
      description: 'Zones by key: objects in the zone now',
    }),
    devices: Type.Record(Type.String(), Type.Object({ name: Type.String(), online: Type.Boolean() }), {
      description: 'Edge devices by id: connected to the broker or not',
    }),
  },
  { additionalProperties: false, description: 'tally/sites/<siteId>/state' },
);
export type HaSiteState = Static<typeof HaSiteState>;

export interface HaMessage {
  topic: string;
  /** JSON text; '' removes a retained discovery config. */
  payload: string;
}

export function haAvailabilityTopic(p: HaTopicPrefixes): string {
  return `${p.state}/status`;
}

export function haStateTopic(p: HaTopicPrefixes, siteId: string): string {
  return `${p.state}/sites/${topicSafe(siteId)}/state`;
}

/** The discovery configs of every entity of a site's state, keyed by their topic. */
export function haDiscovery(p: HaTopicPrefixes, state: HaSiteState): Map<string, HaMessage> {
  const node = `tally_${slug(state.siteId)}`;
  const device = {
    identifiers: [node],
    name: `Tally ${state.name}`,
    manufacturer: 'Tally',
    model: 'people and vehicle counter',
  };
  const common = {
    state_topic: haStateTopic(p, state.siteId),
    availability_topic: haAvailabilityTopic(p),
    payload_available: 'online',
    payload_not_available: 'offline',
    device,
  };
  const out = new Map<string, HaMessage>();
  const add = (component: string, objectId: string, config: Record<string, unknown>) => {
    const topic = `${p.discovery}/${component}/${node}/${objectId}/config`;
    out.set(topic, {
      topic,
      payload: JSON.stringify({
        ...config,
        unique_id: `${node}_${objectId}`,
        object_id: `${node}_${objectId}`,
        ...common,
      }),
    });
  };
  for (const [key, line] of Object.entries(state.lines)) {
    for (const dir of ['in', 'out'] as const) {
      add('sensor', `line_${slug(key)}_${dir}`, {
        name: `${line.name} ${dir}`,
        value_template: `{{ value_json.lines[${jinja(key)}].${dir} }}`,
        state_class: 'total_increasing',
        unit_of_measurement: 'objects',
        icon: dir === 'in' ? 'mdi:account-arrow-right' : 'mdi:account-arrow-left',
      });
    }
  }
  for (const [key, zone] of Object.entries(state.zones)) {
    add('sensor', `zone_${slug(key)}_occupancy`, {
      name: `${zone.name} occupancy`,
      value_template: `{{ value_json.zones[${jinja(key)}].occupancy }}`,
      state_class: 'measurement',
      unit_of_measurement: 'objects',
      icon: 'mdi:account-group',
    });
  }
  for (const [id, d] of Object.entries(state.devices)) {
    add('binary_sensor', `device_${slug(id)}_connected`, {
      name: `${d.name} connected`,
      value_template: `{{ 'ON' if value_json.devices[${jinja(id)}].online else 'OFF' }}`,
      device_class: 'connectivity',
      entity_category: 'diagnostic',
    });
  }
  return out;
}

/**
 * What to publish after a new snapshot of a site: discovery configs that are new or changed, removals (empty
 * payload) for entities that are gone, and the state when it differs from the last one sent (`updatedAt` aside).
 */
export function haChanges(
  p: HaTopicPrefixes,
  previous: { discovery: Map<string, HaMessage>; state: HaSiteState } | undefined,
  state: HaSiteState,
): { messages: HaMessage[]; discovery: Map<string, HaMessage> } {
  const discovery = haDiscovery(p, state);
  const messages: HaMessage[] = [];
  for (const [topic, m] of discovery) {
    if (previous?.discovery.get(topic)?.payload !== m.payload) messages.push(m);
  }
  for (const topic of previous?.discovery.keys() ?? []) {
    if (!discovery.has(topic)) messages.push({ topic, payload: '' });
  }
  const same =
    previous &&
    JSON.stringify({ ...previous.state, updatedAt: 0 }) === JSON.stringify({ ...state, updatedAt: 0 });
  if (!same) messages.push({ topic: haStateTopic(p, state.siteId), payload: JSON.stringify(state) });
  return { messages, discovery };
}

/** Home Assistant's node and object ids: letters, digits, `_` and `-` only. */
function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

function topicSafe(s: string): string {
  return s.replace(/[/+#]/g, '_');
}

/** A key as a Jinja string literal (keys are ids and uuids, but quote them properly anyway). */
function jinja(key: string): string {
  return `'${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

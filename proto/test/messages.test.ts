import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  CHANNELS,
  CHANNEL_SCHEMAS,
  decodeMessage,
  encodeMessage,
  statusMessage,
  type Channel,
  type DeviceConfig,
} from '../src/index';
import { configContentHash } from '../src/config-hash';
import { countEvent, deviceConfig, DEVICE_ID, malformedCases, validMessages } from './fixtures/index';

describe('message round trips', () => {
  it('has a schema and a fixture for every channel', () => {
    expect(Object.keys(CHANNEL_SCHEMAS).sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(validMessages).sort()).toEqual([...CHANNELS].sort());
  });

  for (const channel of CHANNELS) {
    it(`${channel}: encode → bytes → decode gives the same message`, () => {
      const message = validMessages[channel];
      const bytes = Buffer.from(encodeMessage(channel, message as never));
      const decoded = decodeMessage(channel, bytes);
      expect(decoded).toEqual({ ok: true, value: message });
    });
  }

  it('accepts an already-parsed object and a string alike', () => {
    expect(decodeMessage('ack', validMessages.ack).ok).toBe(true);
    expect(decodeMessage('ack', JSON.stringify(validMessages.ack)).ok).toBe(true);
  });

  it('builds status messages, including the last will', () => {
    const will = statusMessage(DEVICE_ID, 'offline', 5);
    expect(decodeMessage('status', will)).toEqual({
      ok: true,
      value: { v: 1, deviceId: DEVICE_ID, state: 'offline', ts: 5 },
    });
  });
});

describe('malformed messages are rejected, naming the field and the reason', () => {
  for (const c of malformedCases) {
    it(`${c.channel}: ${c.name}`, () => {
      const result = decodeMessage(c.channel as Channel, c.payload);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const issue = result.error.issues.find((i) => i.path === c.path);
      expect(issue, `issues were ${JSON.stringify(result.error.issues)}`).toBeDefined();
      expect(issue!.message).toContain(c.message);
      expect(result.error.message).toContain(`invalid ${c.channel} message`);
    });
  }

  it('never throws, whatever arrives', () => {
    const junk: unknown[] = [
      null,
      undefined,
      42,
      'null',
      '',
      Buffer.from([0xff, 0xfe]),
      [],
      { v: 1 },
      { v: '1' },
    ];
    for (const channel of CHANNELS) {
      for (const j of junk) {
        expect(() => decodeMessage(channel, j)).not.toThrow();
        expect(decodeMessage(channel, j).ok).toBe(false);
      }
    }
  });

  it('rejects a message whose device id differs from the topic', () => {
    const result = decodeMessage('events', validMessages.events, 'someone-else');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.issues[0]).toEqual({
        path: '/deviceId',
        message: expect.stringContaining('does not match'),
      });
  });

  it('rejects an event inside a batch that claims another device', () => {
    const batch = {
      ...validMessages.events,
      events: [countEvent(1), countEvent(2, { deviceId: 'intruder' })],
    };
    const result = decodeMessage('events', batch, DEVICE_ID);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues.map((i) => i.path)).toEqual(['/events/1/deviceId']);
  });

  it('acks a bucket or occupancy batch by its batchId, and refuses an ack that acknowledges nothing', () => {
    const batchAck = { v: 1, deviceId: DEVICE_ID, batch: { channel: 'buckets', id: 'b-1' }, ts: 5 };
    expect(decodeMessage('ack', batchAck, DEVICE_ID).ok).toBe(true);
    expect(decodeMessage('ack', { ...batchAck, seq: 7 }, DEVICE_ID).ok).toBe(true);
    expect(decodeMessage('ack', { v: 1, deviceId: DEVICE_ID, ts: 5 }, DEVICE_ID).ok).toBe(false);
    expect(decodeMessage('ack', { ...batchAck, batch: { channel: 'events', id: 'b-1' } }, DEVICE_ID).ok).toBe(
      false,
    );
    const buckets = { ...validMessages.buckets, batchId: 'b-1' };
    expect(decodeMessage('buckets', buckets, DEVICE_ID).ok).toBe(true);
    expect(decodeMessage('buckets', { ...buckets, batchId: '' }, DEVICE_ID).ok).toBe(false);
    expect(decodeMessage('occupancy', { ...validMessages.occupancy, batchId: 'o-1' }, DEVICE_ID).ok).toBe(
      true,
    );
  });

  it('encodeMessage throws on an invalid outgoing message', () => {
    expect(() => encodeMessage('ack', { ...validMessages.ack, seq: -1 })).toThrow(/\/seq/);
  });
});

describe('config content hash', () => {
  /** Rebuilds every object with its keys in reverse order, at every level (arrays keep their order). */
  const reverseKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(reverseKeys)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .reverse()
              .map(([k, x]) => [k, reverseKeys(x)]),
          )
        : v;

  it('hashes a reordered config the same, against a hash computed independently', () => {
    // The canonical JSON written by hand (keys sorted at every level, no whitespace), and its sha256 from
    // `printf '%s' '<that JSON>' | sha256sum`: not from the code under test.
    const canonical =
      '{"cameras":[{"fps":10,"id":"cam-1","lines":[{"id":"door","p1":{"x":0.1,"y":0.5},"p2":{"x":0.9,"y":0.5}}]}],"models":[]}';
    const expected = '93c5f17cc9d7761c2f13a0d85e5abe6876cdb5c3df207d2abf8171e6abeb0f69';
    const cameras = [
      { lines: [{ p2: { y: 0.5, x: 0.9 }, p1: { y: 0.5, x: 0.1 }, id: 'door' }], id: 'cam-1', fps: 10 },
    ];
    const reordered = reverseKeys(cameras);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(cameras));
    for (const c of [cameras, reordered]) {
      const config = { cameras: c } as unknown as Pick<DeviceConfig, 'cameras'>;
      expect(canonicalJson({ cameras: c, models: [] })).toBe(canonical);
      expect(configContentHash(config)).toBe(expected);
    }
  });

  it('ignores key order and version in the fixture, changes with content', () => {
    const reordered = reverseKeys(deviceConfig.cameras) as typeof deviceConfig.cameras;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(deviceConfig.cameras));
    expect(configContentHash({ cameras: deviceConfig.cameras })).toBe(deviceConfig.hash);
    expect(configContentHash({ cameras: reordered })).toBe(deviceConfig.hash);
    const moved = structuredClone(deviceConfig.cameras);
    moved[0]!.lines[0]!.p1.y = 0.61;
    expect(configContentHash({ cameras: moved })).not.toBe(deviceConfig.hash);
  });
});

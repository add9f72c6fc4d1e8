import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  CHANNEL_SCHEMAS,
  decodeMessage,
  encodeMessage,
  statusMessage,
  type Channel,
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

  it('encodeMessage throws on an invalid outgoing message', () => {
    expect(() => encodeMessage('ack', { ...validMessages.ack, seq: -1 })).toThrow(/\/seq/);
  });
});

describe('config content hash', () => {
  it('ignores key order and version, changes with content', () => {
    const reordered = JSON.parse(
      JSON.stringify(deviceConfig.cameras, Object.keys(deviceConfig.cameras[0]!).reverse()),
    );
    expect(configContentHash({ cameras: deviceConfig.cameras })).toBe(deviceConfig.hash);
    expect(configContentHash({ cameras: structuredClone(deviceConfig.cameras).map((c) => ({ ...c })) })).toBe(
      deviceConfig.hash,
    );
    const moved = structuredClone(deviceConfig.cameras);
    moved[0]!.lines[0]!.p1.y = 0.61;
    expect(configContentHash({ cameras: moved })).not.toBe(deviceConfig.hash);
    expect(reordered).toBeDefined();
  });
});

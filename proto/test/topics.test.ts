import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  RETAINED_CHANNELS,
  allDevicesFilter,
  deviceClientId,
  devicePrefix,
  isUnderDevicePrefix,
  parseTopic,
  sharedFilter,
  topicFor,
  topics,
} from '../src/index';

describe('topics', () => {
  it('builds the documented layout', () => {
    expect(topics.events('dev1')).toBe('tally/v1/dev1/events');
    expect(topics.configApplied('dev1')).toBe('tally/v1/dev1/config/applied');
    expect(topics.commandResult('dev1')).toBe('tally/v1/dev1/commands/result');
    expect(devicePrefix('dev1')).toBe('tally/v1/dev1/');
    expect(allDevicesFilter('heartbeat')).toBe('tally/v1/+/heartbeat');
    expect(sharedFilter('cloud', 'events')).toBe('$share/cloud/tally/v1/+/events');
    expect(deviceClientId('dev1')).toBe('tally-edge-dev1');
    expect(() => deviceClientId('a/b')).toThrow(/invalid device id/);
  });

  it('parses every channel back', () => {
    for (const channel of CHANNELS) {
      expect(parseTopic(topicFor('gate-3', channel))).toEqual({ deviceId: 'gate-3', channel });
    }
  });

  it('rejects topics outside the layout', () => {
    for (const t of [
      'tally/v2/d/events',
      'tally/v1/d/unknown',
      'tally/v1//events',
      'other/v1/d/events',
      'tally/v1/d',
      'tally/v1/a+b/events',
    ]) {
      expect(parseTopic(t), t).toBeNull();
    }
  });

  it('refuses device ids that would break the topic tree', () => {
    for (const bad of ['a/b', '+', '#', '', 'x'.repeat(65), '-lead']) {
      expect(() => topicFor(bad, 'events'), bad).toThrow(/invalid device id/);
    }
  });

  it('keeps devices inside their own prefix', () => {
    expect(isUnderDevicePrefix('tally/v1/dev1/events', 'dev1')).toBe(true);
    expect(isUnderDevicePrefix('tally/v1/dev1/#', 'dev1')).toBe(true);
    expect(isUnderDevicePrefix('tally/v1/dev10/events', 'dev1')).toBe(false);
    expect(isUnderDevicePrefix('tally/v1/+/events', 'dev1')).toBe(false);
    expect(isUnderDevicePrefix('$share/g/tally/v1/dev1/events', 'dev1')).toBe(false);
  });

  it('retains status and config only', () => {
    expect([...RETAINED_CHANNELS].sort()).toEqual(['config', 'status']);
  });
});

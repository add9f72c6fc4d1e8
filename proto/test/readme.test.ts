import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANNELS, decodeMessage, parseTopic } from '../src/index';

/** The README's example payloads are documentation users copy: each must still validate on its topic. */
describe('proto/README.md examples', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const examples = [...readme.matchAll(/### `([^`]+)`[\s\S]*?```json\n([\s\S]*?)```/g)];

  it('documents one example per topic', () => {
    const channels = examples.map(([, topic]) => parseTopic(topic!)?.channel);
    expect(channels.sort()).toEqual([...CHANNELS].sort());
  });

  for (const [, topic, json] of examples) {
    it(`${topic} example is valid`, () => {
      const parsed = parseTopic(topic!)!;
      const result = decodeMessage(parsed.channel, json, parsed.deviceId);
      expect(result.ok ? 'ok' : result.error.message).toBe('ok');
    });
  }
});

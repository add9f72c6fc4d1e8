import { describe, expect, it } from 'vitest';
import { CHANNEL_SCHEMAS, CHANNELS, LoginBody, ProvisionRequest } from '../src/index';

/** Fastify validates with these schemas and the API docs are generated from them: they must be plain JSON Schema. */
describe('schemas are JSON Schema', () => {
  for (const channel of CHANNELS) {
    it(`${channel} serialises to a JSON Schema document`, () => {
      const doc = JSON.parse(JSON.stringify(CHANNEL_SCHEMAS[channel]));
      expect(doc.type ?? doc.anyOf).toBeDefined();
      if (doc.type === 'object') {
        expect(doc.properties.v).toEqual(expect.objectContaining({ const: 1 }));
        expect(Array.isArray(doc.required)).toBe(true);
      }
    });
  }

  it('API bodies reject unknown keys', () => {
    for (const schema of [LoginBody, ProvisionRequest]) {
      expect(JSON.parse(JSON.stringify(schema)).additionalProperties).toBe(false);
    }
  });
});

import { Type, type Static } from '@sinclair/typebox';

/** `POST /api/provision`: an installer's box trades a one-time claim code for its identity and MQTT credentials. */
export const ProvisionRequest = Type.Object(
  {
    code: Type.String({ minLength: 4, maxLength: 32, description: 'Claim code created for a site' }),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'A name for the box, e.g. "Gate 3"' }),
  },
  { additionalProperties: false },
);
export type ProvisionRequest = Static<typeof ProvisionRequest>;

export const ProvisionResponse = Type.Object({
  deviceId: Type.String(),
  siteId: Type.Optional(Type.String()),
  mqtt: Type.Object({
    url: Type.String({ description: 'mqtt://host:port or mqtts://host:port' }),
    username: Type.String(),
    password: Type.String(),
  }),
  apiUrl: Type.Optional(Type.String({ description: 'Base URL for uploads and model downloads' })),
});
export type ProvisionResponse = Static<typeof ProvisionResponse>;

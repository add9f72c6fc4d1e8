import { Type, type Static } from '@sinclair/typebox';

/**
 * First-run setup of a fresh cloud (no account yet): the server logs a one-time setup token at start, and the
 * first owner is created through the API with it (the dashboard's setup page, or curl), with the server running.
 */
export const SetupStatus = Type.Object(
  {
    needed: Type.Boolean({
      description: 'true while no account exists: POST /api/setup creates the first owner',
    }),
  },
  { additionalProperties: false },
);
export type SetupStatus = Static<typeof SetupStatus>;

export const SetupBody = Type.Object(
  {
    token: Type.String({
      minLength: 16,
      maxLength: 200,
      description: 'The one-time setup token from the server log',
    }),
    email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 10, maxLength: 1024, description: 'At least 10 characters' }),
    organisation: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Name of the first organisation',
    }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

export const SetupResult = Type.Object(
  {
    orgId: Type.String({ format: 'uuid' }),
    userId: Type.String({ format: 'uuid' }),
    email: Type.String(),
  },
  { additionalProperties: false },
);
export type SetupResult = Static<typeof SetupResult>;

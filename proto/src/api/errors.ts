import { Type, type Static } from '@sinclair/typebox';

/** Every API error has this body: a stable code, a message saying what to do next, and optional field issues. */
export const ApiError = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. TALLY_UNAUTHORIZED' }),
      message: Type.String(),
      issues: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    }),
  },
  { $id: 'ApiError' },
);
export type ApiError = Static<typeof ApiError>;

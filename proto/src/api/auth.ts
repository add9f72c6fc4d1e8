import { Type, type Static } from '@sinclair/typebox';

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    session: Type.Optional(
      Type.Union([Type.Literal('cookie'), Type.Literal('token')], {
        description:
          "Where the refresh token goes. `cookie` (browsers): an httpOnly SameSite=Strict cookie on /api/auth, never in the body. `token` (default; CLIs and API clients): in the body's `refreshToken`",
      }),
    ),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const TokenPair = Type.Object({
  accessToken: Type.String({ description: 'Short-lived JWT, sent as `Authorization: Bearer …`' }),
  refreshToken: Type.Optional(
    Type.String({
      description:
        'Opaque, single use: each refresh returns a new one. Absent when the session lives in the refresh cookie',
    }),
  ),
  expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
});
export type TokenPair = Static<typeof TokenPair>;

/**
 * Body of `/api/auth/refresh` and `/api/auth/logout` for clients that keep the refresh token themselves. A browser
 * sends no body: its refresh token travels in the {@link REFRESH_COOKIE} cookie.
 */
export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
    newPassword: Type.String({ minLength: 10, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const Role = Type.Union(
  [
    Type.Literal('owner'),
    Type.Literal('admin'),
    Type.Literal('site_manager'),
    Type.Literal('installer'),
    Type.Literal('viewer'),
  ],
  {
    description:
      'owner and admin: whole organisation; site_manager and installer: their sites; viewer: read only',
  },
);
export type Role = Static<typeof Role>;

/** The httpOnly cookie that holds a browser's refresh token, sent only to {@link REFRESH_COOKIE_PATH}. */
export const REFRESH_COOKIE = 'tally_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

import { Type, type Static } from '@sinclair/typebox';

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const TokenPair = Type.Object({
  accessToken: Type.String({ description: 'Short-lived JWT, sent as `Authorization: Bearer …`' }),
  refreshToken: Type.String({ description: 'Opaque, single use: each refresh returns a new one' }),
  expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
});
export type TokenPair = Static<typeof TokenPair>;

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

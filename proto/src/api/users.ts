import { Type, type Static } from '@sinclair/typebox';
import { Role } from './auth';

const Uuid = Type.String({ format: 'uuid' });

/** `GET /api/users`, `GET /api/me`: a user as the API shows it (never the password hash). */
export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  siteIds: Type.Array(Uuid, { description: 'Sites a site_manager, installer or viewer covers' }),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type User = Static<typeof User>;

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    password: Type.String({ minLength: 10, maxLength: 1024 }),
    role: Role,
    siteIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    role: Type.Optional(Role),
    siteIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

/**
 * `POST /api/invitations`: an owner's consent for someone to become an owner of the same organisation. The code
 * is shown once; `pnpm cloud create-owner --email … --invitation CODE` redeems it, once, before it expires.
 */
export const CreateInvitationBody = Type.Object(
  {
    email: Type.String({ format: 'email', minLength: 3, maxLength: 254, description: 'Who may redeem it' }),
    ttlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168, default: 72 })),
  },
  { additionalProperties: false },
);
export type CreateInvitationBody = Static<typeof CreateInvitationBody>;

export const Invitation = Type.Object({
  code: Type.String({ description: 'Secret, shown once: give it to the invitee' }),
  email: Type.String(),
  role: Type.Literal('owner'),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type Invitation = Static<typeof Invitation>;

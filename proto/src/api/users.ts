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

/** What a role may do (the cloud checks each; the dashboard shows only the buttons a user may press). */
export const Permission = Type.Union([
  Type.Literal('site.read'),
  Type.Literal('site.create'),
  Type.Literal('site.update'),
  Type.Literal('site.delete'),
  Type.Literal('device.manage'),
  Type.Literal('device.provision'),
  Type.Literal('camera.setup'),
  Type.Literal('model.manage'),
  Type.Literal('user.manage'),
  Type.Literal('audit.read'),
  Type.Literal('data.export'),
  Type.Literal('alert.manage'),
  Type.Literal('alert.ack'),
]);
export type Permission = Static<typeof Permission>;

const EVERY_PERMISSION: readonly Permission[] = [
  'site.read',
  'site.create',
  'site.update',
  'site.delete',
  'device.manage',
  'device.provision',
  'camera.setup',
  'model.manage',
  'user.manage',
  'audit.read',
  'data.export',
  'alert.manage',
  'alert.ack',
];

/**
 * What each role may do: the cloud enforces this table and the dashboard reads it (and /api/me) to show only what
 * a user may press. Owners and admins may do everything in their organisation (they differ only in who may change
 * an owner); a viewer reads; exporting (audited) and acknowledging alerts are for site managers and up.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: EVERY_PERMISSION,
  admin: EVERY_PERMISSION,
  site_manager: [
    'site.read',
    'site.update',
    'device.manage',
    'device.provision',
    'camera.setup',
    'data.export',
    'alert.manage',
    'alert.ack',
  ],
  installer: ['site.read', 'device.provision', 'camera.setup'],
  viewer: ['site.read'],
};

/** `GET /api/me`: the signed-in user, what their role allows, and which sites it covers. */
export const Me = Type.Object({
  ...User.properties,
  permissions: Type.Array(Permission, { description: 'What the role allows, on the sites in `sites`' }),
  sites: Type.Union([Type.Literal('all'), Type.Array(Uuid)], {
    description: "'all' for owners, admins and viewers without a site list; else the sites covered",
  }),
});
export type Me = Static<typeof Me>;

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

/**
 * `POST /api/users/:userId/password-reset`: an owner or admin gives a user a new, random temporary password, shown
 * once in this answer and never stored in clear; every session of the user ends. The admin hands it over out of
 * band and the user changes it from their account page after signing in.
 */
export const PasswordReset = Type.Object({
  temporaryPassword: Type.String({ description: 'Secret, shown once: give it to the user' }),
});
export type PasswordReset = Static<typeof PasswordReset>;

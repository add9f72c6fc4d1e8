import { Type, type Static } from '@sinclair/typebox';

/**
 * Filters of `GET /api/audit` and `GET /api/audit/export`, combined with AND. The entries themselves are proto's
 * AuditEntry (api/devices.ts).
 */
export const AuditFilter = Type.Object(
  {
    action: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Exact action, e.g. user.create or auth.login',
      }),
    ),
    actorUserId: Type.Optional(Type.String({ format: 'uuid', description: 'Only what this user did' })),
    targetType: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'e.g. user, site, device, camera' }),
    ),
    targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The target’s id' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'At or after this instant' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Before this instant' })),
  },
  { additionalProperties: false },
);
export type AuditFilter = Static<typeof AuditFilter>;

export const AuditListQuery = Type.Object(
  {
    ...AuditFilter.properties,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    before: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Entries older than this id: the previous page’s x-next-before header',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AuditListQuery = Static<typeof AuditListQuery>;

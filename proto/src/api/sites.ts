import { Type, type Static } from '@sinclair/typebox';

/** `GET /api/sites/:siteId`: a place with cameras; analytics bucket days in its IANA `timezone`. */
export const Site = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  timezone: Type.String({ description: 'IANA time zone, e.g. Europe/Paris' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Site = Static<typeof Site>;

export const CreateSiteBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris' }),
  },
  { additionalProperties: false },
);
export type CreateSiteBody = Static<typeof CreateSiteBody>;

export const UpdateSiteBody = Type.Partial(CreateSiteBody, { additionalProperties: false });
export type UpdateSiteBody = Static<typeof UpdateSiteBody>;

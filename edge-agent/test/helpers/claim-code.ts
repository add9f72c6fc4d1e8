import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** A fresh claim code for a site, created through the real cloud API as an installer would in the dashboard. */
export async function claimCode(
  app: FastifyInstance,
  siteId: string,
  installer: Record<string, string>,
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/sites/${siteId}/claim-codes`,
    headers: installer,
    payload: {},
  });
  expect(res.statusCode).toBe(201);
  return (res.json() as { code: string }).code;
}

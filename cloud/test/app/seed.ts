import type { FastifyInstance } from 'fastify';
import type { Role } from '@tally/proto';
import { hashPassword } from '../../src/auth/passwords';
import type { Db } from '../../src/db/client';
import { createOrganisation } from '../../src/db/queries/organisations';
import { createUser } from '../../src/db/queries/users';

export const PASSWORD = 'correct horse battery staple';

/** argon2 is slow on purpose; hash the shared test password once. */
let hashed: Promise<string> | undefined;
function passwordHash(): Promise<string> {
  hashed ??= hashPassword(PASSWORD);
  return hashed;
}

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}@example.com`;
}

export async function seedOrg(db: Db, name = 'Acme'): Promise<string> {
  return (await createOrganisation(db, name)).id;
}

export async function seedUser(
  db: Db,
  orgId: string,
  role: Role,
  siteIds: string[] = [],
): Promise<{ id: string; email: string }> {
  const email = uniqueEmail(role);
  const user = await createUser(db, orgId, { email, passwordHash: await passwordHash(), role, siteIds });
  return { id: user.id, email };
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json() as { accessToken: string; refreshToken: string; expiresIn: number };
}

/** Seeds a user and returns the Authorization header of a signed-in session. */
export async function signedIn(
  app: FastifyInstance,
  db: Db,
  orgId: string,
  role: Role,
  siteIds: string[] = [],
): Promise<{ id: string; email: string; headers: { authorization: string } }> {
  const user = await seedUser(db, orgId, role, siteIds);
  const { accessToken } = await login(app, user.email);
  return { ...user, headers: { authorization: `Bearer ${accessToken}` } };
}

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

/** A camera setup close to proto's fixture (without id, lines, zones). */
export const SETUP = {
  name: 'Entrance',
  source: { url: 'rtsp://10.0.0.21:554/stream1', rtspTransport: 'tcp' as const },
  fps: 10,
  inputSize: { width: 768, height: 576 },
  classes: ['person', 'bicycle'],
  scoreThreshold: 0.3,
};

export const LINE = {
  key: 'door-line',
  kind: 'line' as const,
  name: 'Front door',
  definition: {
    p1: { x: 0.1, y: 0.6 },
    p2: { x: 0.9, y: 0.6 },
    anchor: 'bottom_center' as const,
    sustainMs: 300,
  },
};

export async function createSite(
  app: FastifyInstance,
  headers: { authorization: string },
  name = 'HQ',
  timezone = 'Europe/Paris',
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/sites', headers, payload: { name, timezone } });
  if (res.statusCode !== 201) throw new Error(`create site failed: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

/** Claim code → POST /api/provision, as a box would. */
export async function provisionDevice(
  app: FastifyInstance,
  headers: { authorization: string },
  siteId: string,
  name = 'Gate 3',
): Promise<{ deviceId: string; mqtt: { url: string; username: string; password: string }; apiUrl?: string }> {
  const code = await app.inject({
    method: 'POST',
    url: `/api/sites/${siteId}/claim-codes`,
    headers,
    payload: {},
  });
  if (code.statusCode !== 201) throw new Error(`claim code failed: ${code.statusCode} ${code.body}`);
  const res = await app.inject({
    method: 'POST',
    url: '/api/provision',
    payload: { code: code.json().code, name },
  });
  if (res.statusCode !== 201) throw new Error(`provision failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function createCamera(
  app: FastifyInstance,
  headers: { authorization: string },
  deviceId: string,
  key = 'cam-entrance',
): Promise<{ camera: { id: string }; config: { version: number; hash: string } }> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/devices/${deviceId}/cameras`,
    headers,
    payload: { key, name: 'Entrance', setup: SETUP },
  });
  if (res.statusCode !== 201) throw new Error(`create camera failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

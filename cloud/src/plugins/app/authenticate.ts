import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '@tally/proto';
import { scopeFor, type AuthContext } from '../../auth/permissions';
import type { Database } from '../../db/client';
import { findActiveUser } from '../../db/queries/users';
import { unauthorized } from '../../errors';

/** The claims inside an access token. The user row is re-read on each request, so role changes bite at once. */
export interface AccessClaims {
  sub: string;
  org: string;
  typ: 'access';
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `app.authenticate` (a preHandler): who is calling, in which organisation, with which scope. */
    auth: AuthContext;
  }
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** Verifies a raw access token (e.g. from a WebSocket query string) and returns the caller. */
    authenticateToken: (token: string) => Promise<AuthContext>;
  }
}

/** Resolves an access token to the caller, or throws 401. */
export async function resolveAccessToken(
  app: FastifyInstance,
  database: Database,
  token: string,
): Promise<AuthContext> {
  let claims: AccessClaims;
  try {
    claims = app.jwt.verify<AccessClaims>(token);
  } catch {
    throw unauthorized('access token invalid or expired: refresh it at POST /api/auth/refresh');
  }
  if (claims.typ !== 'access') throw unauthorized('not an access token');
  const user = await findActiveUser(database.db, claims.sub);
  if (!user || user.orgId !== claims.org) throw unauthorized('this account no longer exists or is disabled');
  const role = user.role as Role;
  return { userId: user.id, orgId: user.orgId, role, siteIds: scopeFor(role, user.siteIds) };
}

export const authenticatePlugin = fp(
  async (app: FastifyInstance, opts: { database: Database }) => {
    app.decorateRequest('auth', null as unknown as AuthContext);
    app.decorate('authenticateToken', (token: string) => resolveAccessToken(app, opts.database, token));
    app.decorate('authenticate', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw unauthorized();
      request.auth = await resolveAccessToken(app, opts.database, header.slice('Bearer '.length).trim());
    });
  },
  { name: 'tally-authenticate' },
);

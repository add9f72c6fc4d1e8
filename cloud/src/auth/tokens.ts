import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TokenPair } from '@tally/proto';
import type { Db } from '../db/client';
import {
  claimRefreshToken,
  findRefreshToken,
  insertRefreshToken,
  revokeFamily,
} from '../db/queries/refresh-tokens';
import { findActiveUser, type UserRow } from '../db/queries/users';
import { AppError } from '../errors';
import type { AccessClaims } from '../plugins/app/authenticate';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Issues an access token and a refresh token in `familyId` (a new family at login). */
export async function issueTokens(
  app: FastifyInstance,
  db: Db,
  user: Pick<UserRow, 'id' | 'orgId'>,
  familyId: string = randomUUID(),
): Promise<TokenPair> {
  const { accessTokenTtlS, refreshTokenTtlS } = app.deps.config;
  const claims: AccessClaims = { sub: user.id, org: user.orgId, typ: 'access' };
  const accessToken = app.jwt.sign(claims, { expiresIn: accessTokenTtlS });
  const refreshToken = randomBytes(32).toString('base64url');
  await insertRefreshToken(db, {
    userId: user.id,
    orgId: user.orgId,
    familyId,
    tokenHash: hashRefreshToken(refreshToken),
    expiresAt: new Date(Date.now() + refreshTokenTtlS * 1000),
  });
  return { accessToken, refreshToken, expiresIn: accessTokenTtlS };
}

export type RefreshOutcome =
  | { ok: true; tokens: TokenPair; user: UserRow }
  | { ok: false; reused: boolean; orgId?: string; userId?: string };

/**
 * Rotates a refresh token. A token presented a second time means someone kept a copy: the whole family is
 * revoked, so both the thief and the owner must sign in again.
 */
export async function rotateRefreshToken(
  app: FastifyInstance,
  db: Db,
  token: string,
): Promise<RefreshOutcome> {
  const row = await findRefreshToken(db, hashRefreshToken(token));
  if (!row) return { ok: false, reused: false };
  if (row.usedAt || row.revokedAt) {
    if (row.usedAt) await revokeFamily(db, row.familyId);
    return { ok: false, reused: Boolean(row.usedAt), orgId: row.orgId, userId: row.userId };
  }
  if (row.expiresAt.getTime() <= Date.now()) return { ok: false, reused: false };
  if (!(await claimRefreshToken(db, row.id))) {
    await revokeFamily(db, row.familyId);
    return { ok: false, reused: true, orgId: row.orgId, userId: row.userId };
  }
  const user = await findActiveUser(db, row.userId);
  if (!user) return { ok: false, reused: false };
  return { ok: true, tokens: await issueTokens(app, db, user, row.familyId), user };
}

export async function revokeRefreshToken(db: Db, token: string): Promise<string | undefined> {
  const row = await findRefreshToken(db, hashRefreshToken(token));
  if (!row) return undefined;
  await revokeFamily(db, row.familyId);
  return row.userId;
}

export function invalidRefresh(reused: boolean): AppError {
  return reused
    ? new AppError(
        'TALLY_TOKEN_REUSED',
        'refresh token already used: every session of this login is revoked; sign in again',
      )
    : new AppError('TALLY_SESSION_ENDED', 'session ended (signed out, revoked or expired): sign in again');
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChangePasswordBody, LoginBody, Me, RefreshBody, TokenPair } from '@tally/proto';
import { loginKey, secondsLocked } from '../../auth/login-backoff';
import { dummyHash, hashPassword, verifyPassword } from '../../auth/passwords';
import { allowedActions } from '../../auth/permissions';
import { clearedRefreshCookie, readRefreshCookie, refreshCookie } from '../../auth/refresh-cookie';
import { invalidRefresh, issueTokens, revokeRefreshToken, rotateRefreshToken } from '../../auth/tokens';
import { clearLoginFailures, loginLockedUntil, recordLoginFailure } from '../../db/queries/login-failures';
import { revokeUserTokens } from '../../db/queries/refresh-tokens';
import { findActiveUser, findUserByEmail, updateUser } from '../../db/queries/users';
import { recordAudit } from '../../db/queries/audit';
import { AppError } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { bearer, errors } from './schemas';
import { toUserDto } from './users';

/** Refresh and logout: the token in the body, or no body at all (a browser's token is in its cookie). */
const SessionBody = Type.Partial(RefreshBody, { additionalProperties: false });

/** A browser posts without a body; validate that as an empty object rather than refusing it. */
const noBodyIsEmpty = async (request: FastifyRequest) => {
  request.body ??= {};
};

/** Where a request's refresh token came from decides where the next one goes: the cookie, or the body. */
interface PresentedToken {
  token: string | undefined;
  fromCookie: boolean;
}

/** The body's token (CLIs, API clients) or else the browser's cookie. */
function presentedToken(
  request: { body: Partial<RefreshBody> | undefined } & FastifyRequest,
): PresentedToken {
  const fromBody = request.body?.refreshToken;
  if (fromBody) return { token: fromBody, fromCookie: false };
  return { token: readRefreshCookie(request.headers.cookie), fromCookie: true };
}

/** Https directly or through a trusted proxy: only then may the cookie be marked Secure and still be sent. */
const isHttps = (request: FastifyRequest) => request.protocol === 'https';

/**
 * Sign-in, token refresh (rotating, with reuse detection), sign-out, password change, and who am I. A browser
 * signs in with `session: 'cookie'` and its refresh token then lives only in an httpOnly cookie (see
 * auth/refresh-cookie.ts); CLIs keep receiving and sending it in the JSON body.
 */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, config } = app.deps;
  const db = database.db;
  const limited = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

  /** Puts the new refresh token where the client keeps it: the cookie (never the body) or the body. */
  const deliver = (request: FastifyRequest, reply: FastifyReply, tokens: TokenPair, toCookie: boolean) => {
    if (!toCookie) return tokens;
    const { refreshToken, ...rest } = tokens;
    void reply.header(
      'set-cookie',
      refreshCookie(refreshToken ?? '', { secure: isHttps(request), maxAgeS: config.refreshTokenTtlS }),
    );
    return rest;
  };
  const clearCookie = (request: FastifyRequest, reply: FastifyReply) =>
    reply.header('set-cookie', clearedRefreshCookie({ secure: isHttps(request) }));

  app.post(
    '/auth/login',
    {
      config: limited(config.loginRateLimit),
      schema: { tags: ['auth'], body: LoginBody, response: { 200: TokenPair, ...errors, 429: errors[400] } },
    },
    async (request, reply) => {
      const key = loginKey(request.body.email);
      const lockedS = secondsLocked(await loginLockedUntil(db, key), new Date());
      if (lockedS > 0) {
        void reply.header('retry-after', String(lockedS));
        throw new AppError(
          'TALLY_LOGIN_LOCKED',
          `too many failed sign-ins for this account: try again in ${lockedS} s`,
        );
      }
      const user = await findUserByEmail(db, request.body.email);
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), request.body.password);
      if (!user || !ok || user.disabledAt) {
        await recordLoginFailure(db, key, new Date());
        if (user) {
          await recordAudit(db, user.orgId, {
            action: 'auth.login_failed',
            targetType: 'user',
            targetId: user.id,
            ip: request.ip,
          });
        }
        throw new AppError('TALLY_INVALID_CREDENTIALS', 'wrong email or password');
      }
      await clearLoginFailures(db, key);
      await recordAudit(db, user.orgId, { action: 'auth.login', actorUserId: user.id, ip: request.ip });
      const tokens = await issueTokens(app, db, user);
      return deliver(request, reply, tokens, request.body.session === 'cookie');
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: limited(config.loginRateLimit * 6),
      preValidation: noBodyIsEmpty,
      schema: {
        tags: ['auth'],
        description:
          'Rotates the refresh token from the body or, without one, from the refresh cookie. Any 401 here ' +
          '(TALLY_SESSION_ENDED, TALLY_TOKEN_REUSED) means the session is over: the cookie is cleared; sign in again',
        body: SessionBody,
        response: { 200: TokenPair, ...errors },
      },
    },
    async (request, reply) => {
      const presented = presentedToken(request);
      if (!presented.token) {
        clearCookie(request, reply);
        throw invalidRefresh(false);
      }
      const outcome = await rotateRefreshToken(app, db, presented.token);
      if (outcome.ok) return deliver(request, reply, outcome.tokens, presented.fromCookie);
      // A used, revoked or expired token ends the session: the browser must not keep presenting it.
      clearCookie(request, reply);
      if (outcome.reused && outcome.orgId) {
        await recordAudit(db, outcome.orgId, {
          action: 'auth.refresh_reused',
          targetType: 'user',
          targetId: outcome.userId,
          ip: request.ip,
        });
      }
      throw invalidRefresh(outcome.reused);
    },
  );

  app.post(
    '/auth/logout',
    {
      preValidation: noBodyIsEmpty,
      schema: {
        tags: ['auth'],
        description: 'Revokes the refresh token from the body or the refresh cookie, and clears the cookie',
        body: SessionBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { token } = presentedToken(request);
      if (token) await revokeRefreshToken(db, token);
      clearCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/password',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        security: bearer,
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = await findActiveUser(db, request.auth.userId);
      if (!user || !(await verifyPassword(user.passwordHash, request.body.currentPassword))) {
        throw new AppError('TALLY_INVALID_CREDENTIALS', 'current password is wrong');
      }
      const passwordHash = await hashPassword(request.body.newPassword);
      await inTransaction(request, async (tx) => {
        await updateUser(tx, user.orgId, user.id, { passwordHash });
        // Other sessions may belong to whoever knew the old password.
        await revokeUserTokens(tx, user.id);
        await audit(request, { action: 'auth.password_change', targetType: 'user', targetId: user.id }, tx);
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      onRequest: app.authenticate,
      schema: { tags: ['auth'], security: bearer, response: { 200: Me, ...errors } },
    },
    async (request) => {
      const user = await findActiveUser(db, request.auth.userId);
      if (!user) throw new AppError('TALLY_UNAUTHORIZED', 'account no longer exists');
      return {
        ...toUserDto(user),
        permissions: allowedActions(request.auth.role),
        sites: request.auth.siteIds,
      };
    },
  );
};

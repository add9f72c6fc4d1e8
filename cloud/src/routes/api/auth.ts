import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ChangePasswordBody, LoginBody, RefreshBody, TokenPair, User } from '@tally/proto';
import { loginKey, secondsLocked } from '../../auth/login-backoff';
import { dummyHash, hashPassword, verifyPassword } from '../../auth/passwords';
import { invalidRefresh, issueTokens, revokeRefreshToken, rotateRefreshToken } from '../../auth/tokens';
import { clearLoginFailures, loginLockedUntil, recordLoginFailure } from '../../db/queries/login-failures';
import { revokeUserTokens } from '../../db/queries/refresh-tokens';
import { findActiveUser, findUserByEmail, updateUser } from '../../db/queries/users';
import { recordAudit } from '../../db/queries/audit';
import { AppError } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { bearer, errors } from './schemas';
import { toUserDto } from './users';

/** Sign-in, token refresh (rotating, with reuse detection), sign-out, password change, and who am I. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, config } = app.deps;
  const db = database.db;
  const limited = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

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
      return issueTokens(app, db, user);
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: limited(config.loginRateLimit * 6),
      schema: { tags: ['auth'], body: RefreshBody, response: { 200: TokenPair, ...errors } },
    },
    async (request) => {
      const outcome = await rotateRefreshToken(app, db, request.body.refreshToken);
      if (outcome.ok) return outcome.tokens;
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
    { schema: { tags: ['auth'], body: RefreshBody, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await revokeRefreshToken(db, request.body.refreshToken);
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
      schema: { tags: ['auth'], security: bearer, response: { 200: User, ...errors } },
    },
    async (request) => {
      const user = await findActiveUser(db, request.auth.userId);
      if (!user) throw new AppError('TALLY_UNAUTHORIZED', 'account no longer exists');
      return toUserDto(user);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CreateUserBody, PasswordReset, UpdateUserBody, User, type Role } from '@tally/proto';
import { can, canAssignRole } from '../../auth/permissions';
import { LAST_OWNER_MESSAGE, leavesNoOwner, type OwnerChange } from '../../auth/last-owner';
import { hashPassword } from '../../auth/passwords';
import { generateTemporaryPassword } from '../../auth/temporary-password';
import type { Db } from '../../db/client';
import { revokeUserTokens } from '../../db/queries/refresh-tokens';
import { existingSiteIds } from '../../db/queries/sites';
import {
  createUser,
  deleteUser,
  findUserByEmail,
  getUser,
  listUsers,
  lockEnabledOwnerIds,
  updateUser,
  type UserRow,
} from '../../db/queries/users';
import { AppError, forbidden, notFound } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { bearer, errors, UserParams } from './schemas';

export function toUserDto(u: UserRow): User {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as Role,
    siteIds: u.siteIds,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

/** Users of the caller's organisation: owners and admins only. Role changes are audited. */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.deps.database.db;
  app.addHook('onRequest', app.authenticate);
  app.addHook('preHandler', async (request) => {
    if (!can(request.auth, 'user.manage')) throw forbidden('only owners and admins manage users');
  });
  const tags = ['users'];

  /** Inside the change's transaction: refuses (409) a change that would leave the organisation without an owner. */
  const keepAnOwner = async (tx: Db, target: UserRow, change: OwnerChange) => {
    const owners = await lockEnabledOwnerIds(tx, target.orgId);
    const t = { id: target.id, role: target.role, disabled: target.disabledAt !== null };
    if (leavesNoOwner(t, change, owners)) throw new AppError('TALLY_LAST_OWNER', LAST_OWNER_MESSAGE);
  };
  /** The same rule checked before the permission checks, so the last owner hears why, not just "forbidden". */
  const refuseLastOwner = async (target: UserRow, change: OwnerChange) => keepAnOwner(db, target, change);

  const checkSites = async (orgId: string, siteIds: string[] | undefined) => {
    if (!siteIds) return;
    const found = new Set(await existingSiteIds(db, orgId, siteIds));
    const missing = siteIds.filter((s) => !found.has(s));
    if (missing.length > 0)
      throw new AppError('TALLY_BAD_REQUEST', `unknown site ids: ${missing.join(', ')}`);
  };

  app.get(
    '/users',
    { schema: { tags, security: bearer, response: { 200: Type.Array(User), ...errors } } },
    async (request) => (await listUsers(db, request.auth.orgId)).map(toUserDto),
  );

  app.post(
    '/users',
    { schema: { tags, security: bearer, body: CreateUserBody, response: { 201: User, ...errors } } },
    async (request, reply) => {
      const { auth } = request;
      const body = request.body;
      if (!canAssignRole(auth, body.role)) throw forbidden(`your role cannot create a ${body.role}`);
      await checkSites(auth.orgId, body.siteIds);
      if (await findUserByEmail(db, body.email)) {
        throw new AppError('TALLY_CONFLICT', 'a user with this email already exists');
      }
      const passwordHash = await hashPassword(body.password);
      const user = await inTransaction(request, async (tx) => {
        const user = await createUser(tx, auth.orgId, {
          email: body.email,
          name: body.name,
          passwordHash,
          role: body.role,
          siteIds: body.siteIds,
        });
        const details = { email: user.email, role: user.role, siteIds: user.siteIds };
        await audit(request, { action: 'user.create', targetType: 'user', targetId: user.id, details }, tx);
        return user;
      });
      return reply.status(201).send(toUserDto(user));
    },
  );

  app.get(
    '/users/:userId',
    { schema: { tags, security: bearer, params: UserParams, response: { 200: User, ...errors } } },
    async (request) => {
      const user = await getUser(db, request.auth.orgId, request.params.userId);
      if (!user) throw notFound('user');
      return toUserDto(user);
    },
  );

  app.patch(
    '/users/:userId',
    {
      schema: {
        tags,
        security: bearer,
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: User, ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const current = await getUser(db, auth.orgId, request.params.userId);
      if (!current) throw notFound('user');
      const body = request.body;
      const role = body.role ?? (current.role as Role);
      await refuseLastOwner(current, body);
      if (!canAssignRole(auth, role, current.role as Role))
        throw forbidden('your role cannot change this user');
      if (current.id === auth.userId && (body.role !== undefined || body.disabled)) {
        throw forbidden('you cannot change your own role or disable yourself: ask another owner or admin');
      }
      await checkSites(auth.orgId, body.siteIds);
      const updated = await inTransaction(request, async (tx) => {
        await keepAnOwner(tx, current, body);
        const updated = await updateUser(tx, auth.orgId, current.id, body);
        if (!updated) throw notFound('user');
        if (body.disabled) await revokeUserTokens(tx, current.id);
        if ((body.role !== undefined && body.role !== current.role) || body.siteIds !== undefined) {
          const details = {
            from: { role: current.role, siteIds: current.siteIds },
            to: { role, siteIds: updated.siteIds },
          };
          await audit(
            request,
            { action: 'user.role', targetType: 'user', targetId: current.id, details },
            tx,
          );
        }
        if (body.disabled !== undefined) {
          const action = body.disabled ? 'user.disable' : 'user.enable';
          await audit(request, { action, targetType: 'user', targetId: current.id }, tx);
        }
        return updated;
      });
      return toUserDto(updated);
    },
  );

  app.delete(
    '/users/:userId',
    { schema: { tags, security: bearer, params: UserParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { auth } = request;
      const current = await getUser(db, auth.orgId, request.params.userId);
      if (!current) throw notFound('user');
      await refuseLastOwner(current, { deleted: true });
      if (current.id === auth.userId) throw forbidden('you cannot delete yourself');
      if (!canAssignRole(auth, current.role as Role, current.role as Role))
        throw forbidden('only an owner removes an owner');
      await inTransaction(request, async (tx) => {
        await keepAnOwner(tx, current, { deleted: true });
        await deleteUser(tx, auth.orgId, current.id);
        const details = { email: current.email };
        await audit(
          request,
          { action: 'user.delete', targetType: 'user', targetId: current.id, details },
          tx,
        );
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/users/:userId/password-reset',
    {
      schema: { tags, security: bearer, params: UserParams, response: { 200: PasswordReset, ...errors } },
    },
    async (request) => {
      const { auth } = request;
      const current = await getUser(db, auth.orgId, request.params.userId);
      if (!current) throw notFound('user');
      if (current.id === auth.userId)
        throw forbidden('change your own password from your account page (it asks for the current one)');
      if (!canAssignRole(auth, current.role as Role, current.role as Role))
        throw forbidden("only an owner resets an owner's password");
      const temporaryPassword = generateTemporaryPassword();
      const passwordHash = await hashPassword(temporaryPassword);
      await inTransaction(request, async (tx) => {
        await updateUser(tx, auth.orgId, current.id, { passwordHash });
        // Whoever held the old password is signed out everywhere.
        await revokeUserTokens(tx, current.id);
        await audit(
          request,
          {
            action: 'user.password_reset',
            targetType: 'user',
            targetId: current.id,
            details: { email: current.email },
          },
          tx,
        );
      });
      return { temporaryPassword };
    },
  );
};

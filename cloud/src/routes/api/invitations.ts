import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateInvitationBody, Invitation } from '@tally/proto';
import { canAssignRole } from '../../auth/permissions';
import { generateInvitationCode, hashInvitationCode } from '../../auth/invitation-code';
import { insertInvitation } from '../../db/queries/invitations';
import { forbidden } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { bearer, errors } from './schemas';

/**
 * An owner invites someone to become an owner of the organisation: the consent `create-owner --invitation` needs
 * to add an account to an existing organisation. The code is returned once and stored hashed.
 */
export const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/invitations',
    {
      schema: {
        tags: ['users'],
        security: bearer,
        body: CreateInvitationBody,
        response: { 201: Invitation, ...errors },
      },
    },
    async (request, reply) => {
      const { auth } = request;
      if (!canAssignRole(auth, 'owner')) throw forbidden('only an owner invites another owner');
      const code = generateInvitationCode();
      const email = request.body.email.trim().toLowerCase();
      const expiresAt = new Date(Date.now() + (request.body.ttlHours ?? 72) * 3600_000);
      await inTransaction(request, async (tx) => {
        const row = await insertInvitation(tx, {
          orgId: auth.orgId,
          email,
          role: 'owner',
          codeHash: hashInvitationCode(code),
          expiresAt,
          createdBy: auth.userId,
        });
        const details = { email, role: 'owner', expiresAt: expiresAt.toISOString() };
        await audit(
          request,
          { action: 'invitation.create', targetType: 'invitation', targetId: row.id, details },
          tx,
        );
      });
      return reply
        .status(201)
        .send({ code, email, role: 'owner' as const, expiresAt: expiresAt.toISOString() });
    },
  );
};

import type { Db } from '../db/client';
import { recordAudit } from '../db/queries/audit';
import { redeemInvitation } from '../db/queries/invitations';
import { createOrganisation, findOrganisationByName } from '../db/queries/organisations';
import { createUser, findUserByEmail } from '../db/queries/users';
import { AppError } from '../errors';
import { hashInvitationCode } from './invitation-code';
import { hashPassword } from './passwords';

export interface CreatedOwner {
  orgId: string;
  userId: string;
  createdOrg: boolean;
}

/** Where the new owner goes: a new organisation of this name, or the one an owner's invitation is for. */
export type OwnerTarget = { org: string } | { invitation: string };

/**
 * An owner account. With `org`, a new organisation is created; a name already in use is refused, because names
 * are not identities (two customers called "Default" must never share data). With `invitation`, the account joins
 * the organisation whose owner issued it (POST /api/invitations): for that email only, once, before it expires.
 * Refuses an email that is already taken rather than silently resetting someone's password.
 */
export async function createOwner(
  db: Db,
  input: { email: string; password: string; name?: string } & OwnerTarget,
): Promise<CreatedOwner> {
  if (input.password.length < 10) {
    throw new AppError('TALLY_BAD_REQUEST', 'the password must have at least 10 characters');
  }
  const email = input.email.trim().toLowerCase();
  if (await findUserByEmail(db, email)) {
    throw new AppError('TALLY_CONFLICT', `a user with email ${email} already exists`);
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const { orgId, createdOrg, via } =
      'invitation' in input
        ? await joinByInvitation(tx, input.invitation, email)
        : await newOrganisation(tx, input.org);
    const user = await createUser(tx, orgId, { email, name: input.name ?? '', passwordHash, role: 'owner' });
    await recordAudit(tx, orgId, {
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      details: { role: 'owner', via },
    });
    return { orgId, userId: user.id, createdOrg };
  });
}

async function newOrganisation(db: Db, name: string) {
  const existing = await findOrganisationByName(db, name);
  if (existing) {
    throw new AppError(
      'TALLY_CONFLICT',
      `an organisation named ${JSON.stringify(name)} already exists (${existing.id}): pick another name for a ` +
        'new one, or ask one of its owners for an invitation (POST /api/invitations) to join it',
    );
  }
  const org = await createOrganisation(db, name);
  return { orgId: org.id, createdOrg: true, via: 'cli' };
}

async function joinByInvitation(db: Db, code: string, email: string) {
  const invitation = await redeemInvitation(db, hashInvitationCode(code), email, new Date());
  if (!invitation) {
    throw new AppError(
      'TALLY_BAD_REQUEST',
      `no valid invitation for ${email} with this code: it may be used, expired, or for another email`,
    );
  }
  return { orgId: invitation.orgId, createdOrg: false, via: `invitation ${invitation.id}` };
}

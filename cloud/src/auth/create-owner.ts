import type { Db } from '../db/client';
import { recordAudit } from '../db/queries/audit';
import { createOrganisation, findOrganisationByName } from '../db/queries/organisations';
import { createUser, findUserByEmail } from '../db/queries/users';
import { AppError } from '../errors';
import { hashPassword } from './passwords';

export interface CreatedOwner {
  orgId: string;
  userId: string;
  createdOrg: boolean;
}

/**
 * The first owner of an organisation (created when no organisation of that name exists). Refuses an email that
 * is already taken rather than silently resetting someone's password.
 */
export async function createOwner(
  db: Db,
  input: { email: string; password: string; org: string; name?: string },
): Promise<CreatedOwner> {
  if (input.password.length < 10) {
    throw new AppError('TALLY_BAD_REQUEST', 'the password must have at least 10 characters');
  }
  if (await findUserByEmail(db, input.email)) {
    throw new AppError('TALLY_CONFLICT', `a user with email ${input.email} already exists`);
  }
  const existing = await findOrganisationByName(db, input.org);
  const org = existing ?? (await createOrganisation(db, input.org));
  const user = await createUser(db, org.id, {
    email: input.email,
    name: input.name ?? '',
    passwordHash: await hashPassword(input.password),
    role: 'owner',
  });
  await recordAudit(db, org.id, {
    action: 'user.create',
    targetType: 'user',
    targetId: user.id,
    details: { role: 'owner', via: 'cli' },
  });
  return { orgId: org.id, userId: user.id, createdOrg: !existing };
}

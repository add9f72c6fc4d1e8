import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { organisations } from '../schema/index';

export type OrganisationRow = typeof organisations.$inferSelect;

export async function createOrganisation(db: Db, name: string): Promise<OrganisationRow> {
  const [row] = await db.insert(organisations).values({ name }).returning();
  return row!;
}

export async function findOrganisationByName(db: Db, name: string): Promise<OrganisationRow | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.name, name));
  return row;
}

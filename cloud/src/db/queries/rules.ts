import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { rules } from '../schema/index';

export type RuleRow = typeof rules.$inferSelect;

export async function getRule(db: Db, orgId: string, ruleId: string): Promise<RuleRow | undefined> {
  const [row] = await db
    .select()
    .from(rules)
    .where(and(eq(rules.orgId, orgId), eq(rules.id, ruleId)));
  return row;
}

export async function listCameraRules(db: Db, orgId: string, cameraIds: string[]): Promise<RuleRow[]> {
  if (cameraIds.length === 0) return [];
  return db
    .select()
    .from(rules)
    .where(and(eq(rules.orgId, orgId), inArray(rules.cameraId, cameraIds)))
    .orderBy(asc(rules.ruleKey));
}

export async function insertRule(
  db: Db,
  row: {
    orgId: string;
    siteId: string;
    cameraId: string;
    ruleKey: string;
    kind: 'line' | 'zone';
    name: string;
    definition: Record<string, unknown>;
  },
): Promise<RuleRow> {
  const [inserted] = await db.insert(rules).values(row).returning();
  return inserted!;
}

export async function updateRule(
  db: Db,
  orgId: string,
  ruleId: string,
  patch: { name?: string; definition?: Record<string, unknown> },
): Promise<RuleRow | undefined> {
  const [row] = await db
    .update(rules)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(rules.orgId, orgId), eq(rules.id, ruleId)))
    .returning();
  return row;
}

export async function deleteRule(db: Db, orgId: string, ruleId: string): Promise<boolean> {
  const rows = await db
    .delete(rules)
    .where(and(eq(rules.orgId, orgId), eq(rules.id, ruleId)))
    .returning({ id: rules.id });
  return rows.length > 0;
}

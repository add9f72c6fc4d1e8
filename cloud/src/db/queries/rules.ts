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

/**
 * Makes a camera's rules exactly `drafts` (call inside the config push transaction): a known key is updated in
 * place, so its id and the counts history under it stay; new keys are inserted; keys left out are deleted.
 */
export async function replaceCameraRules(
  db: Db,
  camera: { orgId: string; siteId: string; id: string },
  drafts: ReadonlyArray<{
    key: string;
    kind: 'line' | 'zone';
    name: string;
    definition: Record<string, unknown>;
  }>,
): Promise<RuleRow[]> {
  const existing = await listCameraRules(db, camera.orgId, [camera.id]);
  const byKey = new Map(existing.map((r) => [r.ruleKey, r]));
  const wanted = new Set(drafts.map((d) => d.key));
  for (const gone of existing.filter((r) => !wanted.has(r.ruleKey))) {
    await deleteRule(db, camera.orgId, gone.id);
  }
  const saved: RuleRow[] = [];
  for (const d of drafts) {
    const current = byKey.get(d.key);
    if (current && current.kind === d.kind) {
      saved.push(
        (await updateRule(db, camera.orgId, current.id, { name: d.name, definition: d.definition }))!,
      );
      continue;
    }
    // A key that changed kind is a new rule: its old counts meant something else.
    if (current) await deleteRule(db, camera.orgId, current.id);
    saved.push(
      await insertRule(db, {
        orgId: camera.orgId,
        siteId: camera.siteId,
        cameraId: camera.id,
        ruleKey: d.key,
        kind: d.kind,
        name: d.name,
        definition: d.definition,
      }),
    );
  }
  return saved;
}

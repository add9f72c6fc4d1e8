import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { models } from '../schema/index';

export type ModelRow = typeof models.$inferSelect;

export async function getModel(db: Db, orgId: string, modelId: string): Promise<ModelRow | undefined> {
  const [row] = await db
    .select()
    .from(models)
    .where(and(eq(models.orgId, orgId), eq(models.id, modelId)));
  return row;
}

export async function getModels(db: Db, orgId: string, modelIds: string[]): Promise<ModelRow[]> {
  if (modelIds.length === 0) return [];
  return db
    .select()
    .from(models)
    .where(and(eq(models.orgId, orgId), inArray(models.id, modelIds)));
}

export async function listModels(db: Db, orgId: string): Promise<ModelRow[]> {
  return db
    .select()
    .from(models)
    .where(eq(models.orgId, orgId))
    .orderBy(asc(models.name), asc(models.version));
}

export async function insertModel(
  db: Db,
  row: {
    orgId: string;
    modelKey: string;
    name: string;
    version: string;
    layout: string;
    classNames?: string[] | null;
  },
): Promise<ModelRow> {
  const [inserted] = await db.insert(models).values(row).returning();
  return inserted!;
}

export async function setModelFile(
  db: Db,
  orgId: string,
  modelId: string,
  file: { filePath: string; sha256: string; sizeBytes: number },
): Promise<ModelRow | undefined> {
  const [row] = await db
    .update(models)
    .set(file)
    .where(and(eq(models.orgId, orgId), eq(models.id, modelId)))
    .returning();
  return row;
}

export async function deleteModel(db: Db, orgId: string, modelId: string): Promise<boolean> {
  const rows = await db
    .delete(models)
    .where(and(eq(models.orgId, orgId), eq(models.id, modelId)))
    .returning({ id: models.id });
  return rows.length > 0;
}

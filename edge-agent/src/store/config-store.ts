import { and, desc, eq } from 'drizzle-orm';
import type { DeviceConfig, ValidationIssue } from '@tally/proto';
import type { StoreDb } from './database';
import { appliedConfigs } from './schema';

export interface ConfigRecord {
  version: number;
  hash: string;
  source: 'cloud' | 'file';
  status: 'applied' | 'rejected';
  body?: string;
  errors?: ValidationIssue[];
}

/** Config versions received and their outcome; the newest applied one is what the agent runs after a restart. */
export class ConfigStore {
  constructor(private readonly db: StoreDb) {}

  record(r: ConfigRecord, at = Date.now()): void {
    this.db
      .insert(appliedConfigs)
      .values({
        version: r.version,
        hash: r.hash,
        source: r.source,
        status: r.status,
        body: r.body ?? null,
        errors: r.errors ? JSON.stringify(r.errors) : null,
        at,
      })
      .run();
    // Keep the history short: the newest 50 rows.
    this.db.$client
      .prepare(
        'DELETE FROM applied_configs WHERE id NOT IN (SELECT id FROM applied_configs ORDER BY id DESC LIMIT 50)',
      )
      .run();
  }

  /** The config applied most recently, or undefined on a fresh box. */
  lastApplied(): DeviceConfig | undefined {
    const row = this.db
      .select()
      .from(appliedConfigs)
      .where(and(eq(appliedConfigs.status, 'applied')))
      .orderBy(desc(appliedConfigs.id))
      .limit(1)
      .get();
    return row?.body ? (JSON.parse(row.body) as DeviceConfig) : undefined;
  }

  history(): ConfigRecord[] {
    return this.db
      .select()
      .from(appliedConfigs)
      .orderBy(desc(appliedConfigs.id))
      .all()
      .map((r) => ({
        version: r.version,
        hash: r.hash,
        source: r.source,
        status: r.status,
        ...(r.body ? { body: r.body } : {}),
        ...(r.errors ? { errors: JSON.parse(r.errors) as ValidationIssue[] } : {}),
      }));
  }
}

import { eq } from 'drizzle-orm';
import type { StoreDb } from './database';
import { deviceIdentity } from './schema';

export type DeviceIdentity = Omit<typeof deviceIdentity.$inferSelect, 'id'>;

/** The box's identity and cloud credentials (one row; provisioning again replaces it). */
export class IdentityStore {
  constructor(private readonly db: StoreDb) {}

  get(): DeviceIdentity | undefined {
    const row = this.db.select().from(deviceIdentity).where(eq(deviceIdentity.id, 1)).get();
    if (!row) return undefined;
    const { id: _id, ...identity } = row;
    return identity;
  }

  replace(identity: DeviceIdentity): void {
    this.db
      .insert(deviceIdentity)
      .values({ id: 1, ...identity })
      .onConflictDoUpdate({ target: deviceIdentity.id, set: identity })
      .run();
  }
}

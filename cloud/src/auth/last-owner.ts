import type { Role } from '@tally/proto';

/**
 * An organisation always keeps at least one enabled owner: only an owner can make owners, change an owner or invite
 * one, so an organisation without one could never be repaired through the API. This decides, from the owners
 * counted under a lock in the same transaction, whether a change to `target` would leave none.
 */
export interface OwnerChange {
  role?: Role;
  disabled?: boolean;
  deleted?: boolean;
}

export function leavesNoOwner(
  target: { id: string; role: string; disabled: boolean },
  change: OwnerChange,
  enabledOwnerIds: readonly string[],
): boolean {
  if (target.role !== 'owner' || target.disabled) return false;
  const stopsBeingOwner =
    change.deleted === true ||
    change.disabled === true ||
    (change.role !== undefined && change.role !== 'owner');
  if (!stopsBeingOwner) return false;
  return enabledOwnerIds.filter((id) => id !== target.id).length === 0;
}

export const LAST_OWNER_MESSAGE =
  'this is the last owner of the organisation: make another user an owner first, then change or remove this one';

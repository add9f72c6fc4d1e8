import { describe, expect, it } from 'vitest';
import {
  can,
  canAssignRole,
  canManageSite,
  canReadSite,
  scopeFor,
  type AuthContext,
} from '../../src/auth/permissions';

const ctx = (role: AuthContext['role'], siteIds: string[] | 'all' = ['s1']): AuthContext => ({
  userId: 'u',
  orgId: 'o',
  role,
  siteIds,
});

describe('permissions (pure)', () => {
  it('scopes site roles to their sites and lets org-wide roles everywhere', () => {
    expect(canReadSite(ctx('site_manager'), 's1')).toBe(true);
    expect(canReadSite(ctx('site_manager'), 's2')).toBe(false);
    expect(canManageSite(ctx('site_manager'), 's1')).toBe(true);
    expect(canManageSite(ctx('installer'), 's1')).toBe(false);
    expect(can(ctx('installer'), 'camera.setup', 's1')).toBe(true);
    expect(can(ctx('installer'), 'device.provision', 's2')).toBe(false);
    expect(can(ctx('viewer'), 'camera.setup', 's1')).toBe(false);
    expect(can(ctx('admin', 'all'), 'device.manage', 'anything')).toBe(true);
  });

  it('keeps owners in charge of owners', () => {
    expect(canAssignRole(ctx('admin', 'all'), 'owner')).toBe(false);
    expect(canAssignRole(ctx('admin', 'all'), 'viewer', 'owner')).toBe(false);
    expect(canAssignRole(ctx('admin', 'all'), 'site_manager', 'viewer')).toBe(true);
    expect(canAssignRole(ctx('owner', 'all'), 'owner')).toBe(true);
    expect(canAssignRole(ctx('site_manager'), 'viewer')).toBe(false);
  });

  it('derives the scope from role and stored sites', () => {
    expect(scopeFor('admin', ['s1'])).toBe('all');
    expect(scopeFor('installer', ['s1'])).toEqual(['s1']);
    expect(scopeFor('installer', [])).toEqual([]);
    expect(scopeFor('viewer', [])).toBe('all');
  });
});

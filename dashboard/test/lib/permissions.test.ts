import { describe, expect, it } from 'vitest';
import { may } from '../../src/lib/permissions';

describe('which buttons a user sees', () => {
  it('a site manager exports and acknowledges when the cloud grants it', () => {
    const manager = {
      role: 'site_manager' as const,
      permissions: ['site.read', 'data.export', 'alert.ack'] as const,
    };
    expect(may({ ...manager, permissions: [...manager.permissions] }, 'data.export')).toBe(true);
    expect(may({ ...manager, permissions: [...manager.permissions] }, 'alert.ack')).toBe(true);
  });

  it('a viewer reads only, even though the cloud lets viewers export through the API', () => {
    expect(may({ role: 'viewer', permissions: ['site.read', 'data.export'] }, 'data.export')).toBe(false);
    expect(may({ role: 'viewer', permissions: ['site.read', 'data.export'] }, 'alert.ack')).toBe(false);
  });

  it('no button the cloud would refuse: a role without the permission in /api/me gets none', () => {
    expect(may({ role: 'site_manager', permissions: ['site.read'] }, 'alert.ack')).toBe(false);
    expect(may(null, 'data.export')).toBe(false);
  });

  it('an older cloud without permissions in /api/me: the role table alone', () => {
    expect(may({ role: 'admin' }, 'data.export')).toBe(true);
    expect(may({ role: 'installer' }, 'data.export')).toBe(false);
  });
});

import type { AuditFilter } from '@tally/proto';

/** The filter as the page's URL holds it: times as the browser's local `datetime-local` values. */
export interface FilterFields {
  actorUserId: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
}

const KEYS: (keyof FilterFields)[] = ['actorUserId', 'action', 'targetType', 'targetId', 'from', 'to'];

export function fieldsFromParams(params: URLSearchParams): FilterFields {
  return Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as FilterFields;
}

export function fieldsToParams(f: FilterFields): URLSearchParams {
  const params = new URLSearchParams();
  for (const k of KEYS) if (f[k].trim()) params.set(k, f[k].trim());
  return params;
}

/** A local `datetime-local` value ("2026-03-02T09:00") as an instant, or undefined when empty or invalid. */
function instant(local: string): string | undefined {
  if (!local) return undefined;
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The API's filter: empty fields left out, times as instants. */
export function toApiFilter(f: FilterFields): AuditFilter {
  const from = instant(f.from);
  const to = instant(f.to);
  return {
    ...(f.actorUserId ? { actorUserId: f.actorUserId } : {}),
    ...(f.action.trim() ? { action: f.action.trim() } : {}),
    ...(f.targetType.trim() ? { targetType: f.targetType.trim() } : {}),
    ...(f.targetId.trim() ? { targetId: f.targetId.trim() } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** Actions the cloud records, offered as suggestions (the field accepts any). */
export const KNOWN_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.password_change',
  'user.create',
  'user.role',
  'user.disable',
  'user.enable',
  'user.password_reset',
  'user.delete',
  'invitation.create',
  'site.create',
  'site.update',
  'site.delete',
  'claim_code.create',
  'device.provision',
  'device.rotate_credentials',
  'device.revoke',
  'device.delete',
  'camera.create',
  'camera.delete',
  'rule.create',
  'rule.update',
  'rule.delete',
  'model.create',
  'model.upload',
  'model.delete',
  'alert_rule.create',
  'alert_rule.delete',
  'alert.ack',
  'data.export',
  'audit.export',
];

export const TARGET_TYPES = [
  'user',
  'site',
  'device',
  'camera',
  'rule',
  'model',
  'alert',
  'alert_rule',
  'report_schedule',
  'invitation',
  'audit',
];

/**
 * The audit log as CSV (RFC 4180), one pure function per line, so an export can be streamed page by page.
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (CSV
 * injection): a user's name or a target id chosen by an attacker could then run in the reader's spreadsheet. Such
 * text cells get a leading `'`, which spreadsheets show as text (OWASP's advice). Numbers are written as numbers.
 */
export interface AuditCsvRow {
  id: number;
  createdAt: Date;
  action: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorDeviceId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export const AUDIT_CSV_HEADER =
  'id,created_at,action,actor_user_id,actor_email,actor_device_id,target_type,target_id,ip,details\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One text cell: guarded against formulas, then quoted when it holds a quote, comma or line break. */
export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function auditCsvLine(r: AuditCsvRow): string {
  return (
    [
      String(r.id),
      r.createdAt.toISOString(),
      csvText(r.action),
      csvText(r.actorUserId),
      csvText(r.actorEmail),
      csvText(r.actorDeviceId),
      csvText(r.targetType),
      csvText(r.targetId),
      csvText(r.ip),
      csvText(r.details === null ? null : JSON.stringify(r.details)),
    ].join(',') + '\r\n'
  );
}

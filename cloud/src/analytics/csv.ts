import type { CountsReport } from '@tally/proto';

const HEADER = [
  'start',
  'start_ms',
  'kind',
  'device_id',
  'camera_id',
  'rule_id',
  'object_class',
  'direction',
  'in',
  'out',
  'total',
  'net',
];

/** RFC 4180 quoting: ids are safe by contract, but class names and future fields may not be. */
function cell(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The counts report as CSV: one line per series point, the series key in its own columns. */
export function countsToCsv(report: CountsReport): string {
  const lines = [HEADER.join(',')];
  for (const s of report.series) {
    for (const p of s.points) {
      lines.push(
        [
          p.start,
          p.startMs,
          s.key.kind,
          s.key.deviceId,
          s.key.cameraId,
          s.key.ruleId,
          s.key.objectClass,
          s.key.direction,
          p.in,
          p.out,
          p.total,
          p.net,
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

import type { AlertCondition, AlertKind, AlertRule, AlertRuleBody } from '@tally/proto';

/**
 * The rule form's fields, all strings as inputs hold them, and the conversions to and from the API's rule. Pure:
 * the form and its tests share them.
 */
export interface RuleFields {
  name: string;
  kind: AlertKind;
  threshold: string;
  forMinutes: string;
  periodMinutes: string;
  /** occupancy_above: a zone key, '' = any zone. */
  zoneId: string;
  /** count_above/below: a line or zone key, '' = all of the site. */
  ruleId: string;
  direction: '' | 'in' | 'out';
  webhookUrl: string;
  emailTo: string;
  enabled: boolean;
}

export const KINDS: { kind: AlertKind; label: string }[] = [
  { kind: 'occupancy_above', label: 'Occupancy above N for M minutes' },
  { kind: 'count_above', label: 'Count above N per period' },
  { kind: 'count_below', label: 'Count below N per period' },
  { kind: 'device_offline', label: 'Device offline' },
  { kind: 'camera_stalled', label: 'Camera stalled' },
];

/** Which inputs a kind uses. */
export function fieldsOf(kind: AlertKind) {
  const count = kind === 'count_above' || kind === 'count_below';
  return {
    threshold: count || kind === 'occupancy_above',
    period: count,
    zone: kind === 'occupancy_above',
    countedRule: count,
  };
}

export const EMPTY_FIELDS: RuleFields = {
  name: '',
  kind: 'occupancy_above',
  threshold: '',
  forMinutes: '5',
  periodMinutes: '60',
  zoneId: '',
  ruleId: '',
  direction: '',
  webhookUrl: '',
  emailTo: '',
  enabled: true,
};

export function fromRule(rule: AlertRule): RuleFields {
  const c = rule.condition;
  return {
    ...EMPTY_FIELDS,
    name: rule.name,
    kind: c.kind,
    threshold: 'threshold' in c ? String(c.threshold) : '',
    forMinutes: String(c.forMinutes ?? 0),
    periodMinutes: 'periodMinutes' in c ? String(c.periodMinutes) : EMPTY_FIELDS.periodMinutes,
    zoneId: 'zoneId' in c ? (c.zoneId ?? '') : '',
    ruleId: 'ruleId' in c ? (c.ruleId ?? '') : '',
    direction: 'direction' in c ? (c.direction ?? '') : '',
    webhookUrl: rule.webhookUrl ?? '',
    emailTo: rule.emailTo ?? '',
    enabled: rule.enabled,
  };
}

export function toCondition(f: RuleFields): AlertCondition {
  const forMinutes = Number(f.forMinutes || 0);
  switch (f.kind) {
    case 'occupancy_above':
      return {
        kind: f.kind,
        threshold: Number(f.threshold),
        forMinutes,
        ...(f.zoneId ? { zoneId: f.zoneId } : {}),
      };
    case 'device_offline':
    case 'camera_stalled':
      return { kind: f.kind, forMinutes };
    case 'count_above':
    case 'count_below':
      return {
        kind: f.kind,
        threshold: Number(f.threshold),
        periodMinutes: Number(f.periodMinutes),
        forMinutes,
        ...(f.ruleId ? { ruleId: f.ruleId } : {}),
        ...(f.direction ? { direction: f.direction } : {}),
      };
  }
}

/** The body of a new rule: empty targets left out. */
export function toBody(f: RuleFields): AlertRuleBody {
  return {
    name: f.name.trim(),
    condition: toCondition(f),
    enabled: f.enabled,
    ...(f.webhookUrl.trim() ? { webhookUrl: f.webhookUrl.trim() } : {}),
    ...(f.emailTo.trim() ? { emailTo: f.emailTo.trim() } : {}),
  };
}

/** The change to an existing rule: every field, an emptied target as null (removed). */
export function toPatch(f: RuleFields) {
  return {
    name: f.name.trim(),
    condition: toCondition(f),
    enabled: f.enabled,
    webhookUrl: f.webhookUrl.trim() || null,
    emailTo: f.emailTo.trim() || null,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line a person reads: "More than 30 inside zone lobby for 5 minutes". */
export function describeCondition(c: AlertCondition, labelOf: (key: string) => string = (k) => k): string {
  const held = c.forMinutes ? ` for ${plural(c.forMinutes, 'minute')}` : '';
  switch (c.kind) {
    case 'occupancy_above':
      return `More than ${c.threshold} inside ${c.zoneId ? labelOf(c.zoneId) : 'any zone'}${held}`;
    case 'device_offline':
      return `A device offline${held}`;
    case 'camera_stalled':
      return `A camera stalled${held}`;
    case 'count_above':
    case 'count_below': {
      const what = `${c.direction ? `${c.direction} ` : ''}count of ${c.ruleId ? labelOf(c.ruleId) : 'the site'}`;
      const cmp = c.kind === 'count_above' ? 'above' : 'below';
      return `${what[0]!.toUpperCase()}${what.slice(1)} ${cmp} ${c.threshold} in ${plural(c.periodMinutes, 'minute')}${held}`;
    }
  }
}

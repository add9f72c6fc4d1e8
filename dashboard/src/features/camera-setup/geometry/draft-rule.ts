import { polygonIssue, type Point, type Rule, type RuleDraft } from '@tally/proto';

/**
 * A rule while it is edited. `extra` keeps the definition's other fields (anchor, sustainMs…) untouched, so
 * saving from the editor never drops what it does not show. A zone is `closed` once its shape is finished.
 */
export type DraftRule =
  | {
      key: string;
      kind: 'line';
      name: string;
      classes: string[];
      p1: Point;
      p2: Point;
      extra: Record<string, unknown>;
    }
  | {
      key: string;
      kind: 'zone';
      name: string;
      classes: string[];
      polygon: Point[];
      closed: boolean;
      dwellThresholdS: number | null;
      extra: Record<string, unknown>;
    };

export function fromApiRule(rule: Rule): DraftRule {
  const { classes, ...def } = rule.definition as Record<string, unknown> & { classes?: string[] };
  if (rule.kind === 'line') {
    const { p1, p2, ...extra } = def as { p1: Point; p2: Point };
    return { key: rule.key, kind: 'line', name: rule.name, classes: classes ?? [], p1, p2, extra };
  }
  const { polygon, dwellThresholdS, ...extra } = def as { polygon: Point[]; dwellThresholdS?: number };
  return {
    key: rule.key,
    kind: 'zone',
    name: rule.name,
    classes: classes ?? [],
    polygon,
    closed: true,
    dwellThresholdS: dwellThresholdS ?? null,
    extra,
  };
}

/** The body of `PUT /api/cameras/:id/rules` for one rule (no classes: the camera's). */
export function toRuleDraft(rule: DraftRule): RuleDraft {
  const classes = rule.classes.length > 0 ? { classes: rule.classes } : {};
  if (rule.kind === 'line') {
    return {
      key: rule.key,
      kind: 'line',
      name: rule.name,
      definition: { ...rule.extra, ...classes, p1: rule.p1, p2: rule.p2 },
    };
  }
  return {
    key: rule.key,
    kind: 'zone',
    name: rule.name,
    definition: {
      ...rule.extra,
      ...classes,
      polygon: rule.polygon,
      ...(rule.dwellThresholdS !== null ? { dwellThresholdS: rule.dwellThresholdS } : {}),
    },
  };
}

/** What keeps a rule from being saved, in words for the installer; null when it can be. */
export function draftIssue(rule: DraftRule): string | null {
  if (!rule.name.trim()) return 'give it a name';
  if (rule.kind === 'line') {
    return rule.p1.x === rule.p2.x && rule.p1.y === rule.p2.y ? 'its two points are the same' : null;
  }
  if (!rule.closed) return 'close the shape (tap its first point, or "Close shape")';
  if (rule.polygon.length < 3) return 'a zone needs at least 3 points';
  const dwell = rule.dwellThresholdS;
  if (dwell !== null && !(Number.isFinite(dwell) && dwell >= 1 && dwell <= 86400)) {
    return 'the dwell threshold is between 1 and 86400 seconds (empty: off)';
  }
  return polygonIssue(rule.polygon);
}

/** A key not used yet on this camera: `line-1`, `zone-2`… */
export function nextKey(rules: readonly DraftRule[], kind: DraftRule['kind']): string {
  const used = new Set(rules.map((r) => r.key));
  for (let n = 1; ; n++) if (!used.has(`${kind}-${n}`)) return `${kind}-${n}`;
}

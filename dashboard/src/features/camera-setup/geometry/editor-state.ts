import type { Point } from '@tally/proto';
import { nextKey, type DraftRule } from './draft-rule';
import { appendPoint, clampPoint, closeZone, deletePoint, flipLine, movePoint, translate } from './edits';
import type { Hit } from './hit-test';

/**
 * The editor as a pure reducer: pointer presses, moves and releases (already mapped to camera points and hit-tested
 * by the component) and the toolbar's buttons in, the rules out. Lines take two presses (press, move, press: a tap
 * twice on a phone); a zone takes a press per vertex and closes on its first point or with "Close shape".
 */
export type Mode = 'select' | 'line' | 'zone';

type Drag =
  | { kind: 'point'; rule: number; point: number }
  | { kind: 'shape'; rule: number; start: Point; original: DraftRule };

export interface EditorState {
  rules: DraftRule[];
  mode: Mode;
  selected: number | null;
  selectedPoint: number | null;
  /** A line's first point, while its second is awaited. */
  pendingLine: Point | null;
  /** Where the pointer is while drawing (the line's preview end). */
  hover: Point | null;
  drag: Drag | null;
  /** Changed since loaded or saved. */
  dirty: boolean;
  defaultClasses: string[];
}

export type EditorAction =
  | { type: 'load'; rules: DraftRule[] }
  | { type: 'mode'; mode: Mode }
  | { type: 'down'; at: Point; hit: Hit | null }
  | { type: 'move'; at: Point }
  | { type: 'up' }
  | { type: 'select'; rule: number | null }
  | { type: 'flip'; rule: number }
  | { type: 'delete-point' }
  | { type: 'delete-rule'; rule: number }
  | { type: 'close-zone' }
  | {
      type: 'update';
      rule: number;
      patch: Partial<Pick<DraftRule, 'name' | 'classes'>> & { dwellThresholdS?: number | null };
    };

export function initialEditor(rules: DraftRule[] = [], defaultClasses: string[] = ['person']): EditorState {
  return {
    rules,
    mode: 'select',
    selected: null,
    selectedPoint: null,
    pendingLine: null,
    hover: null,
    drag: null,
    dirty: false,
    defaultClasses,
  };
}

const replace = (rules: DraftRule[], i: number, rule: DraftRule) => rules.map((r, j) => (j === i ? rule : r));

/** The zone being drawn (the selected, still open one), if any. */
export function openZone(s: EditorState): number | null {
  const r = s.selected !== null ? s.rules[s.selected] : undefined;
  return r && r.kind === 'zone' && !r.closed ? s.selected : null;
}

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  switch (a.type) {
    case 'load':
      return { ...initialEditor(a.rules, s.defaultClasses) };
    case 'mode':
      return { ...s, mode: a.mode, pendingLine: null, hover: null, drag: null, selectedPoint: null };
    case 'select':
      return { ...s, selected: a.rule, selectedPoint: null };
    case 'down':
      return down(s, a.at, a.hit);
    case 'move':
      return move(s, a.at);
    case 'up':
      return { ...s, drag: null };
    case 'flip': {
      const rule = s.rules[a.rule];
      if (!rule || rule.kind !== 'line') return s;
      return { ...s, rules: replace(s.rules, a.rule, flipLine(rule)), selected: a.rule, dirty: true };
    }
    case 'delete-point': {
      if (s.selected === null || s.selectedPoint === null) return s;
      const before = s.rules[s.selected]!;
      const after = deletePoint(before, s.selectedPoint);
      if (after === before) return s;
      return { ...s, rules: replace(s.rules, s.selected, after), selectedPoint: null, dirty: true };
    }
    case 'delete-rule':
      return {
        ...s,
        rules: s.rules.filter((_, i) => i !== a.rule),
        selected: null,
        selectedPoint: null,
        dirty: true,
      };
    case 'close-zone': {
      const i = openZone(s);
      if (i === null) return s;
      const closed = closeZone(s.rules[i]!);
      if (closed === s.rules[i]) return s;
      return { ...s, rules: replace(s.rules, i, closed), mode: 'select', dirty: true };
    }
    case 'update': {
      const rule = s.rules[a.rule];
      if (!rule) return s;
      const { dwellThresholdS, ...patch } = a.patch;
      const next = { ...rule, ...patch } as DraftRule;
      if (next.kind === 'zone' && dwellThresholdS !== undefined) next.dwellThresholdS = dwellThresholdS;
      return { ...s, rules: replace(s.rules, a.rule, next), dirty: true };
    }
  }
}

function down(s: EditorState, at: Point, hit: Hit | null): EditorState {
  const p = clampPoint(at);
  if (s.mode === 'line') {
    if (!s.pendingLine) return { ...s, pendingLine: p, hover: p };
    if (s.pendingLine.x === p.x && s.pendingLine.y === p.y) return s; // a double tap: wait for a distinct end
    const key = nextKey(s.rules, 'line');
    const line: DraftRule = {
      key,
      kind: 'line',
      name: `Line ${key.slice(5)}`,
      classes: [...s.defaultClasses],
      p1: s.pendingLine,
      p2: p,
      extra: {},
    };
    const rules = [...s.rules, line];
    return {
      ...s,
      rules,
      selected: rules.length - 1,
      mode: 'select',
      pendingLine: null,
      hover: null,
      dirty: true,
    };
  }
  if (s.mode === 'zone') {
    const open = openZone(s);
    if (open === null) {
      const key = nextKey(s.rules, 'zone');
      const zone: DraftRule = {
        key,
        kind: 'zone',
        name: `Zone ${key.slice(5)}`,
        classes: [...s.defaultClasses],
        polygon: [p],
        closed: false,
        dwellThresholdS: null,
        extra: {},
      };
      const rules = [...s.rules, zone];
      return { ...s, rules, selected: rules.length - 1, selectedPoint: null, dirty: true };
    }
    const zone = s.rules[open]!;
    if (hit && hit.rule === open && hit.point === 0 && zone.kind === 'zone' && zone.polygon.length >= 3) {
      return { ...s, rules: replace(s.rules, open, closeZone(zone)), mode: 'select', dirty: true };
    }
    if (hit && hit.rule === open && hit.point !== null) return s; // on one of its own points: not a new vertex
    return { ...s, rules: replace(s.rules, open, appendPoint(zone, p)), dirty: true };
  }
  if (!hit) return { ...s, selected: null, selectedPoint: null };
  if (hit.point !== null) {
    return {
      ...s,
      selected: hit.rule,
      selectedPoint: hit.point,
      drag: { kind: 'point', rule: hit.rule, point: hit.point },
    };
  }
  return {
    ...s,
    selected: hit.rule,
    selectedPoint: null,
    drag: { kind: 'shape', rule: hit.rule, start: p, original: s.rules[hit.rule]! },
  };
}

function move(s: EditorState, at: Point): EditorState {
  const p = clampPoint(at);
  if (!s.drag) return s.pendingLine ? { ...s, hover: p } : s;
  const d = s.drag;
  const rule =
    d.kind === 'point'
      ? movePoint(s.rules[d.rule]!, d.point, p)
      : // From the shape as it was when pressed: clamping at an edge never accumulates.
        translate(d.original, { x: p.x - d.start.x, y: p.y - d.start.y });
  return { ...s, rules: replace(s.rules, d.rule, rule), dirty: true };
}

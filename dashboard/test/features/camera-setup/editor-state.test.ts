import { describe, expect, it } from 'vitest';
import {
  editorReducer,
  initialEditor,
  type EditorAction,
  type EditorState,
} from '../../../src/features/camera-setup/geometry/editor-state';

const run = (actions: EditorAction[], from: EditorState = initialEditor([], ['person'])) =>
  actions.reduce(editorReducer, from);

describe('the editor reducer', () => {
  it('draws a line with two presses, named and with the camera classes, then selects it', () => {
    const s = run([
      { type: 'mode', mode: 'line' },
      { type: 'down', at: { x: 0.1, y: 0.5 }, hit: null },
      { type: 'move', at: { x: 0.5, y: 0.52 } },
      { type: 'down', at: { x: 0.9, y: 0.55 }, hit: null },
    ]);
    expect(s.rules).toEqual([
      {
        key: 'line-1',
        kind: 'line',
        name: 'Line 1',
        classes: ['person'],
        p1: { x: 0.1, y: 0.5 },
        p2: { x: 0.9, y: 0.55 },
        extra: {},
      },
    ]);
    expect(s).toMatchObject({ mode: 'select', selected: 0, pendingLine: null, dirty: true });
  });

  it('draws a zone point by point and closes it on its first point', () => {
    const s = run([
      { type: 'mode', mode: 'zone' },
      { type: 'down', at: { x: 0.1, y: 0.1 }, hit: null },
      { type: 'down', at: { x: 0.5, y: 0.1 }, hit: null },
      { type: 'down', at: { x: 0.5, y: 0.5 }, hit: null },
      { type: 'down', at: { x: 0.1, y: 0.11 }, hit: { rule: 0, point: 0 } },
    ]);
    expect(s.rules[0]).toMatchObject({
      kind: 'zone',
      closed: true,
      polygon: [
        { x: 0.1, y: 0.1 },
        { x: 0.5, y: 0.1 },
        { x: 0.5, y: 0.5 },
      ],
    });
    expect(s.mode).toBe('select');
  });

  it('drags a point, drags a whole shape, and deletes the selected point', () => {
    const zone = run([
      { type: 'mode', mode: 'zone' },
      ...[
        { x: 0.1, y: 0.1 },
        { x: 0.5, y: 0.1 },
        { x: 0.5, y: 0.5 },
        { x: 0.1, y: 0.5 },
      ].map((at): EditorAction => ({ type: 'down', at, hit: null })),
      { type: 'close-zone' },
    ]);
    const dragged = run(
      [
        { type: 'down', at: { x: 0.5, y: 0.5 }, hit: { rule: 0, point: 2 } },
        { type: 'move', at: { x: 0.7, y: 0.6 } },
        { type: 'up' },
      ],
      zone,
    );
    expect(dragged.rules[0]).toMatchObject({ polygon: [{}, {}, { x: 0.7, y: 0.6 }, {}] });
    const moved = run(
      [
        { type: 'down', at: { x: 0.3, y: 0.3 }, hit: { rule: 0, point: null } },
        { type: 'move', at: { x: 0.4, y: 0.2 } },
        { type: 'move', at: { x: 0.35, y: 0.35 } },
        { type: 'up' },
        { type: 'move', at: { x: 0.9, y: 0.9 } }, // after release: nothing moves
      ],
      zone,
    );
    expect(moved.rules[0]).toMatchObject({
      polygon: [
        { x: 0.15, y: 0.15 },
        { x: 0.55, y: 0.15 },
        { x: 0.55, y: 0.55 },
        { x: 0.15, y: 0.55 },
      ],
    });
    const deleted = run(
      [
        { type: 'down', at: { x: 0.5, y: 0.1 }, hit: { rule: 0, point: 1 } },
        { type: 'up' },
        { type: 'delete-point' },
      ],
      zone,
    );
    expect(deleted.rules[0]).toMatchObject({
      polygon: [
        { x: 0.1, y: 0.1 },
        { x: 0.5, y: 0.5 },
        { x: 0.1, y: 0.5 },
      ],
    });
  });
});

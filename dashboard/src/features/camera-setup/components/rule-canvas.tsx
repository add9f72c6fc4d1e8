import type { Dispatch, PointerEvent } from 'react';
import { useRef } from 'react';
import type { EditorAction, EditorState } from '../geometry/editor-state';
import { hitTest, pointsOf } from '../geometry/hit-test';
import { inArrow } from '../geometry/line-direction';
import { containRect, toCamera, toScreen, type Size } from '../geometry/viewport';
import { useBoxSize } from './use-box-size';

/** A finger is less precise than a mouse: touch presses reach further for a handle. */
const HIT_RADIUS = { touch: 22, pen: 14, mouse: 12 } as const;

/**
 * The snapshot with the rules drawn over it in an SVG of the same box. Pointer events (mouse, touch and pen alike)
 * are mapped to camera points through the picture's letterboxed rectangle, hit-tested, and handed to the reducer.
 */
export function RuleCanvas({
  state,
  dispatch,
  imageUrl,
  frame,
}: {
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  imageUrl: string | null;
  /** The camera frame's size: the snapshot's own when loaded, else the camera's input size. */
  frame: Size;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  const box = useBoxSize(boxRef);
  const rect = containRect(box, frame);

  const local = (e: PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== undefined && e.button > 0) return;
    const s = local(e);
    const radius = HIT_RADIUS[e.pointerType as keyof typeof HIT_RADIUS] ?? HIT_RADIUS.mouse;
    const hit = hitTest(state.rules, s, rect, radius, state.selected);
    try {
      e.currentTarget.setPointerCapture?.(e.pointerId); // keeps the drag when the finger leaves the picture
    } catch {
      // a pointer the browser no longer tracks: the drag still works while over the picture
    }
    dispatch({ type: 'down', at: toCamera(s, rect), hit });
  };
  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!state.drag && !state.pendingLine) return;
    dispatch({ type: 'move', at: toCamera(local(e), rect) });
  };
  const onUp = () => state.drag && dispatch({ type: 'up' });

  return (
    <div className="editor-stage" ref={boxRef} style={{ aspectRatio: `${frame.width} / ${frame.height}` }}>
      {imageUrl ? (
        <img src={imageUrl} alt="Camera snapshot" className="editor-image" draggable={false} />
      ) : (
        <div className="editor-image placeholder" aria-hidden />
      )}
      <svg
        className={`editor-svg mode-${state.mode}`}
        viewBox={`0 0 ${Math.max(box.width, 1)} ${Math.max(box.height, 1)}`}
        role="application"
        aria-label="Rule editor: press to draw or drag lines and zones"
        data-testid="rule-canvas"
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
      >
        {state.rules.map((rule, i) => {
          const pts = pointsOf(rule).map((p) => toScreen(p, rect));
          const selected = i === state.selected;
          const cls = `rule ${rule.kind}${selected ? ' selected' : ''}`;
          if (rule.kind === 'line') {
            const arrow = inArrow(pts[0]!, pts[1]!, 40);
            return (
              <g key={rule.key} className={cls} data-rule={rule.key}>
                <line x1={pts[0]!.x} y1={pts[0]!.y} x2={pts[1]!.x} y2={pts[1]!.y} className="shape" />
                <line
                  x1={arrow.from.x}
                  y1={arrow.from.y}
                  x2={arrow.to.x}
                  y2={arrow.to.y}
                  className="arrow"
                  markerEnd="url(#in-arrow)"
                  data-testid={`arrow-${rule.key}`}
                />
                <text x={arrow.to.x} y={arrow.to.y} className="in-label" dx={6} dy={-6}>
                  in
                </text>
                <text x={pts[0]!.x} y={pts[0]!.y} className="name-label" dy={-12}>
                  {rule.name}
                </text>
                <Handles points={pts} selectedPoint={selected ? state.selectedPoint : null} />
              </g>
            );
          }
          const attr = pts.map((p) => `${p.x},${p.y}`).join(' ');
          return (
            <g key={rule.key} className={cls} data-rule={rule.key}>
              {rule.closed ? (
                <polygon points={attr} className="shape" />
              ) : (
                <polyline points={attr} className="shape open" />
              )}
              {pts[0] && (
                <text x={pts[0].x} y={pts[0].y} className="name-label" dy={-12}>
                  {rule.name}
                </text>
              )}
              <Handles
                points={pts}
                selectedPoint={selected ? state.selectedPoint : null}
                first={!rule.closed}
              />
            </g>
          );
        })}
        {state.pendingLine && (
          <g className="rule line pending">
            {(() => {
              const a = toScreen(state.pendingLine, rect);
              const b = toScreen(state.hover ?? state.pendingLine, rect);
              return (
                <>
                  <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className="shape" />
                  <circle cx={a.x} cy={a.y} r={7} className="handle" />
                </>
              );
            })()}
          </g>
        )}
        <defs>
          <marker
            id="in-arrow"
            viewBox="0 0 10 10"
            refX="8"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
          </marker>
        </defs>
      </svg>
    </div>
  );
}

function Handles({
  points,
  selectedPoint,
  first = false,
}: {
  points: { x: number; y: number }[];
  selectedPoint: number | null;
  first?: boolean;
}) {
  return (
    <>
      {points.map((p, k) => (
        <circle
          key={k}
          cx={p.x}
          cy={p.y}
          r={k === selectedPoint ? 9 : 7}
          className={`handle${k === selectedPoint ? ' selected' : ''}${first && k === 0 ? ' first' : ''}`}
        />
      ))}
    </>
  );
}

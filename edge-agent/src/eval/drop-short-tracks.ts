/**
 * Offline: drops tracks whose whole life (first to last reported frame) is shorter than a duration. A person in view
 * is tracked for seconds; a track that lives a few frames is mostly a false detection that happened to repeat
 * (ByteTrack's published results drop short tracklets the same way, its `n_min`). It needs the track's end, so it is
 * for offline evaluation only; live counting is unaffected (a short track rarely crosses a line, and when it does the
 * count is made when it happens). Duration in seconds, so a setting behaves the same at 10 and 25 fps: a track seen
 * in frames a … b lives (b − a + 1) / frameRate seconds.
 * Pure: no I/O, inputs are not modified.
 */
import type { FrameBox } from './interpolate-gaps';

export interface Kept<T extends FrameBox> {
  frames: T[][];
  /** Ids of the tracks dropped. */
  dropped: number[];
}

export function dropShortTracks<T extends FrameBox>(
  frames: readonly (readonly T[])[],
  frameRate: number,
  minTrackS: number,
): Kept<T> {
  if (!(frameRate > 0)) throw new Error('dropShortTracks: frameRate must be > 0');
  if (!(minTrackS >= 0)) throw new Error('dropShortTracks: minTrackS must be ≥ 0');
  const span = new Map<number, { first: number; last: number }>();
  frames.forEach((list, f) => {
    for (const { id } of list) {
      const s = span.get(id);
      if (s) s.last = f;
      else span.set(id, { first: f, last: f });
    }
  });
  const dropped = new Set<number>();
  // 1e-6: a track of exactly 5 frames at 10 fps lives 0.5 s, floating point notwithstanding.
  for (const [id, { first, last }] of span)
    if ((last - first + 1) / frameRate < minTrackS - 1e-6) dropped.add(id);
  return {
    frames: frames.map((list) => list.filter((b) => !dropped.has(b.id))),
    dropped: [...dropped].sort((a, b) => a - b),
  };
}

/**
 * The data that flows through one camera's pipeline: frames → detections → tracks → count events.
 * Coordinates here are pixels of the decoded frame (x right, y down); proto's configs are normalised [0, 1] and
 * are scaled once when a camera starts.
 */
import type { CountEvent, OccupancySample } from '@tally/proto';

/** A decoded frame: packed BGR24, `width * height * 3` bytes. */
export interface Frame {
  data: Uint8Array;
  width: number;
  height: number;
  /** Capture time, ms UTC: events are stamped with it. */
  ts: number;
  /** Index of the frame since the source started. */
  index: number;
}

/** An axis-aligned box in pixels, corners (x1, y1) top-left and (x2, y2) bottom-right. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Detection {
  box: Box;
  score: number;
  classId: number;
  className: string;
}

/** A confirmed track as the tracker reports it after each update. */
export interface TrackedObject {
  /** Unique per tracker instance, never reused. */
  id: number;
  box: Box;
  score: number;
  className: string;
  /** True when a detection matched this track in this frame (false: predicted through a short gap). */
  matched: boolean;
  /**
   * Only in the first frame a track is reported: the box of the detection that started it. A track is confirmed a
   * few frames after it starts, so rules use this to see a line crossed in between (near a frame edge).
   */
  firstBox?: Box;
}

export interface TrackerOutput {
  /** Confirmed tracks alive after this update. */
  tracks: TrackedObject[];
  /** Ids of tracks removed in this update: rules drop their state for them. */
  removed: number[];
}

/** A count event before the store gives it its device id and seq. */
export type CountEventDraft = Omit<CountEvent, 'deviceId' | 'seq'>;
export type { OccupancySample };

/** A point in pixels. */
export interface Vec2 {
  x: number;
  y: number;
}

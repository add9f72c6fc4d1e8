/**
 * What kind of input a camera URL names. The kind decides ffmpeg's input options and whether the source is live
 * (wall-clock timestamps, newest frame wins, reconnect) or a file (timestamps from the stream, every frame).
 */
export type SourceKind = 'rtsp' | 'http' | 'v4l2' | 'file';

export function sourceKind(url: string): SourceKind {
  const lower = url.toLowerCase();
  if (lower.startsWith('rtsp://') || lower.startsWith('rtsps://')) return 'rtsp';
  if (lower.startsWith('http://') || lower.startsWith('https://')) return 'http';
  if (/^\/dev\/video\d+$/.test(url)) return 'v4l2';
  return 'file';
}

export function isLive(kind: SourceKind): boolean {
  return kind !== 'file';
}

/** Credentials never reach logs or states: `rtsp://user:pass@host/` → `rtsp://***@host/`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}

import type { CameraSetup } from '@tally/proto';

/**
 * What the camera form sends. The API shows the URL with its password masked (`rtsp://user:***@host/…`) and keeps
 * the stored password when that masked URL comes back unchanged (same scheme, user and host), so an untouched URL
 * is sent exactly as it was shown; a URL the user edited must carry its password in full.
 */
export type SetupPatch = CameraSetup;

export interface SourceFormValues {
  url: string;
  /** Empty: every frame. */
  detectFps: string;
  classes: string[];
  motionGating: boolean;
}

export function formValuesOf(setup: CameraSetup): SourceFormValues {
  return {
    url: setup.source.url,
    detectFps: setup.detectFps !== undefined ? String(setup.detectFps) : '',
    classes: [...setup.classes],
    motionGating: setup.motionGating?.enabled ?? true,
  };
}

/** A masked password, as the API shows it. */
export const isMaskedUrl = (url: string) => /:\*{3}@/.test(url);

/** Why the form cannot be sent, per field; empty when it can. */
export function sourceFormIssues(
  setup: CameraSetup,
  v: SourceFormValues,
): Partial<Record<keyof SourceFormValues, string>> {
  const issues: Partial<Record<keyof SourceFormValues, string>> = {};
  const url = v.url.trim();
  if (url !== setup.source.url) {
    if (!url) issues.url = 'Enter the camera URL, e.g. rtsp://user:password@192.168.1.20/stream1';
    else if (isMaskedUrl(url)) issues.url = 'Type the password in full: *** stands for the stored one';
  }
  if (v.detectFps.trim() !== '') {
    const fps = Number(v.detectFps);
    if (!Number.isFinite(fps) || fps <= 0 || fps > setup.fps) {
      issues.detectFps = `A number above 0 and at most the camera's ${setup.fps} fps (empty: every frame)`;
    }
  }
  if (v.classes.length === 0) issues.classes = 'Pick at least one class to detect';
  return issues;
}

export function setupPatch(setup: CameraSetup, v: SourceFormValues): SetupPatch {
  const { url, ...source } = setup.source;
  const typed = v.url.trim();
  const { detectFps: _fps, motionGating, ...rest } = setup;
  return {
    ...rest,
    source: { ...source, url: typed !== url ? typed : url },
    classes: v.classes,
    ...(v.detectFps.trim() !== '' ? { detectFps: Number(v.detectFps) } : {}),
    motionGating: { ...motionGating, enabled: v.motionGating },
  };
}

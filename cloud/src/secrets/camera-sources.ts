import type { DeviceConfig } from '@tally/proto';
import { isSealed, needsReseal, open, seal, type SecretKeyring } from './secret-box';
import { hasUrlSecrets, maskUrl } from './url-credentials';

/**
 * Camera source URLs in the three forms they take (pure):
 * - at rest (cameras.setup, config_versions.config): sealed (secret-box.ts) when the URL holds a secret, so no
 *   table holds a camera password in plain; a URL without one (/dev/video0, a file) stays readable;
 * - to the device (the published config): in full, opened — the device needs the password to connect;
 * - in API answers: masked (`rtsp://user:***@host/…`), to every role.
 */
const CONTEXT = 'camera-source-url';

type Setup = Record<string, unknown>;

function mapUrl(setup: Setup, fn: (url: string) => string): Setup {
  const source = setup.source as { url?: unknown } | undefined;
  if (!source || typeof source.url !== 'string') return setup;
  const url = fn(source.url);
  return url === source.url ? setup : { ...setup, source: { ...source, url } };
}

function mapCameras(config: DeviceConfig, fn: (url: string) => string): DeviceConfig {
  return { ...config, cameras: config.cameras.map((c) => mapUrl(c, fn) as unknown as typeof c) };
}

/** A plain URL with a secret, sealed; a sealed one (under an older key) sealed again under the current key. */
export function sealUrl(ring: SecretKeyring, url: string): string {
  if (isSealed(url)) return needsReseal(ring, url) ? seal(ring, open(ring, url, CONTEXT), CONTEXT) : url;
  return hasUrlSecrets(url) ? seal(ring, url, CONTEXT) : url;
}

export function openUrl(ring: SecretKeyring, url: string): string {
  return isSealed(url) ? open(ring, url, CONTEXT) : url;
}

export const sealSetup = (ring: SecretKeyring, setup: Setup): Setup => mapUrl(setup, (u) => sealUrl(ring, u));
export const openSetup = (ring: SecretKeyring, setup: Setup): Setup => mapUrl(setup, (u) => openUrl(ring, u));
/** For API answers: opened (to read the user and host), then masked. */
export const maskSetup = (ring: SecretKeyring, setup: Setup): Setup =>
  mapUrl(setup, (u) => maskUrl(openUrl(ring, u)));

export const sealConfig = (ring: SecretKeyring, c: DeviceConfig) => mapCameras(c, (u) => sealUrl(ring, u));
export const openConfig = (ring: SecretKeyring, c: DeviceConfig) => mapCameras(c, (u) => openUrl(ring, u));
export const maskConfig = (ring: SecretKeyring, c: DeviceConfig) =>
  mapCameras(c, (u) => maskUrl(openUrl(ring, u)));

/** The source URL of a stored setup (sealed or plain), or undefined. */
export function sourceUrlOf(setup: Setup): string | undefined {
  const url = (setup.source as { url?: unknown } | undefined)?.url;
  return typeof url === 'string' ? url : undefined;
}

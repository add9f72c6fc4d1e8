/**
 * Uploads a camera snapshot to the cloud for the dashboard's line editor:
 * `PUT ${apiUrl}/api/devices/<deviceId>/cameras/<cameraId>/snapshot`, body the JPEG (`image/jpeg`), the device's
 * MQTT credentials as HTTP Basic auth. A JSON answer with `url` names where the dashboard reads it; otherwise the
 * upload path itself is reported.
 */
export interface SnapshotUploadOptions {
  apiUrl: string;
  deviceId: string;
  cameraId: string;
  username: string;
  password: string;
  fetchImpl?: typeof fetch;
}

export function snapshotPath(deviceId: string, cameraId: string): string {
  return `/api/devices/${encodeURIComponent(deviceId)}/cameras/${encodeURIComponent(cameraId)}/snapshot`;
}

export async function uploadSnapshot(jpeg: Buffer, o: SnapshotUploadOptions): Promise<string> {
  const url = new URL(snapshotPath(o.deviceId, o.cameraId), o.apiUrl);
  const res = await (o.fetchImpl ?? fetch)(url, {
    method: 'PUT',
    headers: {
      'content-type': 'image/jpeg',
      authorization: `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`,
    },
    body: jpeg,
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`snapshot upload to ${url.href} failed with HTTP ${res.status}`);
  const body = (await res.json().catch(() => undefined)) as { url?: unknown } | undefined;
  return typeof body?.url === 'string' ? body.url : url.pathname;
}

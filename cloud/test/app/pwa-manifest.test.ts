import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from './build';

const PUBLIC = resolve(import.meta.dirname, '../../../dashboard/public');

/** PNG width and height from the IHDR chunk (bytes 16-23): an independent check of the icons' real size. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/**
 * The dashboard is installable on a phone: the cloud's static route serves the web app manifest as
 * application/manifest+json and every icon it names as a PNG of the size it claims. (The end-to-end test
 * scripts/test/devices-e2e.test.ts fetches them again from a real `cloud serve` with the built dashboard.)
 */
describe('web app manifest and icons', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await freshPglite();
    t = await buildTestApp(database, { dashboardDir: PUBLIC });
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('serves the manifest with its content type, naming icons of 192 and 512 px and a maskable one', async () => {
    const res = await t.app.inject('/manifest.webmanifest');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
    const manifest = res.json() as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      theme_color: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({ short_name: 'Tally', start_url: '/', display: 'standalone' });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);

    for (const icon of manifest.icons) {
      const png = await t.app.inject(icon.src);
      expect(png.statusCode, icon.src).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      const [w, h] = icon.sizes.split('x').map(Number);
      expect(pngSize(png.rawPayload)).toEqual({ width: w, height: h });
    }
  });

  it('serves the apple-touch-icon at 180 px, and index.html links the manifest and icons', async () => {
    const res = await t.app.inject('/icons/apple-touch-icon.png');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(pngSize(res.rawPayload)).toEqual({ width: 180, height: 180 });
    const html = readFileSync(resolve(PUBLIC, '../index.html'), 'utf8');
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest" />');
    expect(html).toContain('<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />');
    expect(html).toMatch(/<meta name="theme-color" content="#[0-9a-f]{6}" \/>/i);
  });
});

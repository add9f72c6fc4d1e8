/**
 * Renders the dashboard's app icons (dashboard/public/icons/*.png) from icon.svg in Chromium, so the committed PNGs
 * can be remade after a change to the SVG: `pnpm tsx scripts/dashboard/render-icons.ts`.
 *
 * - icon-192.png, icon-512.png: the rounded icon on a transparent background ("any" purpose);
 * - icon-maskable-512.png: full-bleed background, the strokes scaled into the central 80 % safe zone, so a
 *   launcher's circle or squircle mask never cuts them;
 * - apple-touch-icon.png (180 px): iOS adds its own rounding and ignores transparency, so full-bleed too.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from './browser';

const DIR = resolve(import.meta.dirname, '../../dashboard/public/icons');

function fullBleed(svg: string, scale: number): string {
  const offset = (512 * (1 - scale)) / 2;
  return svg
    .replace('rx="96"', 'rx="0"')
    .replace('<g stroke=', `<g transform="translate(${offset} ${offset}) scale(${scale})" stroke=`);
}

async function main(): Promise<void> {
  const svg = readFileSync(join(DIR, 'icon.svg'), 'utf8');
  const targets = [
    { file: 'icon-192.png', size: 192, svg },
    { file: 'icon-512.png', size: 512, svg },
    { file: 'icon-maskable-512.png', size: 512, svg: fullBleed(svg, 0.8) },
    { file: 'apple-touch-icon.png', size: 180, svg: fullBleed(svg, 0.9) },
  ];
  const browser = await launchChromium();
  try {
    for (const t of targets) {
      const page = await browser.newPage({ viewport: { width: t.size, height: t.size } });
      const html = `<html><body style="margin:0;background:transparent">${t.svg.replace('<svg ', `<svg width="${t.size}" height="${t.size}" `)}</body></html>`;
      await page.setContent(html);
      await page.screenshot({ path: join(DIR, t.file), omitBackground: true });
      await page.close();
      console.log(`wrote ${t.file} (${t.size}×${t.size})`);
    }
  } finally {
    await browser.close();
  }
}

await main();

import { describe, expect, it } from 'vitest';
import { hasUrlSecrets, maskUrl, restoreMasked } from '../../src/secrets/url-credentials';

describe('URL credentials: mask and restore', () => {
  it.each([
    ['rtsp://admin:pw@10.0.0.5:554/s', 'rtsp://admin:***@10.0.0.5:554/s'],
    ['rtsp://admin:p@ss@10.0.0.5/s', 'rtsp://admin:***@10.0.0.5/s'],
    ['http://cam/mjpg?user=x&password=pw&fps=5', 'http://cam/mjpg?user=x&password=***&fps=5'],
    [
      'https://cam/v?access_token=t1&pass=p&apiKey=k#f',
      'https://cam/v?access_token=***&pass=***&apiKey=***#f',
    ],
    ['rtsp://admin@10.0.0.5/s', 'rtsp://admin@10.0.0.5/s'],
    ['rtsp://10.0.0.5/s?channel=1', 'rtsp://10.0.0.5/s?channel=1'],
    ['/dev/video0', '/dev/video0'],
    ['/data/clip.mp4', '/data/clip.mp4'],
  ])('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
    expect(hasUrlSecrets(url)).toBe(url !== masked);
  });

  it('restores each *** from the stored URL when scheme, user and host are the same', () => {
    const stored = 'rtsp://admin:pw@10.0.0.5:554/s?token=t1';
    expect(restoreMasked(maskUrl(stored), stored)).toEqual({ ok: true, url: stored });
    expect(restoreMasked('rtsp://admin:***@10.0.0.5:554/other?token=***', stored)).toEqual({
      ok: true,
      url: 'rtsp://admin:pw@10.0.0.5:554/other?token=t1',
    });
  });

  it('a URL without *** replaces the stored one as it is', () => {
    expect(restoreMasked('rtsp://admin:new@10.0.0.5/s', 'rtsp://admin:pw@10.0.0.5/s')).toEqual({
      ok: true,
      url: 'rtsp://admin:new@10.0.0.5/s',
    });
  });

  it('refuses to carry a stored password to another host or user, or when none is stored', () => {
    const stored = 'rtsp://admin:pw@10.0.0.5/s';
    for (const url of [
      'rtsp://admin:***@evil.example/s',
      'rtsp://root:***@10.0.0.5/s',
      'rtsps://admin:***@10.0.0.5/s',
    ]) {
      const r = restoreMasked(url, stored);
      expect(r.ok, url).toBe(false);
      expect(JSON.stringify(r)).not.toContain('pw@');
    }
    expect(restoreMasked('rtsp://admin:***@10.0.0.5/s', undefined).ok).toBe(false);
    expect(restoreMasked('rtsp://admin:***@10.0.0.5/s', 'rtsp://admin@10.0.0.5/s').ok).toBe(false);
    expect(restoreMasked('rtsp://10.0.0.5/s?token=***', 'rtsp://10.0.0.5/s').ok).toBe(false);
  });
});

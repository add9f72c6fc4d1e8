import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/support/redact';

describe('redactSecrets (every log line passes through it)', () => {
  it('removes credentials from URLs of any scheme', () => {
    expect(redactSecrets('open rtsp://admin:pa55@10.0.0.2:554/s failed')).toBe(
      'open rtsp://[REDACTED]@10.0.0.2:554/s failed',
    );
    expect(redactSecrets('"url":"mqtts://dev-1:abc@broker:8883"')).toBe(
      '"url":"mqtts://[REDACTED]@broker:8883"',
    );
    expect(redactSecrets('http://cam.local/video.mjpg')).toBe('http://cam.local/video.mjpg');
  });

  it('removes secret query parameters and keeps the others', () => {
    expect(redactSecrets('"url":"/api/live?siteId=7&token=eyJ.a.b&x=1"')).toBe(
      '"url":"/api/live?siteId=7&token=[REDACTED]&x=1"',
    );
    expect(redactSecrets('/m?sig=abc#f')).toBe('/m?sig=[REDACTED]#f');
    // As camera URLs carry them.
    expect(redactSecrets('http://cam/mjpg?user=u&pwd=p1&channel=2&apiKey=k1&Password=p2')).toBe(
      'http://cam/mjpg?user=u&pwd=[REDACTED]&channel=2&apiKey=[REDACTED]&Password=[REDACTED]',
    );
  });

  it('removes the values of secret fields, escaped quotes included', () => {
    const line = JSON.stringify({
      headers: { authorization: 'Bearer eyJ', Cookie: 'sid=1' },
      body: { email: 'a@b.c', password: 'he said "x"', refreshToken: 'r-1' },
      code: 'TALLY_VALIDATION',
    });
    expect(JSON.parse(redactSecrets(line))).toEqual({
      headers: { authorization: '[REDACTED]', Cookie: '[REDACTED]' },
      body: { email: 'a@b.c', password: '[REDACTED]', refreshToken: '[REDACTED]' },
      code: 'TALLY_VALIDATION',
    });
  });

  it('removes webhook signing secrets wherever they appear', () => {
    expect(redactSecrets('rotated: whsec_AbC-12_x9 for rule r1')).toBe('rotated: [REDACTED] for rule r1');
    expect(JSON.parse(redactSecrets(JSON.stringify({ webhookSecret: 'anything', id: 'r1' })))).toEqual({
      webhookSecret: '[REDACTED]',
      id: 'r1',
    });
  });
});

import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SEALED_PREFIX,
  SealedValueInvalid,
  UnknownSecretKey,
  keyId,
  needsReseal,
  open,
  parseSecretKey,
  seal,
  secretKeyring,
} from '../../src/secrets/secret-box';

describe('secret box (AES-256-GCM, versioned, rotating keys)', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it('seals with a fresh IV each time and opens back; the text is standard AES-256-GCM', () => {
    const ring = secretKeyring(a);
    const x = seal(ring, 'rtsp://u:pw@h/s', 'ctx');
    const y = seal(ring, 'rtsp://u:pw@h/s', 'ctx');
    expect(x).not.toBe(y);
    expect(x.startsWith(`${SEALED_PREFIX}${keyId(a)}:`)).toBe(true);
    expect(x).not.toContain('pw');
    expect(open(ring, x, 'ctx')).toBe('rtsp://u:pw@h/s');
    // Independent check: node's decipher on the parts, with the key itself, gives the plaintext.
    const [, , , iv, body, tag] = x.split(':');
    const d = createDecipheriv('aes-256-gcm', a, Buffer.from(iv!, 'base64url'));
    d.setAAD(Buffer.from('ctx'));
    d.setAuthTag(Buffer.from(tag!, 'base64url'));
    expect(Buffer.concat([d.update(Buffer.from(body!, 'base64url')), d.final()]).toString()).toBe(
      'rtsp://u:pw@h/s',
    );
  });

  it('refuses an altered value, or one sealed for another context', () => {
    const ring = secretKeyring(a);
    const x = seal(ring, 'secret', 'camera');
    expect(() => open(ring, x, 'webhook')).toThrow(SealedValueInvalid);
    const parts = x.split(':');
    parts[4] = Buffer.from('other!').toString('base64url');
    expect(() => open(ring, parts.join(':'), 'camera')).toThrow(SealedValueInvalid);
  });

  it('rotates: a ring with a previous key opens its values and marks them for resealing', () => {
    const old = seal(secretKeyring(a), 'secret');
    const rotated = secretKeyring(b, [a]);
    expect(open(rotated, old)).toBe('secret');
    expect(needsReseal(rotated, old)).toBe(true);
    expect(needsReseal(rotated, seal(rotated, 'secret'))).toBe(false);
    expect(() => open(secretKeyring(b), old)).toThrow(UnknownSecretKey);
  });

  it('reads keys as hex or base64 and refuses anything else', () => {
    expect(parseSecretKey(a.toString('hex')).equals(a)).toBe(true);
    expect(parseSecretKey(a.toString('base64')).equals(a)).toBe(true);
    expect(parseSecretKey(a.toString('base64url')).equals(a)).toBe(true);
    expect(() => parseSecretKey('too-short')).toThrow(/32 random bytes/);
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(/32 random bytes/);
  });
});

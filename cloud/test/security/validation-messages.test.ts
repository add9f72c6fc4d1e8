import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMERA_SOURCE_PATTERN } from '@tally/proto';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { SETUP, createSite, provisionDevice, seedOrg, signedIn } from '../app/seed';

/**
 * Regression of issue 12 item 5: a camera URL the schema refused came back as a 400 quoting the whole 300-character
 * regular expression. A refused pattern or format now says what the field accepts, never the expression.
 */
describe('a refused pattern or format is explained in words', () => {
  let database: TestDatabase;
  let t: TestApp;
  let headers: { authorization: string };
  let deviceId: string;
  beforeAll(async () => {
    database = await freshPglite();
    t = await buildTestApp(database);
    const orgId = await seedOrg(database.db);
    headers = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
    const siteId = await createSite(t.app, headers);
    deviceId = (await provisionDevice(t.app, headers, siteId)).deviceId;
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const post = (payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/devices/${deviceId}/cameras`, headers, payload });
  /** Any piece of a regular expression in the answer: anchors, groups, lookaheads, classes. */
  const quotesRegex = (text: string) => /\(\?[!:]|\^\(|\[\^|\\\\[su]|\{1,3\}|pattern/.test(text);

  it('a camera URL that is not rtsp/http, /dev/videoN or a video file names what is accepted', async () => {
    const res = await post({
      key: 'cam-x',
      name: 'X',
      setup: { ...SETUP, source: { url: 'file:///etc/passwd' } },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('TALLY_VALIDATION');
    expect(error.message).toMatch(
      /^body\/setup\/source\/url: not accepted: expected rtsp\(s\):\/\/… or http\(s\):\/\//,
    );
    expect(error.message).toContain('/dev/video0');
    expect(error.message).toContain('absolute path');
    expect(error.issues).toEqual([
      { path: 'body/setup/source/url', message: error.message.replace(/^[^:]+: /, '') },
    ]);
    const text = JSON.stringify(error);
    expect(quotesRegex(text)).toBe(false);
    expect(text).not.toContain(CAMERA_SOURCE_PATTERN.slice(0, 20));
    // The refused value is not echoed either (a URL may hold a password).
    expect(text).not.toContain('/etc/passwd');
  });

  it('another patterned field, the camera key, says which characters an identifier may hold', async () => {
    const res = await post({ key: 'front door!', name: 'X', setup: SETUP });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.message).toBe(
      'body/key: not accepted: expected Identifier: letters, digits, `_`, `.`, `-`; starts with a letter or digit; at most 64 characters',
    );
    expect(quotesRegex(JSON.stringify(error))).toBe(false);
  });

  it('a format without a description gets a sentence for the format', async () => {
    const res = await t.app.inject({ url: '/api/cameras?siteId=not-a-uuid', headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe(
      'querystring/siteId: must be a UUID such as 0b6f1d6e-3c1a-4a4e-9d55-2f1f3c0e8a10',
    );
  });

  it('other keywords keep their readable message', async () => {
    const res = await post({ key: 'cam-y', name: 'Y', setup: { ...SETUP, fps: 100 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('body/setup/fps: must be <= 60');
  });
});

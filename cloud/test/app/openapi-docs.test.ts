import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from './build';

interface Operation {
  summary?: string;
  description?: string;
}

/**
 * The OpenAPI document explains itself: every /api operation has a summary and a description (from its route or
 * cloud/src/plugins/app/operation-docs.ts), the error codes are listed, the live WebSocket is described. When a
 * route lacks them the failure names each one, so whoever adds a route knows what to write where.
 */
describe('the OpenAPI document', () => {
  let database: TestDatabase;
  let t: TestApp;
  let doc: {
    info: { description?: string };
    tags?: { name: string; description?: string }[];
    paths: Record<string, Record<string, Operation>>;
  };
  beforeAll(async () => {
    database = await freshPglite();
    t = await buildTestApp(database);
    doc = (await t.app.inject('/api/docs/json')).json();
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('has a summary and a description on every /api operation', () => {
    const undocumented: string[] = [];
    let count = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/') || path.startsWith('/api/docs')) continue;
      for (const [method, op] of Object.entries(ops)) {
        count += 1;
        const id = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        const lacks = [!op.summary?.trim() && 'summary', !op.description?.trim() && 'description'].filter(
          Boolean,
        );
        if (lacks.length) undocumented.push(`${id} (no ${lacks.join(', no ')})`);
      }
    }
    expect(
      undocumented,
      `add these to the route's schema or to OPERATION_DOCS in cloud/src/plugins/app/operation-docs.ts:\n  ${undocumented.join('\n  ')}`,
    ).toEqual([]);
    expect(count).toBeGreaterThan(30);
  });

  it('lists every error code with its status, and describes the live WebSocket and its messages', () => {
    const description = doc.info.description ?? '';
    const missing = Object.entries(ERRORS).filter(
      ([code, status]) => !description.includes(`| ${status} | \`${code}\` |`),
    );
    expect(missing).toEqual([]);
    expect(description).toContain('GET /api/live');
    // Swagger leaves WebSocket routes out of `paths`: the live socket is described by its tag.
    const live = doc.tags?.find((tag) => tag.name === 'live')?.description ?? '';
    expect(live).toContain('GET /api/live');
    for (const message of ['hello', 'counts', 'occupancy', 'device_status', 'alert']) {
      expect(live).toContain(`\`${message}\``);
    }
  });
});

import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

export interface HealthSources {
  healthz(): { ok: boolean; body: Record<string, unknown> };
  metrics(): string;
  snapshot(cameraId: string): Promise<Buffer | undefined>;
  /** The running totals per counting rule (`/counts`). */
  counts?(): { since: number; rules: unknown[] };
}

export interface HealthServerOptions {
  host: string;
  port: number;
  token?: string;
  log: Logger;
}

/**
 * The installer's window into the box: `/healthz` (JSON, 503 when unhealthy), `/metrics` (Prometheus text),
 * `/counts` (JSON: each rule's totals since the agent started and each zone's occupancy) and
 * `/cameras/:id/snapshot.jpg` (the current frame with lines and zones drawn). With a token every route wants
 * `Authorization: Bearer <token>`; settings refuse a non-loopback bind without one.
 */
export function buildHealthServer(
  sources: HealthSources,
  opts: Pick<HealthServerOptions, 'token'>,
): FastifyInstance {
  const app = Fastify({ logger: false });
  if (opts.token) {
    const expected = Buffer.from(`Bearer ${opts.token}`);
    app.addHook('onRequest', async (req, reply) => {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        await reply.code(401).send({
          error: {
            code: 'TALLY_UNAUTHORIZED',
            message: 'send Authorization: Bearer <health.token from the agent settings>',
          },
        });
      }
    });
  }
  app.get('/healthz', async (_req, reply) => {
    const h = sources.healthz();
    return reply.code(h.ok ? 200 : 503).send(h.body);
  });
  app.get('/counts', async (_req, reply) => reply.send(sources.counts?.() ?? { since: null, rules: [] }));
  app.get('/metrics', async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(sources.metrics()),
  );
  app.get<{ Params: { id: string } }>(
    '/cameras/:id/snapshot.jpg',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] },
      },
    },
    async (req, reply) => {
      const jpeg = await sources.snapshot(req.params.id);
      if (!jpeg)
        return reply
          .code(404)
          .send({ error: { code: 'TALLY_NOT_FOUND', message: `no running camera ${req.params.id}` } });
      return reply.type('image/jpeg').send(jpeg);
    },
  );
  return app;
}

export async function startHealthServer(
  sources: HealthSources,
  opts: HealthServerOptions,
): Promise<FastifyInstance> {
  const app = buildHealthServer(sources, opts);
  await app.listen({ host: opts.host, port: opts.port });
  opts.log.info({ address: app.addresses() }, 'health server listening');
  return app;
}

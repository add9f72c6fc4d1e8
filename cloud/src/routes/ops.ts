import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { checkMetricsAccess } from '../plugins/app/metrics-access';

/**
 * Operations endpoints: /healthz (the process answers) and /readyz (database reachable and broker up),
 * unauthenticated like every orchestrator expects; /metrics (Prometheus text) only with METRICS_TOKEN or from a
 * direct local connection (metrics-access.ts).
 */
export const opsRoutes: FastifyPluginAsync = async (app) => {
  const { database, brokerReady, metrics, config } = app.deps;
  const pool = metrics.gauge('tally_cloud_db_pool_connections', 'Database pool connections', ['state']);

  app.get(
    '/healthz',
    { schema: { hide: true, response: { 200: Type.Object({ ok: Type.Boolean() }) } } },
    async () => ({ ok: true }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        hide: true,
        response: {
          200: Type.Object({ ok: Type.Boolean(), database: Type.Boolean(), broker: Type.Boolean() }),
          503: Type.Object({ ok: Type.Boolean(), database: Type.Boolean(), broker: Type.Boolean() }),
        },
      },
    },
    async (_request, reply) => {
      const db = await database
        .query('select 1')
        .then(() => true)
        .catch(() => false);
      const broker = brokerReady();
      const ok = db && broker;
      return reply.status(ok ? 200 : 503).send({ ok, database: db, broker });
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    checkMetricsAccess(request, config);
    const stats = database.poolStats();
    pool.set({ state: 'total' }, stats.total);
    pool.set({ state: 'idle' }, stats.idle);
    pool.set({ state: 'waiting' }, stats.waiting);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};

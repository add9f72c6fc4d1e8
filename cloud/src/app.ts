import { EventEmitter } from 'node:events';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { AuthContext } from './auth/permissions';
import type { CloudConfig } from './config';
import type { Database } from './db/client';
import { publicMqttUrl } from './config-push/public-urls';
import { registerExternalPlugins } from './plugins/external/index';
import { authenticatePlugin } from './plugins/app/authenticate';
import { installErrorHandler } from './plugins/app/error-handler';
import { requestRateLimit } from './plugins/app/request-rate-limit';
import { rejectUnsafeStrings } from './plugins/app/reject-unsafe-strings';
import { buildValidator } from './plugins/app/validators';
import { createMetrics, type Metrics } from './plugins/app/metrics';
import { opsRoutes } from './routes/ops';
import { apiRoutes } from './routes/api/index';
import { analyticsRoutes } from './routes/api/analytics';
import { liveRoutes } from './routes/api/live';
import { alertRoutes } from './routes/api/alerts';

export type { AuthContext };

/** Publishes on the broker the cloud uses (embedded aedes or external). Resolves once the broker has it. */
export type Publish = (
  topic: string,
  payload: string | Buffer,
  opts: { retain: boolean; qos?: 0 | 1 },
) => Promise<void>;

/** What the HTTP app needs from the process around it. server.ts builds these; tests build their own. */
export interface AppDeps {
  database: Database;
  publish: Publish;
  config: CloudConfig;
  log?: Logger;
  metrics?: Metrics;
  /** In-process events between stages and routes (e.g. ingest → live WebSocket). Created when absent. */
  bus?: EventEmitter;
  /** Whether the broker is up, for /readyz. */
  brokerReady?: () => boolean;
  /** Disconnects a device from the embedded broker at once (revocation, rotation). No-op with an external one. */
  disconnectDevice?: (deviceId: string) => void;
  /** The built dashboard (index.html + assets), served at / with a fallback to index.html for its routes. */
  dashboardDir?: string;
  /** The MQTT URL devices are given (provisioning, rotation). Default: PUBLIC_MQTT_URL, MQTT_URL or MQTT_PORT. */
  deviceMqttUrl?: string;
  /** Extra route plugins, registered under /api after the built-in ones. */
  plugins?: FastifyPluginAsync[];
}

/** The resolved dependencies every route sees as `app.deps`. */
export type ResolvedDeps = Required<Omit<AppDeps, 'log' | 'plugins' | 'dashboardDir'>> & Pick<AppDeps, 'log'>;

declare module 'fastify' {
  interface FastifyInstance {
    deps: ResolvedDeps;
  }
}

/**
 * Route plugins registered under /api, in order. Other parts add theirs here (one import and one entry), or pass
 * them in `deps.plugins`. Each plugin declares full schemas and calls `app.authenticate` + a permission check.
 */
export const ROUTE_PLUGINS: FastifyPluginAsync[] = [apiRoutes, analyticsRoutes, liveRoutes, alertRoutes];

/** Builds the Fastify app: external plugins → app plugins (deps, errors, auth) → routes. Does not listen. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.config.bodyLimit,
    // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY; otherwise request.ip (rate limits,
    // audit log) is the TCP peer, which a client cannot forge.
    trustProxy: deps.config.trustProxy.length > 0 ? [...deps.config.trustProxy] : false,
    // No default injection (stored setups keep what the user sent; proto's defaults apply on the device) and no
    // type coercion of JSON bodies (see validators.ts).
    schemaController: { compilersFactory: { buildValidator } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  await registerExternalPlugins(app, deps.config);
  // Before everything else that answers (the dashboard's files included): a flood is refused before any work.
  await app.register(requestRateLimit, {
    perUser: deps.config.rateLimitUser,
    perAddress: deps.config.rateLimitAddress,
    windowS: deps.config.rateLimitWindowS,
  });

  const resolved: ResolvedDeps = {
    database: deps.database,
    publish: deps.publish,
    config: deps.config,
    log: deps.log,
    metrics: deps.metrics ?? createMetrics(),
    bus: deps.bus ?? new EventEmitter(),
    brokerReady: deps.brokerReady ?? (() => true),
    disconnectDevice: deps.disconnectDevice ?? (() => {}),
    deviceMqttUrl: deps.deviceMqttUrl ?? publicMqttUrl(deps.config),
  };
  app.decorate('deps', resolved);
  if (deps.dashboardDir) {
    await app.register(fastifyStatic, {
      root: deps.dashboardDir,
      wildcard: false,
      // Vite names built assets by content hash: cache them for good; index.html must be re-checked each time.
      setHeaders: (res, path) => {
        if (/[\\/]assets[\\/]/.test(path))
          void res.header('cache-control', 'public, max-age=31536000, immutable');
        else void res.header('cache-control', 'no-cache');
      },
    });
  }
  installErrorHandler(app, { spaFallback: Boolean(deps.dashboardDir) });
  rejectUnsafeStrings(app);
  await app.register(authenticatePlugin, { database: deps.database });

  await app.register(opsRoutes);
  for (const plugin of [...ROUTE_PLUGINS, ...(deps.plugins ?? [])]) {
    await app.register(plugin, { prefix: '/api' });
  }
  return app;
}

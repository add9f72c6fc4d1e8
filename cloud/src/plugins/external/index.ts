import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { apiDescription, installOperationDocs, liveTag } from '../app/operation-docs';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '@tally/proto';
import type { CloudConfig } from '../../config';

/** Third-party plugins, registered first: security headers, CORS, rate limiting (per route), JWT, OpenAPI. */
export async function registerExternalPlugins(app: FastifyInstance, config: CloudConfig): Promise<void> {
  await app.register(helmet, {
    // The Swagger UI and the dashboard load their own scripts and styles; keep the rest of helmet's defaults.
    contentSecurityPolicy: false,
  });
  const origins = config.corsOrigins;
  await app.register(cors, {
    origin: origins.includes('*') ? true : origins.length > 0 ? origins : false,
    credentials: true,
    // Every method the API uses (the plugin's default is GET, HEAD, POST: a browser's PATCH or DELETE failed).
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  });
  // global: false — only routes that opt in (login, refresh, provisioning) are limited.
  await app.register(rateLimit, { global: false });
  await app.register(jwt, { secret: config.jwtSecret });
  app.addSchema(ApiError);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tally cloud API', version: '1', description: apiDescription() },
      tags: [liveTag()],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          device: { type: 'http', scheme: 'basic', description: 'device id and MQTT password' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  installOperationDocs(app);
}

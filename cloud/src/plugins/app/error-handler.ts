import type { FastifyError, FastifyInstance } from 'fastify';
import type { ApiError } from '@tally/proto';
import { AppError } from '../../errors';
import { toFieldIssues, validationMessage } from './validation-issues';

/**
 * The one error handler: AppError → its status and code; Fastify's schema validation → 400 with each field and
 * what it accepts (validation-issues.ts);
 * rate limiting and body limits keep their status; anything else is a 500 whose detail is logged, never returned.
 */
export function installErrorHandler(app: FastifyInstance, options: { spaFallback?: boolean } = {}): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const { status, body } = toApiError(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.error.code, status }, body.error.message);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    // With the dashboard served, its client-side routes (/sites/…) get index.html; /api paths stay JSON, and a
    // missing file (/assets/old-hash.js after a deploy) is a 404, not HTML the browser would try to run.
    if (options.spaFallback && isClientRoute(request.method, request.url)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    void reply.status(404).send({
      error: { code: 'TALLY_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    } satisfies ApiError);
  });
}

function toApiError(err: FastifyError | AppError): { status: number; body: ApiError } {
  if (err instanceof AppError) {
    return {
      status: err.statusCode,
      body: {
        error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) },
      },
    };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const issues = toFieldIssues(fe.validationContext, fe.validation);
    return {
      status: 400,
      body: { error: { code: 'TALLY_VALIDATION', message: validationMessage(issues), issues } },
    };
  }
  const status = fe.statusCode ?? 500;
  if (status === 429) return { status, body: { error: { code: 'TALLY_RATE_LIMITED', message: fe.message } } };
  if (status === 413)
    return { status, body: { error: { code: 'TALLY_PAYLOAD_TOO_LARGE', message: fe.message } } };
  if (status === 415)
    return { status, body: { error: { code: 'TALLY_UNSUPPORTED_MEDIA_TYPE', message: fe.message } } };
  if (status >= 400 && status < 500) {
    return { status, body: { error: { code: 'TALLY_BAD_REQUEST', message: fe.message } } };
  }
  return {
    status: 500,
    body: { error: { code: 'TALLY_INTERNAL', message: 'internal error; the server log has the detail' } },
  };
}

/** A GET of a path the dashboard's router owns: not the API, not a file name. */
export function isClientRoute(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split('?')[0]!;
  if (path === '/api' || path.startsWith('/api/')) return false;
  return !/\.[A-Za-z0-9]+$/.test(path);
}

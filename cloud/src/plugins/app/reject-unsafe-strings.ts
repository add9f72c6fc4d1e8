import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors';
import { findUnsafeString } from '../../http/unsafe-strings';

/** Refuses (400) a request whose body, query string or params hold a NUL or a lone surrogate, before validation. */
export function rejectUnsafeStrings(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const found = findUnsafeString(value);
      if (found) {
        throw new AppError(
          'TALLY_VALIDATION',
          `${part}${found.path === '/' ? '' : found.path}: ${found.reason} is not allowed in text`,
          [{ path: `${part}${found.path}`, message: `${found.reason} is not allowed` }],
        );
      }
    }
  });
}

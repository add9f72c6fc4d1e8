import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SetupBody, SetupResult, SetupStatus } from '@tally/proto';
import { createOwner } from '../../auth/create-owner';
import { setupGateFor } from '../../auth/setup-gate';
import { AppError } from '../../errors';
import { errors } from './schemas';

/** First-run setup: is it needed, and create the first owner with the one-time token the server logged. */
export const setupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, config } = app.deps;
  const gate = setupGateFor(database);
  const noAccount = async () =>
    Number((await database.query<{ n: string }>('SELECT count(*) AS n FROM users'))[0]?.n ?? 0) === 0;

  app.get(
    '/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'Whether first-run setup is needed',
        description:
          'true while the cloud has no account; the server then logs a one-time setup token at start.',
        response: { 200: SetupStatus },
      },
    },
    async () => ({ needed: gate.open && (await noAccount()) }),
  );

  app.post(
    '/setup',
    {
      config: { rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['setup'],
        summary: 'Create the first owner (first run only)',
        description:
          'With the one-time setup token from the server log, creates the first organisation and its owner. ' +
          'Refused once any account exists (TALLY_SETUP_DONE) and for a wrong or spent token ' +
          '(TALLY_SETUP_TOKEN_INVALID).',
        body: SetupBody,
        response: { 201: SetupResult, ...errors, 429: errors[400] },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!(await noAccount())) {
        gate.close();
        throw new AppError('TALLY_SETUP_DONE', 'setup is done: an account exists; sign in instead');
      }
      const outcome = await gate.redeem(body.token, () =>
        createOwner(database.db, {
          email: body.email,
          password: body.password,
          org: body.organisation,
          ...(body.name ? { name: body.name } : {}),
        }),
      );
      if (outcome === 'invalid') {
        throw new AppError(
          'TALLY_SETUP_TOKEN_INVALID',
          'wrong or spent setup token: use the one in the server log (a restart logs a new one while no account exists)',
        );
      }
      if (outcome === 'busy') throw new AppError('TALLY_CONFLICT', 'setup is already running; try again');
      return reply
        .status(201)
        .send({ orgId: outcome.orgId, userId: outcome.userId, email: body.email.toLowerCase() });
    },
  );
};

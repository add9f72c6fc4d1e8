import type { ServerContext, Stage } from '../server';
import { setupGateFor } from './setup-gate';

/**
 * First run: when the database has no account, issue a one-time setup token and say in the log how to use it
 * (Grafana's and Home Assistant's onboarding): the first owner is created with the server running, through
 * POST /api/setup, instead of a CLI that would need the embedded database to itself.
 */
export function setupStage(ctx: ServerContext): Stage {
  return {
    name: 'setup',
    async start() {
      const [row] = await ctx.database.query<{ n: string }>('SELECT count(*) AS n FROM users');
      if (Number(row?.n ?? 0) > 0) return;
      const token = setupGateFor(ctx.database).issue();
      // The token goes in the message itself: it is the operator's way in, and is spent by its first use.
      ctx.log.warn(
        { setup: 'POST /api/setup', docs: 'docs/CLOUD.md#first-run' },
        `no account yet: create the first owner with the one-time setup token ${token} ` +
          '(the dashboard setup page, or POST /api/setup {"token","email","password","organisation"})',
      );
    },
    async stop() {
      setupGateFor(ctx.database).close();
    },
  };
}

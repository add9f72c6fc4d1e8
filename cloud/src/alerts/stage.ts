import { createLogger } from '@tally/proto/log';
import type { ServerContext, Stage } from '../server';
import { CloudBus } from '../live/bus';
import { Deliverer, smtpMailer } from './delivery';
import { AlertEngine } from './engine';
import { keyringOf } from '../secrets/config-keyring';
import { openWebhookSecret } from '../secrets/webhook-secrets';
import { sendDueReports } from './reports';

/**
 * The alert and report stage of `cloud serve`. Environment (read here, validated at start):
 * ALERTS=off disables it (run it on one instance only); ALERT_INTERVAL_S (default 15) between evaluations;
 * SMTP_URL (smtp://user:pass@host:port) and SMTP_FROM enable email.
 */
export function alertStage(ctx: ServerContext, env: NodeJS.ProcessEnv = process.env): Stage {
  const log = ctx.log?.child({ component: 'alerts' }) ?? createLogger('alerts');
  const intervalS = Number(env.ALERT_INTERVAL_S ?? 15);
  if (!Number.isFinite(intervalS) || intervalS < 1 || intervalS > 3600) {
    throw new Error(
      `ALERT_INTERVAL_S must be a number of seconds between 1 and 3600, not ${env.ALERT_INTERVAL_S}`,
    );
  }
  if (env.SMTP_URL && !/^smtps?:\/\//.test(env.SMTP_URL)) {
    throw new Error('SMTP_URL must look like smtp://user:password@host:587 or smtps://…');
  }
  const ring = keyringOf(ctx.config);
  const deliverer = new Deliverer({
    database: ctx.database,
    log,
    allowPrivateTargets: ctx.config.allowPrivateWebhooks,
    openSecret: (stored) => openWebhookSecret(ring, stored),
    ...(env.SMTP_URL ? { mailer: smtpMailer(env.SMTP_URL, env.SMTP_FROM ?? 'tally@localhost') } : {}),
  });
  const engine = new AlertEngine({ database: ctx.database, deliverer, bus: new CloudBus(ctx.bus), log });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      await engine.tick();
      await sendDueReports(ctx.database, deliverer, Date.now());
    })()
      .catch((err) => log.error({ err }, 'alert tick failed'))
      .finally(() => (running = null));
  };
  return {
    name: 'alerts',
    async start() {
      if (env.ALERTS === 'off') return;
      timer = setInterval(tick, intervalS * 1000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
      await engine.settled();
    },
  };
}

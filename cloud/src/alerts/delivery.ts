import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '@tally/proto/log';
import type { Database } from '../db/client';
import { postJson, WebhookRefusedError } from './post-json';

/** Where a notification goes, and the record of each attempt (alert_deliveries). */
export interface DeliveryTarget {
  orgId: string;
  webhookUrl: string | null;
  emailTo: string | null;
  alertEventId?: string;
  reportId?: string;
}

export interface Notification {
  subject: string;
  text: string;
  body: unknown;
}

export interface DeliveryOptions {
  database: Pick<Database, 'query'>;
  log: Logger;
  /** SMTP transport (nodemailer), or none: email targets are then recorded as skipped. */
  mailer?: { transport: Transporter; from: string };
  /** Delays between webhook attempts; its length + 1 is the number of attempts. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  /** Let webhooks reach loopback, link-local (metadata) and private addresses (ALLOW_PRIVATE_WEBHOOKS). */
  allowPrivateTargets?: boolean;
}

/** An SMTP transport from a URL, e.g. smtp://user:pass@host:587 or smtps://… (nodemailer's URL form). */
export function smtpMailer(url: string, from: string): { transport: Transporter; from: string } {
  return { transport: nodemailer.createTransport(url), from };
}

/**
 * Sends a notification to a webhook (POST JSON, retried with backoff on network errors and non-2xx answers) and by
 * email, recording each delivery with its attempts and last error. Never throws: a failed delivery is recorded and
 * logged, and the alert stays stored either way.
 */
export class Deliverer {
  private readonly delays: number[];
  constructor(private readonly options: DeliveryOptions) {
    this.delays = options.retryDelaysMs ?? [1000, 5000, 30_000];
  }

  async deliver(target: DeliveryTarget, n: Notification): Promise<void> {
    const jobs: Promise<void>[] = [];
    if (target.webhookUrl)
      jobs.push(this.record(target, 'webhook', target.webhookUrl, () => this.webhook(target.webhookUrl!, n)));
    if (target.emailTo)
      jobs.push(this.record(target, 'email', target.emailTo, () => this.email(target.emailTo!, n)));
    await Promise.all(jobs);
  }

  private async webhook(url: string, n: Notification): Promise<number> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.delays.length; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.delays[attempt - 1]));
      try {
        const status = await postJson(url, n.body, {
          timeoutMs: this.options.timeoutMs ?? 10_000,
          allowPrivate: this.options.allowPrivateTargets ?? false,
          userAgent: 'tally-cloud',
        });
        if (status >= 200 && status < 300) return attempt + 1;
        lastError = new Error(`HTTP ${status}`);
      } catch (err) {
        if (err instanceof WebhookRefusedError) throw Object.assign(err, { attempts: attempt + 1 });
        lastError = err;
      }
    }
    throw Object.assign(
      new Error(
        `webhook failed after ${this.delays.length + 1} attempts: ${String((lastError as Error)?.message ?? lastError)}`,
      ),
      {
        attempts: this.delays.length + 1,
      },
    );
  }

  private async email(to: string, n: Notification): Promise<number> {
    if (!this.options.mailer)
      throw Object.assign(new Error('SMTP is not configured (SMTP_URL)'), { attempts: 0, skipped: true });
    const { transport, from } = this.options.mailer;
    await transport.sendMail({ from, to, subject: n.subject, text: n.text });
    return 1;
  }

  private async record(
    target: DeliveryTarget,
    channel: 'webhook' | 'email',
    to: string,
    send: () => Promise<number>,
  ) {
    let status = 'delivered';
    let attempts = 0;
    let lastError: string | null = null;
    try {
      attempts = await send();
    } catch (err) {
      const e = err as Error & { attempts?: number; skipped?: boolean };
      status = e.skipped ? 'skipped' : 'failed';
      attempts = e.attempts ?? 1;
      lastError = e.message;
      this.options.log.warn({ channel, to, err: e.message }, 'notification not delivered');
    }
    await this.options.database.query(
      `INSERT INTO alert_deliveries (org_id, alert_event_id, report_id, channel, target, status, attempts, last_error, delivered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $6 = 'delivered' THEN now() END)`,
      [
        target.orgId,
        target.alertEventId ?? null,
        target.reportId ?? null,
        channel,
        to,
        status,
        attempts,
        lastError,
      ],
    );
  }
}

import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '@tally/proto/log';
import type { Database } from '../db/client';
import type { DeliveryStatus } from '@tally/proto';
import { EMAIL_NOT_CONFIGURED } from './email-configured';
import { postBody, WebhookRefusedError } from './post-json';
import { signatureHeaders } from './webhook-signature';

/** Where a notification goes, and the record of each attempt (alert_deliveries). */
export interface DeliveryTarget {
  orgId: string;
  webhookUrl: string | null;
  emailTo: string | null;
  alertEventId?: string;
  reportId?: string;
  /** The alert rule it is for: its last delivery per channel is kept on the rule (alert_rules.last_deliveries). */
  ruleId?: string;
  /** Signs each webhook attempt (webhook-signature.ts); unsigned without one. */
  webhookSecret?: string | null;
}

export interface Notification {
  subject: string;
  text: string;
  body: unknown;
}

/** How one channel's delivery ended: what the API shows per rule and the "send test" answer. */
export interface DeliveryResult {
  channel: 'webhook' | 'email';
  target: string;
  status: 'delivered' | 'failed' | 'skipped';
  attempts: number;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** Sending options per call: a test is tried once (the person waits for the answer) and marked as a test. */
export interface DeliverOptions {
  retry?: boolean;
  test?: boolean;
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
  /** Turns a target's stored (sealed) webhook secret into the key that signs; as stored when absent. */
  openSecret?: (stored: string) => string;
}

/** An SMTP transport from a URL, e.g. smtp://user:pass@host:587 or smtps://… (nodemailer's URL form). */
export function smtpMailer(url: string, from: string): { transport: Transporter; from: string } {
  return { transport: nodemailer.createTransport(url), from };
}

/** A failed attempt series, with what the result needs. */
class DeliveryError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly httpStatus: number | null = null,
    readonly skipped = false,
  ) {
    super(message);
  }
}

/**
 * Sends a notification to a webhook (POST JSON, signed when the target has a secret, retried with backoff on network
 * errors and non-2xx answers) and by email, recording each delivery with its attempts and last error (and, for a
 * rule, its last delivery per channel). Never throws: a failed delivery is recorded, logged and returned, and the
 * alert stays stored either way.
 */
export class Deliverer {
  private readonly delays: number[];
  constructor(private readonly options: DeliveryOptions) {
    this.delays = options.retryDelaysMs ?? [1000, 5000, 30_000];
  }

  async deliver(
    target: DeliveryTarget,
    n: Notification,
    how: DeliverOptions = {},
  ): Promise<DeliveryResult[]> {
    const jobs: Promise<DeliveryResult>[] = [];
    const delays = how.retry === false ? [] : this.delays;
    if (target.webhookUrl) {
      const url = target.webhookUrl;
      jobs.push(
        this.record(target, 'webhook', url, how, () => this.webhook(url, target.webhookSecret, n, delays)),
      );
    }
    if (target.emailTo) {
      const to = target.emailTo;
      jobs.push(this.record(target, 'email', to, how, () => this.email(to, n)));
    }
    return Promise.all(jobs);
  }

  private async webhook(
    url: string,
    secret: string | null | undefined,
    n: Notification,
    delays: number[],
  ): Promise<{ attempts: number; httpStatus: number }> {
    const body = JSON.stringify(n.body);
    const key = secret ? (this.options.openSecret ?? ((stored: string) => stored))(secret) : null;
    let lastError: unknown;
    let lastStatus: number | null = null;
    for (let attempt = 0; attempt <= delays.length; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
      try {
        // Signed per attempt: each carries its own timestamp, so a retry is not refused as a replay.
        const status = await postBody(url, body, {
          timeoutMs: this.options.timeoutMs ?? 10_000,
          allowPrivate: this.options.allowPrivateTargets ?? false,
          userAgent: 'tally-cloud',
          headers: key ? signatureHeaders(key, body, Date.now()) : {},
        });
        lastStatus = status;
        if (status >= 200 && status < 300) return { attempts: attempt + 1, httpStatus: status };
        lastError = new Error(`HTTP ${status}`);
      } catch (err) {
        if (err instanceof WebhookRefusedError) throw new DeliveryError(err.message, attempt + 1, lastStatus);
        lastError = err;
      }
    }
    const reason = String((lastError as Error)?.message ?? lastError);
    const tries = delays.length + 1;
    throw new DeliveryError(
      tries > 1 ? `webhook failed after ${tries} attempts: ${reason}` : `webhook failed: ${reason}`,
      tries,
      lastStatus,
    );
  }

  private async email(to: string, n: Notification): Promise<{ attempts: number; httpStatus: null }> {
    if (!this.options.mailer) throw new DeliveryError(EMAIL_NOT_CONFIGURED, 0, null, true);
    const { transport, from } = this.options.mailer;
    try {
      await transport.sendMail({ from, to, subject: n.subject, text: n.text });
    } catch (err) {
      throw new DeliveryError(`email failed: ${(err as Error).message}`, 1);
    }
    return { attempts: 1, httpStatus: null };
  }

  private async record(
    target: DeliveryTarget,
    channel: 'webhook' | 'email',
    to: string,
    how: DeliverOptions,
    send: () => Promise<{ attempts: number; httpStatus: number | null }>,
  ): Promise<DeliveryResult> {
    const started = Date.now();
    const result: DeliveryResult = {
      channel,
      target: to,
      status: 'delivered',
      attempts: 0,
      httpStatus: null,
      error: null,
      durationMs: 0,
    };
    try {
      Object.assign(result, await send());
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message, 1);
      Object.assign(result, {
        status: e.skipped ? 'skipped' : 'failed',
        attempts: e.attempts,
        httpStatus: e.httpStatus,
        error: e.message,
      });
      // The target is logged by channel only: webhook URLs often embed a token.
      this.options.log.warn(
        { channel, ruleId: target.ruleId, err: e.message, test: how.test ?? false },
        'notification not delivered',
      );
    }
    result.durationMs = Date.now() - started;
    await this.options.database.query(
      `INSERT INTO alert_deliveries (org_id, alert_event_id, report_id, channel, target, status, attempts, last_error, delivered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $6 = 'delivered' THEN now() END)`,
      [
        target.orgId,
        target.alertEventId ?? null,
        target.reportId ?? null,
        channel,
        to,
        result.status,
        result.attempts,
        result.error,
      ],
    );
    if (target.ruleId) await this.remember(target.ruleId, result, how.test ?? false);
    return result;
  }

  /** Keeps the rule's last delivery on this channel (one atomic update: the other channel is left as it is). */
  private async remember(ruleId: string, r: DeliveryResult, test: boolean): Promise<void> {
    const status: DeliveryStatus = {
      status: r.status,
      at: new Date().toISOString(),
      attempts: r.attempts,
      httpStatus: r.httpStatus,
      error: r.error,
      test,
    };
    await this.options.database.query(
      `UPDATE alert_rules SET last_deliveries = jsonb_set(last_deliveries, $2::text[], $3::jsonb) WHERE id = $1`,
      [ruleId, `{${r.channel}}`, JSON.stringify(status)],
    );
  }
}

import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CloudConfig } from '../../config';
import { forbidden, unauthorized } from '../../errors';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Who may read /metrics (process and business figures an outsider has no business seeing). With METRICS_TOKEN:
 * whoever sends `Authorization: Bearer <token>`. Without: only a direct connection from this machine — the TCP
 * peer is loopback and no proxy relayed it (a local reverse proxy connects from loopback too, but says so with
 * X-Forwarded-For / Forwarded, so a proxied request is refused).
 */
export function checkMetricsAccess(request: FastifyRequest, config: Pick<CloudConfig, 'metricsToken'>): void {
  if (config.metricsToken) {
    const header = request.headers.authorization ?? '';
    const sent = Buffer.from(header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '');
    const expected = Buffer.from(config.metricsToken);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      throw unauthorized('/metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    return;
  }
  const peer = request.socket.remoteAddress ?? '';
  const relayed = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
  if (!LOOPBACK.test(peer) || relayed) {
    throw forbidden('/metrics answers only local connections: set METRICS_TOKEN to scrape it from elsewhere');
  }
}

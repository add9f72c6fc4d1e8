import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessClaims } from './authenticate';
import { RequestBudget, type BudgetVerdict } from '../../http/request-budget';

/**
 * Every HTTP request is counted against two budgets, before its body is read:
 * - its address (`request.ip`: the TCP peer, or X-Forwarded-For only from a TRUST_PROXY proxy), everyone;
 * - its user, when it carries a valid access token (Bearer header, or the live socket's `token` query), so that
 *   people behind one office address do not share one budget and one busy user cannot starve the others.
 * A refused request gets 429 with Retry-After. Stricter per-route limits (sign-in, provisioning) still apply on top.
 *
 * Exempt: /healthz, /readyz and /metrics, which orchestrators and scrapers poll on a schedule from one address
 * (/metrics has its own token or loopback check). Devices talk MQTT, which is not limited here.
 *
 * The counters live in this process: with several cloud instances behind a balancer each enforces its own budgets.
 */
export interface RequestRateLimitOptions {
  perUser: number;
  perAddress: number;
  windowS: number;
}

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

/** The user id inside a valid access token, or null (no token, invalid, expired, or another kind of token). */
function tokenUser(app: FastifyInstance, request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  let token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (!token && request.url.startsWith('/api/live')) {
    token = new URL(request.url, 'http://x').searchParams.get('token') ?? undefined;
  }
  if (!token) return null;
  try {
    const claims = app.jwt.verify<AccessClaims>(token);
    return claims.typ === 'access' ? claims.sub : null;
  } catch {
    return null;
  }
}

export const requestRateLimit = fp(
  async (app: FastifyInstance, opts: RequestRateLimitOptions) => {
    const windowMs = opts.windowS * 1000;
    const users = opts.perUser > 0 ? new RequestBudget(opts.perUser, windowMs) : null;
    const addresses = opts.perAddress > 0 ? new RequestBudget(opts.perAddress, windowMs) : null;
    if (!users && !addresses) return;

    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?', 1)[0]!;
      if (EXEMPT.has(path)) return;
      const now = Date.now();
      const byAddress = addresses?.take(request.ip, now);
      const userId = users ? tokenUser(app, request) : null;
      const byUser = userId ? users!.take(userId, now) : undefined;
      const refused: [BudgetVerdict, string] | undefined =
        byUser && !byUser.allowed
          ? [byUser, 'this account']
          : byAddress && !byAddress.allowed
            ? [byAddress, 'this address']
            : undefined;
      // The tighter of the two, so a client can pace itself.
      const shown = [byUser, byAddress]
        .filter((v): v is BudgetVerdict => v !== undefined)
        .sort((a, b) => a.remaining - b.remaining)[0];
      if (shown) {
        void reply.header('x-ratelimit-limit', String(shown.limit));
        void reply.header('x-ratelimit-remaining', String(shown.remaining));
        void reply.header('x-ratelimit-reset', String(Math.ceil(shown.resetInMs / 1000)));
      }
      if (!refused) return;
      const [verdict, who] = refused;
      const retryS = Math.max(1, Math.ceil(verdict.resetInMs / 1000));
      request.log.warn({ ip: request.ip, userId, limit: verdict.limit }, 'request rate limit reached');
      return reply
        .status(429)
        .header('retry-after', String(retryS))
        .send({
          error: {
            code: 'TALLY_RATE_LIMITED',
            message:
              `too many requests from ${who}: at most ${verdict.limit} every ${opts.windowS} s; ` +
              `try again in ${retryS} s`,
          },
        });
    });
  },
  { name: 'tally-request-rate-limit', dependencies: ['@fastify/jwt'] },
);

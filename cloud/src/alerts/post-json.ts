import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isBlockedAddress, webhookUrlProblem } from '../net/blocked-address';

/** dns.lookup that fails when any address of the name is a blocked one. */
export const publicOnlyLookup = ((hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4);
    const blocked = addresses.find((a) => isBlockedAddress(a.address));
    if (blocked) {
      const refused = new WebhookRefusedError(
        `webhook refused: ${hostname} resolves to ${blocked.address}, a loopback, link-local, private or metadata ` +
          'address (ALLOW_PRIVATE_WEBHOOKS=true permits it)',
      );
      return callback(refused as NodeJS.ErrnoException, '', 4);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}) as LookupFunction;

/**
 * POSTs JSON to a webhook and resolves with the HTTP status. The host's addresses are checked as they are resolved
 * for this very connection (so a name that resolves to 169.254.169.254 or 127.0.0.1, or is rebound to it after a
 * first check, is refused), and redirects are not followed (a redirect could point anywhere).
 */
/** The target itself is refused (not a transient failure: retrying cannot help). */
export class WebhookRefusedError extends Error {
  override readonly name = 'WebhookRefusedError';
}

export function postJson(
  url: string,
  body: unknown,
  options: { timeoutMs: number; allowPrivate: boolean; userAgent: string; headers?: Record<string, string> },
): Promise<number> {
  return postBody(url, JSON.stringify(body), options);
}

/** postJson with the body already serialised (a signature covers these exact bytes). */
export function postBody(
  url: string,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean; userAgent: string; headers?: Record<string, string> },
): Promise<number> {
  const problem = webhookUrlProblem(url, options.allowPrivate);
  if (problem) return Promise.reject(new WebhookRefusedError(`webhook refused: ${problem}`));
  const payload = Buffer.from(body);
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': 'application/json',
          'content-length': payload.length,
          'user-agent': options.userAgent,
        },
        timeout: options.timeoutMs,
        ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

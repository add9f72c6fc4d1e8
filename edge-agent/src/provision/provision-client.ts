import { ApiError, ProvisionResponse, decode, type ProvisionRequest } from '@tally/proto';

export class ProvisionError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProvisionError';
  }
}

/**
 * Trades a claim code for the box's identity: `POST <cloud>/api/provision` {code, name}. The cloud answers
 * ProvisionResponse, or a 4xx with an ApiError body whose message is shown as it is (e.g. an expired code).
 */
export async function requestProvisioning(
  cloudUrl: string,
  request: ProvisionRequest,
  fetchImpl: typeof fetch = fetch,
): Promise<ProvisionResponse> {
  const url = new URL('/api/provision', cloudUrl);
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new ProvisionError(`cannot reach ${url.href}: ${cause}`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = decode(ApiError, body, { versioned: false });
    if (e.ok)
      throw new ProvisionError(
        `${e.value.error.message} (${e.value.error.code}, HTTP ${res.status})`,
        e.value.error.code,
        res.status,
      );
    throw new ProvisionError(`the cloud refused provisioning with HTTP ${res.status}`, undefined, res.status);
  }
  const r = decode(ProvisionResponse, body, { what: 'provisioning response', versioned: false });
  if (!r.ok) throw new ProvisionError(`unexpected provisioning response: ${r.error.message}`);
  return r.value;
}

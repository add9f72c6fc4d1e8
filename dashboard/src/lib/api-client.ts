import type { SessionStore } from './session';

/** An API answer other than 2xx, with the cloud's stable error code (proto's ApiError body) when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

/** Builds `/api/<path>?<query>`, leaving out undefined values. */
export function apiUrl(path: string, query: ApiRequest['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return new ApiError(
    res.status,
    body?.error?.code ?? `HTTP_${res.status}`,
    body?.error?.message ?? `the server answered ${res.status}`,
  );
}

/**
 * The one API client. Sends the in-memory access token; on a 401 it refreshes once through the cookie (shared with
 * any other request that hit the same 401) and retries; when the refresh fails too, the session store ends the
 * session and the router shows the sign-in page, which brings the user back here afterwards.
 */
export class ApiClient {
  constructor(private readonly session: SessionStore) {}

  async json<T>(path: string, req: ApiRequest = {}): Promise<T> {
    const res = await this.send(path, req);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  async text(path: string, req: ApiRequest = {}): Promise<string> {
    return (await this.send(path, req)).text();
  }

  /** A binary answer (e.g. a camera snapshot JPEG) with its Last-Modified time, when the server sent one. */
  async blob(path: string, req: ApiRequest = {}): Promise<{ blob: Blob; lastModified: number | null }> {
    const res = await this.send(path, req);
    const header = res.headers.get('last-modified');
    const lastModified = header ? Date.parse(header) : NaN;
    return { blob: await res.blob(), lastModified: Number.isNaN(lastModified) ? null : lastModified };
  }

  private async send(path: string, req: ApiRequest): Promise<Response> {
    let res = await this.once(path, req, this.session.accessToken);
    if (res.status === 401 && this.session.accessToken !== null) {
      const fresh = await this.session.refresh();
      if (fresh) res = await this.once(path, req, fresh);
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  private once(path: string, req: ApiRequest, token: string | null): Promise<Response> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(apiUrl(path, req.query), {
      method: req.method ?? 'GET',
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal,
      credentials: 'same-origin',
    });
  }
}

/**
 * The secret parts of a URL, found in the text itself (no WHATWG parsing, which would re-encode what the camera
 * expects byte for byte): the password of `scheme://user:password@host`, and the values of query parameters named
 * like secrets (`?password=`, `&token=`, `apikey=`, `sig=`…). The user name, host, port and path are not secret and
 * stay readable. Pure.
 *
 * Masked, a secret reads `***`: `rtsp://admin:***@10.0.0.5:554/stream?token=***`. A URL sent back with `***` in a
 * secret's place means "keep the stored one" (restoreMasked), allowed only when scheme, user, host and port are
 * unchanged — otherwise a stored password could be sent on to another host by someone who never knew it.
 */
export const MASK = '***';

const SECRET_PARAM = /pass|pwd|token|secret|key|auth|sig|credential/i;
const URL_SHAPE = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is;

interface UrlParts {
  scheme: string;
  user: string | undefined;
  password: string | undefined;
  host: string;
  path: string;
  params: Array<{ name: string; value: string | undefined }> | undefined;
  fragment: string;
}

function parse(url: string): UrlParts | undefined {
  const m = URL_SHAPE.exec(url);
  if (!m) return undefined;
  const [, scheme = '', authority = '', rest = ''] = m;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const colon = userinfo?.indexOf(':') ?? -1;
  const hashAt = rest.indexOf('#');
  const beforeHash = hashAt >= 0 ? rest.slice(0, hashAt) : rest;
  const q = beforeHash.indexOf('?');
  return {
    scheme,
    user: userinfo === undefined ? undefined : colon >= 0 ? userinfo.slice(0, colon) : userinfo,
    password: userinfo !== undefined && colon >= 0 ? userinfo.slice(colon + 1) : undefined,
    host: at >= 0 ? authority.slice(at + 1) : authority,
    path: q >= 0 ? beforeHash.slice(0, q) : beforeHash,
    params:
      q >= 0
        ? beforeHash
            .slice(q + 1)
            .split('&')
            .map((p) => {
              const eq = p.indexOf('=');
              return eq >= 0
                ? { name: p.slice(0, eq), value: p.slice(eq + 1) }
                : { name: p, value: undefined };
            })
        : undefined,
    fragment: hashAt >= 0 ? rest.slice(hashAt) : '',
  };
}

function format(p: UrlParts): string {
  const userinfo =
    p.user === undefined ? '' : `${p.user}${p.password === undefined ? '' : `:${p.password}`}@`;
  const query = p.params
    ? `?${p.params.map((x) => (x.value === undefined ? x.name : `${x.name}=${x.value}`)).join('&')}`
    : '';
  return `${p.scheme}${userinfo}${p.host}${p.path}${query}${p.fragment}`;
}

const isSecretParam = (name: string) => SECRET_PARAM.test(decodeURIComponentSafe(name));

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether the URL holds a password or a secret-named query parameter with a value. */
export function hasUrlSecrets(url: string): boolean {
  const p = parse(url);
  if (!p) return false;
  return Boolean(p.password) || (p.params ?? []).some((x) => Boolean(x.value) && isSecretParam(x.name));
}

/** The URL with each secret replaced by `***` (the user name stays). A URL without secrets is returned as is. */
export function maskUrl(url: string): string {
  const p = parse(url);
  if (!p || !hasUrlSecrets(url)) return url;
  return format({
    ...p,
    password: p.password ? MASK : p.password,
    params: p.params?.map((x) => (x.value && isSecretParam(x.name) ? { ...x, value: MASK } : x)),
  });
}

/** Whether the URL holds `***` in a secret's place (it was masked by the API, and sent back). */
export function hasMaskedSecrets(url: string): boolean {
  const p = parse(url);
  if (!p) return false;
  return p.password === MASK || (p.params ?? []).some((x) => x.value === MASK && isSecretParam(x.name));
}

export type Restored = { ok: true; url: string } | { ok: false; reason: string };

/**
 * The URL a client sent, with each `***` replaced by the stored URL's secret in the same place. A URL without
 * `***` is new and replaces the stored one as it is.
 */
export function restoreMasked(incoming: string, stored: string | undefined): Restored {
  if (!hasMaskedSecrets(incoming)) return { ok: true, url: incoming };
  const p = parse(incoming)!;
  const s = stored === undefined ? undefined : parse(stored);
  const retype = 'type the password (and secret parameters) in full';
  if (!s)
    return { ok: false, reason: `the URL holds a masked secret (${MASK}) but no URL is stored: ${retype}` };
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(p.scheme, s.scheme) || p.user !== s.user || !same(p.host, s.host)) {
    return {
      ok: false,
      reason: `the URL keeps a masked secret (${MASK}) but its scheme, user or host changed: ${retype}`,
    };
  }
  let password = p.password;
  if (password === MASK) {
    if (!s.password) return { ok: false, reason: `no password is stored for this URL: ${retype}` };
    password = s.password;
  }
  const used = new Set<number>();
  const params = p.params?.map((x) => {
    if (x.value !== MASK || !isSecretParam(x.name)) return x;
    const i = (s.params ?? []).findIndex((y, j) => !used.has(j) && y.name === x.name && y.value);
    if (i < 0) return undefined;
    used.add(i);
    return { ...x, value: s.params![i]!.value };
  });
  if (params?.some((x) => x === undefined)) {
    return { ok: false, reason: `a masked query parameter has no stored value: ${retype}` };
  }
  return { ok: true, url: format({ ...p, password, params: params as UrlParts['params'] }) };
}

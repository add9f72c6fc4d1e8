/**
 * Strings no stored text may hold: NUL (PostgreSQL text and jsonb refuse it) and UTF-16 surrogates without their
 * pair (not Unicode at all: jsonb refuses the escape and UTF-8 encoding silently replaces them). Found before any
 * handler runs, so such a request is a 400 that changes nothing.
 */
export interface UnsafeString {
  /** JSON-pointer-like path of the value, e.g. `/setup/name`. */
  path: string;
  reason: 'NUL character' | 'unpaired UTF-16 surrogate';
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringProblem(s: string): UnsafeString['reason'] | null {
  if (s.includes('\u0000')) return 'NUL character';
  if (LONE_SURROGATE.test(s)) return 'unpaired UTF-16 surrogate';
  return null;
}

/** The first unsafe string in a parsed JSON value (keys included), or null. Pure. */
export function findUnsafeString(value: unknown, path = ''): UnsafeString | null {
  if (typeof value === 'string') {
    const reason = stringProblem(value);
    return reason ? { path: path || '/', reason } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeString(value[i], `${path}/${i}`);
      if (found) return found;
    }
    return null;
  }
  // Parsed JSON only: a streamed body (model upload) or a Buffer is not text to check.
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      const keyReason = stringProblem(key);
      if (keyReason) return { path: `${path}/${escapeKey(key)}`, reason: keyReason };
      const found = findUnsafeString(inner, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// Never echo the offending key itself (it may be unprintable): show its escapes.
function escapeKey(key: string): string {
  return JSON.stringify(key)
    .slice(1, -1)
    .replace(/[\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

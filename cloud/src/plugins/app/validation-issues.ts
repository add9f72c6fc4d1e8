import type { FastifySchemaValidationError } from 'fastify';

/** One refused field: where (`body/setup/source/url`) and what is accepted there, in words. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Ajv's error with `verbose: true` (see validators.ts): the schema that refused the value rides along. */
type AjvIssue = FastifySchemaValidationError & { parentSchema?: { description?: unknown } };

const FORMATS: Record<string, string> = {
  uuid: 'a UUID such as 0b6f1d6e-3c1a-4a4e-9d55-2f1f3c0e8a10',
  'date-time': 'an ISO 8601 date-time such as 2026-01-31T09:00:00Z',
  date: 'a date such as 2026-01-31',
  email: 'an email address',
  uri: 'an absolute URL',
};

/**
 * Turns ajv's failures into sentences a person can act on. A `pattern` or `format` failure says what the field
 * accepts — its schema's description, or a sentence for the format — and never quotes the regular expression
 * (the camera URL's is 300 characters of lookaheads). Other keywords keep ajv's own message, which is readable.
 * The refused value itself is never repeated (it may be a password).
 */
export function toFieldIssues(
  context: string | undefined,
  errors: FastifySchemaValidationError[],
): FieldIssue[] {
  return errors.map((e) => ({
    path: `${context ?? ''}${e.instancePath}`,
    message: messageOf(e as AjvIssue),
  }));
}

/** The one-line message for the whole 400: the first issue, with its path. */
export function validationMessage(issues: FieldIssue[]): string {
  const first = issues[0];
  if (!first) return 'the request is not valid';
  return `${first.path || 'request'}: ${first.message}`;
}

function messageOf(e: AjvIssue): string {
  if (e.keyword !== 'pattern' && e.keyword !== 'format') return e.message ?? 'invalid';
  const description = e.parentSchema?.description;
  if (typeof description === 'string' && description.trim()) return `not accepted: expected ${description}`;
  if (e.keyword === 'format') {
    const format = String((e.params as { format?: unknown }).format ?? '');
    return `must be ${FORMATS[format] ?? `a valid ${format}`}`;
  }
  return 'does not have the accepted form (see the field in the API docs, /api/docs)';
}

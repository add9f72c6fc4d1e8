import type { TSchema, Static } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { SUPPORTED_SCHEMA_VERSIONS } from './version';
import type { ValidationIssue } from './messages/config';

/** At most this many issues are reported per message: enough to fix it, not enough to flood a log. */
const MAX_ISSUES = 10;

/** A message that breaks the contract. `issues` name each field (a JSON pointer) and the reason. */
export class ContractError extends Error {
  readonly code = 'TALLY_CONTRACT';
  constructor(
    readonly what: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`invalid ${what}: ${issues.map((i) => `${i.path || '/'}: ${i.message}`).join('; ')}`);
    this.name = 'ContractError';
  }
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: ContractError };

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();
function checkerFor<S extends TSchema>(schema: S): TypeCheck<S> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<S>;
}

/** Turns raw bytes, a string or a parsed value into a plain value; bytes and strings must be JSON. */
function toValue(input: unknown): { ok: true; value: unknown } | { ok: false; issue: ValidationIssue } {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (err) {
      return { ok: false, issue: { path: '', message: `not valid JSON (${(err as Error).message})` } };
    }
  }
  return { ok: true, value: input };
}

/** Checks the `v` field before the shape, so a newer sender gets "unsupported version", not a list of diffs. */
function versionIssue(value: unknown, versioned: boolean): ValidationIssue | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { path: '', message: 'expected a JSON object' };
  }
  if (!versioned) return null;
  const v = (value as Record<string, unknown>).v;
  if (v === undefined) return { path: '/v', message: 'missing schema version `v`' };
  if (typeof v !== 'number' || !SUPPORTED_SCHEMA_VERSIONS.includes(v)) {
    return {
      path: '/v',
      message: `unsupported schema version ${JSON.stringify(v)}; this build understands ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`,
    };
  }
  return null;
}

export interface DecodeOptions<T> {
  /** Name used in error messages, e.g. "events message". */
  what?: string;
  /** Whether the value must carry a supported `v` (messages do; API bodies do not). */
  versioned?: boolean;
  /** Checks the schema cannot express (geometry, cross references). */
  refine?: (value: T) => ValidationIssue[];
}

/**
 * Validates `input` against `schema`. Never throws: a malformed input yields `{ok: false, error}` whose issues name
 * the field and the reason.
 */
export function decode<S extends TSchema>(
  schema: S,
  input: unknown,
  options: DecodeOptions<Static<S>> = {},
): Decoded<Static<S>> {
  const what = options.what ?? 'message';
  const parsed = toValue(input);
  if (!parsed.ok) return { ok: false, error: new ContractError(what, [parsed.issue]) };
  const vIssue = versionIssue(parsed.value, options.versioned ?? true);
  if (vIssue) return { ok: false, error: new ContractError(what, [vIssue]) };
  const check = checkerFor(schema);
  if (!check.Check(parsed.value)) {
    const issues: ValidationIssue[] = [];
    for (const e of check.Errors(parsed.value)) {
      issues.push({ path: e.path, message: e.message });
      if (issues.length >= MAX_ISSUES) break;
    }
    return { ok: false, error: new ContractError(what, issues) };
  }
  const value = parsed.value as Static<S>;
  const refined = options.refine?.(value) ?? [];
  if (refined.length > 0) return { ok: false, error: new ContractError(what, refined.slice(0, MAX_ISSUES)) };
  return { ok: true, value };
}

/** Like `decode`, but throws the ContractError: for trusted call sites where invalid data is a bug. */
export function assertValid<S extends TSchema>(
  schema: S,
  input: unknown,
  options: DecodeOptions<Static<S>> = {},
): Static<S> {
  const result = decode(schema, input, options);
  if (!result.ok) throw result.error;
  return result.value;
}

/** A copy of `value` with the schema's declared defaults filled in where fields are absent. */
export function withDefaults<S extends TSchema>(schema: S, value: Static<S>): Static<S> {
  return Value.Default(schema, Value.Clone(value)) as Static<S>;
}

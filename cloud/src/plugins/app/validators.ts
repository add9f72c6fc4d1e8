import { createRequire } from 'node:module';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

type BuildValidator = (
  externalSchemas: unknown,
  options: { customOptions: Record<string, unknown> },
) => FastifySchemaCompiler<unknown>;

// Fastify's own validator compiler (it ships with fastify as a dependency), loaded from fastify's folder so the
// cloud uses the very version fastify does instead of adding a second copy.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const AjvCompiler = fromFastify('@fastify/ajv-compiler') as () => BuildValidator;

/**
 * Ajv options shared by every part: keep what the user sent (no defaults, no removal of unknown keys). `verbose`
 * puts the refusing schema on each error, so a refused pattern is explained by the field's description instead of
 * its regular expression (validation-issues.ts).
 */
const common = { removeAdditional: false, useDefaults: false, allErrors: false, verbose: true };

/**
 * Validators that never coerce a JSON body (`"fps":"10"` is a 400, not 10) while query strings, params and
 * headers — which are always strings on the wire — are still coerced to the numbers and arrays their schemas name.
 */
export const buildValidator = ((externalSchemas: unknown) => {
  const bodies = AjvCompiler()(externalSchemas, { customOptions: { ...common, coerceTypes: false } });
  const others = AjvCompiler()(externalSchemas, { customOptions: { ...common, coerceTypes: 'array' } });
  return (route: Parameters<FastifySchemaCompiler<unknown>>[0]) =>
    (route.httpPart === 'body' ? bodies : others)(route);
}) as unknown as NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>;

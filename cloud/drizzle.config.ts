import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @tally/cloud exec drizzle-kit generate` writes SQL migrations into cloud/migrations (committed).
// The same migrations serve PGlite and PostgreSQL; they are applied at start and by `pnpm cloud migrate`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});

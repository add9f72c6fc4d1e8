import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @tally/edge-agent exec drizzle-kit generate` writes SQL migrations into edge-agent/migrations
// (committed); the agent applies them at start (src/store/database.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema/index.ts',
  out: './migrations',
});

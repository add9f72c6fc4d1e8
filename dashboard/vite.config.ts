import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The cloud serves the built files (dashboard/dist) at `/`; in development `pnpm --filter @tally/dashboard dev`
// proxies the API to a local `pnpm cloud serve`.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } } },
  build: { outDir: 'dist', emptyOutDir: true },
});

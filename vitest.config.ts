import { defineConfig } from 'vitest/config'

// Workspace packages export dist/ to users; tests run their TypeScript source through this export condition.
// The rest are vite's defaults for server code, which setting `conditions` replaces.
const conditions = ['@storyreel/source', 'module', 'node', 'development|production']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    clearMocks: true,
    restoreMocks: true,
    // `pnpm test` runs both; `pnpm exec vitest run --project unit` only each package's own tests.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        // The CLI run as a user runs it (a child process) against the simulator, and its report in chromium.
        test: { name: 'e2e', include: ['test/**/*.test.ts'] },
      },
    ],
  },
})

import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: [
      { find: /^dendrite$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^dendrite\/testing$/, replacement: fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)) },
      { find: /^dendrite\/viz$/, replacement: fileURLToPath(new URL('./src/viz/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['laws/**/*.law.ts', 'spec/**/*.spec.ts'],
    globalSetup: ['./laws/seed.global.ts'],
    setupFiles: ['./laws/seed.setup.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    testTimeout: 60_000,
  },
})

/**
 * Runs every `@example` of the API reference (extracted by scripts/extract-examples.ts).
 * An example that throws, or whose assertion fails, fails here.
 */
import { readdirSync } from 'node:fs'
import { describe, expect, test } from 'vitest'

const dir = new URL('../.doc-examples/', import.meta.url)
const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()

describe('doc examples', () => {
  test('were extracted', () => expect(files.length).toBeGreaterThan(100))
  test.each(files)('%s', async (f) => {
    await import(/* @vite-ignore */ new URL(f, dir).href)
  })
})

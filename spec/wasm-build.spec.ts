/**
 * The committed WebAssembly modules (src/kernels/wasm/generated/*.ts) are not stale:
 * each records the sha256 of its AssemblyScript source and compiler flags, which must
 * match the source now (cheap, always run). With `WASM_REBUILD=1` the modules are also
 * recompiled and must equal the committed bytes exactly (asc output is deterministic;
 * a compile takes a few seconds per module on an idle machine, far more on a loaded one,
 * so it is opt-in).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { generatedDir, modules, render, sourceHash } from '../scripts/build-wasm.js'

describe.each(modules())('wasm module %s', (name) => {
  const committed = readFileSync(join(generatedDir, `${name}.ts`), 'utf8')
  test('was built from the current source (npm run build:wasm)', () => {
    expect(/sourceHash = '([0-9a-f]{64})'/.exec(committed)?.[1]).toBe(sourceHash(name))
  })
  test.skipIf(process.env.WASM_REBUILD !== '1')('recompiles to the committed bytes', async () => {
    expect(await render(name)).toBe(committed)
  }, 300_000)
})

/**
 * On Node ≥ 20 (the runtime this package supports) WebAssembly SIMD, shared memory and
 * worker threads all exist, so the fast path must really be on. The kernel laws skip or
 * fall back where it is missing (browsers without SIMD); without this spec a broken loader
 * would make them pass vacuously against the reference kernels.
 */
import { availableParallelism } from 'node:os'
import { describe, expect, test } from 'vitest'
import { kernels } from 'dendrite'
import { elementwiseModule } from '../src/kernels/wasm/elementwise.js'
import { gemmModule } from '../src/kernels/wasm/matmul.js'

describe('the WebAssembly kernels are active on Node', () => {
  test('SIMD is detected, both modules load, and wasm is the default kernel set', () => {
    expect(kernels.wasmSupported()).toBe(true)
    expect(gemmModule()).toBeDefined()
    expect(elementwiseModule()).toBeDefined()
    expect(kernels.active().name).toBe('wasm-simd')
  })
  test('worker threads start and are ready', async () => {
    expect(kernels.threadsSupported()).toBe(true)
    // a generous wait: a worker took 0.1 s to get ready here when idle but 0.8–1.5 s with
    // eight busy processes on the two cores, and startThreads' default gives up at 5 s
    const ready = await kernels.startThreads(30_000)
    expect(ready).toBe(kernels.threads())
    if (availableParallelism() > 1) expect(ready).toBeGreaterThan(1)
  })
})

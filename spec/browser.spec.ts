/**
 * The main entry point runs in a browser-like realm: bundled by esbuild for the browser
 * (so no `node:` import may be reached) and run in a fresh `vm` context that has no
 * `process`, `require` or `Buffer`, only the language's own globals plus `atob`. Three
 * hosts are tried: a full one (WebAssembly SIMD, `SharedArrayBuffer`), one without
 * `SharedArrayBuffer` (a page without cross-origin isolation), and one without WebAssembly
 * (the plain-JS reference kernels). Each must give the same results; threads stay off, as
 * they need Node's `worker_threads`.
 */
import { build } from 'esbuild'
import vm from 'node:vm'
import { describe, expect, test } from 'vitest'

// built once, inside the tests (not in a beforeAll hook), so that a bundle that fails to
// build, say through a `node:` import, fails each test rather than skipping them
let bundled: Promise<string> | undefined
const bundle = (): Promise<string> =>
  (bundled ??= build({ entryPoints: ['src/index.ts'], bundle: true, platform: 'browser', format: 'iife', globalName: 'dendrite', write: false, logLevel: 'silent' })
    .then((r) => r.outputFiles[0].text))

const probe = `(() => {
  const d = dendrite
  const a = d.ops.ones([300, 300], 'float32')
  const c = d.ops.matmul(a, a)
  const e = d.ops.exp(d.ops.zeros([5000], 'float32'))
  const g = d.grad((x) => d.ops.sum(d.ops.mul(x, x)))(d.ops.tensor([1, 2, 3]))
  return JSON.stringify({ kernels: d.kernels.active().name, wasm: d.kernels.wasmSupported(), threads: d.kernels.threadsSupported(), c: c.data[299 * 300 + 299], e: e.data[4999], g: Array.from(g.data), process: typeof process, require: typeof require })
})()`

const run = async (prelude: string): Promise<Record<string, unknown>> => {
  const code = await bundle()
  const ctx = vm.createContext({ atob })
  vm.runInContext(prelude, ctx)
  vm.runInContext(code, ctx)
  return JSON.parse(vm.runInContext(probe, ctx) as string) as Record<string, unknown>
}

describe('browser-like host (esbuild browser bundle in a bare vm realm)', () => {
  const same = { c: 300, e: 1, g: [2, 4, 6], threads: false, process: 'undefined', require: 'undefined' }
  test('with WebAssembly and SharedArrayBuffer: the SIMD kernels are active, threads off', async () => {
    expect(await run('')).toEqual({ ...same, kernels: 'wasm-simd', wasm: true })
  })
  test('without SharedArrayBuffer (no cross-origin isolation): SIMD kernels on plain memory', async () => {
    expect(await run('delete globalThis.SharedArrayBuffer')).toEqual({ ...same, kernels: 'wasm-simd', wasm: true })
  })
  test('without WebAssembly: the plain-JS reference kernels, same results', async () => {
    expect(await run('delete globalThis.WebAssembly')).toEqual({ ...same, kernels: 'reference-js', wasm: false })
  })
})

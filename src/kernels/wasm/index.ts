/**
 * The WebAssembly SIMD kernel set and its controls. `wasm.matmul` runs the SIMD GEMM of
 * as/gemm.ts (split over worker threads when large); `unary`, `binary` and `reduce` run
 * as/elementwise.ts for float32 exp/log/tanh/sigmoid, same-shape add/sub/mul/div and sum
 * (see elementwise.ts; laws/wasm-elementwise.law.ts) and the reference kernels otherwise.
 * Where WebAssembly SIMD is missing every kernel falls back to the reference, so `wasm`
 * is always safe to use.
 *
 * Laws (laws/wasm.law.ts):
 * - `wasm.matmul(…) ≈ reference.matmul(…)` within float rounding, for any shape and
 *   transpose flags;
 * - the threaded product equals the single-threaded one bit for bit;
 * - `setThreads(n)` returns the previous `threads()`.
 *
 * @module
 */
import type { Buffer, Kernels } from '../Kernels.js'
import { reference } from '../reference.js'
import { binary, reduce, unary } from './elementwise.js'
import { gemm, gemmModule } from './matmul.js'
import { runtime, simdSupported } from './runtime.js'
import * as pool from './threads.js'

/** @internal Products with fewer multiply-adds than this run on the reference kernel. */
export const SMALL_WORK = 2048

const matmul = (
  a: Buffer, aOff: number, b: Buffer, bOff: number, out: Buffer, cOff: number,
  m: number, k: number, n: number, transA = false, transB = false,
): void => {
  if (m === 0 || n === 0) return
  if (k === 0) {
    out.fill(0, cOff, cOff + m * n)
    return
  }
  // below ~12³ multiply-adds the fixed cost of a wasm call (~1 µs) exceeds the JS loop's
  if (m * k * n < SMALL_WORK || gemm(a, aOff, b, bOff, out, cOff, m, k, n, transA, transB) === 0) {
    reference.matmul(a, aOff, b, bOff, out, cOff, m, k, n, transA, transB)
  }
}

/**
 * The WebAssembly SIMD kernels: a packed, register-blocked GEMM (4×8 float32 tiles in
 * `f32x4`, 4×4 float64 tiles in `f64x2`, cache-blocked) for `matmul`, split over worker
 * threads for large products (see {@link setThreads}); vectorised float32 exp, log, tanh,
 * sigmoid (within 4 ulp of `Math`), same-shape add/sub/mul/div and sums; the reference
 * kernels for the rest. Falls back to {@link reference} where WebAssembly SIMD is missing.
 * It is the default kernel set wherever {@link wasmSupported} holds.
 *
 * @category kernels
 * @since 0.2.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * const out = new Float32Array(4)
 * // [[1, 2], [3, 4]] · [[1, 0], [0, 1]]
 * kernels.wasm.matmul(new Float32Array([1, 2, 3, 4]), 0, new Float32Array([1, 0, 0, 1]), 0, out, 0, 2, 2, 2)
 * assert.deepStrictEqual([...out], [1, 2, 3, 4])
 * // Aᵀ·B without a transposed copy: the transA flag
 * kernels.wasm.matmul(new Float32Array([1, 2, 3, 4]), 0, new Float32Array([1, 0, 0, 1]), 0, out, 0, 2, 2, 2, true)
 * assert.deepStrictEqual([...out], [1, 3, 2, 4])
 * // a vectorised exp, within 4 ulp of Math.exp rounded to float32
 * const e = new Float32Array(3)
 * kernels.wasm.unary('exp', new Float32Array([0, 1, -1]), e)
 * assert.strictEqual(e[0], 1)
 * assert.ok(Math.abs(e[1] - Math.E) < 1e-6 && Math.abs(e[2] - 1 / Math.E) < 1e-6)
 * ```
 */
export const wasm: Kernels = {
  name: 'wasm-simd',
  matmul,
  unary,
  binary,
  reduce,
}

/**
 * Whether this host runs WebAssembly with 128-bit SIMD (checked once, by validating a
 * tiny module that uses a `v128` instruction). Where it is false, {@link wasm} computes
 * with the reference kernels.
 *
 * @category kernels
 * @since 0.2.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(typeof kernels.wasmSupported(), 'boolean')
 * if (kernels.wasmSupported()) assert.strictEqual(kernels.active().name, 'wasm-simd')
 * ```
 */
export const wasmSupported = (): boolean => simdSupported() && gemmModule() !== undefined

/**
 * Whether worker threads can share the WebAssembly kernels' work here: a shared
 * WebAssembly memory (`SharedArrayBuffer`) and either Node's `worker_threads` on the main
 * thread (Node ≥ 20.16, for `process.getBuiltinModule`) or a browser window that is
 * cross-origin isolated (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`), which gets Web Workers. Elsewhere (a page
 * without those headers, a worker, a bare JavaScript realm) it is false and the kernels
 * run on one thread.
 *
 * @category kernels
 * @since 0.2.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(typeof kernels.threadsSupported(), 'boolean')
 * ```
 */
export const threadsSupported = (): boolean => {
  const r = runtime()
  return r !== undefined && pool.threadsSupported(r)
}

/**
 * The number of threads (the calling thread included) a large WebAssembly matmul is
 * split over: by default the number of available cores, at most 4. Products with fewer
 * than 256³ (about 16.8 million) multiply-adds always run on the calling thread: below that
 * a worker's wake-up costs more than it saves (an MLP step with 64×784×128 products ran
 * 1.92 ms on two threads against 1.64 ms on one with the earlier 2·128³ threshold).
 *
 * @category kernels
 * @since 0.2.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.ok(kernels.threads() >= 1)
 * ```
 */
export const threads = (): number => pool.threads()

/**
 * Sets how many threads (the calling thread included, 1 to 16) large WebAssembly
 * matmuls are split over; returns the previous setting. `setThreads(1)` keeps all work on
 * the calling thread. Workers are started lazily, at the first product that wants them,
 * and are `unref`'d, so they never keep a process alive; until they are ready (a few tens
 * of milliseconds), products run single-threaded. Threads take 256-column blocks of the
 * result from a shared counter, so a thread that gets less CPU (a busy machine) just
 * takes fewer. Results do not depend on the setting: every block is computed exactly as
 * one thread would compute it, bit for bit.
 *
 * @category kernels
 * @since 0.2.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * const previous = kernels.setThreads(1)
 * assert.strictEqual(kernels.threads(), 1)
 * kernels.setThreads(previous)
 * ```
 */
export const setThreads = (n: number): number => pool.setThreads(n)

/**
 * Starts the worker threads now (instead of at the first large matmul) and resolves,
 * once they are ready or after `timeoutMs`, with the number of threads large products
 * will use (1 where threads are not supported). Useful before benchmarks.
 *
 * @category kernels
 * @since 0.2.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * const n = await kernels.startThreads()
 * assert.ok(n >= 1 && n <= kernels.threads())
 * ```
 */
export const startThreads = async (timeoutMs = 5000): Promise<number> => {
  const r = runtime()
  const mod = gemmModule()
  if (r === undefined || mod === undefined) return 1
  const want = pool.threads() - 1
  const t0 = Date.now()
  for (;;) {
    const ready = pool.workers(r, mod, pool.NAMES, want).length
    if (ready >= want || Date.now() - t0 > timeoutMs) return 1 + ready
    await new Promise((res) => setTimeout(res, 5))
  }
}

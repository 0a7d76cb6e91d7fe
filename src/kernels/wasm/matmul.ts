/**
 * Matrix multiply on the WebAssembly SIMD GEMM (as/gemm.ts): operands are copied into the
 * runtime's scratch memory, the product is computed there (split over worker threads when
 * it is large) and copied out.
 *
 * Laws:
 * - `gemm(…) ≈ reference.matmul(…)` within float rounding (the order of summation differs);
 * - `gemm` with t threads = `gemm` with 1 thread, bit for bit: C is cut into row (or
 *   column) blocks at micro-tile boundaries and every entry is computed by the same
 *   sequence of operations in whichever block and thread it falls;
 * - `op(A)ᵢₚ = A[p, i]` when `transA`, `op(B)ₚⱼ = B[j, p]` when `transB`.
 *
 * @module
 */
import type { Buffer } from '../Kernels.js'
import * as gemmWasm from './generated/gemm.js'
import { align64, load, runtime, scratch, type Loaded } from './runtime.js'
import { join, NAMES, post, threads, workers } from './threads.js'

// micro-tile sizes of as/gemm.ts (row blocks are cut at multiples of MR, column blocks of NR)
const MR = 4
const NR = 8
/** @internal Below this many multiply-adds (m·k·n) a product is not split over threads. */
export const THREAD_MIN_WORK = 96 * 96 * 96
const MAX_BYTES = 2 ** 31 - 2 ** 20

/** @internal The loaded GEMM module, or undefined where WebAssembly SIMD is missing. */
export const gemmModule = (): Loaded | undefined => load(gemmWasm)

/**
 * @internal `out[cOff..] = op(A)·op(B)` in WebAssembly, split over at most `maxThreads`
 * threads when `m·k·n ≥ minWork`. Returns the number of threads used, or 0 (having done
 * nothing) where the WebAssembly path is unavailable or the operands do not fit its
 * memory; the caller then uses the reference kernel. Needs `m, n, k ≥ 1`.
 */
export const gemm = (
  a: Buffer, aOff: number, b: Buffer, bOff: number, out: Buffer, cOff: number,
  m: number, k: number, n: number, transA: boolean, transB: boolean,
  maxThreads: number = threads(), minWork: number = THREAD_MIN_WORK,
): number => {
  const r = runtime()
  const mod = r === undefined ? undefined : gemmModule()
  if (r === undefined || mod === undefined) return 0
  const f64 = out instanceof Float64Array
  const es = f64 ? 8 : 4
  const ws = mod.exports[f64 ? 'dgemmWorkspace' : 'sgemmWorkspace']() as number
  // how many threads: enough work, and ready workers
  let t = m * k * n >= minWork ? Math.max(1, maxThreads) : 1
  const byRows = m >= n
  const tiles = byRows ? Math.ceil(m / MR) : Math.ceil(n / NR)
  t = Math.min(t, tiles)
  const ready = t > 1 ? workers(r, mod, NAMES, t - 1) : []
  t = 1 + ready.length
  const sizeA = align64(m * k * es)
  const sizeB = align64(k * n * es)
  const sizeC = align64(m * n * es)
  const total = sizeA + sizeB + sizeC + t * align64(ws)
  if (total > MAX_BYTES) return 0
  const base = scratch(r, total)
  const pA = base
  const pB = pA + sizeA
  const pC = pB + sizeB
  const pW = pC + sizeC
  const buf = r.memory.buffer
  if (f64) {
    new Float64Array(buf, pA, m * k).set((a as Float64Array).subarray(aOff, aOff + m * k))
    new Float64Array(buf, pB, k * n).set((b as Float64Array).subarray(bOff, bOff + k * n))
  } else {
    new Float32Array(buf, pA, m * k).set((a as Float32Array).subarray(aOff, aOff + m * k))
    new Float32Array(buf, pB, k * n).set((b as Float32Array).subarray(bOff, bOff + k * n))
  }
  // op(A)[i, p] = A[i·rsA + p·csA], op(B)[p, j] = B[p·rsB + j·csB]
  const rsA = transA ? 1 : k
  const csA = transA ? m : 1
  const rsB = transB ? 1 : n
  const csB = transB ? k : 1
  const fn = f64 ? 1 : 0
  const run = mod.exports[NAMES[fn]] as (...args: number[]) => void
  // block q of t: rows (or columns) [lo, hi) at micro-tile boundaries
  const unit = byRows ? MR : NR
  const bound = (q: number): number => Math.min(byRows ? m : n, Math.round((tiles * q) / t) * unit)
  const args = (q: number): number[] => {
    const lo = bound(q)
    const hi = bound(q + 1)
    const w = pW + q * align64(ws)
    return byRows
      ? [hi - lo, n, k, pA + lo * rsA * es, rsA, csA, pB, rsB, csB, pC + lo * n * es, n, w]
      : [m, hi - lo, k, pA, rsA, csA, pB + lo * csB * es, rsB, csB, pC + lo * es, n, w]
  }
  for (let q = 1; q < t; q++) post(ready[q - 1], fn, args(q))
  run(...args(0))
  for (let q = 1; q < t; q++) {
    if (!join(ready[q - 1])) run(...args(q)) // a failed worker share is redone here
  }
  const res = f64 ? new Float64Array(r.memory.buffer, pC, m * n) : new Float32Array(r.memory.buffer, pC, m * n)
  out.set(res, cOff)
  return t
}

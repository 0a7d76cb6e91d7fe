/**
 * Matrix multiply on the WebAssembly SIMD GEMM (as/gemm.ts): operands are copied into the
 * runtime's scratch memory, the product is computed there (split over worker threads when
 * it is large) and copied out. Two schedules for threads: a C with at least 2·CHUNK
 * columns is cut into CHUNK-wide column blocks that all threads take from a shared atomic
 * counter (dynamic, so a thread that gets less CPU takes fewer blocks; each block packs
 * only its own columns of B, as a narrower cache block of one thread would); a narrow C
 * is cut into one row block per thread (static).
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
import { CHUNK_COUNTER, join, NAMES, post, threads, workers } from './threads.js'

// micro-tile sizes of as/gemm.ts (row blocks are cut at multiples of MR, column blocks of NR)
const MR = 4
const NR = 8
/** @internal Width of the column chunks threads take dynamically (a multiple of NR). */
export const CHUNK = 256
/** @internal Below this many multiply-adds (m·k·n) a product is not split over threads (measured: 2·128³ made a batch-64 MLP step slower on two threads). */
export const THREAD_MIN_WORK = 256 * 256 * 256
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
  maxThreads: number = threads(), minWork: number = THREAD_MIN_WORK, chunk: number = CHUNK,
): number => {
  const r = runtime()
  const mod = r === undefined ? undefined : gemmModule()
  if (r === undefined || mod === undefined) return 0
  const f64 = out instanceof Float64Array
  const es = f64 ? 8 : 4
  const ws = (mod.exports[f64 ? 'dgemmWorkspace' : 'sgemmWorkspace'] as () => number)()
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
  const F: new (buf: ArrayBufferLike, off: number, len: number) => Buffer = f64 ? Float64Array : Float32Array
  // copies of a[aOff + lo·k, aOff + hi·k) etc. into the scratch memory
  const copyIn = (src: Buffer, off: number, dst: number, lo: number, hi: number): void =>
    new F(buf, dst + lo * es, hi - lo).set(src.subarray(off + lo, off + hi))
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
  copyIn(b, bOff, pB, 0, k * n)
  if (t > 1 && n >= 2 * chunk) {
    // wide C: all threads take column chunks from a shared counter (dynamic schedule)
    copyIn(a, aOff, pA, 0, m * k)
    const counter = new Int32Array(buf, CHUNK_COUNTER, 1)
    Atomics.store(counter, 0, 0)
    const whole = [m, n, k, pA, rsA, csA, pB, rsB, csB, pC, n, pW]
    for (let q = 1; q < t; q++) post(ready[q - 1], fn, [...whole.slice(0, 11), pW + q * align64(ws)], chunk, es)
    const chunks = Math.ceil(n / chunk)
    const runChunk = (q: number): void => {
      const j0 = q * chunk
      run(m, Math.min(chunk, n - j0), k, pA, rsA, csA, pB + j0 * csB * es, rsB, csB, pC + j0 * es, n, pW)
    }
    for (let q = Atomics.add(counter, 0, 1); q < chunks; q = Atomics.add(counter, 0, 1)) runChunk(q)
    for (let q = 1; q < t; q++) {
      // a failed worker may have left its chunk unfinished: redo them all (rare; correct)
      if (!join(ready[q - 1])) for (let c = 0; c < chunks; c++) runChunk(c)
    }
    out.set(new F(buf, pC, m * n), cOff)
    return t
  }
  // Row blocks of a plain A are contiguous: copy each worker's rows just before posting
  // its job and the main thread's last, so that the workers start while the main thread
  // is still copying; likewise the main thread copies its rows of C out while they work.
  const rowwise = byRows && !transA
  if (!rowwise) copyIn(a, aOff, pA, 0, m * k)
  for (let q = t - 1; q >= 1; q--) {
    if (rowwise) copyIn(a, aOff, pA, bound(q) * k, bound(q + 1) * k)
    post(ready[q - 1], fn, args(q))
  }
  if (rowwise) copyIn(a, aOff, pA, 0, bound(1) * k)
  run(...args(0))
  const res = new F(buf, pC, m * n)
  const ownEnd = byRows ? bound(1) * n : 0
  if (ownEnd > 0) out.set(res.subarray(0, ownEnd), cOff)
  for (let q = 1; q < t; q++) {
    if (!join(ready[q - 1])) run(...args(q)) // a failed worker share is redone here
  }
  out.set(res.subarray(ownEnd), cOff + ownEnd)
  return t
}

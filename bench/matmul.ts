/**
 * `npm run bench:matmul`: GFLOP/s of dendrite's matmul (through `ops.matmul`, so output
 * allocation and the copies into and out of WebAssembly memory are included) for square
 * float32 and float64 matrices, with each kernel set in the same process:
 *
 * - wasm ×1: the WebAssembly SIMD GEMM on the calling thread (`kernels.setThreads(1)`);
 * - wasm ×T: the same, split over `kernels.threads()` threads (worker threads);
 * - JS: the blocked plain-JS reference kernel (`kernels.reference`);
 * - naive: the triple loop a user would write (skipped above 512).
 *
 * Medians of several runs after a warm-up. `SIZES=256,1024` picks sizes. On a machine
 * shared with other work, the threaded column suffers first (it needs an idle core);
 * `STAT=min` reports the fastest run instead of the median (closer to an idle machine).
 */
import { kernels, ops, random } from 'dendrite'
import { time as median } from './util.js'

const best = (f: () => unknown, reps: number, warmup = 2): number => {
  for (let i = 0; i < warmup; i++) f()
  let t = Infinity
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    f()
    t = Math.min(t, performance.now() - t0)
  }
  return t
}
const time = process.env.STAT === 'min' ? best : median

/** The definition, as a naive user would write it (i-j-p order). */
const naive = (a: ArrayLike<number>, b: ArrayLike<number>, n: number, out: Float32Array | Float64Array): void => {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let p = 0; p < n; p++) s += a[i * n + p] * b[p * n + j]
      out[i * n + j] = s
    }
  }
}

const sizes = (process.env.SIZES ?? '128,256,512,1024').split(',').map(Number)
const T = await kernels.startThreads()
console.log(`wasm SIMD: ${kernels.wasmSupported()}, threads ready: ${T} of ${kernels.threads()}`)
const rows: string[][] = [['n', 'dtype', 'wasm×1', `wasm×${T}`, 'JS', 'naive', `×${T}/×1`, '×1/JS', '×1/naive']]
const [ka, kb] = random.split(random.key(0), 2)
const g = (flops: number, ms: number): string => (Number.isNaN(ms) ? '–' : (flops / ms / 1e6).toFixed(1))
const r = (x: number, y: number): string => (Number.isNaN(x) || Number.isNaN(y) ? '–' : `${(y / x).toFixed(2)}×`)
for (const dtype of ['float32', 'float64'] as const) {
  for (const n of sizes) {
    const a = random.normal(ka, [n, n], { dtype })
    const b = random.normal(kb, [n, n], { dtype })
    const flops = 2 * n ** 3
    const reps = n <= 256 ? 21 : n <= 512 ? 9 : 5
    const prev = kernels.setThreads(1)
    const t1 = kernels.withKernels(kernels.wasm, () => time(() => ops.matmul(a, b), reps))
    kernels.setThreads(prev)
    const tT = kernels.withKernels(kernels.wasm, () => time(() => ops.matmul(a, b), reps))
    const tJ = kernels.withKernels(kernels.reference, () => time(() => ops.matmul(a, b), Math.max(3, reps >> 1)))
    const out = dtype === 'float32' ? new Float32Array(n * n) : new Float64Array(n * n)
    const tN = n <= 512 ? time(() => naive(a.data as ArrayLike<number>, b.data as ArrayLike<number>, n, out), Math.max(2, reps >> 2)) : NaN
    rows.push([String(n), dtype, g(flops, t1), g(flops, tT), g(flops, tJ), g(flops, tN), r(tT, t1), r(t1, tJ), r(t1, tN)])
  }
}
console.log(`GFLOP/s (${process.env.STAT === 'min' ? 'fastest' : 'median'} wall time after warm-up):`)
const w = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)))
for (const row of rows) console.log(row.map((c, i) => c.padStart(w[i])).join('  '))

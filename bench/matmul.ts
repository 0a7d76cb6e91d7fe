/**
 * `npm run bench:matmul`: GFLOP/s of dendrite's matmul (the blocked reference kernel,
 * through `ops.matmul`) beside a plain triple loop, run in the same process, for square
 * float32 and float64 matrices. Medians of several runs after a warm-up.
 */
import { ops, random } from 'dendrite'
import { time } from './util.js'



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
const rows: string[][] = [['n', 'dtype', 'dendrite GFLOP/s', 'naive loop GFLOP/s', 'ratio']]
const [ka, kb] = random.split(random.key(0), 2)
for (const dtype of ['float32', 'float64'] as const) {
  for (const n of sizes) {
    const a = random.normal(ka, [n, n], { dtype })
    const b = random.normal(kb, [n, n], { dtype })
    const flops = 2 * n ** 3
    const reps = n <= 256 ? 15 : n <= 512 ? 7 : 3
    const tD = time(() => ops.matmul(a, b), reps)
    const out = dtype === 'float32' ? new Float32Array(n * n) : new Float64Array(n * n)
    const tN = n <= 512 ? time(() => naive(a.data as ArrayLike<number>, b.data as ArrayLike<number>, n, out), Math.max(2, Math.floor(reps / 2))) : NaN
    const gD = flops / tD / 1e6
    const gN = flops / tN / 1e6
    rows.push([String(n), dtype, gD.toFixed(2), Number.isNaN(gN) ? '(skipped)' : gN.toFixed(2), Number.isNaN(gN) ? '' : `${(gD / gN).toFixed(1)}×`])
  }
}
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
for (const r of rows) console.log(r.map((c, i) => c.padStart(w[i])).join('  '))

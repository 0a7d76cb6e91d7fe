/**
 * Laws of the WebAssembly SIMD kernels (src/kernels/wasm):
 *
 * - for every kernel set K (reference, wasm) and transpose flags tA, tB:
 *   |K.matmul(A, B)ᵢⱼ − Σₚ op(A)ᵢₚ op(B)ₚⱼ| ≤ k·u·Σₚ |op(A)ᵢₚ op(B)ₚⱼ|
 *   (u = 2⁻²⁴ in float32, 2⁻⁵³ in float64: the worst-case bound of any summation order,
 *   against the exact sum computed in float64 / as a float64 double-check), on awkward
 *   shapes (1, 3, 7, 17, 129, 260 > one k block, non-square) and offsets;
 * - hence wasm.matmul ≈ reference.matmul within twice that bound;
 * - a kernel writes only its output block and leaves its inputs unchanged;
 * - threaded = single-threaded, bit for bit (every entry of C is computed by the same
 *   operations whichever row or column block, and thread, it falls in);
 * - the ops run on the wasm kernels by default where the host supports them.
 */
import { fc, test } from '@fast-check/vitest'
import { beforeAll, describe, expect } from 'vitest'
import { kernels, ops } from 'dendrite'
import { lcgFill } from './helpers.js'
import { gemm, THREAD_MIN_WORK } from '../src/kernels/wasm/matmul.js'

const dims = fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 129)
const kdims = fc.constantFrom(1, 2, 3, 7, 8, 17, 129, 260)
type F = Float32ArrayConstructor | Float64ArrayConstructor


/** Exact-ish product (float64 accumulation of the float32/64 inputs) and Σ|a||b| per entry. */
const exact = (a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, m: number, k: number, n: number, tA: boolean, tB: boolean) => {
  const c = new Float64Array(m * n)
  const mag = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      let g = 0
      for (let p = 0; p < k; p++) {
        const x = a[aOff + (tA ? p * m + i : i * k + p)] * b[bOff + (tB ? j * k + p : p * n + j)]
        s += x
        g += Math.abs(x)
      }
      c[i * n + j] = s
      mag[i * n + j] = g
    }
  }
  return { c, mag }
}

/** Index of the first byte where two buffers differ, or -1 (faster than toEqual on big arrays). */
type Bytes = { readonly buffer: ArrayBufferLike; readonly byteOffset: number; readonly byteLength: number }
const firstDiff = (x: Bytes, y: Bytes): number => {
  const p = new Uint8Array(x.buffer, x.byteOffset, x.byteLength)
  const q = new Uint8Array(y.buffer, y.byteOffset, y.byteLength)
  if (p.length !== q.length) return 0
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return i
  return -1
}

// the GEMM itself, also below the size where kernels.wasm hands small products to the JS loop
const gemmOnly = {
  matmul: (a: Float32Array | Float64Array, aOff: number, b: Float32Array | Float64Array, bOff: number, out: Float32Array | Float64Array, cOff: number, m: number, k: number, n: number, tA: boolean, tB: boolean) => {
    if (gemm(a, aOff, b, bOff, out, cOff, m, k, n, tA, tB, 1, 0) === 0) kernels.reference.matmul(a, aOff, b, bOff, out, cOff, m, k, n, tA, tB)
  },
}
const sets = [['reference', kernels.reference], ['wasm', kernels.wasm], ['gemm', gemmOnly]] as const

describe.each([
  ['float32', Float32Array, 2 ** -24],
  ['float64', Float64Array, 2 ** -53],
] as const)('matmul kernels (%s)', (_, T, u) => {
  test.prop([dims, kdims, dims, fc.nat(3), fc.nat(3), fc.boolean(), fc.boolean(), fc.integer()], { numRuns: 60 })(
    'every kernel set = Σₚ op(A)ᵢₚ op(B)ₚⱼ within k·u·Σ|a||b|, and wasm ≈ reference',
    (m, k, n, aOff, bOff, tA, tB, seed) => {
      const a = lcgFill(aOff + m * k, seed, T)
      const b = lcgFill(bOff + k * n, seed + 1, T)
      const a0 = a.slice()
      const b0 = b.slice()
      const { c, mag } = exact(a, aOff, b, bOff, m, k, n, tA, tB)
      const got: Record<string, Float32Array | Float64Array> = {}
      for (const [name, K] of sets) {
        const out = new T(m * n + 2).fill(NaN)
        K.matmul(a, aOff, b, bOff, out, 1, m, k, n, tA, tB)
        // only the output block is written, the inputs are untouched
        expect(Number.isNaN(out[0]) && Number.isNaN(out[m * n + 1])).toBe(true)
        expect(firstDiff(a, a0)).toBe(-1)
        expect(firstDiff(b, b0)).toBe(-1)
        for (let i = 0; i < m * n; i++) {
          const err = Math.abs(out[i + 1] - c[i])
          // + u·|c|: the final rounding of a float32 result; 1e-300: all-zero products
          if (!(err <= k * u * mag[i] + u * Math.abs(c[i]) + 1e-300)) {
            throw new Error(`${name} ${m}×${k}×${n} tA=${tA} tB=${tB}: entry ${i} = ${out[i + 1]}, exact ${c[i]}`)
          }
        }
        got[name] = out
      }
      for (let i = 0; i < m * n; i++) {
        expect(Math.abs(got.wasm[i + 1] - got.reference[i + 1])).toBeLessThanOrEqual(2 * (k * u * mag[i] + u * Math.abs(c[i])) + 1e-300)
      }
    },
  )
})

describe('threads', () => {
  let ready = 1
  // a generous wait (and hook timeout): a worker took 0.1 s to get ready here when idle but
  // 0.8–1.5 s with eight busy processes on the two cores; startThreads' default gives up at 5 s
  beforeAll(async () => {
    kernels.setThreads(2)
    ready = await kernels.startThreads(30_000)
  }, 60_000)

  test('start where supported', () => {
    if (kernels.wasmSupported() && kernels.threadsSupported()) expect(ready).toBe(2)
  })

  // minWork 0: split even the smallest products, so that edge tiles land in both threads
  test.prop([dims, kdims, fc.constantFrom(1, 8, 9, 17, 64, 129, 300, 520), fc.boolean(), fc.boolean(), fc.constantFrom(Float32Array, Float64Array), fc.integer()], { numRuns: 60 })(
    'two threads = one thread, bit for bit',
    (m, k, n, tA, tB, T, seed) => {
      const a = lcgFill(m * k, seed, T)
      const b = lcgFill(k * n, seed + 1, T)
      const one = new T(m * n)
      const two = new T(m * n)
      // two threads first, and checked against the exact product: a block that no thread
      // writes must not pass by holding a previous call's result from the scratch memory
      const used2 = gemm(a, 0, b, 0, two, 0, m, k, n, tA, tB, 2, 0)
      const used1 = gemm(a, 0, b, 0, one, 0, m, k, n, tA, tB, 1, 0)
      if (!kernels.wasmSupported()) return
      const u = T === Float32Array ? 2 ** -24 : 2 ** -53
      const { c, mag } = exact(a, 0, b, 0, m, k, n, tA, tB)
      for (let i = 0; i < m * n; i++) {
        if (!(Math.abs(two[i] - c[i]) <= k * u * mag[i] + u * Math.abs(c[i]) + 1e-300)) {
          throw new Error(`2 threads ${m}×${k}×${n}: entry ${i} = ${two[i]}, exact ${c[i]}`)
        }
      }
      expect(used1).toBe(1)
      // a product with a single micro-tile row (or column) cannot be split
      const splittable = m >= n ? m > 4 : n > 8
      if (kernels.threadsSupported() && splittable) expect(used2).toBe(2)
      expect(firstDiff(two, one)).toBe(-1)
    },
  )

  test('a large product through ops.matmul uses the threads and equals one thread exactly', () => {
    // 320·200·300 multiply-adds reach the threshold, and 300 columns make two chunks
    const [m, k, n] = [320, 200, 300]
    expect(m * k * n).toBeGreaterThanOrEqual(THREAD_MIN_WORK)
    const x = ops.fromArray(lcgFill(m * k, 7, Float32Array), [m, k], 'float32')
    const w = ops.fromArray(lcgFill(k * n, 8, Float32Array), [k, n], 'float32')
    const prev = kernels.setThreads(1)
    const c1 = ops.matmul(x, w)
    kernels.setThreads(2)
    const c2 = ops.matmul(x, w)
    kernels.setThreads(prev)
    expect(firstDiff(c2.data as Float32Array, c1.data as Float32Array)).toBe(-1)
  })
})

test('the wasm kernels are the default where supported', () => {
  expect(kernels.active().name).toBe(kernels.wasmSupported() ? 'wasm-simd' : 'reference-js')
})

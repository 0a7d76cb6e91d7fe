/**
 * WebAssembly elementwise kernels (src/kernels/wasm/elementwise.ts):
 * - float32 exp, log, tanh, sigmoid are within 4 ulp of `Math.f` rounded to float32, for
 *   any float32 input (all bit patterns: ±0, subnormals, huge, ±∞, NaN) and densely over
 *   each function's working range, with the IEEE special values exactly;
 * - add/sub/mul/div equal the reference kernel bit for bit (float32, float64), for
 *   same-shape operands and for b broadcast as a scalar or a repeated row; relu and
 *   comparisons with a scalar likewise;
 * - sum over any axis of `outer × n × inner` ≈ the reference (both accumulate in float64);
 * - all of it for every length, including 1, 3, 7, 17, 129 and across chunk boundaries,
 *   and through the `wasm` kernel set's `unary`/`binary`/`reduce` entries.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { kernels } from 'dendrite'
import type { BinaryOp, UnaryOp } from '../src/kernels/Kernels.js'
import { binary, binaryWasm, CHUNK, reduce, reduceWasm, unary, unaryWasm, elementwiseModule } from '../src/kernels/wasm/elementwise.js'

const available = elementwiseModule() !== undefined
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))
const fns: ReadonlyArray<[UnaryOp, (x: number) => number, number, number]> = [
  // name, Math function, dense working range [lo, hi]
  ['exp', Math.exp, -104, 89],
  ['log', Math.log, 0, 1e6],
  ['tanh', Math.tanh, -12, 12],
  ['sigmoid', sigmoid, -110, 110],
]

// distance in float32 ulps: the difference of the two values' positions on the
// monotone integer line of float32 bit patterns (NaN only matches NaN)
const bits = new Uint32Array(1)
const asF32 = new Float32Array(bits.buffer)
const ordinal = (x: number): number => {
  asF32[0] = x
  const u = bits[0]
  return u >= 0x80000000 ? -(u - 0x80000000) : u
}
const ulps = (a: number, b: number): number => {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity
  return Math.abs(ordinal(a) - ordinal(b))
}
const worst = (op: UnaryOp, f: (x: number) => number, x: Float32Array): { ulp: number; at: number; got: number } => {
  const out = new Float32Array(x.length).fill(12345)
  expect(unaryWasm(op, x, out, 0)).toBe(true)
  let w = { ulp: 0, at: NaN, got: NaN }
  for (let i = 0; i < x.length; i++) {
    const d = ulps(out[i], Math.fround(f(x[i])))
    if (d > w.ulp) w = { ulp: d, at: x[i], got: out[i] }
  }
  return w
}

const edge = [
  0, -0, 1e-45, -1e-45, 1e-40, -1e-40, 1.1754942e-38, 1.17549435e-38, -1.17549435e-38, 1e-30, -1e-30,
  1, -1, 0.625, -0.625, Math.SQRT1_2, 0.70710677, 0.7071068, 2, 0.5, 0.69314718,
  88.72283, 88.7229, 89, -87.33655, -87.3366, -103.27893, -103.97208, -104, -105,
  1e10, -1e10, 3.4028235e38, -3.4028235e38, Infinity, -Infinity, NaN,
]
const lengths = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 17, 129), fc.integer({ min: 1, max: 600 }))

describe.skipIf(!available)('wasm float32 exp/log/tanh/sigmoid within 4 ulp of Math', () => {
  test.each(fns)('%s: edge cases (exact specials, ±0, subnormals, thresholds)', (op, f) => {
    const x = Float32Array.from(edge)
    expect(worst(op, f, x).ulp).toBeLessThanOrEqual(4)
    // the specials exactly, sign of zero included
    const out = new Float32Array(x.length)
    unaryWasm(op, x, out, 0)
    x.forEach((v, i) => {
      const want = Math.fround(f(v))
      if (!Number.isFinite(want) || want === 0) expect(Object.is(out[i], want), `${op}(${v}) = ${out[i]}, want ${want}`).toBe(true)
    })
  })

  test.each(fns)('%s: any float32 bit pattern', (op, f) => {
    fc.assert(fc.property(fc.array(fc.float(), { minLength: 1, maxLength: 300 }), (xs) => {
      const w = worst(op, f, Float32Array.from(xs))
      expect(w.ulp, `at x = ${w.at}: got ${w.got}`).toBeLessThanOrEqual(4)
    }), { numRuns: 200 })
  })

  test.each(fns)('%s: densely over its working range', (op, f, lo, hi) => {
    fc.assert(fc.property(fc.array(fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true }), { minLength: 1, maxLength: 2000 }), (xs) => {
      const w = worst(op, f, Float32Array.from(xs))
      expect(w.ulp, `at x = ${w.at}: got ${w.got}`).toBeLessThanOrEqual(4)
    }), { numRuns: 100 })
  })

  test.each(fns)('%s: a sweep of 2^16 consecutive-ish float32 values across the range', (op, f, lo, hi) => {
    const n = 1 << 16
    const x = new Float32Array(n)
    for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * i) / (n - 1)
    const w = worst(op, f, x)
    expect(w.ulp, `at x = ${w.at}: got ${w.got}`).toBeLessThanOrEqual(4)
  })
})

describe.skipIf(!available)('wasm elementwise kernels agree with the reference', () => {
  const F = { float32: Float32Array, float64: Float64Array } as const
  const randomArray = (C: Float32ArrayConstructor | Float64ArrayConstructor, n: number, seed: number): Float32Array | Float64Array => {
    const a = new C(n)
    let s = seed >>> 0
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0
      a[i] = ((s / 2 ** 32) * 2 - 1) * 8
    }
    return a
  }

  test.prop([fc.constantFrom<BinaryOp>('add', 'sub', 'mul', 'div'), fc.constantFrom('float32', 'float64' as const), lengths, fc.integer()])(
    'same-shape add/sub/mul/div = reference, bit for bit',
    (op, dtype, n, seed) => {
      const a = randomArray(F[dtype], n, seed)
      const b = randomArray(F[dtype], n, seed + 1)
      const a0 = a.slice()
      const want = new F[dtype](n)
      kernels.reference.binary(op, a, [1], b, [1], [n], want)
      const got = new F[dtype](n)
      expect(binaryWasm(op, a, [1], b, [1], [n], got, 0)).toBe(true)
      expect(got).toEqual(want)
      expect(a).toEqual(a0)
    },
  )

  test.prop([fc.constantFrom('float32', 'float64' as const), lengths, fc.integer()])('relu = reference, bit for bit', (dtype, n, seed) => {
    const x = randomArray(F[dtype], n, seed)
    x[(seed & 7) % n] = -0
    x[(seed >>> 3) % n] = NaN
    const want = new F[dtype](n)
    kernels.reference.unary('relu', x, want)
    const got = new F[dtype](n)
    expect(unaryWasm('relu', x, got, 0)).toBe(true)
    expect([...got].map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual([...want].map((v) => (Object.is(v, -0) ? '-0' : v)))
  })

  // b broadcast over a: a scalar (shape of ones) or a block of trailing axes (a bias row)
  const broadcastCase = fc.tuple(fc.array(fc.constantFrom<number>(1, 2, 3, 5, 7, 17), { minLength: 1, maxLength: 4 }), fc.nat(4), fc.boolean())
    .map(([shape, cut, scalar]) => {
      const t = Math.min(cut, shape.length)
      const bShape = scalar ? shape.map(() => 1) : shape.map((d, k) => (k < t ? 1 : d))
      return { shape, bShape }
    })
  test.prop([fc.constantFrom<BinaryOp>('add', 'sub', 'mul', 'div'), fc.constantFrom('float32', 'float64' as const), broadcastCase, fc.integer()])(
    'add/sub/mul/div with b a broadcast scalar or row = reference, bit for bit',
    (op, dtype, { shape, bShape }, seed) => {
      const n = shape.reduce((p, d) => p * d, 1)
      const nb = bShape.reduce((p, d) => p * d, 1)
      const strides = (s: number[]) => s.map((_, k) => s.slice(k + 1).reduce((p, d) => p * d, 1))
      const as = strides(shape)
      const bs = strides(bShape).map((st, k) => (bShape[k] === 1 ? 0 : st))
      const a = randomArray(F[dtype], n, seed)
      const b = randomArray(F[dtype], nb, seed + 1)
      const want = new F[dtype](n)
      kernels.reference.binary(op, a, as, b, bs, shape, want)
      const got = new F[dtype](n)
      expect(binaryWasm(op, a, as, b, bs, shape, got, 0)).toBe(true)
      expect(got).toEqual(want)
    },
  )

  test.prop([fc.constantFrom<BinaryOp>('greater', 'less', 'greaterEqual', 'lessEqual', 'equal', 'notEqual'), fc.constantFrom('float32', 'float64' as const), lengths, fc.constantFrom(0, -0, 0.5, NaN, Infinity), fc.integer()])(
    'comparisons with a scalar = reference, bit for bit (NaN and ties included)',
    (op, dtype, n, s, seed) => {
      const a = randomArray(F[dtype], n, seed)
      a[(seed & 7) % n] = NaN
      a[(seed >>> 4) % n] = s
      const want = new F[dtype](n)
      kernels.reference.binary(op, a, [1], F[dtype].of(s), [0], [n], want)
      const got = new F[dtype](n)
      expect(binaryWasm(op, a, [1], F[dtype].of(s), [0], [n], got, 0)).toBe(true)
      expect(got).toEqual(want)
    },
  )

  test.prop([fc.constantFrom('float32', 'float64' as const), fc.constantFrom(1, 2, 3, 7, 17), fc.constantFrom(1, 3, 7, 17, 129, 300), fc.constantFrom(1, 2, 3, 5, 17, 129), fc.integer()])(
    'sum over the middle axis of outer × n × inner ≈ reference',
    (dtype, outer, n, inner, seed) => {
      const x = randomArray(F[dtype], outer * n * inner, seed)
      const want = new F[dtype](outer * inner)
      kernels.reference.reduce('sum', x, outer, n, inner, want)
      const got = new F[dtype](outer * inner).fill(NaN)
      expect(reduceWasm('sum', x, outer, n, inner, got, 0)).toBe(true)
      // both sum in float64 (in another order) and round once: at most an ulp of the dtype apart
      const eps = dtype === 'float32' ? 2 ** -23 : 1e-13
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(eps * Math.max(Math.abs(want[i]), 1) + 1e-12 * n * 8)
    },
  )

  test.each([[1200, 7, 1], [3000, 3, 1], [5, 3000, 1], [3, 40, 300]])('sum of %i × %i × %i: many row blocks ≈ reference', (outer, n, inner) => {
    for (const C of [Float32Array, Float64Array]) {
      const x = randomArray(C, outer * n * inner, outer + n)
      const want = new C(outer * inner)
      kernels.reference.reduce('sum', x, outer, n, inner, want)
      const got = new C(outer * inner).fill(NaN)
      expect(reduceWasm('sum', x, outer, n, inner, got, 0)).toBe(true)
      const eps = C === Float32Array ? 2 ** -23 : 1e-13
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(eps * Math.max(Math.abs(want[i]), 1) + 1e-12 * n * 8)
    }
  })

  test.each([CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5])('length %i across chunk boundaries, through the kernel-set entries', (n) => {
    const x = randomArray(Float32Array, n, n) as Float32Array
    const y = randomArray(Float32Array, n, n + 7) as Float32Array
    const got = new Float32Array(n)
    unary('exp', x, got)
    for (let i = 0; i < n; i++) expect(ulps(got[i], Math.fround(Math.exp(x[i])))).toBeLessThanOrEqual(4)
    const want = new Float32Array(n)
    binary('mul', x, [1], y, [1], [n], got)
    kernels.reference.binary('mul', x, [1], y, [1], [n], want)
    expect(got).toEqual(want)
    const s = new Float32Array(1)
    const s0 = new Float32Array(1)
    reduce('sum', x, 1, n, 1, s)
    kernels.reference.reduce('sum', x, 1, n, 1, s0)
    expect(Math.abs(s[0] - s0[0])).toBeLessThanOrEqual(2 ** -23 * Math.abs(s0[0]) + 1e-9)
  })
})

/**
 * Elementwise functions: each unary op agrees with its scalar definition (written here
 * independently of the kernels, from the textbook formula), in both dtypes; the stable
 * forms of sigmoid and softplus stay finite and satisfy their symmetries.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops, type DType } from 'dendrite'
import { allClose, arbTensor, uniform } from './helpers.js'

/** name, definition, domain [lo, hi]. */
const table: ReadonlyArray<readonly [keyof typeof ops, (x: number) => number, number, number]> = [
  ['neg', (x) => -x, -10, 10],
  ['exp', (x) => Math.E ** x, -20, 20],
  ['log', (x) => Math.log(x), 1e-3, 1e3],
  ['log1p', (x) => Math.log(1 + x), 1e-3, 10],
  ['expm1', (x) => Math.E ** x - 1, 0.5, 10],
  ['sqrt', (x) => x ** 0.5, 0, 100],
  ['abs', (x) => (x < 0 ? -x : x), -10, 10],
  ['sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), -10, 10],
  ['sin', (x) => Math.sin(x), -10, 10],
  ['cos', (x) => Math.cos(x), -10, 10],
  ['tan', (x) => Math.sin(x) / Math.cos(x), -1.5, 1.5],
  ['tanh', (x) => (Math.E ** (2 * x) - 1) / (Math.E ** (2 * x) + 1), -10, 10],
  ['atan', (x) => Math.atan(x), -10, 10],
  ['sigmoid', (x) => 1 / (1 + Math.E ** -x), -30, 30],
  ['softplus', (x) => Math.log(1 + Math.E ** x), -30, 30],
  ['relu', (x) => (x > 0 ? x : 0), -10, 10],
  ['square', (x) => x * x, -10, 10],
  ['reciprocal', (x) => 1 / x, 0.1, 10],
]

describe.each(['float32', 'float64'] as DType[])('unary ops match their definitions (%s)', (dtype) => {
  // float32: the result is the float64 value rounded once, so 1 ulp (≈ 6e-8 relative);
  // float64: Math's functions and the textbook formula differ by a few ulp; the textbook
  // formulas lose absolute accuracy near their zeros (tanh, softplus), hence atol 1e-12
  const rtol = dtype === 'float32' ? 2e-7 : 1e-13
  for (const [name, def, lo, hi] of table) {
    test.prop([arbTensor({ minRank: 0, maxRank: 2, dtype, min: lo, max: hi })])(name, (x) => {
      const f = ops[name] as (t: ops.Tensor) => ops.Tensor
      const y = f(x)
      expect(y.shape).toEqual(x.shape)
      expect(y.dtype).toBe(dtype)
      allClose(y, ops.fromArray(ops.toFlat(x).map(def), x.shape, 'float64'), { rtol, atol: 1e-12 })
    })
  }
})

describe('stable forms', () => {
  const big = arbTensor({ minRank: 1, maxRank: 2, dtype: 'float32', min: -1e4, max: 1e4 })
  test.prop([big])('sigmoid and softplus are finite for |x| ≤ 1e4 in float32', (x) => {
    const s = ops.toFlat(ops.sigmoid(x))
    expect(s.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true)
    expect(ops.toFlat(ops.softplus(x)).every(Number.isFinite)).toBe(true)
  })
  test.prop([arbTensor({ minRank: 1, maxRank: 2, min: -700, max: 700 })])('sigmoid(−x) = 1 − sigmoid(x); softplus(x) − softplus(−x) = x', (x) => {
    allClose(ops.sigmoid(ops.neg(x)), ops.sub(1, ops.sigmoid(x)), { rtol: 0, atol: 1e-15 })
    allClose(ops.sub(ops.softplus(x), ops.softplus(ops.neg(x))), x, { rtol: 1e-12, atol: 1e-12 })
  })
  test.prop([fc.double({ min: -1e-3, max: 1e-3, noNaN: true })])('log1p and expm1 are accurate near 0', (v) => {
    const x = ops.tensor([v], 'float64')
    allClose(ops.expm1(ops.log1p(x)), x, { rtol: 1e-14, atol: 1e-300 })
  })
  test.prop([arbTensor({ minRank: 1, maxRank: 2, min: -5, max: 5 }), uniform(-1, 0), uniform(0, 1)])(
    'clip(x, lo, hi) = min(max(x, lo), hi) and lies in [lo, hi]',
    (x, lo, hi) => {
      const c = ops.toFlat(ops.clip(x, lo, hi))
      expect(c.every((v) => v >= lo && v <= hi)).toBe(true)
      expect(c).toEqual(ops.toFlat(x).map((v) => Math.min(Math.max(v, lo), hi)))
    },
  )
})

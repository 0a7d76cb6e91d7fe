/**
 * Field laws of elementwise arithmetic: commutativity, associativity, distributivity,
 * identities and inverses (exact where IEEE arithmetic is exact, else within tolerance).
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops } from 'dendrite'
import { allClose, arbShape, arbTensorOf } from './helpers.js'

const dtypes = ['float32', 'float64'] as const
const triple = (dtype: 'float32' | 'float64') =>
  arbShape({ maxRank: 3 }).chain((s) => fc.tuple(arbTensorOf(s, dtype), arbTensorOf(s, dtype), arbTensorOf(s, dtype)))

describe.each(dtypes)('algebra (%s)', (dtype) => {
  const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-5 }

  test.prop([triple(dtype)])('add and mul commute exactly', ([a, b]) => {
    expect(ops.toFlat(ops.add(a, b))).toEqual(ops.toFlat(ops.add(b, a)))
    expect(ops.toFlat(ops.mul(a, b))).toEqual(ops.toFlat(ops.mul(b, a)))
  })

  // values in [-10, 10]: products reach 1e3, so the absolute tolerance scales by 1e3
  test.prop([triple(dtype)])('add and mul associate within rounding', ([a, b, c]) => {
    allClose(ops.add(a, ops.add(b, c)), ops.add(ops.add(a, b), c), { rtol: tol.rtol, atol: tol.atol * 30 })
    allClose(ops.mul(a, ops.mul(b, c)), ops.mul(ops.mul(a, b), c), { rtol: tol.rtol, atol: tol.atol * 1e3 })
  })

  test.prop([triple(dtype)])('mul distributes over add', ([a, b, c]) => {
    allClose(ops.mul(a, ops.add(b, c)), ops.add(ops.mul(a, b), ops.mul(a, c)), { rtol: tol.rtol, atol: tol.atol * 300 })
  })

  test.prop([triple(dtype)])('identities and inverses', ([a]) => {
    expect(ops.toFlat(ops.add(a, 0))).toEqual(ops.toFlat(a))
    expect(ops.toFlat(ops.mul(a, 1))).toEqual(ops.toFlat(a))
    expect(ops.toFlat(ops.sub(a, a)).every((v) => v === 0)).toBe(true)
    expect(ops.toFlat(ops.neg(ops.neg(a)))).toEqual(ops.toFlat(a))
    expect(ops.toFlat(ops.add(a, ops.neg(a))).every((v) => v === 0)).toBe(true)
    // away from zero, so that 1/x neither overflows (subnormals) nor divides by 0
    const nz = ops.mul(ops.add(ops.abs(a), 0.5), ops.where(ops.less(a, 0), -1, 1))
    allClose(ops.div(nz, nz), ops.onesLike(nz), { rtol: 0, atol: 0 })
    allClose(ops.mul(nz, ops.reciprocal(nz)), ops.onesLike(nz), tol)
  })
})

/**
 * Reductions: linearity of sum, sums over all axes = sums of partial sums, mean = sum / n,
 * max/min/argmax agree with each other, logsumexp shift invariance and stability,
 * softmax sums to 1 and is shift invariant, exp∘logSoftmax = softmax, cumsum ends in sum.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops } from 'dendrite'
import { allClose, arbShape, arbTensor, arbTensorOf, arbValue, uniform } from './helpers.js'

const t = arbTensor({ minRank: 1, maxRank: 4, maxDim: 4 })
const withAxes = t.chain((x) =>
  fc.tuple(fc.constant(x), fc.subarray(Array.from({ length: x.shape.length }, (_, i) => i)), fc.boolean()),
)
const tol = { rtol: 1e-12, atol: 1e-12 }

/** One-hot along axis `ax` of indices with a kept length-1 axis there. */
const oneHotAlong = (i: ops.Tensor, n: number, ax: number): ops.Tensor => {
  const h = ops.oneHot(ops.squeeze(i, ax), n, 'float64')
  const r = h.shape.length
  const perm = Array.from({ length: r - 1 }, (_, k) => k)
  perm.splice(ax, 0, r - 1)
  return ops.transpose(h, perm)
}

describe('reductions', () => {
  test.prop([arbShape({ minRank: 1 }).chain((s) => fc.tuple(arbTensorOf(s), arbTensorOf(s), arbValue()))])(
    'sum is linear',
    ([a, b, c]) => {
      allClose(ops.sum(ops.add(a, b)), ops.add(ops.sum(a), ops.sum(b)), { rtol: 1e-12, atol: 1e-11 })
      allClose(ops.sum(ops.mul(a, c)), ops.mul(ops.sum(a), c), { rtol: 1e-12, atol: 1e-10 })
    },
  )

  test.prop([withAxes])('sum over all axes = sum of partial sums; keepDims keeps rank', ([x, axes, keep]) => {
    const part = ops.sum(x, axes, keep)
    expect(part.shape.length).toBe(keep ? x.shape.length : x.shape.length - axes.length)
    allClose(ops.sum(part), ops.sum(x), { rtol: 1e-12, atol: 1e-11 })
    const n = axes.reduce((p, a) => p * x.shape[a], 1)
    allClose(ops.mean(x, axes, keep), ops.div(part, n), tol)
  })

  test.prop([withAxes])('max and min bound every element and are attained', ([x, axes]) => {
    const mx = ops.max(x, axes, true)
    const mn = ops.min(x, axes, true)
    expect(ops.toFlat(ops.greaterEqual(mx, x)).every((v) => v === 1)).toBe(true)
    expect(ops.toFlat(ops.lessEqual(mn, x)).every((v) => v === 1)).toBe(true)
    expect(ops.toFlat(ops.sum(ops.equal(x, mx), axes)).every((v) => v >= 1)).toBe(true)
  })

  test.prop([t.chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: x.shape.length - 1 })))])(
    'argmax/argmin pick the max/min along the axis',
    ([x, ax]) => {
      const i = ops.argmax(x, ax, true)
      const picked = ops.toFlat(ops.argmax(x, ax))
      expect(picked.every((v) => Number.isInteger(v) && v >= 0 && v < x.shape[ax])).toBe(true)
      const oh = oneHotAlong(i, x.shape[ax], ax)
      allClose(ops.sum(ops.mul(x, oh), ax), ops.max(x, ax), tol)
      const j = ops.argmin(x, ax, true)
      allClose(ops.sum(ops.mul(x, oneHotAlong(j, x.shape[ax], ax)), ax), ops.min(x, ax), tol)
    },
  )

  test.prop([t.chain((x) => fc.tuple(fc.constant(x), uniform(-1e3, 1e3), fc.integer({ min: 0, max: x.shape.length - 1 })))])(
    'logsumexp is shift invariant; softmax sums to 1 and ignores shifts',
    ([x, c, ax]) => {
      allClose(ops.logsumexp(ops.add(x, c), ax), ops.add(ops.logsumexp(x, ax), c), { rtol: 1e-12, atol: 1e-11 })
      const s = ops.softmax(x, ax)
      allClose(ops.sum(s, ax), ops.onesLike(ops.sum(s, ax)), tol)
      allClose(ops.softmax(ops.add(x, c), ax), s, { rtol: 1e-9, atol: 1e-12 })
      allClose(ops.exp(ops.logSoftmax(x, ax)), s, { rtol: 1e-12, atol: 1e-15 })
    },
  )

  test.prop([arbTensor({ minRank: 1, maxRank: 2, dtype: 'float32', min: -1e4, max: 1e4 })])(
    'logsumexp, softmax and logSoftmax stay finite in float32 for |x| ≤ 1e4',
    (x) => {
      for (const y of [ops.logsumexp(x, -1), ops.softmax(x), ops.logSoftmax(x)]) {
        expect(ops.toFlat(y).every(Number.isFinite)).toBe(true)
      }
    },
  )

  test.prop([t.chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: x.shape.length - 1 })))])(
    'cumsum ends in the sum and differences back to the input',
    ([x, ax]) => {
      const c = ops.cumsum(x, ax)
      const n = x.shape[ax]
      allClose(ops.slice(c, x.shape.map((_, k) => (k === ax ? n - 1 : undefined))), ops.sum(x, ax), tol)
      const prev = ops.pad(ops.slice(c, x.shape.map((_, k) => (k === ax ? { stop: n - 1 } : undefined))), x.shape.map((_, k) => (k === ax ? [1, 0] : [0, 0])))
      allClose(ops.sub(c, prev), x, { rtol: 1e-9, atol: 1e-11 })
    },
  )

  test.prop([arbTensor({ minRank: 1, maxRank: 3 })])('norms: definitions and the triangle inequality', (x) => {
    const n2 = ops.item(ops.norm(x))
    expect(n2).toBeCloseTo(Math.sqrt(ops.toFlat(x).reduce((s, v) => s + v * v, 0)), 10)
    expect(ops.item(ops.norm(x, 1))).toBeCloseTo(ops.toFlat(x).reduce((s, v) => s + Math.abs(v), 0), 10)
    expect(ops.item(ops.norm(x, Infinity))).toBe(Math.max(0, ...ops.toFlat(x).map(Math.abs)))
    expect(ops.item(ops.norm(ops.add(x, x)))).toBeLessThanOrEqual(2 * n2 * (1 + 1e-12) + 1e-12)
  })

  test.prop([arbTensor({ minRank: 1, maxRank: 3 })])('variance = mean of squares − square of mean, and ≥ 0', (x) => {
    const v = ops.item(ops.variance(x))
    const m = ops.item(ops.mean(x))
    expect(v).toBeGreaterThanOrEqual(0)
    expect(v).toBeCloseTo(ops.item(ops.mean(ops.square(x))) - m * m, 8)
  })
})

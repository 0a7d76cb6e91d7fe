/**
 * The checkers of dendrite/testing catch planted errors, and their counterexamples shrink
 * small: a custom VJP with a wrong sign or a dropped term, a non-linear map given to
 * `checkLinear`, a wrong transpose given to `checkAdjoint`, a broken invariant or
 * equivariance. The arbitraries keep their promises: SPD matrices factor, simplex rows sum
 * to 1, one-hot rows hold one 1, shapes and broadcast pairs are valid.
 */
import fc from 'fast-check'
import { test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { customVjp, ops, type Tensor } from 'dendrite'
import { arb, checkAdjoint, checkEquivariant, checkGrads, checkInvariant, checkLinear, compare } from 'dendrite/testing'

/** Runs a property expected to fail; returns its shrunk counterexample. */
const counterexample = <A extends unknown[]>(arbs: { [K in keyof A]: fc.Arbitrary<A[K]> }, body: (...a: A) => void): A => {
  const r = fc.check(fc.property(...(arbs as unknown as [fc.Arbitrary<unknown>]), body as unknown as (a: unknown) => void), { seed: 1, numRuns: 200 })
  expect(r.failed).toBe(true)
  return r.counterexample as unknown as A
}
const small = (t: Tensor): boolean => t.shape.every((d) => d <= 2)
const x64 = arb.tensor({ minRank: 1, maxRank: 3, maxDim: 4, min: -2, max: 2 })

describe('checkers catch planted errors, with small counterexamples', () => {
  test('a custom VJP with a wrong sign', () => {
    const bad = customVjp((y: Tensor) => ops.sin(y), (y: Tensor) => [ops.sin(y), y] as const, (y, ct) => [ops.mul(ct, ops.neg(ops.cos(y)))])
    const [x] = counterexample([x64, arb.key()], (x, k) => checkGrads(bad, [x], { key: k }))
    expect(small(x)).toBe(true)
  })
  test('a custom VJP that drops a term of the product rule', () => {
    const f = (a: Tensor, b: Tensor) => ops.mul(a, b)
    const bad = customVjp(f, (a: Tensor, b: Tensor) => [f(a, b), [a, b]] as const, ([a], ct) => [ops.mul(ct, ops.zerosLike(a)), ops.mul(ct, a)])
    const [x] = counterexample([x64, arb.key()], (x, k) => checkGrads(bad, [x, ops.add(x, 1)], { key: k }))
    expect(small(x)).toBe(true)
  })
  test('a custom VJP right at first order but not differentiable again is caught at order 2 only', () => {
    const tanhSG = customVjp(
      (y: Tensor) => ops.tanh(y),
      (y: Tensor) => [ops.tanh(y), ops.stopGradient(ops.tanh(y))] as const,
      (t, ct) => [ops.mul(ct, ops.sub(1, ops.square(t)))],
    )
    fc.assert(fc.property(x64, arb.key(), (x, k) => checkGrads(tanhSG, [x], { key: k })), { seed: 1, numRuns: 30 })
    counterexample([x64, arb.key()], (x, k) => checkGrads(tanhSG, [x], { key: k, order: 2 }))
  })
  test('a non-linear map given to checkLinear', () => {
    const [x, y] = counterexample([x64, x64], (x, y) => {
      if (x.shape.join() !== y.shape.join()) return
      checkLinear((v) => ops.add(v, ops.mul(ops.square(v), 1e-3)), x, y)
    })
    expect(small(x) && small(y)).toBe(true)
  })
  test('a wrong transpose given to checkAdjoint', () => {
    const A = ops.tensor([[1, 2, 3], [4, 5, 6]], 'float64')
    counterexample([arb.tensor({ shape: [3] }), arb.tensor({ shape: [2] })], (x, y) =>
      checkAdjoint((v) => ops.matmul(A, v), (w) => ops.matmul(ops.transpose(ops.mul(A, 1.01)), w), x, y))
  })
  test('a broken invariant and a broken equivariance', () => {
    const [x] = counterexample([x64], (x) => checkInvariant((v) => ops.exp(v), (v) => ops.add(v, 1), x))
    expect(small(x)).toBe(true)
    const [m] = counterexample([arb.tensor({ minRank: 2, maxRank: 2, minDim: 2, maxDim: 4 })], (m) =>
      checkEquivariant((v) => ops.cumsum(v, 0), (v) => ops.flip(v, 0), (v) => ops.flip(v, 0), m))
    expect(small(m)).toBe(true)
  })
})

describe('arbitraries keep their promises', () => {
  test.prop([fc.integer({ min: 1, max: 5 }).chain((n) => arb.spd(n, { maxCondition: 1e3 }))])('spd matrices are symmetric and factor', (a) => {
    expect(compare(a, ops.transpose(a), { rtol: 0, atol: 0 }).pass).toBe(true)
    const l = ops.cholesky(a)
    expect(compare(ops.matmul(l, ops.transpose(l)), a, { rtol: 1e-10, atol: 1e-10 }).pass).toBe(true)
  })
  test.prop([fc.integer({ min: 1, max: 6 }).chain((k) => arb.simplex(k, 3))])('simplex rows are non-negative and sum to 1', (p) => {
    expect(ops.toFlat(p).every((v) => v >= 0)).toBe(true)
    expect(ops.toFlat(ops.sum(p, 1)).every((s) => Math.abs(s - 1) < 1e-12)).toBe(true)
  })
  test.prop([arb.oneHot(6, 4)])('one-hot rows hold exactly one 1, at the label', ({ labels, oneHot }) => {
    expect(ops.toFlat(ops.sum(oneHot, 1))).toEqual(labels.map(() => 1))
    expect(ops.toFlat(ops.sum(ops.equal(oneHot, 1), 1))).toEqual(labels.map(() => 1))
    expect(ops.toFlat(ops.argmax(oneHot, 1))).toEqual(labels)
  })
  test.prop([arb.broadcastPair({ maxRank: 4 })])('broadcast pairs broadcast', ([a, b]) => {
    expect(() => ops.broadcastShapes(a, b)).not.toThrow()
  })
  test.prop([arb.tensor({ domain: 'positive' }), arb.tensor({ domain: 'unit' }), arb.tensor({ domain: 'nonzero' })])('domains', (p, u, z) => {
    expect(ops.toFlat(p).every((v) => v > 0)).toBe(true)
    expect(ops.toFlat(u).every((v) => v >= 0 && v <= 1)).toBe(true)
    expect(ops.toFlat(z).every((v) => Math.abs(v) >= 0.1)).toBe(true)
  })
  test.prop([arb.treeLike({ a: ops.zeros([2]), b: [ops.zeros([1, 3], 'float32')] })])('treeLike keeps structure, shapes, dtypes', (t) => {
    expect(t.a.shape).toEqual([2])
    expect(t.b[0].shape).toEqual([1, 3])
    expect(t.b[0].dtype).toBe('float32')
  })
  test('compare names the worst element and the tree path', () => {
    const r = compare({ w: ops.tensor([[1, 2], [3, 4]], 'float64') }, { w: ops.tensor([[1, 2], [3, 5]], 'float64') })
    expect(r.pass).toBe(false)
    expect(r.message).toContain('element [1,1] at w differs: actual 4, expected 5')
    expect(ops.tensor([1, 2])).toBeAllClose([1, 2 + 1e-7], { rtol: 1e-6 })
    expect(ops.tensor([1, 2])).not.toBeAllClose([1, 2.1])
  })
})

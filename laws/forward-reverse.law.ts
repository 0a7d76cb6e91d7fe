/**
 * Forward mode equals reverse mode on random compositions of primitives: `jacfwd = jacrev`;
 * the chain rule `J(f∘g)(x) = J f(g(x)) · J g(x)`; Hessians are symmetric and
 * `hvp(f)(x, v) = H v`; `grad(f)(x) · v = jvp(f)(x, v)`.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { grad, hessian, hvp, jacfwd, jacrev, jvp, ops, type Tensor } from 'dendrite'
import { allClose, uniform } from './helpers.js'

const N = 3
/** Shape-preserving maps of [N] vectors, each smooth on all of ℝᴺ. */
const pool: ReadonlyArray<readonly [string, (x: Tensor, w: Tensor) => Tensor]> = [
  ['sin', (x) => ops.sin(x)],
  ['tanh', (x) => ops.tanh(x)],
  ['sigmoid', (x) => ops.sigmoid(x)],
  ['softplus', (x) => ops.softplus(x)],
  ['atan', (x) => ops.atan(x)],
  ['square', (x) => ops.mul(ops.square(x), 0.5)],
  ['matvec', (x, w) => ops.matmul(w, x)],
  ['softmax', (x) => ops.softmax(x)],
  ['logSoftmax', (x) => ops.logSoftmax(x)],
  ['cumsum', (x) => ops.cumsum(x, 0)],
  ['flip', (x) => ops.flip(x)],
  ['mulSelf', (x) => ops.mul(x, ops.flip(x))],
  ['expTanh', (x) => ops.exp(ops.tanh(x))],
  ['normalize', (x) => ops.div(x, ops.add(ops.norm(x), 1))],
  ['outerSum', (x) => ops.sum(ops.outer(x, ops.sin(x)), 1)],
  ['maximum', (x) => ops.maximum(x, ops.mul(x, 0.5))],
]
const vec = fc.array(uniform(-1.5, 1.5), { minLength: N, maxLength: N }).map((v) => ops.fromArray(v, [N], 'float64'))
const mat = fc.array(uniform(-1, 1), { minLength: N * N, maxLength: N * N }).map((v) => ops.fromArray(v, [N, N], 'float64'))
const chain = fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 5 })
const compose = (ids: readonly number[], w: Tensor) => (x: Tensor): Tensor => ids.reduce((y, i) => pool[i][1](y, w), x)

describe('forward = reverse', () => {
  test.prop([chain, vec, mat], { numRuns: 60 })('jacfwd(f) = jacrev(f) on random compositions', (ids, x, w) => {
    const f = compose(ids, w)
    allClose(jacfwd(f)(x), jacrev(f)(x), { rtol: 1e-9, atol: 1e-12 })
  })

  test.prop([chain, chain, vec, mat], { numRuns: 40 })('chain rule: J(f∘g)(x) = Jf(g(x)) · Jg(x)', (i1, i2, x, w) => {
    const f = compose(i1, w)
    const g = compose(i2, w)
    const lhs = jacrev((y: Tensor) => f(g(y)))(x)
    const rhs = ops.matmul(jacrev(f)(g(x)), jacfwd(g)(x))
    allClose(lhs, rhs, { rtol: 1e-9, atol: 1e-12 })
  })

  test.prop([chain, vec, vec, mat], { numRuns: 40 })('grad(f)(x) · v = jvp(f)(x, v) for f = sum ∘ composition', (ids, x, v, w) => {
    const f = (y: Tensor) => ops.sum(compose(ids, w)(y))
    const lhs = ops.item(ops.dot(grad(f)(x) as Tensor, v))
    const rhs = ops.item(jvp(f)([x], [v])[1] as Tensor)
    expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(lhs)))
  })

  test.prop([chain, vec, vec, mat], { numRuns: 25 })('Hessians are symmetric and hvp = H v', (ids, x, v, w) => {
    const f = (y: Tensor) => ops.sum(ops.sin(compose(ids, w)(y)))
    const H = hessian(f)(x)
    expect(H.shape).toEqual([N, N])
    allClose(H, ops.transpose(H), { rtol: 1e-9, atol: 1e-10 })
    allClose(hvp(f)(x, v), ops.matmul(H, v), { rtol: 1e-9, atol: 1e-10 })
  })
})

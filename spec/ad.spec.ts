/**
 * Differentiation, by example: closed-form gradients, options (argnums, hasAux), trees,
 * Jacobian shapes, the graph listing and DOT output, and error messages.
 */
import { describe, expect, test } from 'vitest'
import {
  DomainError, ShapeError, grad, graphToString, hessian, jacfwd, jacrev, jvp, ops, primitives, scan, toDot, trace,
  valueAndGrad, vjp, type Tensor,
} from 'dendrite'
import { allClose } from '../laws/helpers.js'

const t64 = (x: ops.NestedArray) => ops.tensor(x, 'float64')

describe('gradients, closed forms', () => {
  test('softmax cross-entropy: ∇ = softmax − onehot', () => {
    const z = t64([1, 2, 3])
    const y = ops.oneHot([2], 3, 'float64')
    const loss = (l: Tensor) => ops.neg(ops.sum(ops.mul(y, ops.logSoftmax(l))))
    allClose(grad(loss)(z), ops.sub(ops.softmax(z), ops.reshape(y, [3])), { rtol: 1e-14, atol: 1e-15 })
  })
  test('∇ logsumexp = softmax, also at huge inputs', () => {
    const z = t64([1000, 1001, 1002])
    allClose(grad((l: Tensor) => ops.logsumexp(l))(z), ops.softmax(z), { rtol: 1e-14, atol: 0 })
  })
  test('a dense layer backprop, by hand', () => {
    const W = t64([[1, 2], [3, 4]])
    const x = t64([[1, -1]])
    const loss = (w: Tensor) => ops.sum(ops.square(ops.matmul(x, w)))
    // y = x W = [-2, -2]; dL/dW = xᵀ (2y)
    allClose(grad(loss)(W), t64([[-4, -4], [4, 4]]), { rtol: 0, atol: 0 })
  })
  test('max splits the gradient equally on ties (as JAX)', () => {
    allClose(grad((x: Tensor) => ops.max(x))(t64([1, 3, 3])), t64([0, 0.5, 0.5]), { rtol: 0, atol: 0 })
    allClose(grad((x: Tensor) => ops.sum(ops.relu(x)))(t64([-1, 0, 2])), t64([0, 0, 1]), { rtol: 0, atol: 0 })
  })
  test('derivative of a determinant and of a solve', () => {
    const A = t64([[2, 1], [1, 3]])
    allClose(grad(ops.det)(A), t64([[3, -1], [-1, 2]]), { rtol: 1e-14, atol: 1e-14 })
    const b = t64([1, 2])
    // d/db sum(A⁻¹ b) = A⁻ᵀ 1
    allClose(grad((v: Tensor) => ops.sum(ops.solve(A, v)))(b), ops.solve(ops.transpose(A), t64([1, 1])), { rtol: 1e-14, atol: 1e-15 })
  })
  test('conv2d gradients against the direct definitions', () => {
    const x = ops.reshape(ops.arange(16, undefined, 1, 'float64'), [1, 1, 4, 4])
    const w = t64([[[[1, 2], [3, 4]]]])
    // ∂ sum(conv(x, w)) / ∂w[i,j] = sum of the input window entries multiplied by w[i,j]
    const gw = grad((k: Tensor) => ops.sum(ops.conv2d(x, k)))(w)
    allClose(gw, t64([[[[45, 54], [81, 90]]]]), { rtol: 0, atol: 1e-12 })
    const gx = grad((z: Tensor) => ops.sum(ops.conv2d(z, w)))(x)
    allClose(gx, t64([[[[1, 3, 3, 2], [4, 10, 10, 6], [4, 10, 10, 6], [3, 7, 7, 4]]]]), { rtol: 0, atol: 1e-12 })
  })
})

describe('options and trees', () => {
  test('argnums picks arguments; hasAux passes aux through', () => {
    const f = (a: Tensor, b: Tensor) => ops.sum(ops.mul(a, ops.square(b)))
    const a = t64([1, 2])
    const b = t64([3, 4])
    allClose(grad(f, { argnums: 1 })(a, b), t64([6, 16]), { rtol: 0, atol: 0 })
    const [ga, gb] = grad(f, { argnums: [0, 1] })(a, b)
    allClose(ga, t64([9, 16]), { rtol: 0, atol: 0 })
    allClose(gb, t64([6, 16]), { rtol: 0, atol: 0 })
    const [g, aux] = grad((x: Tensor) => [ops.sum(x), { n: ops.scalar(x.data.length) }], { hasAux: true })(a)
    allClose(g, t64([1, 1]), { rtol: 0, atol: 0 })
    expect(ops.item(aux.n)).toBe(2)
    const [[v, aux2]] = valueAndGrad((x: Tensor) => [ops.sum(x), x], { hasAux: true })(a)
    expect(ops.item(v)).toBe(3)
    expect(ops.toArray(aux2)).toEqual([1, 2])
  })
  test('gradients of parameter trees keep the structure', () => {
    const params = { layers: [{ w: t64([[1, 0], [0, 1]]), b: t64([0, 0]) }], scale: ops.scalar(2, 'float64') }
    const x = t64([1, 2])
    const loss = (p: typeof params) => ops.sum(ops.mul(ops.add(ops.matmul(p.layers[0].w, x), p.layers[0].b), p.scale))
    const g = grad(loss)(params)
    allClose(g.layers[0].w, t64([[2, 4], [2, 4]]), { rtol: 0, atol: 0 })
    allClose(g.layers[0].b, t64([2, 2]), { rtol: 0, atol: 0 })
    expect(ops.item(g.scale)).toBe(3)
  })
  test('inputs that do not reach the output get zero gradients', () => {
    const [ga, gb] = grad((a: Tensor, _b: Tensor) => ops.sum(a), { argnums: [0, 1] })(t64([1]), t64([[1, 2]]))
    expect(ops.toArray(ga)).toEqual([1])
    expect(ops.toArray(gb)).toEqual([[0, 0]])
  })
  test('Jacobian and Hessian shapes', () => {
    const f = (x: Tensor) => ops.matmul(t64([[1, 2, 3], [4, 5, 6]]), ops.reshape(x, [3, 1]))
    expect(jacfwd(f)(t64([1, 2, 3])).shape).toEqual([2, 1, 3])
    expect(jacrev(f)(t64([1, 2, 3])).shape).toEqual([2, 1, 3])
    expect(hessian((x: Tensor) => ops.sum(ops.pow(x, 3)))(t64([[1, 2]])).shape).toEqual([1, 2, 1, 2])
  })
  test('scan with no xs and reverse', () => {
    const [c, ys] = scan((k: Tensor) => [ops.mul(k, 2), k] as const, t64(1), null, { length: 3 })
    expect(ops.item(c)).toBe(8)
    expect(ops.toArray(ys as Tensor)).toEqual([1, 2, 4])
    const [, rev] = scan((k: Tensor, x: Tensor) => [ops.add(k, x), k] as const, t64(0), t64([1, 2, 3]), { reverse: true })
    expect(ops.toArray(rev as Tensor)).toEqual([5, 3, 0])
  })
})

describe('graphs', () => {
  const f = (w: Tensor, x: Tensor) => ops.sum(ops.tanh(ops.matmul(x, w)))
  const g = trace(f)(ops.zeros([3, 2]), ops.zeros([4, 3]))
  test('listing', () => {
    expect(graphToString(g)).toBe(
      [
        'graph(v0: f32[3,2], v1: f32[4,3]) {',
        '  v2 = matmul v1 v0                              : f32[4,2]',
        '  v3 = tanh v2                                   : f32[4,2]',
        '  v4 = sum[axes=[0,1]] v3                        : f32[]',
        '  return v4',
        '}',
      ].join('\n'),
    )
  })
  test('DOT', () => {
    const dot = toDot(g)
    expect(dot).toContain('v1 -> op0;')
    expect(dot).toContain('op2 -> v4;')
    expect(dot).toContain('v4 -> out0;')
    expect(dot.trim().endsWith('}')).toBe(true)
  })
})

describe('errors', () => {
  test('grad of a non-scalar function', () => {
    expect(() => grad((x: Tensor) => ops.mul(x, 2))(t64([1, 2]))).toThrow(ShapeError)
    expect(() => grad((x: Tensor) => ops.mul(x, 2))(t64([1, 2]))).toThrow('grad: the function must return a one-element tensor (a scalar loss), got [2]')
  })
  test('bad argnums, bad trees, bad tangents', () => {
    expect(() => grad((x: Tensor) => ops.sum(x), { argnums: 2 })(t64([1]))).toThrow(DomainError)
    expect(() => grad((x: Tensor) => ops.sum(x))(3 as never)).toThrow(DomainError)
    expect(() => jvp((x: Tensor) => x)([t64([1, 2])], [t64([1])])).toThrow('jvp: argument 0: leaf 0 has shape [2] but its tangent [1]')
    const [, pb] = vjp((x: Tensor) => x)(t64([1, 2]))
    expect(() => pb(t64([1]))).toThrow(ShapeError)
  })
  test('shape errors inside a transformation keep their messages', () => {
    expect(() => grad((x: Tensor) => ops.sum(ops.matmul(x, ops.zeros([4, 5], 'float64'))))(ops.zeros([2, 3], 'float64'))).toThrow(
      'matmul: cannot contract [2,3] with [4,5] (3 ≠ 4)',
    )
  })
  test('the table has a record for every primitive, each with three rules', () => {
    for (const [name, p] of Object.entries(primitives)) {
      expect(p.name).toBe(name)
      expect(typeof p.impl).toBe('function')
      expect(typeof p.jvp).toBe('function')
      expect(typeof p.vjp).toBe('function')
    }
  })
})

describe('end to end', () => {
  test('logistic regression learns two blobs by gradient descent', async () => {
    const { random } = await import('dendrite')
    const [k1, k2] = random.split(random.key(7))
    const n = 200
    const y = ops.astype(random.bernoulli(k1, 0.5, [n]), 'float64')
    const X = ops.add(ops.broadcastTo(ops.sub(ops.mul(ops.expandDims(y, 1), 2), 1), [n, 2]), random.normal(k2, [n, 2], { std: 0.7, dtype: 'float64' }))
    const loss = (p: { w: Tensor; b: Tensor }) => {
      const z = ops.add(ops.matmul(X, p.w), p.b)
      return ops.mean(ops.sub(ops.softplus(z), ops.mul(y, z)))
    }
    let p = { w: ops.zeros([2], 'float64'), b: ops.scalar(0, 'float64') }
    const first = ops.item(loss(p))
    for (let i = 0; i < 60; i++) {
      const g = grad(loss)(p)
      p = { w: ops.sub(p.w, ops.mul(g.w, 0.5)), b: ops.sub(p.b, ops.mul(g.b, 0.5)) }
    }
    const acc = ops.item(ops.mean(ops.equal(ops.greater(ops.add(ops.matmul(X, p.w), p.b), 0), y)))
    expect(first).toBeCloseTo(Math.LN2, 12)
    expect(ops.item(loss(p))).toBeLessThan(0.2)
    expect(acc).toBeGreaterThan(0.9)
  })
})

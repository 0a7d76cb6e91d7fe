/**
 * nn: closed-form values, error messages, summaries and gradient diagnostics, and
 * end-to-end behaviour (a small MLP learns XOR; a straight-through step trains).
 */
import { describe, expect, test } from 'vitest'
import { DomainError, ShapeError, grad, nn, ops, random, tree, valueAndGrad } from 'dendrite'
import { allClose } from 'dendrite/testing'

const sgd = <T extends Parameters<typeof tree.map>[0]>(p: T, g: T, lr: number): T =>
  tree.zipWith((w: ops.Tensor, dw: ops.Tensor) => ops.sub(w, ops.mul(dw, lr)), p, g) as T

describe('activations', () => {
  test('closed-form values', () => {
    const x = ops.tensor([-2, 0, 3], 'float64')
    expect(ops.toArray(nn.relu(x))).toEqual([0, 0, 3])
    expect(ops.toArray(nn.leakyRelu(x))).toEqual([-0.02, 0, 3])
    expect(ops.toArray(nn.threshold(x))).toEqual([0, 0, 1])
    expect(ops.toArray(nn.elu(x))).toEqual([Math.expm1(-2), 0, 3])
    expect(ops.item(nn.sigmoid(ops.scalar(0)))).toBe(0.5)
    expect(ops.item(nn.tanhPrime(ops.scalar(0)))).toBe(1)
    expect(ops.toArray(nn.reluPrime(x))).toEqual([0, 0, 1])
    allClose(nn.gelu(ops.tensor([-1, 1, 2], 'float64')), [-0.15865525393145707, 0.8413447460685429, 1.9544997361036416], { rtol: 2e-7, atol: 1e-8 })
    expect(ops.toArray(nn.argmax(ops.tensor([[1, 5, 2], [7, 0, 0]])))).toEqual([1, 0])
  })

  test('the straight-through step trains where the plain step cannot', () => {
    // fit w so that step(w x) matches the targets; the plain step gives zero gradient
    const x = ops.tensor([1, 2, 3], 'float64')
    const y = ops.tensor([1, 1, 1], 'float64')
    const loss = (act: (z: ops.Tensor) => ops.Tensor) => (w: ops.Tensor) => nn.mse(act(ops.mul(w, x)), y)
    expect(ops.item(grad(loss(nn.threshold))(ops.scalar(-1, 'float64')))).toBe(0)
    let w = ops.scalar(-1, 'float64')
    for (let i = 0; i < 20; i++) w = ops.sub(w, ops.mul(grad(loss(nn.thresholdST))(w), 0.5))
    expect(ops.item(loss(nn.threshold)(w))).toBe(0)
  })
})

describe('losses', () => {
  test('closed-form values and reductions', () => {
    const a = ops.tensor([[1, 2], [3, 4]])
    const b = ops.tensor([[1, 0], [0, 4]])
    expect(ops.item(nn.mse(a, b))).toBe(13 / 4)
    expect(ops.item(nn.mse(a, b, { reduction: 'sum' }))).toBe(13)
    expect(ops.toArray(nn.mae(a, b, { reduction: 'none' }))).toEqual([[0, 2], [3, 0]])
    const z = ops.tensor([[0, 0, 0, 0]], 'float64')
    expect(ops.item(nn.crossEntropy(z, ops.tensor([2])))).toBeCloseTo(Math.log(4), 15)
    expect(ops.item(nn.binaryCrossEntropyWithLogits(ops.tensor([0], 'float64'), ops.tensor([0])))).toBe(Math.LN2)
    expect(ops.item(nn.klDivergence(ops.tensor([0.5, 0.5], 'float64'), ops.tensor([0.25, 0.75], 'float64')))).toBeCloseTo(
      0.5 * Math.log(2) + 0.5 * Math.log(2 / 3),
      15,
    )
  })

  test('crossEntropy: large logits stay finite; labels checked', () => {
    const z = ops.tensor([[1e4, -1e4], [-1e4, 1e4]])
    expect(ops.item(nn.crossEntropy(z, ops.tensor([0, 1])))).toBe(0)
    expect(ops.item(nn.crossEntropy(z, ops.tensor([1, 0])))).toBe(2e4)
    expect(() => nn.crossEntropy(z, ops.tensor([0, 2]))).toThrow(DomainError)
    expect(() => nn.crossEntropy(z, ops.tensor([0, 1.5]))).toThrow(/class index/)
    expect(() => nn.crossEntropy(z, ops.tensor([[1, 0, 0]]))).toThrow(ShapeError)
    expect(() => nn.crossEntropy(z, ops.tensor([[1, 0, 0]]))).toThrow(/crossEntropy: labels must be one-hot of shape \[2,2\] or class indices of shape \[2\], got \[1,3\]/)
    expect(() => nn.mse(ops.zeros([2]), ops.zeros([3]))).toThrow(/mse: predictions and targets must have the same shape, got \[2\] and \[3\]/)
    expect(() => nn.mse(ops.zeros([2]), ops.zeros([2]), { reduction: 'avg' as never })).toThrow(DomainError)
  })

  test('targets of another dtype are cast to the predictions', () => {
    expect(ops.item(nn.mse(ops.tensor([1, 2], 'float64'), ops.tensor([1, 2], 'float32')))).toBe(0)
    expect(nn.crossEntropy(ops.zeros([2, 3], 'float64'), ops.tensor([0, 1])).dtype).toBe('float64')
  })
})

describe('initialisers', () => {
  test('bounds, shapes and dtypes', () => {
    const k = random.key(3)
    const w = nn.heUniform(k, [24, 10])
    expect(w.dtype).toBe('float32')
    expect(ops.toFlat(w).every((v) => Math.abs(v) <= 0.5)).toBe(true) // √(6/24)
    const g = nn.glorotNormal(k, [50, 50], 'float64')
    // truncated at 2σ₀, σ₀ = √(1/50)/0.8796
    expect(ops.toFlat(g).every((v) => Math.abs(v) <= (2 * Math.sqrt(1 / 50)) / 0.87962566103423978 + 1e-12)).toBe(true)
    expect(ops.toArray(nn.zeros(k, [2], 'float64'))).toEqual([0, 0])
    expect(() => nn.orthogonal(k, [3])).toThrow(ShapeError)
    expect(nn.orthogonal(k, [2, 3, 4]).shape).toEqual([2, 3, 4])
  })
})

describe('layers', () => {
  test('dense: shapes, init errors, batched leading axes', () => {
    const d = nn.dense(3)
    const { params, outShape } = d.init(random.key(0), [-1, 5, 2])
    expect(outShape).toEqual([-1, 5, 3])
    expect(d.apply(params, ops.ones([4, 5, 2])).shape).toEqual([4, 5, 3])
    expect(() => d.init(random.key(0), [-1, -1])).toThrow(ShapeError)
    expect(() => nn.dense(0)).toThrow(/dense: units must be a positive integer, got 0/)
    expect(() => d.apply(params, ops.ones([4, 3]))).toThrow(ShapeError)
    // the augmented view of the notes, by hand
    const x = ops.tensor([[1, 2]])
    const w = ops.tensor([[1, 2, 3], [4, 5, 6]])
    const b = ops.tensor([1, 1, 1])
    expect(ops.toArray(d.apply({ w, b }, x))).toEqual([[10, 13, 16]])
    expect(ops.toArray(ops.matmul(ops.tensor([[1, 2, 1]]), ops.concat([w, ops.reshape(b, [1, 3])], 0)))).toEqual([[10, 13, 16]])
  })

  test('dropout: needs a key in training; rate checked', () => {
    const d = nn.dropout(0.3)
    expect(() => d.apply(null, ops.ones([2]), { training: true })).toThrow(/dropout: training mode needs a PRNG key/)
    expect(() => nn.dropout(1)).toThrow(DomainError)
    expect(() => nn.dropout(-0.1)).toThrow(DomainError)
    const z = nn.dropout(0)
    const x = ops.ones([3])
    expect(z.apply(null, x, { training: true, key: random.key(0) })).toBe(x)
  })

  test('serial splits the key: two dropout layers get different masks', () => {
    const m = nn.serial(nn.dropout(0.5), nn.dropout(0.5))
    const x = ops.ones([1, 64])
    const y = m.apply([null, null], x, { training: true, key: random.key(1) })
    const [k0, k1] = random.split(random.key(1), 2)
    const once = nn.dropout(0.5).apply(null, x, { training: true, key: k0 })
    expect(ops.toFlat(y)).toEqual(ops.toFlat(nn.dropout(0.5).apply(null, once, { training: true, key: k1 })))
  })

  test('combinator errors name the op and the shapes', () => {
    expect(() => nn.residual(nn.dense(3)).init(random.key(0), [-1, 2])).toThrow(/residual: the layer must keep the shape: input \[-1,2\], output \[-1,3\]/)
    expect(() => nn.parallel(nn.relu, nn.relu).init(random.key(0), [-1, 3])).toThrow(/parallel: the last axis of \[-1,3\] must split into 2 equal parts/)
    expect(() => nn.serial(nn.dense(2)).apply([] as never, ops.ones([1, 2]))).toThrow(/serial: params must be an array of 1 entries/)
    expect(() => nn.fanOut(nn.flatten(), nn.relu).init(random.key(0), [-1, 2, 3])).toThrow(ShapeError)
    expect(() => nn.reshape([4, -1]).init(random.key(0), [-1, 6])).toThrow(/reshape: cannot reshape examples of shape \[6\]/)
    expect(() => nn.serial(42 as never)).toThrow(DomainError)
  })

  test('an activation with an axis works as a layer through a wrapper', () => {
    const m = nn.serial(nn.dense(3), (x: ops.Tensor) => nn.softmax(x, 0))
    const { params } = m.init(random.key(0), [-1, 2])
    allClose(ops.sum(m.apply(params, ops.ones([4, 2])), 0), [1, 1, 1], { rtol: 1e-6, atol: 1e-6 })
    expect(nn.activation((x) => x, 'identity').name).toBe('identity')
  })
})

describe('summary and diagnostics', () => {
  test('summary lists the layers of a serial model with shapes and counts', () => {
    const model = nn.serial(nn.flatten(), nn.dense(128), nn.relu, nn.dropout(0.2), nn.dense(10))
    const s = nn.summary(model, [-1, 28, 28])
    expect(s.split('\n')).toEqual([
      'Layer         Output shape  Params',
      '----------------------------------',
      'flatten       [-1,784]           0',
      'dense(128)    [-1,128]      100480',
      'relu          [-1,128]           0',
      'dropout(0.2)  [-1,128]           0',
      'dense(10)     [-1,10]         1290',
      '----------------------------------',
      'Total params: 101770',
    ])
    expect(nn.paramCount(model.init(random.key(0), [-1, 28, 28]).params)).toBe(101770)
    expect(nn.summary(nn.dense(2), [-1, 3]).split('\n')[2]).toBe('dense(2)  [-1,2]' + ' '.repeat(13) + '8')
  })

  test('layerGradNorms: per-layer norms whose squares add up to the global norm²; vanishing gradients in a deep logistic net', () => {
    const depth = 8
    const layers = Array.from({ length: depth }, () => [nn.dense(16, { dtype: 'float64' }), nn.sigmoid]).flat()
    const model = nn.serial(...layers, nn.dense(1, { dtype: 'float64' }))
    const { params } = model.init(random.key(0), [-1, 16])
    const x = random.normal(random.key(1), [32, 16], { dtype: 'float64' })
    const y = random.normal(random.key(2), [32, 1], { dtype: 'float64' })
    const g = grad((p: typeof params) => nn.mse(model.apply(p, x), y))(params)
    const norms = nn.layerGradNorms(g)
    expect(norms.map((n) => n.path)).toEqual(Array.from({ length: depth + 1 }, (_, i) => String(2 * i)))
    const total = tree.leaves(g).reduce((s, l) => s + ops.toFlat(l).reduce((a, v) => a + v * v, 0), 0)
    expect(norms.reduce((s, n) => s + n.norm ** 2, 0)).toBeCloseTo(total, 12)
    // each logistic layer multiplies the backward signal by σ' ≤ 1/4: the first layers learn slowest
    expect(norms[0].norm).toBeLessThan(norms[depth - 1].norm / 100)
    expect(nn.layerGradNorms({ enc: { w: ops.tensor([3, 4]) }, dec: null })).toEqual([{ path: 'enc', norm: 5, size: 2 }])
    expect(nn.layerGradNorms(ops.tensor([1, 1, 1, 1]))).toEqual([{ path: '', norm: 2, size: 4 }])
  })
})

describe('end to end', () => {
  test('a small MLP learns XOR with cross-entropy (index labels)', () => {
    const x = ops.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], 'float64')
    const y = ops.tensor([0, 1, 1, 0])
    const model = nn.serial(nn.dense(8, { dtype: 'float64' }), nn.tanh, nn.dense(2, { dtype: 'float64' }))
    let { params } = model.init(random.key(0), [-1, 2])
    const loss = (p: typeof params) => nn.crossEntropy(model.apply(p, x), y)
    let first = 0
    let last = 0
    for (let i = 0; i < 300; i++) {
      const [l, g] = valueAndGrad(loss)(params) as [ops.Tensor, typeof params]
      if (i === 0) first = ops.item(l)
      last = ops.item(l)
      params = sgd(params, g, 0.5)
    }
    expect(last).toBeLessThan(first / 10)
    expect(ops.toFlat(nn.argmax(model.apply(params, x)))).toEqual([0, 1, 1, 0])
  })
})

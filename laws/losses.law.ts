/**
 * Losses (nn): the gradient of cross-entropy from logits is (softmax − onehot)/N for mean
 * reduction (and without /N for sum), for one-hot and index labels alike; BCE with logits
 * equals BCE of the sigmoid probabilities and stays finite for |z| up to 1e4 in float32;
 * mse and mae equal their closed forms under every reduction; KL ≥ ½‖p − q‖₁² (Pinsker),
 * so KL ≥ 0 with equality iff p = q; KL from logits = KL of the softmaxes; every loss's
 * derivatives agree with finite differences.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { grad, nn, ops } from 'dendrite'
import { allClose, arb, checkGrads } from 'dendrite/testing'

type R = 'mean' | 'sum' | 'none'
const reductions = fc.constantFrom<R>('mean', 'sum', 'none')
const sig = (v: number) => 1 / (1 + Math.exp(-v))

/** Logits of shape [...batch, C] with integer labels of shape batch. */
const logitsAndLabels = fc
  .tuple(arb.shape({ minRank: 0, maxRank: 2, maxDim: 4 }), fc.integer({ min: 1, max: 5 }))
  .chain(([batch, c]) =>
    fc.tuple(
      arb.tensor({ shape: [...batch, c], min: -20, max: 20 }),
      fc.array(fc.nat(c - 1), { minLength: batch.reduce((a, b) => a * b, 1), maxLength: batch.reduce((a, b) => a * b, 1) })
        .map((ls) => ops.fromArray(ls, batch, 'float64')),
    ),
  )

/** Two tensors of one shape (rank ≥ 1). */
const pair = (o: Parameters<typeof arb.tensor>[0] = {}) =>
  arb.shape({ minRank: 1, maxRank: 3 }).chain((s) => fc.tuple(arb.tensor({ ...o, shape: s }), arb.tensor({ ...o, shape: s })))

describe('losses', () => {
  test.prop([logitsAndLabels])('∇_z crossEntropy(z, y) = (softmax(z) − onehot(y)) / N, for index and one-hot labels', ([z, labels]) => {
    const c = z.shape[z.shape.length - 1]
    const y = ops.oneHot(labels, c, 'float64')
    const n = labels.data.length
    const expected = ops.div(ops.sub(ops.softmax(z, -1), y), n)
    const gIdx = grad((zz: ops.Tensor) => nn.crossEntropy(zz, labels))(z)
    const gHot = grad((zz: ops.Tensor) => nn.crossEntropy(zz, y))(z)
    allClose(gIdx, expected, { rtol: 1e-12, atol: 1e-14 })
    allClose(gHot, expected, { rtol: 1e-12, atol: 1e-14 })
    allClose(grad((zz: ops.Tensor) => nn.crossEntropy(zz, labels, { reduction: 'sum' }))(z), ops.mul(expected, n), { rtol: 1e-12, atol: 1e-13 })
    // values: the two label forms agree, and equal −mean log softmax at the label
    const picked = ops.sum(ops.mul(ops.logSoftmax(z, -1), y), -1)
    allClose(nn.crossEntropy(z, labels), ops.neg(ops.mean(picked)), { rtol: 1e-12, atol: 1e-12 })
    allClose(nn.crossEntropy(z, y), nn.crossEntropy(z, labels), { rtol: 1e-12, atol: 1e-12 })
    allClose(nn.crossEntropy(z, labels, { reduction: 'none' }), ops.neg(picked), { rtol: 1e-12, atol: 1e-12 })
  })

  test.prop([logitsAndLabels], { numRuns: 20 })('crossEntropy: derivatives agree with finite differences (order 2)', ([z, labels]) => {
    checkGrads((zz) => nn.crossEntropy(zz, labels), [z], { order: 2, rtol: 1e-5, atol: 1e-6 })
  })

  test.prop([pair({ min: -10, max: 10 }), arb.tensor({ minRank: 0, maxRank: 0, domain: 'unit' }), reductions])(
    'BCE with logits = BCE of the sigmoid probabilities (away from 0 and 1)',
    ([z, t], u, reduction) => {
      const y = ops.div(ops.add(t, 10), 20) // soft targets in [0, 1]
      const withLogits = nn.binaryCrossEntropyWithLogits(z, y, { reduction })
      allClose(withLogits, nn.binaryCrossEntropy(nn.sigmoid(z), y, { reduction }), { rtol: 1e-9, atol: 1e-9 })
      const ref = ops.fromArray(ops.toFlat(z).map((v, i) => {
        const yi = y.data[i]
        return -yi * Math.log(sig(v)) - (1 - yi) * Math.log(1 - sig(v))
      }), z.shape, 'float64')
      const reduced = reduction === 'mean' ? ops.mean(ref) : reduction === 'sum' ? ops.sum(ref) : ref
      allClose(withLogits, reduced, { rtol: 1e-9, atol: 1e-9 })
      // hard targets: the gradient is (σ(z) − y)/n
      const hard = ops.greater(ops.add(y, ops.item(u) - 0.5), 0.5)
      allClose(
        grad((zz: ops.Tensor) => nn.binaryCrossEntropyWithLogits(zz, hard))(z),
        ops.div(ops.sub(nn.sigmoid(z), hard), z.data.length),
        { rtol: 1e-12, atol: 1e-14 },
      )
    },
  )

  test.prop([pair({ min: -1e4, max: 1e4, dtype: 'float32' }), arb.tensor({ minRank: 0, maxRank: 0, domain: 'unit' })])(
    'BCE with logits is finite (value and gradient) for |z| up to 1e4 in float32, and right',
    ([z, t], u) => {
      const y = ops.greater(ops.add(ops.div(t, 2e4), ops.item(u)), 0.5)
      const v = nn.binaryCrossEntropyWithLogits(z, y, { reduction: 'none' })
      const g = grad((zz: ops.Tensor) => nn.binaryCrossEntropyWithLogits(zz, y))(z)
      expect(ops.toFlat(v).every(Number.isFinite) && ops.toFlat(g).every(Number.isFinite)).toBe(true)
      // exact form: max(z, 0) − y z + log1p(e^{−|z|})
      const ref = ops.toFlat(z).map((zi, i) => Math.max(zi, 0) - y.data[i] * zi + Math.log1p(Math.exp(-Math.abs(zi))))
      allClose(ops.astype(v, 'float64'), ops.fromArray(ref, z.shape, 'float64'), { rtol: 1e-6, atol: 1e-6 })
    },
  )

  test.prop([pair({ min: -100, max: 100 }), reductions])('mse and mae equal their closed forms', ([a, b], reduction) => {
    const d = ops.toFlat(a).map((v, i) => v - b.data[i])
    const red = (xs: number[]) => {
      const t = ops.fromArray(xs, a.shape, 'float64')
      return reduction === 'mean' ? ops.scalar(xs.reduce((s, v) => s + v, 0) / xs.length, 'float64') : reduction === 'sum' ? ops.scalar(xs.reduce((s, v) => s + v, 0), 'float64') : t
    }
    allClose(nn.mse(a, b, { reduction }), red(d.map((v) => v * v)), { rtol: 1e-12, atol: 1e-12 })
    allClose(nn.mae(a, b, { reduction }), red(d.map(Math.abs)), { rtol: 1e-12, atol: 1e-12 })
    // the gradient of mse (mean) is 2(a − b)/n
    allClose(grad((x: ops.Tensor) => nn.mse(x, b))(a), ops.fromArray(d.map((v) => (2 * v) / d.length), a.shape, 'float64'), { rtol: 1e-12, atol: 1e-14 })
    expect(ops.item(nn.mse(a, a))).toBe(0)
  })

  const dists = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 })).chain(([k, rows]) =>
    fc.tuple(arb.simplex(k, rows), arb.simplex(k, rows)),
  )
  test.prop([dists, reductions])("KL(p ‖ q) ≥ ½‖p − q‖₁² ≥ 0 (Pinsker), and KL(p ‖ p) = 0", ([p, q], reduction) => {
    const kl = nn.klDivergence(p, q, { reduction: 'none' })
    const l1 = ops.sum(ops.abs(ops.sub(p, q)), -1)
    const pinsker = ops.mul(ops.square(l1), 0.5)
    expect(ops.toFlat(ops.sub(kl, pinsker)).every((v) => v >= -1e-12)).toBe(true)
    expect(ops.toFlat(nn.klDivergence(p, p, { reduction })).every((v) => v === 0)).toBe(true)
    // reductions: mean over rows, sum over rows
    const total = ops.sum(kl)
    allClose(nn.klDivergence(p, q, { reduction: 'sum' }), total, { rtol: 1e-12, atol: 1e-15 })
    allClose(nn.klDivergence(p, q), ops.div(total, p.shape[0]), { rtol: 1e-12, atol: 1e-15 })
  })

  test.prop([dists, fc.array(fc.nat(5), { minLength: 4, maxLength: 4 })])(
    'KL with zeros in p: 0 log 0 = 0, finite gradients that match finite differences',
    ([, q], hot) => {
      const [rows, k] = q.shape
      const p = ops.oneHot(hot.slice(0, rows).map((h) => h % k), k, 'float64')
      allClose(nn.klDivergence(p, q, { reduction: 'none' }), ops.neg(ops.sum(ops.mul(p, ops.log(q)), -1)), { rtol: 1e-12, atol: 1e-15 })
      const [gp, gq] = grad((a: ops.Tensor, b: ops.Tensor) => nn.klDivergence(a, b), { argnums: [0, 1] })(p, q) as ops.Tensor[]
      expect(ops.toFlat(gp).every(Number.isFinite) && ops.toFlat(gq).every(Number.isFinite)).toBe(true)
      // q may be as small as 3e−4: a smaller step keeps the O((ε/q)²) truncation error down
      checkGrads((b) => nn.klDivergence(p, b), [q], { eps: 1e-8, rtol: 1e-5, atol: 1e-6 })
    },
  )

  test.prop([pair({ min: -20, max: 20 }), reductions])('KL from logits = KL of the softmaxes; ≥ 0; derivatives agree with finite differences', ([a, b], reduction) => {
    const viaProbs = nn.klDivergence(ops.softmax(a, -1), ops.softmax(b, -1), { reduction })
    allClose(nn.klDivergenceFromLogits(a, b, { reduction }), viaProbs, { rtol: 1e-8, atol: 1e-10 })
    expect(ops.toFlat(nn.klDivergenceFromLogits(a, b, { reduction: 'none' })).every((v) => v >= -1e-12)).toBe(true)
    checkGrads((x, y) => nn.klDivergenceFromLogits(x, y, { reduction }), [a, b], { rtol: 1e-5, atol: 1e-6 })
  })
})

/**
 * Layers (nn): for random input shapes the output shape equals init's outShape (batch axis
 * filled in); init is deterministic in its key; dense is x W + b (also as the notes'
 * augmented [x, 1] [W; b]); serial of dense layers equals composing the maths by hand;
 * residual, fanOut and parallel equal their definitions; dropout is the identity in
 * evaluation and in training keeps the mean (within 6 standard errors) and zeroes about
 * `rate` of the entries; initialisers have mean 0 and the variance of their formula
 * (within 6 standard errors), and `orthogonal` has orthonormal columns or rows.
 *
 * 6 s.e., not 5: a CI run makes 240 of these checks (dropout 30 × 2, six initialisers
 * 15 × 2); at 5 s.e. (≈ 6e-7 each, with skew) their union bound for a correct
 * implementation was ≈ 1.5e-4 per CI run. At 6 s.e. one check fails with probability
 * ≤ 1e-8 (normal 2e-9; the zero count is binomial, whose exact two-sided tail beyond
 * 6 s.e. is ≤ 7.6e-9 for rates in [0.05, 0.95] at n = 4000; the skew of a mean or second
 * moment of n ≥ 2000 draws at most triples a tail), ≤ 2.4e-6 per CI run.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { nn, ops, random, tree } from 'dendrite'
import { allClose, arb } from 'dendrite/testing'

type Dense = { readonly w: ops.Tensor; readonly b?: ops.Tensor }
const f64 = { dtype: 'float64' as const }
const fill = (s: ReadonlyArray<number>, batch: number) => s.map((d) => (d === -1 ? batch : d))

const entry = (m: nn.Layer<any>, s: number[]) => ({ m, s })

/** A model from a small menu, with an input shape (batch axis −1) it accepts. */
const models = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 5 }), arb.shape({ minRank: 1, maxRank: 2 })).map(([u, s]) => entry(nn.dense(u, f64), [-1, ...s])),
  arb.shape({ minRank: 0, maxRank: 3 }).map((s) => entry(nn.flatten(), [-1, ...s])),
  arb.shape({ minRank: 1, maxRank: 3 }).map((s) => entry(nn.reshape([-1]), [-1, ...s])),
  fc.tuple(fc.integer({ min: 1, max: 3 }), arb.shape({ minRank: 1, maxRank: 2 })).map(([k, s]) => entry(nn.reshape([k, -1]), [-1, ...s, k])),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).map(([a, b, n]) => entry(
    nn.serial(nn.flatten(), nn.dense(a, f64), nn.relu, nn.dropout(0.5), nn.dense(b, f64), nn.softmax),
    [-1, n, 2],
  )),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).map(([a, b, n]) => entry(
    nn.fanOut(nn.dense(a, f64), nn.tanh, nn.dense(b, f64)),
    [-1, n],
  )),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([a, b, n]) => entry(
    nn.parallel(nn.dense(a, f64), nn.sigmoid, nn.dense(b, f64)),
    [-1, 2, 3 * n],
  )),
  fc.integer({ min: 1, max: 4 }).map((n) => entry(nn.residual(nn.serial(nn.dense(n, f64), nn.elu)), [-1, n])),
)

describe('layers', () => {
  test.prop([models, fc.integer({ min: 1, max: 4 }), arb.key(), arb.key()], { numRuns: 60 })(
    "output shape = init's outShape (batch filled in), also in training mode",
    ({ m, s }, batch, k, k2) => {
      const { params, outShape } = m.init(k, s)
      const x = ops.ones(fill(s, batch), 'float64')
      expect(m.apply(params, x).shape).toEqual(fill(outShape, batch))
      expect(m.apply(params, x, { training: true, key: k2 }).shape).toEqual(fill(outShape, batch))
    },
  )

  test.prop([models, arb.key(), arb.key()], { numRuns: 40 })('init is deterministic in its key', ({ m, s }, k1, k2) => {
    const a = m.init(k1, s)
    const b = m.init(k1, s)
    expect(tree.leaves(a.params).map((l) => ops.toFlat(l))).toEqual(tree.leaves(b.params).map((l) => ops.toFlat(l)))
    expect(a.outShape).toEqual(b.outShape)
    const c = m.init(k2, s)
    const differ = tree.leaves(a.params).some((l, i) => ops.toFlat(l).some((v, j) => v !== tree.leaves(c.params)[i].data[j]))
    // a different key gives different weights (when there are random weights to give)
    const random_ = tree.leaves(a.params).some((l) => ops.toFlat(l).some((v) => v !== 0))
    if (k1.words[0] !== k2.words[0] || k1.words[1] !== k2.words[1]) expect(differ || !random_).toBe(true)
  })

  test.prop([fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), arb.key()], { numRuns: 40 })(
    'dense is x W + b, i.e. the augmented [x, 1] [W; b] of the notes',
    (n, u, batch, k) => {
      const layer = nn.dense(u, f64)
      const { params } = layer.init(k, [-1, n])
      const [w, b] = [params.w, params.b as ops.Tensor]
      const x = random.normal(random.foldIn(k, 1), [batch, n], f64)
      const y = layer.apply(params, x)
      allClose(y, ops.add(ops.matmul(x, w), b), { rtol: 1e-12, atol: 1e-14 })
      const xa = ops.concat([x, ops.ones([batch, 1], 'float64')], 1)
      const wa = ops.concat([w, ops.reshape(b, [1, u])], 0)
      allClose(y, ops.matmul(xa, wa), { rtol: 1e-12, atol: 1e-14 })
      // each entry by the sum of the notes: y_bj = Σ_i x_bi W_ij + b_j
      const yy = ops.toArray(y) as number[][]
      for (let r = 0; r < batch; r++) for (let j = 0; j < u; j++) {
        let s = b.data[j]
        for (let i = 0; i < n; i++) s += x.data[r * n + i] * w.data[i * u + j]
        expect(yy[r][j]).toBeCloseTo(s, 12)
      }
      // useBias: false has no b
      expect(Object.keys(nn.dense(u, { ...f64, useBias: false }).init(k, [-1, n]).params)).toEqual(['w'])
    },
  )

  test.prop([fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), arb.key()])(
    'serial of dense layers (with tanh between) = composing the maths by hand',
    (widths, batch, k) => {
      const layers = widths.slice(1).flatMap((n) => [nn.dense(n, f64), nn.tanh])
      const model = nn.serial(...layers)
      const { params, outShape } = model.init(k, [-1, widths[0]])
      expect(params.length).toBe(layers.length)
      expect(outShape).toEqual([-1, widths[widths.length - 1]])
      const x = random.normal(random.foldIn(k, 7), [batch, widths[0]], f64)
      let h = x
      for (let l = 0; l < layers.length; l += 2) {
        const p = params[l] as Dense
        h = ops.tanh(ops.add(ops.matmul(h, p.w), p.b as ops.Tensor))
      }
      allClose(model.apply(params, x), h, { rtol: 1e-12, atol: 1e-14 })
      // and serial(f, g) = g ∘ f on the level of layers
      const [f, g] = [nn.serial(...layers.slice(0, 2)), nn.serial(...layers.slice(2))]
      allClose(model.apply(params, x), g.apply(params.slice(2), f.apply(params.slice(0, 2), x)), { rtol: 1e-12, atol: 1e-14 })
    },
  )

  test.prop([fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), arb.key()])(
    'residual, fanOut and parallel equal their definitions',
    (n, a, batch, k) => {
      const d1 = nn.dense(n, f64)
      const d2 = nn.dense(a, f64)
      const x = random.normal(random.foldIn(k, 3), [batch, n], f64)
      const r = nn.residual(d1)
      const pr = r.init(k, [-1, n]).params
      allClose(r.apply(pr, x), ops.add(x, d1.apply(pr, x)), { rtol: 1e-12, atol: 1e-14 })
      const fo = nn.fanOut(d1, nn.sigmoid, d2)
      const pf = fo.init(k, [-1, n]).params as ReadonlyArray<Dense | null>
      allClose(fo.apply(pf, x), ops.concat([d1.apply(pf[0] as Dense, x), nn.sigmoid(x), d2.apply(pf[2] as Dense, x)], -1), { rtol: 1e-12, atol: 1e-14 })
      const pa = nn.parallel(d2, nn.sigmoid)
      const x2 = random.normal(random.foldIn(k, 4), [batch, 2 * n], f64)
      const pp = pa.init(k, [-1, 2 * n]).params as ReadonlyArray<Dense | null>
      const [left, right] = ops.split(x2, 2, -1)
      allClose(pa.apply(pp, x2), ops.concat([d2.apply(pp[0] as Dense, left), nn.sigmoid(right)], -1), { rtol: 1e-12, atol: 1e-14 })
    },
  )

  test.prop([fc.double({ min: 0.05, max: 0.95, noNaN: true }), arb.key(), arb.key()], { numRuns: 30 })(
    'dropout: identity in evaluation; in training E[y] = x (6 s.e.) and about `rate` zeroed (6 s.e.)',
    (rate, kx, kd) => {
      const d = nn.dropout(rate)
      const n = 4000
      const x = random.uniform(kx, [40, 100], { min: 0.5, max: 1.5, dtype: 'float64' })
      expect(d.apply(null, x)).toBe(x)
      expect(d.apply(null, x, { training: false, key: kd })).toBe(x)
      const y = d.apply(null, x, { training: true, key: kd })
      const yd = ops.toFlat(y)
      const xd = ops.toFlat(x)
      const zeros = yd.filter((v) => v === 0).length / n
      expect(Math.abs(zeros - rate)).toBeLessThanOrEqual(6 * Math.sqrt((rate * (1 - rate)) / n))
      // kept entries are x / (1 − rate)
      expect(yd.every((v, i) => v === 0 || Math.abs(v - xd[i] / (1 - rate)) <= 1e-12 * v)).toBe(true)
      // mean of y − x: each term has variance x² rate/(1 − rate)
      const diff = yd.reduce((s, v, i) => s + v - xd[i], 0) / n
      const se = Math.sqrt(xd.reduce((s, v) => s + v * v, 0) * (rate / (1 - rate))) / n
      expect(Math.abs(diff)).toBeLessThanOrEqual(6 * se)
      // same key, same mask; inside serial the key is split per layer, deterministically
      expect(ops.toFlat(d.apply(null, x, { training: true, key: kd }))).toEqual(yd)
    },
  )

  const inits: ReadonlyArray<{ name: string; init: nn.Initializer; variance: (fi: number, fo: number) => number; kurtosis: number }> = [
    { name: 'glorotUniform', init: nn.glorotUniform, variance: (fi, fo) => 2 / (fi + fo), kurtosis: 1.8 },
    { name: 'glorotNormal', init: nn.glorotNormal, variance: (fi, fo) => 2 / (fi + fo), kurtosis: 3 },
    { name: 'heUniform', init: nn.heUniform, variance: (fi) => 2 / fi, kurtosis: 1.8 },
    { name: 'heNormal', init: nn.heNormal, variance: (fi) => 2 / fi, kurtosis: 3 },
    { name: 'lecunUniform', init: nn.lecunUniform, variance: (fi) => 1 / fi, kurtosis: 1.8 },
    { name: 'lecunNormal', init: nn.lecunNormal, variance: (fi) => 1 / fi, kurtosis: 3 },
  ]
  const kernelShapes = fc.oneof(
    fc.tuple(fc.integer({ min: 10, max: 300 }), fc.integer({ min: 10, max: 300 })).map(([a, b]) => [a, b]),
    fc.tuple(fc.integer({ min: 8, max: 32 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
      .map(([o, i, h, w]) => [o, i, h, w]),
  ).filter((s) => s.reduce((a, b) => a * b, 1) >= 2000)
  for (const { name, init, variance, kurtosis } of inits) {
    test.prop([kernelShapes, arb.key()], { numRuns: 15 })(`${name}: mean 0 and the variance of its formula (6 s.e.)`, (shape, k) => {
      const w = ops.toFlat(init(k, shape, 'float64'))
      const n = w.length
      const { fanIn, fanOut } = nn.fans(shape)
      const v = variance(fanIn, fanOut)
      const mean = w.reduce((s, x) => s + x, 0) / n
      const m2 = w.reduce((s, x) => s + x * x, 0) / n
      expect(Math.abs(mean)).toBeLessThanOrEqual(6 * Math.sqrt(v / n))
      // Var of the sample second moment: v² (κ − 1) / n (κ ≤ 3 bounds the truncated normal's)
      expect(Math.abs(m2 - v)).toBeLessThanOrEqual(6 * v * Math.sqrt((kurtosis - 1) / n))
    })
  }

  test('fans: dense [in, out] and conv OIHW as JAX / PyTorch', () => {
    expect(nn.fans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 })
    expect(nn.fans([32, 16, 3, 3])).toEqual({ fanIn: 144, fanOut: 288 })
    expect(nn.fans([5])).toEqual({ fanIn: 5, fanOut: 5 })
  })

  test('orthogonal: QᵀQ = I to 1e-12 also for ill-conditioned Gaussian draws', () => {
    // one pass of Gram–Schmidt left these off by 5.7e-12 and 4.3e-12 (found in 2 of 2000
    // simulated CI runs of the law below)
    for (const [words, n] of [[[0, 25133283], 6], [[0, 1266041874], 8]] as const) {
      const q = nn.orthogonal(random.wrapKeyData(words), [n, n], 'float64')
      allClose(ops.matmul(ops.transpose(q), q), ops.eye(n, n, 'float64'), { rtol: 1e-12, atol: 1e-12 })
    }
  })

  test.prop([fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), arb.key()])(
    'orthogonal: QᵀQ = I (tall) or QQᵀ = I (wide); deterministic in the key',
    (n, m, k) => {
      const q = nn.orthogonal(k, [n, m], 'float64')
      const gram = n >= m ? ops.matmul(ops.transpose(q), q) : ops.matmul(q, ops.transpose(q))
      allClose(gram, ops.eye(Math.min(n, m), Math.min(n, m), 'float64'), { rtol: 1e-12, atol: 1e-12 })
      expect(ops.toFlat(nn.orthogonal(k, [n, m], 'float64'))).toEqual(ops.toFlat(q))
    },
  )
})

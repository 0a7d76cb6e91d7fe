/**
 * Training laws: an epoch's batch indices are a permutation of 0…n−1 cut into batches of
 * the documented sizes, determined by the key (same key same order, different keys
 * different orders); `batches` keeps each sample's x and y together; a minibatch step on
 * all n samples, in any order, is one step of gradient descent on the full loss, and so is
 * one epoch of `fit` with batchSize = n; `fit` leaves its inputs alone and is deterministic;
 * the confusion matrix agrees with accuracy.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { grad, ops, optim, random, tree, type Tensor } from 'dendrite'
import { allClose, arb } from 'dendrite/testing'

const arbN = fc.integer({ min: 0, max: 60 })
const arbB = fc.integer({ min: 1, max: 20 })

type P = { w: Tensor; b: Tensor }
const mse = (p: P, x: Tensor, y: Tensor): Tensor => ops.mean(ops.square(ops.sub(ops.add(ops.matmul(x, p.w), p.b), y)))
const arbProblem = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    x: arb.tensor({ shape: [n, 3], min: -2, max: 2 }),
    y: arb.tensor({ shape: [n, 2], min: -2, max: 2 }),
    w: arb.tensor({ shape: [3, 2], min: -1, max: 1 }),
    b: arb.tensor({ shape: [2], min: -1, max: 1 }),
  }),
)

describe('batches', () => {
  test.prop([arb.key(), arbN, arbB, fc.boolean()])(
    'batchIndices: a permutation of 0…n−1 in batches of b, the last one n mod b (dropped with dropLast)',
    (k, n, b, dropLast) => {
      const bs = optim.batchIndices(k, n, b, { dropLast })
      const sizes = bs.map((x) => x.length)
      const full = Math.floor(n / b)
      const rest = n % b
      expect(sizes).toEqual([...Array(full).fill(b), ...(rest > 0 && !dropLast ? [rest] : [])])
      const all = bs.flat()
      expect(new Set(all).size).toBe(all.length)
      expect(all.every((i) => Number.isInteger(i) && i >= 0 && i < n)).toBe(true)
      if (!dropLast) expect([...all].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i))
      expect(optim.batchIndices(k, n, b, { dropLast })).toEqual(bs)
    },
  )

  test.prop([fc.nat(), fc.nat(), fc.integer({ min: 12, max: 60 }), arbB])('different keys give different orders', (s1, s2, n, b) => {
    fc.pre(s1 !== s2)
    // two permutations of ≥ 12 elements agree with probability ≤ 1/12! ≈ 2e-9
    expect(optim.batchIndices(random.key(s1), n, b).flat()).not.toEqual(optim.batchIndices(random.key(s2), n, b).flat())
  })

  test.prop([arb.key(), fc.integer({ min: 1, max: 30 }), arbB])('batches: rows of x and y stay paired, each sample once', (k, n, b) => {
    const x = ops.reshape(ops.arange(2 * n, undefined, undefined, 'float64'), [n, 2])
    const y = ops.arange(n, undefined, undefined, 'float64')
    const seen: number[] = []
    for (const batch of optim.batches(k, { x, y }, b)) {
      const xs = ops.toArray(batch.x) as number[][]
      const ys = Array.from(batch.y.data)
      xs.forEach((row, i) => expect(row).toEqual([2 * ys[i], 2 * ys[i] + 1]))
      seen.push(...ys)
    }
    expect(seen).toEqual(optim.batchIndices(k, n, b).flat())
  })
})

describe('training', () => {
  test.prop([arbProblem, arb.key(), arb.value({ min: 0.001, max: 0.5 })])(
    'a step on all n samples (any order) = one gradient-descent step on the full loss; so is one full-batch epoch of fit',
    ({ x, y, w, b }, k, lr) => {
      const p0: P = { w, b }
      const g = grad(mse)(p0, x, y) as P
      const expected = tree.zipWith((p, d) => ops.sub(p, ops.mul(d, lr)), p0, g)
      const opt = optim.sgd(lr)
      const perm = ops.toFlat(random.permutation(k, x.shape[0]))
      const step = optim.trainStep((p: P, xb, yb) => mse(p, xb, yb), opt)
      const [p1] = step(p0, opt.init(p0), ops.take(x, perm), ops.take(y, perm), k)
      // the same sums in another order
      allClose(p1, expected, { rtol: 1e-12, atol: 1e-12 })
      const r = optim.fit({ params: p0, optimizer: opt, loss: mse, data: { x, y }, epochs: 1, batchSize: x.shape[0], key: k })
      allClose(r.params, expected, { rtol: 1e-12, atol: 1e-12 })
      expect(r.history.loss[0]).toBeCloseTo(ops.item(mse(p0, x, y)), 10)
    },
  )

  test.prop([arbProblem, arb.key(), fc.integer({ min: 1, max: 5 })], { numRuns: 30 })(
    'fit: inputs unchanged, deterministic in its key, one step per batch',
    ({ x, y, w, b }, k, bs) => {
      const p0: P = { w, b }
      const snap = (t: unknown) => JSON.stringify(tree.leaves(t as P).map((l) => [l.shape, Array.from(l.data)]))
      const before = snap([p0, x, y])
      let steps = 0
      const opts = {
        params: p0, optimizer: optim.adam(0.01), loss: mse, data: { x, y }, epochs: 3, batchSize: bs, key: k,
        validation: { x, y }, callbacks: { onBatchEnd: () => void steps++ },
      }
      const r1 = optim.fit(opts)
      const r2 = optim.fit(opts)
      expect(snap([p0, x, y])).toBe(before)
      allClose(r1.params, r2.params, { rtol: 0, atol: 0 })
      expect(r1.history).toEqual(r2.history)
      expect(steps).toBe(2 * 3 * Math.ceil(x.shape[0] / bs))
      expect(ops.item(r1.optState.count)).toBe(3 * Math.ceil(x.shape[0] / bs))
    },
  )
})

describe('evaluation', () => {
  test.prop([fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 6 }), arb.key(), fc.integer({ min: 1, max: 50 })])(
    'confusion matrix: sums to n, rows count labels, columns predictions, trace/n = accuracy; evaluate batches agree',
    (n, c, k, bs) => {
      const [k1, k2] = random.split(k)
      const logits = random.normal(k1, [n, c], { dtype: 'float64' })
      const labels = random.categorical(k2, ops.zeros([n, c]))
      const pred = ops.argmax(logits, 1)
      const m = ops.toArray(optim.confusionMatrix(logits, labels, c)) as number[][]
      expect(m.flat().reduce((s, v) => s + v, 0)).toBe(n)
      const ys = Array.from(labels.data)
      const ps = Array.from(pred.data)
      m.forEach((row, i) => expect(row.reduce((s, v) => s + v, 0)).toBe(ys.filter((v) => v === i).length))
      for (let j = 0; j < c; j++) expect(m.reduce((s, row) => s + row[j], 0)).toBe(ps.filter((v) => v === j).length)
      const acc = optim.accuracy(logits, labels)
      expect(m.reduce((s, row, i) => s + row[i], 0) / n).toBe(acc)
      expect(optim.accuracy(logits, ops.oneHot(labels, c))).toBe(acc)
      const ev = optim.evaluate((xb) => ops.mul(xb, 2), logits, labels, bs)
      allClose(ev.outputs, ops.mul(logits, 2), { rtol: 0, atol: 0 })
      expect(ev.metrics.accuracy).toBe(acc)
    },
  )
})

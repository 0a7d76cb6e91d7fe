/**
 * Training end to end: fit recovers the weights of a linear-regression problem drawn from
 * random.normal; early stopping stops, reports the best epoch and restores its
 * parameters; callbacks see frozen numbers only; metrics land in the history; resuming
 * from a returned state continues the run; typed errors for bad options and data.
 */
import { describe, expect, test } from 'vitest'
import { DomainError, ops, optim, random, ShapeError, type Tensor } from 'dendrite'
import { allClose } from 'dendrite/testing'

type P = { w: Tensor; b: Tensor }
const predict = (p: P, x: Tensor): Tensor => ops.add(ops.matmul(x, p.w), p.b)
const mse = (p: P, x: Tensor, y: Tensor): Tensor => ops.mean(ops.square(ops.sub(predict(p, x), y)))

const [kx, kw, kv, kfit] = random.split(random.key(42), 4)
const wTrue = random.normal(kw, [4, 1], { dtype: 'float64' })
const bTrue = ops.tensor([0.5], 'float64')
const make = (k: typeof kx, n: number) => {
  const [k1, k2] = random.split(k)
  const x = random.normal(k1, [n, 4], { dtype: 'float64' })
  const y = ops.add(predict({ w: wTrue, b: bTrue }, x), random.normal(k2, [n, 1], { dtype: 'float64', std: 0.01 }))
  return { x, y }
}
const train = make(kx, 256)
const val = make(kv, 64)
const p0: P = { w: ops.zeros([4, 1], 'float64'), b: ops.zeros([1], 'float64') }

describe('fit', () => {
  test('linear regression: the loss falls and the true weights come back', () => {
    const r = optim.fit({ params: p0, optimizer: optim.sgd(0.1), loss: mse, data: train, epochs: 20, batchSize: 16, key: kfit, validation: val })
    const { loss, valLoss } = r.history
    expect(loss.length).toBe(20)
    expect(loss[19]).toBeLessThan(loss[0] / 100)
    expect(valLoss?.[19]).toBeLessThan(1e-3)
    allClose(r.params.w, wTrue, { atol: 0.01, rtol: 0 })
    allClose(r.params.b, bTrue, { atol: 0.01, rtol: 0 })
    expect(r.history.stoppedEarly).toBe(false)
    expect(ops.item(r.optState.count)).toBe(20 * 16)
  })

  test('momentum and adam train the same problem', () => {
    const optimizers: ReadonlyArray<optim.Optimizer<any>> = [optim.momentum(0.02, 0.9), optim.adam(0.05), optim.chain(optim.clipByGlobalNorm(5), optim.nesterov(0.02))]
    for (const optimizer of optimizers) {
      const r = optim.fit({ params: p0, optimizer, loss: mse, data: train, epochs: 15, batchSize: 32, key: kfit })
      allClose(r.params.w, wTrue, { atol: 0.02, rtol: 0 })
    }
  })

  test('early stopping: stops after `patience` epochs without improvement and restores the best parameters', () => {
    // (w − 1)² with η = 1.1 overshoots ever further: w − 1 ← −1.2 (w − 1), so epoch 0 is the best
    const quad = (p: { w: Tensor }) => ops.mean(ops.square(ops.sub(p.w, 1)))
    const d = { x: ops.zeros([4, 1]), y: ops.zeros([4, 1]) }
    const seen: number[] = []
    const r = optim.fit({
      params: { w: ops.tensor([0], 'float64') }, optimizer: optim.sgd(1.1), loss: quad, data: d, validation: d,
      epochs: 50, batchSize: 4, key: kfit, earlyStopping: { patience: 3 },
      callbacks: { onEpochEnd: (i) => void seen.push(i.epoch) },
    })
    expect(r.history.stoppedEarly).toBe(true)
    expect(r.history.bestEpoch).toBe(0)
    expect(seen).toEqual([0, 1, 2, 3])
    expect(r.history.loss.length).toBe(4)
    allClose(r.params.w, [2.2]) // after one step: 0 − 1.1·2·(0 − 1)
    expect(ops.item(r.optState.count)).toBe(1)
    const kept = optim.fit({
      params: { w: ops.tensor([0], 'float64') }, optimizer: optim.sgd(1.1), loss: quad, data: d, validation: d,
      epochs: 50, batchSize: 4, key: kfit, earlyStopping: { patience: 3, restoreBest: false },
    })
    expect(ops.item(kept.optState.count)).toBe(4)
    allClose(kept.params.w, [1 + (-1.2) ** 4 * -1])
  })

  test('metrics: on the validation data (and the training data when asked), monitored with mode max', () => {
    const negMse = (p: P, x: Tensor, y: Tensor) => -ops.item(mse(p, x, y))
    const r = optim.fit({
      params: p0, optimizer: optim.sgd(0.1), loss: mse, data: train, validation: val, epochs: 5, batchSize: 64, key: kfit,
      metrics: { negMse }, trainMetrics: true, earlyStopping: { patience: 2, monitor: 'negMse' },
    })
    expect(r.history.metrics.negMse.length).toBe(5)
    expect(r.history.valMetrics.negMse.length).toBe(5)
    r.history.valMetrics.negMse.forEach((v, i) => expect(v).toBeCloseTo(-r.history.valLoss![i], 12))
    expect(r.history.bestEpoch).toBe(4)
    const noVal = optim.fit({ params: p0, optimizer: optim.sgd(0.1), loss: mse, data: train, epochs: 2, batchSize: 64, key: kfit, metrics: { negMse } })
    expect(noVal.history.metrics.negMse.length).toBe(2)
    expect(noVal.history.valMetrics).toEqual({})
    expect(noVal.history.valLoss).toBeUndefined()
  })

  test('callbacks get frozen records of numbers', () => {
    const infos: unknown[] = []
    optim.fit({
      params: p0, optimizer: optim.sgd(0.1), loss: mse, data: train, validation: val, epochs: 2, batchSize: 100, key: kfit,
      callbacks: {
        onBatchEnd: (i) => {
          infos.push(i)
          expect(() => ((i as { loss: number }).loss = 0)).toThrow(TypeError)
        },
        onEpochEnd: (i) => {
          infos.push(i)
          expect(Object.isFrozen(i.metrics)).toBe(true)
          expect(typeof i.valLoss).toBe('number')
        },
      },
    })
    expect(infos.length).toBe(2 * 3 + 2)
    expect(infos[0]).toMatchObject({ epoch: 0, batch: 0, batches: 3, step: 1 })
    expect(infos[3]).toMatchObject({ epoch: 0, epochs: 2, step: 3 })
  })

  test('resuming from the returned state equals training without a break (same keys per epoch aside)', () => {
    const opt = optim.adam(0.05)
    const a = optim.fit({ params: p0, optimizer: opt, loss: mse, data: train, epochs: 2, batchSize: 64, key: kfit })
    const b = optim.fit({ params: a.params, optState: a.optState, optimizer: opt, loss: mse, data: train, epochs: 1, batchSize: 64, key: kfit })
    expect(ops.item(b.optState.count)).toBe(12)
    expect(b.history.loss[0]).toBeLessThan(a.history.loss[0])
  })

  test('the loss gets a fresh key per step and training: true (false for the validation loss)', () => {
    const ctxs: Array<{ key: unknown; training: boolean }> = []
    const spy = (p: P, x: Tensor, y: Tensor, ctx: optim.LossContext) => {
      ctxs.push(ctx)
      return mse(p, x, y)
    }
    optim.fit({ params: p0, optimizer: optim.sgd(0.1), loss: spy, data: train, validation: val, epochs: 2, batchSize: 128, key: kfit })
    expect(ctxs.map((c) => c.training)).toEqual([true, true, false, true, true, false])
    const keys = ctxs.filter((c) => c.training).map((c) => JSON.stringify(c.key))
    expect(new Set(keys).size).toBe(4)
  })
})

describe('fit: errors', () => {
  const base = { params: p0, optimizer: optim.sgd(0.1), loss: mse, data: train, epochs: 1, batchSize: 8, key: kfit }
  test('bad options are DomainErrors naming fit', () => {
    expect(() => optim.fit({ ...base, batchSize: 0 })).toThrow(/fit: batchSize must be an integer ≥ 1/)
    expect(() => optim.fit({ ...base, epochs: 1.5 })).toThrow(DomainError)
    expect(optim.fit({ ...base, earlyStopping: { patience: 2 } }).history.bestEpoch).toBe(0) // monitors 'loss' without validation
    expect(() => optim.fit({ ...base, earlyStopping: { patience: 2, monitor: 'valLoss' } })).toThrow(/cannot monitor 'valLoss' without validation data/)
    expect(() => optim.fit({ ...base, earlyStopping: { patience: 2, monitor: 'acc' } })).toThrow(/cannot monitor "acc"/)
  })
  test('x and y with different sample counts are a ShapeError', () => {
    expect(() => optim.fit({ ...base, data: { x: train.x, y: val.y } })).toThrow(ShapeError)
    expect(() => optim.fit({ ...base, data: { x: train.x, y: val.y } })).toThrow(/fields x \[256,4\] and y \[64,1\] differ/)
  })
  test('evaluation helpers check shapes and labels', () => {
    expect(() => optim.accuracy(ops.zeros([3]), [0, 1, 2])).toThrow(/accuracy: outputs must be scores \[n, C\], got shape \[3\]/)
    expect(() => optim.accuracy(ops.zeros([3, 2]), ops.tensor([0, 1]))).toThrow(ShapeError)
    expect(() => optim.confusionMatrix([0, 3], [0, 1], 3)).toThrow(/predicted\[1\] = 3 is out of range for 3 classes/)
    expect(() => optim.confusionMatrix([0, 1.5], [0, 1], 3)).toThrow(/predicted\[1\] = 1.5 is not a class index/)
    expect(() => optim.batchIndices(kfit, 5, 0)).toThrow(/batchIndices: batchSize/)
  })
})

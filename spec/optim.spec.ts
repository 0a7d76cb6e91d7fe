/**
 * Optimiser behaviour: golden comparisons with @tensorflow/tfjs's optimisers (a trusted
 * reference: sgd, heavy-ball and Nesterov momentum, RMSprop, Adam) over the same gradient
 * sequence; closed-form values of a few steps; names; schedule values; typed errors.
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import { DomainError, io, ops, optim, random, ShapeError, type Tensor } from 'dendrite'
import { allClose } from 'dendrite/testing'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const gradsSeq = (n: number, shape: number[]): Tensor[] => random.split(random.key(7), n).map((k) => random.normal(k, shape))

/** Runs a dendrite optimiser and a tfjs one over the same gradients from the same start. */
const againstTf = (opt: optim.Optimizer<any>, tfOpt: tf.Optimizer, steps = 12): void => {
  const shape = [3, 4]
  const w0 = random.normal(random.key(1), shape)
  const gs = gradsSeq(steps, shape)
  let w = w0
  let s = opt.init(w0)
  const v = tf.variable(tf.tensor(Array.from(w0.data), shape))
  for (const g of gs) {
    const [u, s2] = opt.update(g, s, w)
    w = optim.applyUpdates(w, u)
    s = s2
    tfOpt.applyGradients({ [v.name]: tf.tensor(Array.from(g.data), shape) })
  }
  allClose(w, ops.fromArray(v.dataSync(), shape), { rtol: 1e-5, atol: 1e-6 })
  v.dispose()
}

describe('optimisers agree with tfjs', () => {
  test('sgd', () => againstTf(optim.sgd(0.1), tf.train.sgd(0.1)))
  test('momentum (heavy ball, as tf.train.momentum)', () => againstTf(optim.momentum(0.05, 0.9), tf.train.momentum(0.05, 0.9)))
  test('nesterov', () => againstTf(optim.nesterov(0.05, 0.9), tf.train.momentum(0.05, 0.9, true)))
  // tfjs puts ε inside the square root; with ε = 0 the two forms agree
  test('rmsprop', () => againstTf(optim.rmsprop(0.01, { decay: 0.9, eps: 0 }), tf.train.rmsprop(0.01, 0.9, 0, 0)))
  test('adam', () => againstTf(optim.adam(0.01), tf.train.adam(0.01, 0.9, 0.999, 1e-8)))
})

describe('optimisers: closed forms', () => {
  test('momentum: two steps by hand', () => {
    const opt = optim.momentum(0.1, 0.5)
    const w0 = ops.tensor([1], 'float64')
    const [u1, s1] = opt.update(ops.tensor([2], 'float64'), opt.init(w0), w0)
    const [u2, s2] = opt.update(ops.tensor([4], 'float64'), s1, w0)
    // v1 = 2, v2 = 0.5·2 + 4 = 5
    expect(ops.toArray(u1)).toEqual([-0.2])
    expect(ops.toArray(u2)).toEqual([-0.5])
    expect(ops.toArray(s2.velocity as Tensor)).toEqual([5])
    expect(ops.item(s2.count)).toBe(2)
  })

  test('adam: the second step, by hand', () => {
    const opt = optim.adam(1, { b1: 0.5, b2: 0.75, eps: 0 })
    const w = ops.tensor([0], 'float64')
    const [, s1] = opt.update(ops.tensor([2], 'float64'), opt.init(w), w)
    const [u2] = opt.update(ops.tensor([0], 'float64'), s1, w)
    // m = 1 → 0.5; v = 1 → 0.75; m̂ = 0.5/0.75, v̂ = 0.75/0.4375
    allClose(u2, [-(0.5 / 0.75) / Math.sqrt(0.75 / 0.4375)])
  })

  test('sgd with a schedule follows it; names say what an optimiser is', () => {
    const opt = optim.sgd(optim.stepDecay(1, { every: 2, factor: 0.5 }))
    let s = opt.init(null)
    const us: number[] = []
    for (let i = 0; i < 5; i++) {
      const [u, s2] = opt.update(ops.tensor([1], 'float64'), s)
      us.push(ops.item(u))
      s = s2
    }
    expect(us).toEqual([-1, -1, -0.5, -0.5, -0.25])
    expect([opt.name, optim.adam(0.001).name, optim.momentum(0.1).name, optim.adamw(0.1).name]).toEqual([
      'sgd(schedule)', 'adam(0.001)', 'momentum(0.1, 0.9)', 'adamw(0.1, 0.01)',
    ])
  })

  test('float32 parameters stay float32; updates of another dtype are cast', () => {
    const w = { a: ops.tensor([1, 2]) }
    const opt = optim.adam(0.1)
    const [u, s] = opt.update({ a: ops.tensor([1, -1]) }, opt.init(w), w)
    expect(u.a.dtype).toBe('float32')
    expect(s.count.dtype).toBe('float64')
    expect(optim.applyUpdates(w, { a: ops.tensor([1, 1], 'float64') }).a.dtype).toBe('float32')
  })

  test('states encode as JSON trees', () => {
    const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam(0.1))
    const s = opt.init({ w: ops.zeros([2, 2]) })
    const json = JSON.parse(io.toJSON(s))
    expect(json[0]).toBeNull()
    expect(Object.keys(json[1]).sort()).toEqual(['count', 'mu', 'nu'])
  })
})

describe('optimisers: errors', () => {
  test('adamw and weightDecay need the parameters', () => {
    const g = ops.tensor([1])
    const a = optim.adamw(0.1)
    expect(() => a.update(g, a.init(g))).toThrow(DomainError)
    expect(() => a.update(g, a.init(g))).toThrow(/adamw: needs the parameters/)
    expect(() => optim.weightDecay(0.1).update(g, null)).toThrow(/weightDecay: needs the parameters/)
  })

  test('bad hyperparameters and states are named', () => {
    expect(() => optim.momentum(0.1, 1.5)).toThrow(/momentum: beta must be in \[0, 1\], got 1.5/)
    expect(() => optim.sgd(Number.NaN)).toThrow(/sgd: the learning rate must be a finite number/)
    expect(() => optim.adam(0.1, { b2: -1 })).toThrow(/adam: b2/)
    expect(() => optim.clipByGlobalNorm(-1)).toThrow(DomainError)
    expect(() => optim.sgd(0.1).update(ops.tensor([1]), null as never)).toThrow(/sgd: the optimiser state has no step count/)
    const c = optim.chain(optim.sgd(0.1))
    expect(() => c.update(ops.tensor([1]), [] as never)).toThrow(/chain: expected an array of 1 states/)
  })

  test('mismatched trees are a ShapeError naming the path', () => {
    const opt = optim.momentum(0.1)
    const s = opt.init({ w: ops.zeros([2]) })
    expect(() => opt.update({ v: ops.zeros([2]) }, s)).toThrow(ShapeError)
  })

  test('schedules check their arguments', () => {
    expect(() => optim.stepDecay(1, { every: 0 })).toThrow(/stepDecay: every must be a positive integer/)
    expect(() => optim.cosineDecay(1, 1.5)).toThrow(/cosineDecay: totalSteps/)
    expect(() => optim.warmup(0.1, -1)).toThrow(/warmup: warmupSteps/)
    expect(() => optim.exponentialDecay(1, 0, 10)).toThrow(/exponentialDecay: rate must be positive/)
  })
})

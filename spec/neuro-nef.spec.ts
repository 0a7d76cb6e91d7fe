/**
 * Population coding, transformations and dynamics (neuro, NEF): fixed keys, measured
 * accuracies, spiking behaviour and error messages.
 */
import { describe, expect, test } from 'vitest'
import { DomainError, neuro, ops, random, ShapeError, type Tensor } from 'dendrite'

const grid1 = ops.reshape(ops.linspace(-1, 1, 201, 'float64'), [201, 1])

describe('ensemble', () => {
  test('Nengo defaults: Uniform(200, 400) Hz max rates, Uniform(−1, 0.9) intercepts, LIF 20 ms / 2 ms', () => {
    const ens = neuro.ensemble(random.key(0), { n: 500, dimensions: 3 })
    const r = ops.toFlat(ens.maxRates)
    const c = ops.toFlat(ens.intercepts)
    expect(Math.min(...r)).toBeGreaterThanOrEqual(200)
    expect(Math.max(...r)).toBeLessThan(400)
    expect(Math.min(...c)).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...c)).toBeLessThan(0.9)
    expect(ens.neuron).toEqual({ tauRC: 0.02, tauRef: 0.002 })
    expect(ens.evalPoints.shape).toEqual([1500, 3])
    expect(ens.encoders.dtype).toBe('float64')
  })

  test('is pure: the same key gives the same ensemble, another key another', () => {
    const a = neuro.ensemble(random.key(7), { n: 10, dimensions: 2 })
    const b = neuro.ensemble(random.key(7), { n: 10, dimensions: 2 })
    const c = neuro.ensemble(random.key(8), { n: 10, dimensions: 2 })
    expect(ops.toFlat(a.gains)).toEqual(ops.toFlat(b.gains))
    expect(ops.toFlat(a.encoders)).toEqual(ops.toFlat(b.encoders))
    expect(ops.toFlat(a.encoders)).not.toEqual(ops.toFlat(c.encoders))
  })

  test('given encoders are normalised; fixed max rates and intercepts are used as given', () => {
    const ens = neuro.ensemble(random.key(0), {
      n: 2, dimensions: 2, encoders: ops.tensor([[3, 4], [0, -2]], 'float64'), maxRates: 100, intercepts: ops.tensor([0.5, -0.5], 'float64'),
    })
    expect(ops.toArray(ens.encoders)).toEqual([[0.6, 0.8], [0, -1]])
    const at = (x: number[]) => ops.toFlat(neuro.activities(ens, ops.tensor([x], 'float64')))
    expect(at([0.6, 0.8])[0]).toBeCloseTo(100, 9) // e·x = 1
    expect(at([0.3, 0.4])[0]).toBe(0) // e·x = 0.5 = intercept: J = 1 exactly
    expect(at([0, -1])[1]).toBeCloseTo(100, 9)
  })

  test('bad inputs throw typed errors that name the operation', () => {
    const key = random.key(0)
    expect(() => neuro.ensemble(key, { n: 0, dimensions: 1 })).toThrow(DomainError)
    expect(() => neuro.ensemble(key, { n: 3, dimensions: 1, maxRates: 600 })).toThrow(/lifGainBias: max rates must lie in \(0, 1\/τ_ref = 500\)/)
    expect(() => neuro.ensemble(key, { n: 3, dimensions: 1, intercepts: 1 })).toThrow(/intercepts must be finite and < 1/)
    expect(() => neuro.ensemble(key, { n: 3, dimensions: 2, encoders: ops.zeros([3, 2], 'float64') })).toThrow(/every encoder must be a finite non-zero vector/)
    expect(() => neuro.ensemble(key, { n: 3, dimensions: 2, encoders: ops.ones([2, 2], 'float64') })).toThrow(ShapeError)
    const ens = neuro.ensemble(key, { n: 3, dimensions: 2 })
    expect(() => neuro.activities(ens, ops.zeros([4, 3], 'float64'))).toThrow(/currents: x must have shape \[\.\.\., 2\]/)
    expect(() => neuro.decoders(ops.zeros([4, 3], 'float64'), ops.zeros([5, 1], 'float64'))).toThrow(ShapeError)
    expect(() => neuro.decoders(ops.ones([4, 3], 'float64'), ops.zeros([4, 1], 'float64'), { reg: -1 })).toThrow(/reg must be/)
    expect(() => neuro.decode(ops.zeros([4, 3]), ops.zeros([2, 1]))).toThrow(/decode:/)
    expect(() => neuro.rmse(ops.zeros([2]), ops.zeros([3]))).toThrow(/rmse: shapes differ/)
  })
})

describe('decoding', () => {
  test('RMSE of a scalar falls with N (key 0): N = 10 … 200', () => {
    const errs = [10, 20, 50, 100, 200].map((n) => {
      const ens = neuro.ensemble(random.key(0), { n, dimensions: 1 })
      return neuro.rmse(neuro.decode(neuro.activities(ens, grid1), neuro.ensembleDecoders(ens)), grid1)
    })
    // measured 0.050, 0.021, 0.0094, 0.0067, 0.0041
    expect(errs[0]).toBeLessThan(0.08)
    expect(errs[4]).toBeLessThan(0.008)
    for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeLessThan(errs[i - 1])
  })

  test('vectors and functions: 2-D identity, x², and the product x₀x₁', () => {
    const ens = neuro.ensemble(random.key(1), { n: 300, dimensions: 2 })
    const X = neuro.sampleBall(random.key(2), 400, 2)
    const A = neuro.activities(ens, X)
    expect(neuro.rmse(neuro.decode(A, neuro.ensembleDecoders(ens)), X)).toBeLessThan(0.03)
    const prod = (x: Tensor) => ops.reshape(ops.prod(x, 1), [-1, 1])
    expect(neuro.rmse(neuro.decode(A, neuro.ensembleDecoders(ens, prod)), prod(X))).toBeLessThan(0.03)
    const one = neuro.ensemble(random.key(3), { n: 100, dimensions: 1 })
    const sq = neuro.decode(neuro.activities(one, grid1), neuro.ensembleDecoders(one, ops.square))
    expect(neuro.rmse(sq, ops.square(grid1))).toBeLessThan(0.02)
  })

  test('more regularisation: smaller decoders, larger noise-free error', () => {
    const ens = neuro.ensemble(random.key(4), { n: 50, dimensions: 1 })
    const A = neuro.activities(ens, ens.evalPoints)
    const norms = [0.01, 0.1, 1].map((reg) => {
      const D = neuro.decoders(A, ens.evalPoints, { reg })
      return { size: ops.item(ops.norm(D)), err: neuro.rmse(neuro.decode(A, D), ens.evalPoints) }
    })
    expect(norms[0].size).toBeGreaterThan(norms[1].size)
    expect(norms[1].size).toBeGreaterThan(norms[2].size)
    expect(norms[0].err).toBeLessThan(norms[2].err)
  })

  test('decoders from rates decode filtered spike trains (as Nengo does)', () => {
    const ens = neuro.ensemble(random.key(5), { n: 100, dimensions: 1 })
    const D = neuro.ensembleDecoders(ens)
    const T = 2000
    const x = ops.tensor(Array.from({ length: T }, (_, k) => [Math.sin((2 * Math.PI * k) / T)]), 'float64')
    const S = neuro.spikingActivities(ens, x, { key: random.key(6) })
    expect(S.shape).toEqual([T, 100])
    expect(ops.toFlat(S).every((v) => v === 0 || v === 1000)).toBe(true)
    const xhat = neuro.decodeSpikes(S, D, { synapse: { tau: 0.02, n: 0 } })
    // skip the filter's first 100 ms, and compare with the input delayed by the filter (≈ τ)
    const late = (t: Tensor, lag: number) => ops.slice(t, [{ start: 100 + lag, stop: T - 20 + lag }])
    const err = neuro.rmse(late(xhat, 20), late(x, 0))
    expect(err).toBeLessThan(0.04) // measured 0.015 (0.042 without the 20 ms lag)
  })
})

describe('connections', () => {
  test('y = x² through weights between two populations (rate neurons)', () => {
    const [k1, k2] = random.split(random.key(10))
    const a = neuro.ensemble(k1, { n: 150, dimensions: 1 })
    const b = neuro.ensemble(k2, { n: 150, dimensions: 1 })
    const conn = neuro.connection(a, b, { function: ops.square })
    // b's neurons receive the currents of x²; decoding b's rates gives x² back
    const Jb = ops.add(neuro.connectionCurrents(conn, neuro.activities(a, grid1)), b.biases)
    const yhat = neuro.decode(neuro.lifRate(Jb), neuro.ensembleDecoders(b))
    expect(neuro.rmse(yhat, ops.square(grid1))).toBeLessThan(0.03)
  })

  test('errors: function output vs post dimensions, transform shape, activity size', () => {
    const [k1, k2] = random.split(random.key(0))
    const a = neuro.ensemble(k1, { n: 5, dimensions: 2 })
    const b = neuro.ensemble(k2, { n: 4, dimensions: 1 })
    expect(() => neuro.connection(a, b)).toThrow(/function's output has 2 dimensions but post has 1/)
    expect(() => neuro.connection(a, b, { transform: ops.ones([2, 2], 'float64') })).toThrow(/transform must have shape \[1, 2\]/)
    const c = neuro.connection(a, b, { transform: ops.tensor([[1, -1]], 'float64') })
    expect(() => neuro.connectionCurrents(c, ops.zeros([3], 'float64'))).toThrow(/activities must have shape \[\.\.\., 5\]/)
  })
})

describe('dynamics', () => {
  test('integrator and oscillator in spiking mode track their targets', () => {
    const ens = neuro.ensemble(random.key(20), { n: 200, dimensions: 1 })
    const net = neuro.nefSystem(ens, neuro.integrator(), { tau: 0.1 })
    const u = ops.tensor(Array.from({ length: 1500 }, (_, k) => [k >= 200 && k < 700 ? 1 : 0]), 'float64')
    const run = neuro.simulateNef(net, u, { mode: 'spiking', key: random.key(21) })
    expect(run.spikes?.shape).toEqual([1500, 200])
    const target = ops.tensor(Array.from({ length: 1500 }, (_, k) => [Math.min(Math.max((k + 1 - 200) * 0.001, 0), 0.5)]), 'float64')
    expect(neuro.rmse(run.decoded, target)).toBeLessThan(0.05) // measured ≈ 0.02

    const w = 2 * Math.PI
    const e2 = neuro.ensemble(random.key(22), { n: 300, dimensions: 2 })
    const osc = neuro.nefSystem(e2, neuro.oscillator(w), { tau: 0.1 })
    const r2 = neuro.simulateNef(osc, ops.zeros([1000, 2], 'float64'), { x0: [0.8, 0], mode: 'spiking', key: random.key(23) })
    const truth = ops.tensor(ops.toFlat(r2.t).map((t) => [0.8 * Math.cos(w * t), 0.8 * Math.sin(w * t)]), 'float64')
    expect(neuro.rmse(r2.decoded, truth)).toBeLessThan(0.08) // measured ≈ 0.03
  })

  test("the NEF integrator in neuron space is the notes' rate network with W = fullWeightsᵀ, σ(c) = G(c + β)", () => {
    const ens = neuro.ensemble(random.key(30), { n: 60, dimensions: 1 })
    const tau = 0.1
    const dt = 0.001
    const net = neuro.nefSystem(ens, neuro.integrator(), { tau })
    const conn = neuro.connection(ens, ens, { transform: net.recurrent })
    expect(ops.toFlat(conn.decoders)).toEqual(ops.toFlat(net.decoders))
    const steps = 600
    const uval = 0.8
    const u = ops.full([steps, 1], uval, 'float64')
    const nef = ops.toFlat(neuro.simulateNef(net, u, { dt }).decoded)
    // c = α ∘ (E s): synaptic currents; input current α ∘ (E B′ u)
    const inputCurrent = ops.mul(ops.reshape(ops.matmul(ens.encoders, ops.mul(net.input, uval)), [60]), ens.gains)
    const rateNet = { W: ops.transpose(neuro.fullWeights(conn)), tau, nonlinearity: (c: Tensor) => neuro.lifRate(ops.add(c, ens.biases)) }
    const C = ops.stack(Array.from({ length: steps }, () => inputCurrent), 0)
    const states = neuro.rateNetworkSimulate(rateNet, ops.zeros([60], 'float64'), C, dt)
    // rateNetworkSimulate returns the state after each step; simulateNef decodes before it
    const rates = neuro.lifRate(ops.add(states, ens.biases))
    const notes = ops.toFlat(neuro.decode(rates, net.decoders))
    // Euler vs the exact lowpass step: agree to O(dt/τ) of the change (measured max 0.0053 over the run)
    expect(Math.abs(notes[steps - 2] - nef[steps - 1])).toBeLessThan(0.01)
    expect(Math.abs(nef[steps - 1] - uval * steps * dt)).toBeLessThan(0.05)
  })

  test('errors: system shapes, dimensions, tau and mode', () => {
    const ens = neuro.ensemble(random.key(0), { n: 10, dimensions: 1 })
    expect(() => neuro.nefSystem(ens, neuro.oscillator(1))).toThrow(/the system has 2 dimensions, the ensemble 1/)
    expect(() => neuro.synapseTransforms(neuro.integrator(), 0)).toThrow(/tau must be a positive/)
    expect(() => neuro.synapseTransforms({ A: ops.zeros([2, 3]), B: ops.zeros([2, 1]) }, 0.1)).toThrow(ShapeError)
    const net = neuro.nefSystem(ens, neuro.integrator())
    expect(() => neuro.simulateNef(net, ops.zeros([5, 2], 'float64'))).toThrow(/input must have shape \[T, 1\]/)
    expect(() => neuro.simulateNef(net, ops.zeros([5, 1], 'float64'), { mode: 'spiky' as never })).toThrow(/mode must be/)
    expect(() => neuro.pointAttractor(0)).toThrow(DomainError)
  })
})

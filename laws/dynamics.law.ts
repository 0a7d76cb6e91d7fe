/**
 * Dynamics (neuro, NEF principle 3 and the notes' rate network): the synapse transforms are
 * A′ = τA + I and B′ = τB, so (A′ − I)/τ = A; a linear recurrent population of rate neurons
 * with feedback A′ follows the target dynamics within stated tolerances (measured worst
 * cases in brackets):
 * - integrator (N = 400, τ = 0.1 s, |u| ∈ [0.2, 1]): a constant input u for 0.5 s gives
 *   |x̂ − u·0.5| < 0.1, and with zero input it then holds: |x̂(1 s) − x̂(0.5 s)| < 0.1
 *   (worst of 283 keys: 0.024 and 0.020); the decoding error ε drifts the state at ≈ ε/τ;
 * - oscillator (N = 400, ω = 2πf, f ∈ [1, 2] Hz, radius 0.6): RMSE against R(ωt)x(0) over
 *   one period < 0.08 (worst of 250 keys 0.028; beyond 0.02, 0.0225, 0.025: 8%, 2.4%, 1.2%
 *   of keys. At N = 200 the worst of 198 was 0.042 and 1.5% of keys passed 0.04);
 * - point attractor (N = 400, k ∈ [5, 20]/s): |x̂(1 s) − target| < 0.05 (worst of 213 keys:
 *   0.0135; beyond 0.005, 0.0075, 0.01, 0.0125: 18%, 4.7%, 1.4%, 0.5% of keys);
 * and one rateNetworkStep is the Euler step s + (dt/τ_s)(−s + σ(s)W + βC), which leaves a
 * fixed point s* = σ(s*)W + βC where it is.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { neuro, ops, random, type Tensor } from 'dendrite'
import { arb } from 'dendrite/testing'
import { allClose } from './helpers.js'

const flat = (t: Tensor): number[] => ops.toFlat(t)

describe('principle 3', () => {
  test.prop([
    fc.record({ d: fc.integer({ min: 1, max: 4 }), u: fc.integer({ min: 1, max: 3 }), key: arb.key(), tau: fc.double({ min: 1e-3, max: 1, noNaN: true }) }),
  ])('synapseTransforms: A′ = τA + I, B′ = τB, and (A′ − I)/τ = A', ({ d, u, key, tau }) => {
    const [ka, kb] = random.split(key)
    const A = random.normal(ka, [d, d], { dtype: 'float64', std: 10 })
    const B = random.normal(kb, [d, u], { dtype: 'float64' })
    const { recurrent, input } = neuro.synapseTransforms({ A, B }, tau)
    const a = flat(A)
    const r = flat(recurrent)
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(r[i * d + j]).toBe(tau * a[i * d + j] + (i === j ? 1 : 0))
    allClose(input, ops.mul(B, tau), { rtol: 0, atol: 0 })
    allClose(ops.div(ops.sub(recurrent, ops.eye(d, d, 'float64')), tau), A, { rtol: 1e-9, atol: 1e-12 })
  })
})

// N = 400, not 100: these errors come from the random ensemble's decoding error, whose tail
// is long at N = 100. Over 1500 keys (fast-check's edge values of u, k and the target drawn a
// third of the time each) the integrator exceeded 0.1 for 2 keys (key(200201), u = 0.2:
// |x̂(0.5) − 0.05| = 0.116; key(201230), u = −0.91: drift 0.114), and over 1166 keys the point
// attractor exceeded 0.03 for 2 (key(200201), k = 5: 0.036): with 5 runs each, ≈ 1% of CI
// runs failed. At N = 400 the errors are ~3 times smaller and fall off ~0.3× per 0.0025;
// extrapolated, a key fails with probability ≲ 1e-6.
describe('recurrent populations in rate mode follow the target dynamics', () => {
  test.prop([arb.key(), fc.double({ min: 0.2, max: 1, noNaN: true }), fc.boolean()], { numRuns: 5 })(
    'integrator: integrates a constant input (|x̂(0.5) − 0.5u| < 0.1), then holds (drift < 0.1 in 0.5 s)',
    (key, mag, neg) => {
      const uval = neg ? -mag : mag
      const ens = neuro.ensemble(key, { n: 400, dimensions: 1 })
      const net = neuro.nefSystem(ens, neuro.integrator(), { tau: 0.1 })
      const u = ops.tensor(Array.from({ length: 1000 }, (_, k) => [k < 500 ? uval : 0]), 'float64')
      const x = flat(neuro.simulateNef(net, u).decoded)
      expect(Math.abs(x[499] - uval * 0.5)).toBeLessThan(0.1)
      expect(Math.abs(x[999] - x[499])).toBeLessThan(0.1)
    },
  )

  test.prop([arb.key(), fc.double({ min: 1, max: 2, noNaN: true }), fc.double({ min: -Math.PI, max: Math.PI, noNaN: true })], { numRuns: 5 })(
    'oscillator: RMSE against the rotation R(ωt)x(0) over one period < 0.08',
    (key, f, phase) => {
      const w = 2 * Math.PI * f
      const r = 0.6
      const steps = Math.round(1000 / f)
      const ens = neuro.ensemble(key, { n: 400, dimensions: 2 })
      const net = neuro.nefSystem(ens, neuro.oscillator(w), { tau: 0.1 })
      const run = neuro.simulateNef(net, ops.zeros([steps, 2], 'float64'), { x0: [r * Math.cos(phase), r * Math.sin(phase)] })
      const t = flat(run.t)
      const truth = ops.tensor(t.map((tk) => [r * Math.cos(w * tk + phase), r * Math.sin(w * tk + phase)]), 'float64')
      expect(neuro.rmse(run.decoded, truth)).toBeLessThan(0.08)
    },
  )

  test.prop([arb.key(), fc.double({ min: 5, max: 20, noNaN: true }), fc.double({ min: -0.7, max: 0.7, noNaN: true })], { numRuns: 5 })(
    'point attractor: reaches its target within 0.05 after 1 s',
    (key, k, target) => {
      const ens = neuro.ensemble(key, { n: 400, dimensions: 1 })
      const net = neuro.nefSystem(ens, neuro.pointAttractor(k), { tau: 0.1 })
      const x = flat(neuro.simulateNef(net, ops.full([1000, 1], target, 'float64')).decoded)
      expect(Math.abs(x[999] - target)).toBeLessThan(0.05)
    },
  )
})

describe('rate network (notes): τ_s ds/dt = −s + σ(s)W + βC', () => {
  const netArb = fc.record({
    n: fc.integer({ min: 1, max: 6 }),
    batch: fc.integer({ min: 1, max: 3 }),
    key: arb.key(),
    tau: fc.double({ min: 1e-3, max: 0.1, noNaN: true }),
    dt: fc.double({ min: 1e-4, max: 1e-3, noNaN: true }),
    beta: fc.double({ min: -2, max: 2, noNaN: true }),
  })

  test.prop([netArb])('one step is the Euler step s + (dt/τ_s)(−s + σ(s)W + βC) (W[j, i]: from j to i)', ({ n, batch, key, tau, dt, beta }) => {
    const [kw, ks, kc] = random.split(key, 3)
    const W = random.normal(kw, [n, n], { dtype: 'float64' })
    const s = random.normal(ks, [batch, n], { dtype: 'float64' })
    const C = random.normal(kc, [batch, n], { dtype: 'float64' })
    const next = ops.toArray(neuro.rateNetworkStep({ W, tau, beta, nonlinearity: ops.tanh }, s, C, dt)) as number[][]
    const w = ops.toArray(W) as number[][]
    const sv = ops.toArray(s) as number[][]
    const cv = ops.toArray(C) as number[][]
    for (let b = 0; b < batch; b++)
      for (let i = 0; i < n; i++) {
        let rec = 0
        for (let j = 0; j < n; j++) rec += Math.tanh(sv[b][j]) * w[j][i]
        const want = sv[b][i] + (dt / tau) * (-sv[b][i] + rec + beta * cv[b][i])
        expect(Math.abs(next[b][i] - want)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want)))
      }
  })

  // β away from 0 (C = (s* − σ(s*)W)/β), drawn from [−2, −0.1] ∪ [0.1, 2]
  const betaAway = fc.tuple(fc.double({ min: 0.1, max: 2, noNaN: true }), fc.boolean()).map(([b, neg]) => (neg ? -b : b))
  test.prop([netArb, betaAway])('a fixed point s* = σ(s*)W + βC stays put', ({ n, key, tau, dt }, beta) => {
    const [kw, ks] = random.split(key)
    const W = random.normal(kw, [n, n], { dtype: 'float64' })
    const sStar = random.normal(ks, [n], { dtype: 'float64' })
    // the input that makes s* a fixed point
    const C = ops.div(ops.sub(sStar, ops.matmul(ops.tanh(sStar), W)), beta)
    const net = { W, tau, beta, nonlinearity: ops.tanh }
    const S = neuro.rateNetworkSimulate(net, sStar, ops.stack([C, C, C, C, C], 0), dt)
    for (const row of ops.unstack(S, 0)) allClose(row, sStar, { rtol: 1e-9, atol: 1e-9 })
  })
})

/**
 * Synapses (neuro): the kernel h(t) = k tⁿ e^{−t/τ} integrates to 1 (trapezoid rule, to
 * the step's accuracy) with k = 1/(n! τ^{n+1}); the discrete filter is linear
 * (superposition) and time-invariant (a delayed input gives a delayed output); it is the
 * exact zero-order-hold discretisation: the response to a unit step is the Erlang CDF
 * P(n+1, t/τ) at every step end, and filtering a piecewise-constant input with step dt or
 * with dt/m (the input repeated m times) agrees at the common times; a constant input is
 * passed with unit gain in the end; stepping `step` over time equals `filter`.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { neuro, ops } from 'dendrite'
import { allClose } from 'dendrite/testing'

const f64 = (xs: number[], shape: number[]) => ops.fromArray(xs, shape, 'float64')
const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1))
/** P(m, z) = 1 − e^{−z} Σ_{l<m} z^l/l! by a plain sum (fine for the z used here). */
const erlang = (m: number, z: number) => 1 - Math.exp(-z) * Array.from({ length: m }, (_, l) => z ** l / fact(l)).reduce((a, b) => a + b, 0)

const syn = fc.record({ tau: fc.double({ min: 0.001, max: 0.1, noNaN: true }), n: fc.integer({ min: 0, max: 4 }) })
/** A signal [T, C] with T in [1, 40] and C in [1, 3]. */
const signal = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3 })).chain(([T, C]) =>
  fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: T * C, maxLength: T * C }).map((xs) => f64(xs, [T, C])),
)
const dtArb = fc.double({ min: 1e-4, max: 0.01, noNaN: true })

describe('synapses', () => {
  test.prop([syn])('the kernel integrates to 1 and k = 1/(n! τ^{n+1})', ({ tau, n }) => {
    const k = neuro.synapseNormaliser({ tau, n })
    expect(Math.abs(k * fact(n) * tau ** (n + 1) - 1)).toBeLessThan(1e-12)
    const h = 1e-3 * tau
    const len = Math.ceil((60 + 10 * n) * tau / h)
    const t = ops.arange(0, len + 1, 1, 'float64')
    const v = ops.toFlat(neuro.synapseKernel(ops.mul(t, h), { tau, n }))
    const trap = h * (v.reduce((a, b) => a + b, 0) - (v[0] + v[v.length - 1]) / 2)
    // trapezoid error ~ h²/12 · |h'(0)| ~ 1e-7 for n = 0
    expect(Math.abs(trap - 1)).toBeLessThan(1e-6)
    // the values are k tⁿ e^{−t/τ}, and 0 before the spike
    const pts = [0.3 * tau, tau, 2.5 * tau]
    allClose(neuro.synapseKernel(f64(pts, [3]), { tau, n }), pts.map((s) => k * s ** n * Math.exp(-s / tau)), { rtol: 1e-12, atol: 0 })
    expect(ops.toFlat(neuro.synapseKernel(f64([-tau, -1e-12], [2]), { tau, n }))).toEqual([0, 0])
  })

  test.prop([syn, signal, dtArb, fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })])(
    'filtering is linear: F(αx + βy) = αF(x) + βF(y)',
    (s, x, dt, a, b) => {
      const y = ops.flip(x, 0) // a second signal of the same shape
      const lhs = neuro.filter(ops.add(ops.mul(x, a), ops.mul(y, b)), dt, s)
      const rhs = ops.add(ops.mul(neuro.filter(x, dt, s), a), ops.mul(neuro.filter(y, dt, s), b))
      allClose(lhs, rhs, { rtol: 1e-9, atol: 1e-9 })
    },
  )

  test.prop([syn, signal, dtArb, fc.integer({ min: 1, max: 10 })])(
    'filtering is time-invariant: delaying the input by m steps delays the output by m steps',
    (s, x, dt, m) => {
      const [T, C] = x.shape
      const delayed = ops.concat([ops.zeros([m, C], 'float64'), x], 0)
      const out = neuro.filter(delayed, dt, s)
      expect(ops.toFlat(ops.slice(out, [{ start: 0, stop: m }])).every((v) => v === 0)).toBe(true)
      allClose(ops.slice(out, [{ start: m, stop: m + T }]), neuro.filter(x, dt, s), { rtol: 1e-12, atol: 1e-12 })
    },
  )

  test.prop([syn, dtArb])('the response to a unit step is the Erlang CDF P(n + 1, (k+1)dt/τ) at every step end (exact ZOH)', ({ tau, n }, dt) => {
    const T = 60
    const out = neuro.filter(ops.ones([T, 1], 'float64'), dt, { tau, n })
    allClose(out, Array.from({ length: T }, (_, k) => [erlang(n + 1, ((k + 1) * dt) / tau)]), { rtol: 1e-9, atol: 1e-12 })
  })

  test.prop([syn, signal, dtArb, fc.integer({ min: 2, max: 5 })])(
    'exact discretisation: step dt, or dt/m with each input row repeated m times, agree at the common times',
    (s, x, dt, m) => {
      const [T, C] = x.shape
      const rows = ops.toArray(x) as number[][]
      const fine = f64(rows.flatMap((r) => Array.from({ length: m }, () => r)).flat(), [T * m, C])
      const outFine = ops.toArray(neuro.filter(fine, dt / m, s)) as number[][]
      allClose(neuro.filter(x, dt, s), outFine.filter((_, k) => (k + 1) % m === 0), { rtol: 1e-9, atol: 1e-9 })
    },
  )

  test.prop([syn, fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 4 }), dtArb])(
    'unit DC gain: a constant input is passed unchanged once the filter has settled',
    ({ tau, n }, u, dt) => {
      const T = Math.ceil(((80 + 20 * n) * tau) / dt)
      const f = neuro.synapse(tau, n)
      let st = f.init([u.length])
      let y = ops.zeros([u.length], 'float64')
      const x = f64(u, [u.length])
      // step with a large dt, T/100 steps, to keep the run short (the filter is exact for any dt)
      for (let k = 0; k < 100; k++) ({ state: st, y } = f.step(st, x, (T * dt) / 100))
      allClose(y, u, { rtol: 1e-9, atol: 1e-12 })
    },
  )

  test.prop([syn, signal, dtArb])('stepping the discrete filter equals filter on the whole signal; tau = 0 is the identity', (s, x, dt) => {
    const [T, C] = x.shape
    const f = neuro.synapse(s.tau, s.n)
    let st = f.init([C])
    const ys: number[] = []
    for (let k = 0; k < T; k++) {
      const r = f.step(st, ops.slice(x, [k]), dt)
      st = r.state
      ys.push(...ops.toFlat(r.y))
    }
    allClose(neuro.filter(x, dt, s), f64(ys, [T, C]), { rtol: 1e-12, atol: 1e-12 })
    allClose(neuro.filter(x, dt, { tau: 0, n: s.n }), x, { rtol: 0, atol: 0 })
  })
})

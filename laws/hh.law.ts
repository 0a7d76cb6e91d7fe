/**
 * Hodgkin–Huxley (neuro): gate steady states lie in [0, 1] and time constants are positive
 * for every V in [−150, 100]; α_n and α_m are exact at their removable singularities
 * (0.1 at −55 mV, 1 at −40 mV) and agree with their series (1e-14) near them and with the
 * direct formulas away from them, as do the β's; their gradients there are the series'
 * derivatives (finite, never NaN); at the resting state the vector field vanishes (for any
 * constant current and nearby constants), and with no input the membrane stays there;
 * Euler converges to RK4 at order 1 as dt shrinks; a batch of neurons is the neurons
 * simulated one by one; the final potential's gradient with respect to the current agrees
 * with finite differences; spike detection finds exactly the upward crossings.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { grad, neuro, ops } from 'dendrite'
import { allClose, arb, checkGrads } from 'dendrite/testing'

type T = ops.Tensor
const gates = ['n', 'm', 'h'] as const
const f64 = (v: number | number[]) => (typeof v === 'number' ? ops.scalar(v, 'float64') : ops.tensor(v, 'float64'))
const num = (t: T): number[] => Array.from(t.data)

/** u/(eᵘ − 1) by its series (Bernoulli numbers), for |u| ≤ 0.1: truncation below 1e-18. */
const gSeries = (u: number) => 1 - u / 2 + u ** 2 / 12 - u ** 4 / 720 + u ** 6 / 30240 - u ** 8 / 1209600
const gSeriesPrime = (u: number) => -1 / 2 + u / 6 - u ** 3 / 180 + u ** 5 / 5040 - u ** 7 / 151200
/** The singular rates as (scale a, centre V*): α = a · g(u), u = (V − V*)·(−0.1). */
const singular = { n: { a: 0.1, at: -55 }, m: { a: 1, at: -40 } } as const
/** The textbook formulas, evaluated directly (fine away from the singularities). */
const direct = {
  alpha: {
    n: (v: number) => (0.01 * (v + 55)) / (1 - Math.exp(-(v + 55) / 10)),
    m: (v: number) => (0.1 * (v + 40)) / (1 - Math.exp(-(v + 40) / 10)),
    h: (v: number) => 0.07 * Math.exp(-(v + 65) / 20),
  },
  beta: {
    n: (v: number) => 0.125 * Math.exp(-(v + 65) / 80),
    m: (v: number) => 4 * Math.exp(-(v + 65) / 18),
    h: (v: number) => 1 / (1 + Math.exp(-(v + 35) / 10)),
  },
}

/** Pushes a potential within 1 mV of a singularity (−55, −40) out to 1 mV from it, for the direct formulas. */
const away = (v: number): number =>
  Math.abs(v + 55) < 1 ? -55 + (v + 55 < 0 ? -1 : 1) : Math.abs(v + 40) < 1 ? -40 + (v + 40 < 0 ? -1 : 1) : v
const volts = (n = 8) => fc.array(arb.value({ min: -150, max: 100 }), { minLength: 1, maxLength: n })
/** Offsets from a singularity: ordinary ones up to 1 mV, tiny ones, and exactly 0. */
const offsets = fc.oneof(arb.value({ min: -1, max: 1 }), fc.double({ min: -1e-5, max: 1e-5, noNaN: true }), fc.constant(0))

describe('hodgkin-huxley', () => {
  test.prop([volts(16), fc.constantFrom<ops.DType>('float64', 'float32')])('x∞ = α/(α + β) ∈ [0, 1] and τ = 1/(α + β) > 0 for V in [−150, 100]', (vs, dtype) => {
    const V = ops.tensor(vs, dtype)
    for (const g of gates) {
      const xs = num(neuro.hhSteadyState(g, V))
      const ts = num(neuro.hhTimeConstant(g, V))
      xs.forEach((x) => expect(x >= 0 && x <= 1).toBe(true))
      ts.forEach((t) => expect(t > 0 && Number.isFinite(t)).toBe(true))
      // x∞ and τ are α, β rearranged: α = x∞/τ, β = (1 − x∞)/τ
      if (dtype === 'float64') {
        allClose(ops.div(neuro.hhSteadyState(g, V), neuro.hhTimeConstant(g, V)), neuro.hhAlpha(g, V), { rtol: 1e-12, atol: 1e-300 })
      }
    }
  })

  test('α_n(−55) = 0.1 and α_m(−40) = 1 exactly (the limits of the removable singularities)', () => {
    expect(ops.item(neuro.hhAlpha('n', -55))).toBe(0.1)
    expect(ops.item(neuro.hhAlpha('m', -40))).toBe(1)
    expect(ops.item(neuro.hhAlpha('n', ops.scalar(-55, 'float32')))).toBe(Math.fround(0.1))
  })

  test.prop([offsets, fc.constantFrom<'n' | 'm'>('n', 'm')])('near the singularities α equals its series a·g(u) (1e-14): continuous and exact', (d, g) => {
    const { a, at } = singular[g]
    const v = at + d
    const u = (v - at) * -0.1
    allClose(neuro.hhAlpha(g, v), a * gSeries(u), { rtol: 1e-14, atol: 0 })
  })

  test.prop([offsets, fc.constantFrom<'n' | 'm'>('n', 'm')])('near the singularities dα/dV is the series derivative, never NaN', (d, g) => {
    const { a, at } = singular[g]
    const v = at + d
    const u = (v - at) * -0.1
    const dv = ops.item(grad((x: T) => neuro.hhAlpha(g, x))(f64(v)))
    expect(Number.isFinite(dv)).toBe(true)
    allClose(dv, a * gSeriesPrime(u) * -0.1, { rtol: 1e-9, atol: 0 })
    // and through x∞ and τ (which divide by α + β)
    for (const f of [neuro.hhSteadyState, neuro.hhTimeConstant]) {
      expect(Number.isFinite(ops.item(grad((x: T) => f(g, x))(f64(v))))).toBe(true)
    }
  })

  test.prop([volts(16)])('away from the singularities (≥ 1 mV) the rates equal the textbook formulas', (vs0) => {
    const vs = vs0.map(away)
    for (const g of gates) {
      allClose(neuro.hhAlpha(g, f64(vs)), vs.map(direct.alpha[g]), { rtol: 1e-12, atol: 0 })
      allClose(neuro.hhBeta(g, f64(vs)), vs.map(direct.beta[g]), { rtol: 1e-13, atol: 0 })
    }
  })

  test.prop([fc.array(arb.value({ min: -120, max: 60 }), { minLength: 1, maxLength: 4 })], { numRuns: 30 })(
    'rates, steady states and time constants: derivatives agree with finite differences',
    (vs) => {
      for (const g of gates) {
        for (const f of [neuro.hhAlpha, neuro.hhBeta, neuro.hhSteadyState, neuro.hhTimeConstant]) {
          checkGrads((x) => ops.sum(f(g, x)), [f64(vs)], { order: 1, rtol: 1e-5, atol: 1e-7 })
        }
      }
    },
  )

  test.prop([
    fc.array(fc.tuple(arb.value({ min: -100, max: 50 }), arb.value({ min: 0, max: 1 }), arb.value({ min: 0, max: 1 }), arb.value({ min: 0, max: 1 })), { minLength: 1, maxLength: 5 }),
    arb.value({ min: -20, max: 20 }),
    arb.value({ min: 0.5, max: 2 }),
  ])('the vector field is the textbook one, elementwise over a batch', (rows, I, C) => {
    const [V, n, m, h] = [0, 1, 2, 3].map((k) => rows.map((r) => (k === 0 ? away(r[k]) : r[k])))
    const p = { ...neuro.hhDefaults, C }
    const d = neuro.hhVectorField((t) => I + 0 * t, { C })(0, { V: f64(V), n: f64(n), m: f64(m), h: f64(h) })
    const dV = V.map((v, i) => [v, n[i], m[i], h[i]]).map(([v, nn, mm, hh]) => (I - p.gNa * mm ** 3 * hh * (v - p.ENa) - p.gK * nn ** 4 * (v - p.EK) - p.gL * (v - p.EL)) / C)
    allClose(d.V, dV, { rtol: 1e-12, atol: 1e-10 })
    const x = { n, m, h }
    for (const g of gates) allClose(d[g], V.map((v, i) => direct.alpha[g](v) * (1 - x[g][i]) - direct.beta[g](v) * x[g][i]), { rtol: 1e-11, atol: 1e-12 })
  })

  const nearDefaults = fc.record({ gL: arb.value({ min: 0.2, max: 0.4 }), EL: arb.value({ min: -58, max: -50 }), gK: arb.value({ min: 30, max: 40 }) })

  test.prop([nearDefaults, arb.value({ min: -3, max: 3 })])('at the resting state (for any constant current) the vector field vanishes', (params, current) => {
    const s = neuro.hhRestingState({ params, current })
    const d = neuro.hhVectorField(current, params)(0, s)
    expect(Math.abs(ops.item(d.V))).toBeLessThan(1e-9)
    for (const g of gates) expect(Math.abs(ops.item(d[g]))).toBeLessThan(1e-12)
    // and it is a root of the current balance with the gates at steady state, bracketed by sign
    const v = ops.item(s.V)
    const bal = (x: number) => {
      const st = { V: f64(x), n: neuro.hhSteadyState('n', x), m: neuro.hhSteadyState('m', x), h: neuro.hhSteadyState('h', x) }
      const c = neuro.hhCurrents(st, params)
      return ops.item(c.INa) + ops.item(c.IK) + ops.item(c.IL) - current
    }
    expect(bal(v - 1e-6)).toBeLessThan(0)
    expect(bal(v + 1e-6)).toBeGreaterThan(0)
  })

  test.prop([nearDefaults, fc.constantFrom<neuro.OdeMethod>('euler', 'rk4')], { numRuns: 4 })('with no input the membrane stays at rest (50 ms)', (params, method) => {
    const rest = ops.item(neuro.hhRestingState({ params }).V)
    const tr = neuro.hhSimulate(0, { duration: 50, dt: 0.05, method, params })
    const dev = num(tr.V).reduce((m, v) => Math.max(m, Math.abs(v - rest)), 0)
    expect(dev).toBeLessThan(1e-8)
    expect(neuro.spikeTimes(ops.reshape(tr.V, [-1]), 0.05)).toEqual([])
  })

  test.prop([arb.value({ min: -72, max: -58 }), arb.value({ min: 0, max: 12 })], { numRuns: 4 })(
    'Euler converges to RK4 as dt shrinks (error ∝ dt), RK4 far more accurate',
    (v0, I) => {
      const rest = neuro.hhRestingState()
      const y0 = { ...rest, V: f64(v0) }
      // the error is the largest deviation over the whole trace, sampled every 0.02 ms (the
      // error at one instant can vanish by chance where the Euler trace crosses the true one)
      const trace = (method: neuro.OdeMethod, dt: number) => Array.from(ops.reshape(neuro.hhSimulate(I, { duration: 3, dt, method, y0 }).V, [-1]).data)
      const ref = trace('rk4', 0.005).filter((_, i) => i % 4 === 0)
      const err = (xs: number[], stride: number) => Math.max(...ref.map((r, i) => Math.abs(xs[i * stride] - r)))
      const [e1, e2] = [err(trace('euler', 0.02), 1), err(trace('euler', 0.01), 2)]
      expect(e1 / e2).toBeGreaterThan(1.6)
      expect(e1 / e2).toBeLessThan(2.6)
      expect(err(trace('rk4', 0.02), 1)).toBeLessThan(e2 / 100)
    },
  )

  test.prop([fc.array(arb.value({ min: 0, max: 15 }), { minLength: 2, maxLength: 3 })], { numRuns: 3 })(
    'a batch of neurons is the neurons simulated one by one',
    (currents) => {
      const b = neuro.hhSimulate(f64(currents), { duration: 3, dt: 0.05 })
      currents.forEach((c, j) => {
        const one = neuro.hhSimulate(c, { duration: 3, dt: 0.05 })
        for (const k of ['V', 'n', 'm', 'h'] as const) allClose(ops.take(b[k], [j], 1), ops.reshape(one[k], [-1, 1]), { rtol: 1e-13, atol: 1e-13 })
      })
    },
  )

  test.prop([arb.value({ min: 0, max: 12 })], { numRuns: 3 })('differentiable: dV(T)/dI agrees with finite differences', (I) => {
    const final = (i: T) => ops.slice(neuro.hhSimulate(i, { duration: 2, dt: 0.05 }).V, [-1])
    checkGrads(final, [f64(I)], { order: 1, rtol: 1e-5, atol: 1e-7 })
  })

  test.prop([
    // small integers too, so that samples often sit exactly on the threshold
    fc.oneof(fc.array(arb.value({ min: -2, max: 2 }), { maxLength: 30 }), fc.array(fc.integer({ min: -2, max: 2 }), { maxLength: 30 })),
    fc.oneof(arb.value({ min: -1, max: 1 }), fc.integer({ min: -1, max: 1 })),
    arb.value({ min: 0.01, max: 2 }),
    arb.value({ min: -5, max: 5 }),
  ])('spikeTimes finds exactly the upward crossings, each interpolated to the threshold', (v, threshold, dt, t0) => {
    const ts = neuro.spikeTimes(v, dt, { threshold, t0 })
    const idx = v.flatMap((b, i) => (i > 0 && v[i - 1] < threshold && b >= threshold ? [i] : []))
    expect(ts.length).toBe(idx.length)
    idx.forEach((i, k) => {
      const t = ts[k]
      expect(t).toBeGreaterThan(t0 + (i - 1) * dt - 1e-12)
      expect(t).toBeLessThanOrEqual(t0 + i * dt + 1e-12)
      const frac = (t - t0) / dt - (i - 1)
      expect(Math.abs(v[i - 1] + frac * (v[i] - v[i - 1]) - threshold)).toBeLessThan(1e-9)
    })
    expect(neuro.spikeTimes(v, dt, { threshold, t0, interpolate: false })).toEqual(idx.map((i) => t0 + i * dt))
  })
})

/**
 * ODE integrators (neuro): on y' = λy one Euler step multiplies by 1 + z and one RK4 step
 * by 1 + z + z²/2 + z³/6 + z⁴/24 (z = λh); RK4's global error falls by ≈16 when h halves
 * (4th order), Euler's by ≈2 (1st order), also on a nonlinear system (the pendulum);
 * integrating a tree equals integrating each leaf; `every` keeps every k-th state of the
 * full trajectory; and the integrator is differentiable: ∂y(T)/∂y₀ and ∂y(T)/∂λ equal the
 * derivatives of the discrete solution R(λh)ᴺ y₀ (and approach e^{λT}, T y₀ e^{λT}).
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { grad, neuro, ops, tree } from 'dendrite'
import { allClose, arb } from 'dendrite/testing'

type T = ops.Tensor
const f64 = (v: number | number[]) => (typeof v === 'number' ? ops.scalar(v, 'float64') : ops.tensor(v, 'float64'))
const last = (y: T): T => ops.slice(y, [y.shape[0] - 1])
const rk4Factor = (z: number) => 1 + z + z ** 2 / 2 + z ** 3 / 6 + z ** 4 / 24
const rk4FactorPrime = (z: number) => 1 + z + z ** 2 / 2 + z ** 3 / 6

/** λ away from 0 (where the error vanishes and ratios mean nothing), of either sign. */
const lambda = fc.tuple(arb.value({ min: 0.5, max: 2.5 }), fc.boolean()).map(([a, neg]) => (neg ? -a : a))
const y0s = arb.value({ min: 0.5, max: 2 })

const linear = (lam: number) => (_t: number, y: T) => ops.mul(y, lam)

/** Final error of y' = λy on [0, 1] with n steps. */
const errAt = (method: neuro.OdeMethod, lam: number, y0: number, n: number): number =>
  Math.abs(ops.item(last(neuro.odeint(linear(lam), f64(y0), { dt: 1 / n, steps: n, method }).y)) - y0 * Math.exp(lam))

describe('ode', () => {
  test.prop([lambda, y0s, arb.value({ min: 0.001, max: 0.5 })])('one step on y′ = λy: Euler multiplies by 1 + z, RK4 by its Taylor polynomial', (lam, y0, h) => {
    const z = lam * h
    // rounding is relative to the size of the terms summed (≤ |y₀| e^{|z|}), not to the result,
    // which cancels towards 0 near z = −1 (seed 1215392412: z = −0.995, 1 + z = 0.005)
    const tol = { rtol: 1e-14, atol: 1e-14 * Math.abs(y0) * Math.exp(Math.abs(z)) }
    allClose(neuro.eulerStep(linear(lam), 0, f64(y0), h), y0 * (1 + z), tol)
    allClose(neuro.rk4Step(linear(lam), 0, f64(y0), h), y0 * rk4Factor(z), tol)
  })

  test.prop([lambda, y0s])('RK4 is 4th order (error ratio ≈ 16 when h halves), Euler 1st order (≈ 2)', (lam, y0) => {
    const rk = errAt('rk4', lam, y0, 10) / errAt('rk4', lam, y0, 20)
    expect(rk).toBeGreaterThan(13)
    expect(rk).toBeLessThan(19)
    const eu = errAt('euler', lam, y0, 40) / errAt('euler', lam, y0, 80)
    expect(eu).toBeGreaterThan(1.8)
    expect(eu).toBeLessThan(2.2)
    // and RK4's error is its leading term: R(z)ᴺ = e^{λT}(1 − N z⁵/120 + …), so |error| ≈ y(T) |λ|⁵ h⁴ T / 120
    const lead = (y0 * Math.exp(lam) * Math.abs(lam) ** 5 * 1e-8) / 120
    expect(errAt('rk4', lam, y0, 100) / lead).toBeGreaterThan(0.8)
    expect(errAt('rk4', lam, y0, 100) / lead).toBeLessThan(1.25)
  })

  // |θ₀| ≥ 0.3: at rest (θ = ω = 0) there is no error to compare
  test.prop([fc.tuple(arb.value({ min: 0.3, max: 2.5 }), fc.boolean()).map(([a, s]) => (s ? -a : a)), arb.value({ min: -1, max: 1 })], { numRuns: 30 })(
    'on the pendulum θ″ = −sin θ (a tree state): both methods converge to one solution, RK4 much faster',
    (theta, omega) => {
      const f = (_t: number, s: { th: T; om: T }) => ({ th: s.om, om: ops.neg(ops.sin(s.th)) })
      const y0 = { th: f64(theta), om: f64(omega) }
      const end = (method: neuro.OdeMethod, n: number) => {
        const { y } = neuro.odeint(f, y0, { dt: 2 / n, steps: n, method })
        return [ops.item(last(y.th)), ops.item(last(y.om))]
      }
      const ref = end('rk4', 400)
      const err = (e: number[]) => Math.hypot(e[0] - ref[0], e[1] - ref[1])
      const [e1, e2] = [err(end('euler', 50)), err(end('euler', 100))]
      expect(e1 / e2).toBeGreaterThan(1.6)
      expect(e1 / e2).toBeLessThan(2.5)
      const [r1, r2] = [err(end('rk4', 25)), err(end('rk4', 50))]
      expect(r1 / r2).toBeGreaterThan(10)
      expect(r2).toBeLessThan(e2 / 1000)
    },
  )

  test.prop([arb.value({ min: -3, max: 3 }), arb.value({ min: 0.01, max: 0.5 }), y0s])(
    'time-dependent fields: for y′ = g(t) an RK4 step is Simpson\'s rule and an Euler step the left rectangle',
    (t, h, y0) => {
      const g = (u: number) => Math.cos(3 * u) + u * u
      const f = (u: number, _y: T) => f64(g(u))
      allClose(neuro.rk4Step(f, t, f64(y0), h), y0 + (h / 6) * (g(t) + 4 * g(t + h / 2) + g(t + h)), { rtol: 1e-14, atol: 1e-14 })
      allClose(neuro.eulerStep(f, t, f64(y0), h), y0 + h * g(t), { rtol: 1e-14, atol: 1e-14 })
    },
  )

  // t0 ≥ 0.3: near t0 = −1/2 (RK4) and t0 ≈ 0.15 (Euler) the leading error term cancels and the ratio means nothing
  test.prop([arb.value({ min: 0.3, max: 1 }), y0s])('y′ = −2t·y from t0: RK4 error ratio ≈ 16, Euler ≈ 2, against y₀ e^{t0² − t²}', (t0, y0) => {
    const f = (t: number, y: T) => ops.mul(y, -2 * t)
    const err = (method: neuro.OdeMethod, n: number) =>
      Math.abs(ops.item(last(neuro.odeint(f, f64(y0), { t0, dt: 1 / n, steps: n, method }).y)) - y0 * Math.exp(t0 * t0 - (t0 + 1) ** 2))
    const rk = err('rk4', 32) / err('rk4', 64)
    expect(rk).toBeGreaterThan(14)
    expect(rk).toBeLessThan(19)
    const eu = err('euler', 64) / err('euler', 128)
    expect(eu).toBeGreaterThan(1.7)
    expect(eu).toBeLessThan(2.3)
  })

  const leafShapes = fc.tuple(arb.shape({ minRank: 0, maxRank: 2, maxDim: 3 }), arb.shape({ minRank: 0, maxRank: 2, maxDim: 3 }))
  test.prop([
    leafShapes.chain(([s1, s2]) => fc.tuple(arb.tensor({ shape: s1, min: -2, max: 2 }), arb.tensor({ shape: s2, min: -2, max: 2 }))),
    fc.constantFrom<neuro.OdeMethod>('euler', 'rk4'),
  ], { numRuns: 40 })('integrating a tree equals integrating each leaf alone', ([a, b], method) => {
    // a: logistic growth, b: a damped rotation-free decay with time-dependent forcing
    const fa = (_t: number, y: T) => ops.mul(y, ops.sub(1, y))
    const fb = (t: number, y: T) => ops.add(ops.mul(y, -0.7), Math.sin(t))
    const opts = { dt: 0.05, steps: 12, method, t0: 0.3 }
    const both = neuro.odeint((t: number, s: { a: T; rest: [T, null] }) => ({ a: fa(t, s.a), rest: [fb(t, s.rest[0]), null] as [T, null] }), { a, rest: [b, null] as [T, null] }, opts)
    const ya = neuro.odeint(fa, a, opts)
    const yb = neuro.odeint(fb, b, opts)
    allClose(both.y.a, ya.y, { rtol: 0, atol: 0 })
    allClose(both.y.rest[0], yb.y, { rtol: 0, atol: 0 })
    expect(both.y.rest[1]).toBeNull()
    allClose(both.t, ya.t, { rtol: 0, atol: 0 })
    expect(both.y.a.shape).toEqual([13, ...a.shape])
    // and one step over the tree is the tree of one-leaf steps
    const step = method === 'euler' ? neuro.eulerStep : neuro.rk4Step
    allClose(step(fa, 0.3, a, 0.05), ops.slice(ya.y, [1]), { rtol: 0, atol: 0 })
  })

  test.prop([lambda, y0s, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 5 })])(
    '`every` keeps every k-th state of the full trajectory; `steps: 0` gives [y₀]',
    (lam, y0, steps, every) => {
      const full = neuro.odeint(linear(lam), f64(y0), { dt: 0.1, steps })
      const sub = neuro.odeint(linear(lam), f64(y0), { dt: 0.1, steps, every })
      const keep = Array.from({ length: Math.floor(steps / every) + 1 }, (_, i) => i * every)
      allClose(sub.y, ops.take(full.y, keep), { rtol: 0, atol: 0 })
      allClose(sub.t, keep.map((i) => 0.1 * i), { rtol: 1e-15, atol: 1e-15 })
    },
  )

  test.prop([lambda, y0s, fc.constantFrom<neuro.OdeMethod>('euler', 'rk4')])(
    'differentiable: ∂y(T)/∂y₀ and ∂y(T)/∂λ are those of the discrete solution R(λh)ᴺ y₀, close to e^{λT} and T y₀ e^{λT}',
    (lam, y0, method) => {
      const n = 50
      const h = 1 / n
      const final = (y: T, l: T) => last(neuro.odeint((_t, u: T) => ops.mul(u, l), y, { dt: h, steps: n, method }).y)
      const [gy, gl] = grad(final, { argnums: [0, 1] })(f64(y0), f64(lam)) as [T, T]
      const z = lam * h
      const [R, dR] = method === 'rk4' ? [rk4Factor(z), rk4FactorPrime(z)] : [1 + z, 1]
      allClose(gy, R ** n, { rtol: 1e-12, atol: 0 })
      allClose(gl, n * R ** (n - 1) * dR * h * y0, { rtol: 1e-12, atol: 0 })
      if (method === 'rk4') {
        allClose(gy, Math.exp(lam), { rtol: 2e-6, atol: 0 }) // the RK4 discretisation error, ≈ λ⁵h⁴/120 per unit time
        allClose(gl, y0 * Math.exp(lam), { rtol: 2e-6, atol: 0 }) // the RK4 discretisation error, ≈ λ⁵h⁴/120 per unit time
      }
    },
  )

  test.prop([fc.integer({ min: 1, max: 4 })])('a tree state keeps its structure and frozen records', (k) => {
    const y0 = { x: f64(Array.from({ length: k }, (_, i) => i)), v: [f64(1)] }
    const y1 = neuro.rk4Step((_t, s: typeof y0) => ({ x: s.x, v: [ops.neg(s.v[0])] }), 0, y0, 0.1)
    expect(tree.structureEquals(y1, y0)).toBe(true)
    expect(Object.isFrozen(y1)).toBe(true)
    expect(Object.keys(y1).sort()).toEqual(['v', 'x'])
  })
})

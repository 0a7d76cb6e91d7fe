/**
 * For every primitive of the rule table (`cases` is typed over all of them): the JVP
 * agrees with central finite differences in float64 on inputs from the primitive's own
 * domain; the JVP is linear in the tangent; the JVP rule is itself differentiable (the JVP
 * of the JVP agrees with finite differences of the JVP); non-differentiable primitives
 * have zero tangents.
 */
import { test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops, type Tensor } from 'dendrite'
import { cases } from './ad-cases.js'
import { applyPrim, centralFD, drawWith, jvpOf, names } from './ad-helpers.js'
import { allClose } from './helpers.js'

describe.each(names)('%s', (name) => {
  const c = cases[name]
  test.prop([drawWith(name)], { numRuns: 40 })('jvp = central finite differences (float64)', ([{ xs, params }, ts]) => {
    const f = applyPrim(name, params)
    const t = jvpOf(f, xs, ts)
    if (c.nondiff) {
      expect(ops.toFlat(t).every((v) => v === 0)).toBe(true)
      return
    }
    // central differences: truncation O(ε²) and rounding O(1e-16/ε), both well under 1e-6
    allClose(t, centralFD(f, xs, ts), { rtol: 1e-6, atol: 1e-6 })
  })

  test.prop([drawWith(name)], { numRuns: 25 })('jvp is linear in the tangent', ([{ xs, params }, t1, t2]) => {
    const f = applyPrim(name, params)
    const mixed = t1.map((t, i) => ops.add(ops.mul(t, 2), ops.mul(t2[i], -3)))
    const lhs = jvpOf(f, xs, mixed)
    const rhs = ops.add(ops.mul(jvpOf(f, xs, t1), 2), ops.mul(jvpOf(f, xs, t2), -3))
    allClose(lhs, rhs, { rtol: 1e-9, atol: 1e-9 })
  })

  if (!c.nondiff) {
    test.prop([drawWith(name)], { numRuns: 15 })('the jvp rule differentiates again (second order = FD of the jvp)', ([{ xs, params }, t, s]) => {
      const f = applyPrim(name, params)
      // g(x) = J_f(x) t, differentiated along s
      const g = (...ys: Tensor[]): Tensor => jvpOf(f, ys, t)
      allClose(jvpOf(g, xs, s), centralFD(g, xs, s, 1e-5), { rtol: 1e-5, atol: 1e-5 })
    })
  }
})

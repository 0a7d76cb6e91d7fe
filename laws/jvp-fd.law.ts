/**
 * For every primitive of the rule table (`cases` is typed over all of them), with the
 * public checker `checkGrads` of dendrite/testing: the JVP agrees with central finite
 * differences in float64 on inputs from the primitive's own domain, at first order and at
 * second order (the JVP rule is itself differentiated correctly); the JVP is linear in the
 * tangent; non-differentiable primitives have zero tangents.
 */
import { test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops, type Tensor } from 'dendrite'
import { arb, checkGrads } from 'dendrite/testing'
import { cases } from './ad-cases.js'
import { applyPrim, drawWith, jvpOf, names, overVariables } from './ad-helpers.js'
import { allClose } from './helpers.js'

describe.each(names)('%s', (name) => {
  const c = cases[name]
  if (c.nondiff) {
    test.prop([drawWith(name)], { numRuns: 20 })('zero derivative', ([{ xs, params }, ts]) => {
      expect(ops.toFlat(jvpOf(applyPrim(name, params), xs, ts)).every((v) => v === 0)).toBe(true)
    })
    return
  }
  test.prop([c.draw, arb.key()], { numRuns: 30 })('jvp = central finite differences, first and second order (float64)', ({ xs, params }, key) => {
    const [g, vars] = overVariables(c, applyPrim(name, params), xs)
    // central differences: truncation O(ε²), rounding O(1e-16/ε): both far under 1e-6
    checkGrads(g, vars, { modes: ['fwd'], order: 2, key, rtol: 1e-6, atol: 1e-6 })
  })

  test.prop([drawWith(name)], { numRuns: 25 })('jvp is linear in the tangent', ([{ xs, params }, t1, t2]) => {
    const f = applyPrim(name, params)
    const mixed = t1.map((t: Tensor, i: number) => ops.add(ops.mul(t, 2), ops.mul(t2[i], -3)))
    const lhs = jvpOf(f, xs, mixed)
    const rhs = ops.add(ops.mul(jvpOf(f, xs, t1), 2), ops.mul(jvpOf(f, xs, t2), -3))
    allClose(lhs, rhs, { rtol: 1e-9, atol: 1e-9 })
  })
})

/**
 * Adjointness, for every primitive of the rule table: the forward rule (JVP) and the
 * reverse rule (VJP) describe the same derivative,
 *
 *   ⟨J t, c⟩ = ⟨t, Jᵀ c⟩ = Σᵢ ⟨tᵢ, (Jᵀ c)ᵢ⟩,
 *
 * in float64 to 1e-9 of the size of the terms.
 */
import { test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { cases } from './ad-cases.js'
import { absInner, applyPrim, drawWith, inner, jvpOf, names, vjpOf } from './ad-helpers.js'

describe.each(names)('%s', (name) => {
  const c = cases[name]
  test.prop([drawWith(name)], { numRuns: 40 })('⟨J t, c⟩ = ⟨t, Jᵀ c⟩', ([{ xs, params }, ts, , ct]) => {
    const f = applyPrim(name, params)
    const jt = jvpOf(f, xs, ts)
    const gs = vjpOf(f, xs, ct)
    expect(gs.length).toBe(xs.length)
    gs.forEach((g, i) => expect(g.shape).toEqual(xs[i].shape))
    const lhs = inner(jt, ct)
    const rhs = gs.reduce((s, g, i) => s + inner(ts[i], g), 0)
    const scale = absInner(jt, ct) + gs.reduce((s, g, i) => s + absInner(ts[i], g), 0)
    expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-9 * (1 + scale))
    if (c.nondiff) gs.forEach((g) => expect([...(g.data as Float64Array)].every((v) => v === 0)).toBe(true))
  })
})

/**
 * Adjointness, for every primitive of the rule table, with the public checker
 * `checkGrads` (mode 'rev'): the forward rule (JVP) and the reverse rule (VJP) describe
 * the same derivative, `⟨J t, c⟩ = ⟨t, Jᵀ c⟩`, at first and second order, in float64 to
 * 1e-9 of the size of the terms.
 */
import { test } from '@fast-check/vitest'
import { describe } from 'vitest'
import { arb, checkGrads } from 'dendrite/testing'
import { cases } from './ad-cases.js'
import { applyPrim, names, overVariables } from './ad-helpers.js'

describe.each(names)('%s', (name) => {
  const c = cases[name]
  test.prop([c.draw, arb.key()], { numRuns: 30 })('⟨J t, c⟩ = ⟨t, Jᵀ c⟩ (first and second order)', ({ xs, params }, key) => {
    const [g, vars] = overVariables(c, applyPrim(name, params), xs)
    if (vars.length > 0) checkGrads(g, vars, { modes: ['rev'], order: c.nondiff ? 1 : 2, key })
  })
})

/**
 * `dendrite/testing`: fast-check arbitraries, tolerant comparisons and law checkers, so
 * that users can prove identities about their own models the way dendrite's own laws do
 * (they use these same functions). A separate entry point: the core never loads
 * fast-check.
 *
 * @module dendrite/testing
 */
export * as arb from './arbitraries.js'
export type { Domain, OneHotSample, ShapeOptions, TensorOptions } from './arbitraries.js'
export { allClose, compare, matchers } from './compare.js'
export type { Comparison, MatcherResult, Tolerance } from './compare.js'
export { checkAdjoint, checkEquivariant, checkGrads, checkInvariant, checkLinear } from './checkers.js'
export type { CheckGradsOptions } from './checkers.js'

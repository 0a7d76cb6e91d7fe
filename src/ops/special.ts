/**
 * `stopGradient`: the identity on values, with zero derivative at every level of
 * differentiation.
 *
 * Laws: `stopGradient(x) = x`; `grad(x => f(stopGradient(x)))(x) = 0`.
 *
 * @module
 */
import { zero, type Primitive } from '../ad/core.js'
import type { Tensor } from '../tensor/Tensor.js'
import { call } from './prim.js'

/** @internal */
export const stopGradientPrim: Primitive<null> = {
  name: 'stopGradient',
  impl: ([x]) => x,
  jvp: () => zero,
  vjp: () => [zero],
}

/**
 * The identity on values that blocks derivatives: its tangent and cotangent are zero at
 * every level of differentiation (as `jax.lax.stop_gradient`).
 *
 * `stopGradient(x) = x`, `∂ stopGradient(x) / ∂x = 0`
 *
 * @category differentiation
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, grad } from 'dendrite'
 * import * as assert from 'node:assert'
 * const f = (x: ops.Tensor) => ops.mul(x, ops.stopGradient(x))
 * assert.strictEqual(ops.item(grad(f)(ops.scalar(3))), 3) // not 6
 * ```
 */
export const stopGradient = (x: Tensor): Tensor => call(stopGradientPrim, [x], null)

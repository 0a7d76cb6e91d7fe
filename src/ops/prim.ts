/**
 * Helpers for declaring primitives: the common shapes of rule (unary elementwise with a
 * derivative, linear maps, non-differentiable operations) and the tangent algebra with
 * symbolic zeros.
 *
 * Laws: `unbroadcast(broadcastTo(x, s), x.shape) = x · (size(s) / size(x.shape))`;
 * `addTangents(zero, t) = t`.
 *
 * @module
 */
import { bind, isZero, zero, type Primitive, type Zero } from '../ad/core.js'
import * as T from '../tensor/index-internal.js'
import type { Tensor } from '../tensor/Tensor.js'

/** @internal Tangent sum with symbolic zeros. */
export const addTangents = (a: Tensor | Zero, b: Tensor | Zero, add: (x: Tensor, y: Tensor) => Tensor): Tensor | Zero =>
  isZero(a) ? b : isZero(b) ? a : add(a, b)

/** @internal A non-differentiable primitive: its derivative is zero everywhere. */
export const nondiff = <P>(name: string, impl: (xs: ReadonlyArray<Tensor>, p: P) => Tensor, arity: number): Primitive<P> => ({
  name,
  impl,
  jvp: () => zero,
  vjp: () => new Array<Zero>(arity).fill(zero),
})

/** @internal Binds a primitive (shorthand). */
export const call = <P>(prim: Primitive<P>, xs: ReadonlyArray<Tensor>, p: P): Tensor => bind(prim, xs, p)

export { T }

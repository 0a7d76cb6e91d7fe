/**
 * The rule table: every differentiable primitive of dendrite, by name, in one record.
 * The laws loop over it (finite differences, adjointness, linearity), so a primitive
 * added here cannot escape them; a name in `PrimitiveName` without a record does not
 * compile.
 *
 * @module
 */
import type { Primitive } from '../ad/core.js'
import { convPrims } from './conv.js'
import { binaryPrims, unaryPrims, wherePrim } from './elementwise.js'
import { layoutPrims } from './layout.js'
import { linalgPrims } from './linalg.js'
import { reducePrims } from './reduce.js'
import { stopGradientPrim } from './special.js'

/**
 * Names of all primitives.
 *
 * @category differentiation
 * @since 0.1.0
 */
export type PrimitiveName =
  | 'neg'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'sqrt'
  | 'abs'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'tanh'
  | 'atan'
  | 'sigmoid'
  | 'softplus'
  | 'relu'
  | 'square'
  | 'reciprocal'
  | 'sign'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'less'
  | 'lessEqual'
  | 'greater'
  | 'greaterEqual'
  | 'where'
  | 'reshape'
  | 'transpose'
  | 'broadcastTo'
  | 'pad'
  | 'concat'
  | 'oneHot'
  | 'astype'
  | 'slice'
  | 'take'
  | 'flip'
  | 'tile'
  | 'gather'
  | 'scatterAdd'
  | 'sum'
  | 'max'
  | 'min'
  | 'prod'
  | 'cumsum'
  | 'argmax'
  | 'argmin'
  | 'matmul'
  | 'solve'
  | 'cholesky'
  | 'det'
  | 'lstsq'
  | 'im2col'
  | 'col2im'
  | 'stopGradient'

/**
 * The rule table: each primitive's value, forward rule and reverse rule.
 *
 * @category differentiation
 * @since 0.1.0
 * @example
 * ```ts
 * import { primitives } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(primitives.exp.name, 'exp')
 * assert.ok(Object.keys(primitives).length > 40)
 * ```
 */
export const primitives: { readonly [K in PrimitiveName]: Primitive<any> } = {
  ...unaryPrims,
  ...binaryPrims,
  where: wherePrim,
  ...layoutPrims,
  ...reducePrims,
  ...linalgPrims,
  ...convPrims,
  stopGradient: stopGradientPrim,
}

/**
 * @internal The whole tensor layer in one module: the non-differentiable reference
 * implementations that the primitives of `ops` use as their values.
 *
 * @module
 */
export * from './Tensor.js'
export * from './Shape.js'
export * from './layout.js'
export * from './elementwise.js'
export * from './reduce.js'
export * from './linalg.js'
export * from './conv.js'

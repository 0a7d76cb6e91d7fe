/**
 * `ops`: every tensor operation users call, in one namespace (as `jax.numpy`).
 *
 * For now these are the tensor layer's functions themselves. The differentiation layer
 * re-binds the differentiable ones to primitives of its rule table here, with the same
 * names and signatures, so code written against `ops` keeps working unchanged.
 *
 * @module
 */
export type { DType, Mutators, NestedArray, ReadonlyTypedArray, Tensor, TensorData } from '../tensor/Tensor.js'
export type { Shape } from '../tensor/Shape.js'
export {
  arange, astype, eye, fromArray, full, fullLike, get, isTensor, item, linspace, ones, onesLike,
  scalar, tensor, toArray, toFlat, zeros, zerosLike,
} from '../tensor/Tensor.js'
export { broadcastShapes, sizeOf } from '../tensor/Shape.js'
export * from '../tensor/layout.js'
export * from '../tensor/elementwise.js'
export * from '../tensor/reduce.js'
export * from '../tensor/linalg.js'
export * from '../tensor/conv.js'

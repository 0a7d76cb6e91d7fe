/**
 * dendrite: neural networks as pure functions over immutable typed-array tensors.
 *
 * The public API, by namespace:
 * - `ops`: tensors: creation, shape and layout, elementwise maths, reductions, linear
 *   algebra, convolution and pooling;
 * - `random`: splittable counter-based PRNG keys and samplers;
 * - `tree`: parameter trees (nested records, arrays and tuples of tensors);
 * - `io`: io-ts codecs for tensors and trees (decoding returns `Either`);
 * - `kernels`: the numeric loops behind `ops`, swappable for faster ones.
 *
 * @module dendrite
 */
export * as ops from './ops/index.js'
export * as random from './random/index.js'
export * as tree from './tree/index.js'
export * as io from './io/index.js'
export * as kernels from './kernels/index.js'
export type { DType, Tensor } from './tensor/Tensor.js'
export type { Shape } from './tensor/Shape.js'
export { DecodeError, DendriteError, DomainError, DTypeError, ShapeError } from './errors.js'

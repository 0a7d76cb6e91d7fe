/**
 * dendrite: neural networks as pure functions over immutable typed-array tensors.
 *
 * The public API, by namespace:
 * - `ops`: tensors: creation, shape and layout, elementwise maths, reductions, linear
 *   algebra, convolution and pooling;
 * - `random`: splittable counter-based PRNG keys and samplers;
 * - `tree`: parameter trees (nested records, arrays and tuples of tensors);
 * - `io`: io-ts codecs for tensors and trees (decoding returns `Either`);
 * - `neuro`: spiking neurons, synapses, spike trains, population coding (NEF) and dynamics;
 * - `kernels`: the numeric loops behind `ops`, swappable for faster ones;
 * - transformations: `grad`, `valueAndGrad`, `vjp`, `jvp`, `jacfwd`, `jacrev`, `hessian`,
 *   `hvp`, `linearize`, `customJvp`, `customVjp`, `scan`, `stopGradient`, and the expression
 *   graph (`trace`, `evalGraph`, `graphToString`, `toDot`).
 *
 * @module dendrite
 */
export * as ops from './ops/index.js'
export * as random from './random/index.js'
export * as tree from './tree/index.js'
export * as io from './io/index.js'
export * as kernels from './kernels/index.js'
export * as nn from './nn/index.js'
export * as optim from './optim/index.js'
export * as data from './data/index.js'
export * as neuro from './neuro/index.js'
export {
  jvp, linearize, vjp, grad, valueAndGrad, jacfwd, jacrev, hessian, hvp, customJvp, customVjp, scan,
  trace, evalGraph, graphToString, toDot,
} from './ad/transforms.js'
export type { AnyFn, GradOptions, Graph, GraphVar } from './ad/transforms.js'
export { bind, concrete } from './ad/core.js'
export type { GraphAtom, GraphConst, GraphEqn, GraphVarRef, Primitive, Zero } from './ad/core.js'
export { primitives } from './ops/table.js'
export type { PrimitiveName } from './ops/table.js'
export { stopGradient } from './ops/special.js'
export type { DType, Tensor } from './tensor/Tensor.js'
export type { Shape } from './tensor/Shape.js'
export { DecodeError, DendriteError, DomainError, DTypeError, ShapeError } from './errors.js'
export * as scalar from './ad/scalar.js'

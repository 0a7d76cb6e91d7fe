/**
 * `ops`: every tensor operation users call, in one namespace (as `jax.numpy`). The same
 * functions work on plain tensors and inside any transformation (`grad`, `jvp`, `vjp`,
 * `trace`, …): each differentiable one binds a primitive of the rule table, whose value is
 * the tensor layer's loop.
 *
 * @module
 */
export type { DType, Mutators, NestedArray, ReadonlyTypedArray, Tensor, TensorData } from '../tensor/Tensor.js'
export type { Shape } from '../tensor/Shape.js'
export type { Operand } from '../tensor/elementwise.js'
export type { SliceSpec } from '../tensor/layout.js'
export type { Axes, NormOrder } from '../tensor/reduce.js'
export type { LstsqOptions, LUResult, SolveOptions } from '../tensor/linalg.js'
export type {
  AvgPool1dOptions, AvgPool2dOptions, Conv1dOptions, Conv2dOptions, ConvOutputSizeOptions, ConvolveMode, Im2colOptions,
  Padding1d, Padding2d, Pool1dOptions, Pool2dOptions,
} from '../tensor/conv.js'
export {
  arange, eye, fromArray, full, fullLike, get, isTensor, item, linspace, ones, onesLike,
  scalar, tensor, toArray, toFlat, zeros, zerosLike,
} from '../tensor/Tensor.js'
export { broadcastShapes, sizeOf } from '../tensor/Shape.js'
export {
  neg, exp, log, log1p, expm1, sqrt, abs, sign, sin, cos, tan, tanh, atan, sigmoid, softplus, relu, square, reciprocal,
  add, sub, mul, div, pow, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual, clip, where,
} from './elementwise.js'
export {
  reshape, ravel, transpose, permute, swapAxes, expandDims, squeeze, broadcastTo, slice, take, gather, concat, stack,
  split, unstack, pad, flip, tile, oneHot, astype,
} from './layout.js'
export { sum, prod, max, min, argmax, argmin, mean, variance, std, logsumexp, softmax, logSoftmax, norm, cumsum } from './reduce.js'
export { matmul, dot, outer, cholesky, lu, solve, inv, det, lstsq } from './linalg.js'
export {
  conv1d, conv2d, convolve1d, convolve2d, convolveFull, im2col, col2im, maxPool1d, maxPool2d, avgPool1d, avgPool2d,
  convOutputSize,
} from './conv.js'
export { stopGradient } from './special.js'

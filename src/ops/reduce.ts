/**
 * Differentiable reductions. `sum` and `cumsum` are linear (their transposes broadcast
 * back and reverse-cumulate); `max`/`min` pass the cotangent to the extreme elements,
 * split equally on ties (as JAX); `prod` uses `∂/∂xᵢ Π x = Π x / xᵢ` (so its derivative
 * is taken on non-zero inputs); `argmax`/`argmin` have zero derivative. The rest
 * (`mean`, `variance`, `logsumexp`, `softmax`, `norm`, …) are composites and need no
 * rules of their own.
 *
 * Laws: `∇ sum(x) = 1`; `∇ logsumexp(x) = softmax(x)`; `∇ mean(x) = 1/n`.
 *
 * @module
 */
import type { Primitive } from '../ad/core.js'
import { ShapeError } from '../errors.js'
import type { Axes, NormOrder } from '../tensor/reduce.js'
import { normAxes, normAxis, type Shape } from '../tensor/Shape.js'
import type { Tensor } from '../tensor/Tensor.js'
import { abs, add, div, equal, exp, log, mul, sqrt, square, sub, where } from './elementwise.js'
import { broadcastTo, flip, reshape } from './layout.js'
import { call, nondiff, T } from './prim.js'
import { stopGradient } from './special.js'

interface ReduceParams {
  /** Sorted, normalised axes. */
  readonly axes: ReadonlyArray<number>
  /** Keep reduced axes as length 1. */
  readonly keepDims: boolean
}

/** The shape with reduced axes kept as 1. */
const keptShape = (shape: Shape, axes: ReadonlyArray<number>): number[] => shape.map((d, i) => (axes.includes(i) ? 1 : d))

/** Brings a reduced value (or cotangent) back to the input's shape. */
const expandBack = (y: Tensor, x: Tensor, p: ReduceParams): Tensor => broadcastTo(reshape(y, keptShape(x.shape, p.axes)), x.shape)

const showReduce = (p: ReduceParams): string => `axes=[${p.axes.join(',')}]${p.keepDims ? ', keepDims' : ''}`

/** @internal */
export const sumPrim: Primitive<ReduceParams> = {
  name: 'sum',
  impl: ([x], p) => T.sum(x, p.axes, p.keepDims),
  jvp: (_, [t], __, p) => call(sumPrim, [t as Tensor], p),
  vjp: (ct, [x], _, p) => [expandBack(ct, x, p)],
  showParams: showReduce,
}

/** Cotangent routing of max/min: to the elements equal to the extreme, split on ties. */
const extremeMask = (x: Tensor, y: Tensor, p: ReduceParams): Tensor => {
  const hit = equal(x, expandBack(stopGradient(y), x, p))
  return div(hit, expandBack(call(sumPrim, [hit], p), x, p))
}

const extremePrim = (name: 'max' | 'min'): Primitive<ReduceParams> => ({
  name,
  impl: ([x], p) => T[name](x, p.axes, p.keepDims),
  jvp: ([x], [t], y, p) => call(sumPrim, [mul(t as Tensor, extremeMask(x, y, p))], p),
  vjp: (ct, [x], y, p) => [mul(expandBack(ct, x, p), extremeMask(x, y, p))],
  showParams: showReduce,
})

/** @internal */
export const prodPrim: Primitive<ReduceParams> = {
  name: 'prod',
  impl: ([x], p) => T.prod(x, p.axes, p.keepDims),
  jvp: ([x], [t], y, p) => call(sumPrim, [mul(t as Tensor, div(expandBack(y, x, p), x))], p),
  vjp: (ct, [x], y, p) => [mul(expandBack(ct, x, p), div(expandBack(y, x, p), x))],
  showParams: showReduce,
}

/** @internal */
export const cumsumPrim: Primitive<{ readonly axis: number }> = {
  name: 'cumsum',
  impl: ([x], { axis }) => T.cumsum(x, axis),
  jvp: (_, [t], __, p) => call(cumsumPrim, [t as Tensor], p),
  vjp: (ct, _, __, p) => [flip(call(cumsumPrim, [flip(ct, p.axis)], p), p.axis)],
  showParams: (p) => `axis=${p.axis}`,
}

const argPrim = (name: 'argmax' | 'argmin') =>
  nondiff<{ readonly axis: number | undefined; readonly keepDims: boolean }>(name, ([x], p) => T[name](x, p.axis, p.keepDims), 1)

/** @internal Reduction primitives for the table. */
export const reducePrims = {
  sum: sumPrim, max: extremePrim('max'), min: extremePrim('min'), prod: prodPrim, cumsum: cumsumPrim,
  argmax: argPrim('argmax'), argmin: argPrim('argmin'),
}

const reduceWith = (prim: Primitive<ReduceParams>, op: string) => (x: Tensor, axes?: Axes, keepDims = false): Tensor => {
  const ax = normAxes(op, axes, x.shape)
  if (ax.length === 0) return x
  return call(prim, [x], { axes: ax, keepDims })
}

/**
 * Sum over the given axes (all by default).
 *
 * `sum(x, A)[j] = Σ_{i ∈ A} x[i, j]`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[1, 2], [3, 4]])
 * assert.strictEqual(ops.item(ops.sum(x)), 10)
 * assert.deepStrictEqual(ops.toArray(ops.sum(x, 0)), [4, 6])
 * assert.deepStrictEqual(ops.toArray(ops.sum(x, 1, true)), [[3], [7]])
 * ```
 */
export const sum = reduceWith(sumPrim, 'sum')
/**
 * Maximum over the given axes (all by default); NaN if any element is NaN.
 *
 * `max(x, A)[j] = max_{i ∈ A} x[i, j]`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.max(ops.tensor([[1, 5], [3, 4]]), 0)), [3, 5])
 * ```
 */
export const max = reduceWith(reducePrims.max, 'max')
/**
 * Minimum over the given axes (all by default); NaN if any element is NaN.
 *
 * `min(x, A)[j] = min_{i ∈ A} x[i, j]`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.min(ops.tensor([[1, 5], [3, 4]]), 1)), [1, 3])
 * ```
 */
export const min = reduceWith(reducePrims.min, 'min')
/**
 * Product over the given axes (all by default).
 *
 * `prod(x, A)[j] = Π_{i ∈ A} x[i, j]`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.prod(ops.tensor([[1, 2], [3, 4]]), 1)), [2, 12])
 * ```
 */
export const prod = reduceWith(prodPrim, 'prod')

/**
 * Index of the largest element along an axis (of the flattened tensor by default); the
 * first one on ties, the first NaN if there is one. Indices are returned as numbers of the
 * input's dtype. Not differentiable: its derivative is zero.
 *
 * `argmax(x, a)[j] = argmax_i x[…, i, …]`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[1, 9, 3], [7, 2, 7]])
 * assert.deepStrictEqual(ops.toArray(ops.argmax(x, 1)), [1, 0])
 * assert.strictEqual(ops.item(ops.argmax(x)), 1)
 * ```
 */
export const argmax = (x: Tensor, axis?: number, keepDims = false): Tensor => call(reducePrims.argmax, [x], { axis, keepDims })
/**
 * Index of the smallest element along an axis (of the flattened tensor by default); the
 * first one on ties. Not differentiable: its derivative is zero.
 *
 * `argmin(x, a)[j] = argmin_i x[…, i, …]`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.argmin(ops.tensor([[1, 9, 3], [7, 2, 7]]), 0)), [0, 1, 0])
 * ```
 */
export const argmin = (x: Tensor, axis?: number, keepDims = false): Tensor => call(reducePrims.argmin, [x], { axis, keepDims })

/**
 * Cumulative sum along an axis (inclusive; the flattened tensor when no axis is given).
 *
 * `cumsum(x, a)[…, i, …] = Σ_{j ≤ i} x[…, j, …]`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.cumsum(ops.tensor([[1, 2], [3, 4]]), 1)), [[1, 3], [3, 7]])
 * assert.deepStrictEqual(ops.toArray(ops.cumsum(ops.tensor([[1, 2], [3, 4]]))), [1, 3, 6, 10])
 * ```
 */
export const cumsum = (x: Tensor, axis?: number): Tensor => {
  if (axis === undefined) return cumsum(reshape(x, [x.data.length]), 0)
  return call(cumsumPrim, [x], { axis: normAxis('cumsum', axis, x.shape.length, x.shape) })
}

const countOf = (x: Tensor, axes: Axes, op: string): number => normAxes(op, axes, x.shape).reduce((p, a) => p * x.shape[a], 1)

/**
 * Arithmetic mean over the given axes (all by default).
 *
 * `mean(x, A) = sum(x, A) / Π_{k ∈ A} n_k`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.mean(ops.tensor([[1, 2], [3, 6]]), 0)), [2, 4])
 * ```
 */
export const mean = (x: Tensor, axes?: Axes, keepDims = false): Tensor => div(sum(x, axes, keepDims), countOf(x, axes, 'mean'))

/**
 * Variance over the given axes, with `ddof` delta degrees of freedom (0: population
 * variance, 1: unbiased sample variance), computed about the mean (two-pass, stable).
 *
 * `variance(x, A) = Σ (x − mean(x, A))² / (N − ddof)`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([1, 2, 3, 4], 'float64')
 * assert.strictEqual(ops.item(ops.variance(x)), 1.25)
 * assert.strictEqual(ops.item(ops.variance(x, 0, false, 1)), 5 / 3)
 * ```
 */
export const variance = (x: Tensor, axes?: Axes, keepDims = false, ddof = 0): Tensor => {
  const n = countOf(x, axes, 'variance')
  return div(sum(square(sub(x, mean(x, axes, true))), axes, keepDims), n - ddof)
}

/**
 * Standard deviation: the square root of `variance`.
 *
 * `std(x, A) = √variance(x, A)`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(ops.std(ops.tensor([1, 3]))), 1)
 * ```
 */
export const std = (x: Tensor, axes?: Axes, keepDims = false, ddof = 0): Tensor => sqrt(variance(x, axes, keepDims, ddof))

const dropAxes = (s: Tensor, x: Tensor, axes: Axes, keepDims: boolean, op: string): Tensor => {
  if (keepDims) return s
  const ax = normAxes(op, axes, x.shape)
  return reshape(s, x.shape.filter((_, i) => !ax.includes(i)))
}

/**
 * The log of a sum of exponentials, computed stably by shifting by the maximum (so it is
 * finite for any finite input, and exact for ±∞ maxima).
 *
 * `logsumexp(x, A) = m + log Σ exp(x − m)`, `m = max(x, A)`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(ops.logsumexp(ops.tensor([1000, 1000], 'float64'))), 1000 + Math.LN2)
 * ```
 */
export const logsumexp = (x: Tensor, axes?: Axes, keepDims = false): Tensor => {
  // the shift carries no derivative: the gradient is exactly softmax
  const m = stopGradient(max(x, axes, true))
  const shift = where(equal(abs(m), Infinity), 0, m)
  const s = add(log(sum(exp(sub(x, shift)), axes, true)), shift)
  return dropAxes(s, x, axes, keepDims, 'logsumexp')
}

/**
 * The softmax along an axis (last by default), computed stably.
 *
 * `softmax(x)_i = exp(x_i − m) / Σ_j exp(x_j − m)`, `m = max_j x_j`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.softmax(ops.tensor([[0, 0], [1e4, 1e4]]))), [[0.5, 0.5], [0.5, 0.5]])
 * ```
 */
export const softmax = (x: Tensor, axis = -1): Tensor => {
  const a = normAxis('softmax', axis, x.shape.length, x.shape)
  const e = exp(sub(x, stopGradient(max(x, a, true))))
  return div(e, sum(e, a, true))
}

/**
 * The log of the softmax along an axis (last by default), computed stably.
 *
 * `logSoftmax(x) = x − logsumexp(x)`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const y = ops.logSoftmax(ops.tensor([0, 0], 'float64'))
 * assert.deepStrictEqual(ops.toArray(y), [-Math.LN2, -Math.LN2])
 * ```
 */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => {
  const a = normAxis('logSoftmax', axis, x.shape.length, x.shape)
  return sub(x, logsumexp(x, a, true))
}

/**
 * An entrywise vector norm over the given axes (all by default).
 *
 * `‖x‖₁ = Σ|xᵢ|`, `‖x‖₂ = ‖x‖_F = √Σxᵢ²`, `‖x‖_∞ = max|xᵢ|`
 *
 * @category reductions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([3, -4])
 * assert.strictEqual(ops.item(ops.norm(x)), 5)
 * assert.strictEqual(ops.item(ops.norm(x, 1)), 7)
 * assert.strictEqual(ops.item(ops.norm(x, Infinity)), 4)
 * ```
 */
export const norm = (x: Tensor, ord: NormOrder = 2, axes?: Axes, keepDims = false): Tensor => {
  if (ord === 1) return sum(abs(x), axes, keepDims)
  if (ord === Infinity) return max(abs(x), axes, keepDims)
  if (ord === 2 || ord === 'fro') {
    // scale by the largest magnitude (held constant) so squares neither overflow nor underflow
    const m = stopGradient(max(abs(x), axes, true))
    const safe = where(equal(m, 0), 1, where(equal(m, Infinity), 1, m))
    const r = mul(sqrt(sum(square(div(x, safe)), axes, true)), safe)
    return dropAxes(where(equal(m, Infinity), Infinity, r), x, axes, keepDims, 'norm')
  }
  throw new ShapeError('norm', `unknown order ${String(ord)} (expected 1, 2, 'fro' or Infinity)`, [x.shape])
}


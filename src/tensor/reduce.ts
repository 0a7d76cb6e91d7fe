/**
 * Reductions over any set of axes (all by default), with `keepDims` to keep reduced axes
 * as length 1; cumulative sums; and the stable normalisers `logsumexp`, `softmax`,
 * `logSoftmax`.
 *
 * Laws:
 * - `sum(a + b) = sum(a) + sum(b)`, `sum(c·a) = c·sum(a)` (linearity);
 * - `sum(t) = sum(sum(t, A), rest)` for any split of the axes;
 * - `mean(t, A) = sum(t, A) / Π_{k∈A} n_k`;
 * - `logsumexp(x + c) = logsumexp(x) + c` (shift invariance), finite for finite x;
 * - `sum(softmax(x, a), a) = 1`, `softmax(x + c) = softmax(x)`;
 * - `exp(logSoftmax(x)) = softmax(x)`;
 * - `cumsum(x)[last] = sum(x)` along the axis.
 *
 * @module
 */
import { ShapeError, showShape } from '../errors.js'
import { active } from '../kernels/index.js'
import type { ReduceOp } from '../kernels/Kernels.js'
import { exp, log, mul, sqrt, sub, abs, div, where, equal, add, square } from './elementwise.js'
import { reshape } from './layout.js'
import { normAxes, normAxis, sizeOf } from './Shape.js'
import { alloc, make, raw, type Tensor } from './Tensor.js'

/**
 * Which axes to reduce: one axis, a list of axes (negative count from the end), or
 * `undefined` for all of them.
 *
 * @category model
 * @since 0.1.0
 */
export type Axes = number | ReadonlyArray<number> | undefined

const reduceAxes = (op: ReduceOp, name: string, t: Tensor, axes: Axes, keepDims: boolean): Tensor => {
  const ax = normAxes(name, axes, t.shape)
  let cur = t
  let shape = [...t.shape]
  for (let k = ax.length - 1; k >= 0; k--) {
    const a = ax[k]
    const n = shape[a]
    if (n === 0 && op !== 'sum' && op !== 'prod') {
      throw new ShapeError(name, `cannot reduce the empty axis ${a} of shape ${showShape(t.shape)}`, [t.shape], a)
    }
    const outer = sizeOf(shape.slice(0, a))
    const inner = sizeOf(shape.slice(a + 1))
    const out = alloc(t.dtype, outer * inner)
    active().reduce(op, raw(cur), outer, n, inner, out)
    shape = [...shape.slice(0, a), 1, ...shape.slice(a + 1)]
    cur = make(t.dtype, shape, out)
  }
  if (ax.length === 0) return t
  return keepDims ? cur : reshape(cur, shape.filter((_, i) => !ax.includes(i)))
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
export const sum = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceAxes('sum', 'sum', x, axes, keepDims)

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
export const prod = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceAxes('prod', 'prod', x, axes, keepDims)

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
export const max = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceAxes('max', 'max', x, axes, keepDims)

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
export const min = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceAxes('min', 'min', x, axes, keepDims)

const argReduce = (op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor => {
  if (axis === undefined) {
    const flat = reshape(x, [x.data.length])
    const r = argReduce(op, flat, 0, false)
    return keepDims ? reshape(r, x.shape.map(() => 1)) : r
  }
  const a = normAxis(op, axis, x.shape.length, x.shape)
  return reduceAxes(op, op, x, a, keepDims)
}

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
export const argmax = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmax', x, axis, keepDims)

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
export const argmin = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmin', x, axis, keepDims)

const countOf = (x: Tensor, axes: Axes, op: string): number =>
  normAxes(op, axes, x.shape).reduce((p, a) => p * x.shape[a], 1)

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
export const mean = (x: Tensor, axes?: Axes, keepDims = false): Tensor =>
  div(sum(x, axes, keepDims), countOf(x, axes, 'mean'))

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
  const centred = sub(x, mean(x, axes, true))
  return div(sum(square(centred), axes, keepDims), n - ddof)
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
  const m = max(x, axes, true)
  // an infinite maximum would give ∞ − ∞; shift by 0 there instead
  const shift = where(equal(abs(m), Infinity), 0, m)
  const s = add(log(sum(exp(sub(x, shift)), axes, true)), shift)
  if (keepDims) return s
  const ax = normAxes('logsumexp', axes, x.shape)
  return reshape(s, x.shape.filter((_, i) => !ax.includes(i)))
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
  const e = exp(sub(x, max(x, a, true)))
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
 * Which norm `norm` computes: `1` (sum of absolute values), `2` (Euclidean), `'fro'`
 * (Frobenius: Euclidean over the given axes, all by default), `Infinity` (largest
 * absolute value). These are entrywise norms, not operator norms.
 *
 * @category model
 * @since 0.1.0
 */
export type NormOrder = 1 | 2 | 'fro' | typeof Infinity

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
    // scale by the largest magnitude so squares neither overflow nor underflow
    const m = max(abs(x), axes, true)
    const safe = where(equal(m, 0), 1, where(equal(m, Infinity), 1, m))
    const r = mul(sqrt(sum(square(div(x, safe)), axes, true)), safe)
    const fixed = where(equal(m, Infinity), Infinity, r)
    if (keepDims) return fixed
    const ax = normAxes('norm', axes, x.shape)
    return reshape(fixed, x.shape.filter((_, i) => !ax.includes(i)))
  }
  throw new ShapeError('norm', `unknown order ${String(ord)} (expected 1, 2, 'fro' or Infinity)`, [x.shape])
}

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
  const a = normAxis('cumsum', axis, x.shape.length, x.shape)
  const n = x.shape[a]
  const outer = sizeOf(x.shape.slice(0, a))
  const inner = sizeOf(x.shape.slice(a + 1))
  const src = raw(x)
  const out = alloc(x.dtype, src.length)
  const acc = new Float64Array(inner)
  for (let o = 0; o < outer; o++) {
    acc.fill(0)
    for (let p = 0; p < n; p++) {
      const row = (o * n + p) * inner
      for (let i = 0; i < inner; i++) {
        acc[i] += src[row + i]
        out[row + i] = acc[i]
      }
    }
  }
  return make(x.dtype, x.shape, out)
}

/**
 * The reduction loops behind `ops`: sum, product, max, min, argmax, argmin over any set of
 * axes (all by default), with `keepDims`, and cumulative sums. (The composites — mean,
 * variance, logsumexp, softmax, norms — are written once, with differentiable operations,
 * in `ops/reduce`.)
 *
 * Laws:
 * - `sum(a + b) = sum(a) + sum(b)`, `sum(c·a) = c·sum(a)` (linearity);
 * - `sum(t) = sum(sum(t, A), rest)` for any split of the axes;
 * - `cumsum(x)[last] = sum(x)` along the axis.
 *
 * @module
 */
import { ShapeError, showShape } from '../errors.js'
import { active } from '../kernels/index.js'
import type { ReduceOp } from '../kernels/Kernels.js'
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

/** @internal The value of `ops.sum` (documented there). */
export const sum = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceAxes('sum', 'sum', x, axes, keepDims)

/** @internal The value of `ops.prod` (documented there). */
export const prod = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceAxes('prod', 'prod', x, axes, keepDims)

/** @internal The value of `ops.max` (documented there). */
export const max = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceAxes('max', 'max', x, axes, keepDims)

/** @internal The value of `ops.min` (documented there). */
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

/** @internal The value of `ops.argmax` (documented there). */
export const argmax = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmax', x, axis, keepDims)

/** @internal The value of `ops.argmin` (documented there). */
export const argmin = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmin', x, axis, keepDims)

const countOf = (x: Tensor, axes: Axes, op: string): number =>
  normAxes(op, axes, x.shape).reduce((p, a) => p * x.shape[a], 1)

/**
 * Which norm `norm` computes: `1` (sum of absolute values), `2` (Euclidean), `'fro'`
 * (Frobenius: Euclidean over the given axes, all by default), `Infinity` (largest
 * absolute value). These are entrywise norms, not operator norms.
 *
 * @category model
 * @since 0.1.0
 */
export type NormOrder = 1 | 2 | 'fro' | typeof Infinity

/** @internal The value of `ops.cumsum` (documented there). */
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

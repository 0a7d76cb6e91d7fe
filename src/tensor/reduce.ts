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

/** @internal The value of `ops.mean` (documented there). */
export const mean = (x: Tensor, axes?: Axes, keepDims = false): Tensor =>
  div(sum(x, axes, keepDims), countOf(x, axes, 'mean'))

/** @internal The value of `ops.variance` (documented there). */
export const variance = (x: Tensor, axes?: Axes, keepDims = false, ddof = 0): Tensor => {
  const n = countOf(x, axes, 'variance')
  const centred = sub(x, mean(x, axes, true))
  return div(sum(square(centred), axes, keepDims), n - ddof)
}

/** @internal The value of `ops.std` (documented there). */
export const std = (x: Tensor, axes?: Axes, keepDims = false, ddof = 0): Tensor => sqrt(variance(x, axes, keepDims, ddof))

/** @internal The value of `ops.logsumexp` (documented there). */
export const logsumexp = (x: Tensor, axes?: Axes, keepDims = false): Tensor => {
  const m = max(x, axes, true)
  // an infinite maximum would give ∞ − ∞; shift by 0 there instead
  const shift = where(equal(abs(m), Infinity), 0, m)
  const s = add(log(sum(exp(sub(x, shift)), axes, true)), shift)
  if (keepDims) return s
  const ax = normAxes('logsumexp', axes, x.shape)
  return reshape(s, x.shape.filter((_, i) => !ax.includes(i)))
}

/** @internal The value of `ops.softmax` (documented there). */
export const softmax = (x: Tensor, axis = -1): Tensor => {
  const a = normAxis('softmax', axis, x.shape.length, x.shape)
  const e = exp(sub(x, max(x, a, true)))
  return div(e, sum(e, a, true))
}

/** @internal The value of `ops.logSoftmax` (documented there). */
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

/** @internal The value of `ops.norm` (documented there). */
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

/**
 * Shapes, strides, axes and NumPy broadcasting.
 *
 * Laws:
 * - `size(shape) = Π shape[i]` and `size([]) = 1`;
 * - `broadcastShapes(a, b) = broadcastShapes(b, a)`;
 * - `broadcastShapes(a, broadcastShapes(b, c)) = broadcastShapes(broadcastShapes(a, b), c)`;
 * - `strides(shape)[last] = 1` (row-major, contiguous).
 *
 * @module
 */
import { ShapeError, showShape } from '../errors.js'

/**
 * A tensor's shape: the length of each axis, outermost first. `[]` is a scalar.
 *
 * @category model
 * @since 0.1.0
 */
export type Shape = ReadonlyArray<number>

/**
 * Number of elements of a shape: the product of its dimensions (1 for a scalar).
 *
 * `size([d₀, …, dₙ₋₁]) = d₀ · … · dₙ₋₁`
 *
 * @category shape
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.sizeOf([2, 3, 4]), 24)
 * assert.strictEqual(ops.sizeOf([]), 1)
 * ```
 */
export const sizeOf = (shape: Shape): number => {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/** @internal Row-major strides, in elements. */
export const stridesOf = (shape: Shape): number[] => {
  const s = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc
    acc *= shape[i]
  }
  return s
}

/** @internal Checks that every dimension is a non-negative integer. */
export const checkShape = (op: string, shape: Shape): void => {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, `dimension ${i} of shape ${showShape(shape)} must be a non-negative integer, got ${d}`, [shape], i)
    }
  }
}

/** @internal Normalises a possibly negative axis against a rank, or throws. */
export const normAxis = (op: string, axis: number, rank: number, shape?: Shape): number => {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const s = shape ? ` for shape ${showShape(shape)}` : ''
    throw new ShapeError(op, `axis ${axis} is out of range for rank ${rank}${s}`, shape ? [shape] : [], axis)
  }
  return axis < 0 ? axis + rank : axis
}

/** @internal Normalises a list of axes (undefined = all), sorted and unique. */
export const normAxes = (op: string, axes: number | ReadonlyArray<number> | undefined, shape: Shape): number[] => {
  const rank = shape.length
  if (axes === undefined) {
    const all: number[] = []
    for (let i = 0; i < rank; i++) all.push(i)
    return all
  }
  const list = typeof axes === 'number' ? [axes] : axes
  const out = list.map((a) => normAxis(op, a, rank, shape)).sort((a, b) => a - b)
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new ShapeError(op, `repeated axis in [${list.join(',')}] for shape ${showShape(shape)}`, [shape])
  }
  return out
}

/**
 * The NumPy broadcast of two shapes: align on the right; each pair of dimensions must be
 * equal or one of them 1; the result takes the larger.
 *
 * `broadcastShapes([3,1,5], [4,1]) = [3,4,5]`
 *
 * @category shape
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.broadcastShapes([3, 1, 5], [4, 1]), [3, 4, 5])
 * assert.throws(() => ops.broadcastShapes([2, 3], [4]))
 * ```
 */
export const broadcastShapes = (a: Shape, b: Shape, op = 'broadcast'): number[] => {
  const n = Math.max(a.length, b.length)
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        `cannot broadcast ${showShape(a)} with ${showShape(b)} (axis ${i - n}: ${da} ≠ ${db})`,
        [a, b],
        i - n,
      )
    }
    out[i] = da === 1 ? db : da
  }
  return out
}

/** @internal Strides of `shape` viewed inside the broadcast `target` (0 on broadcast axes). */
export const broadcastStrides = (shape: Shape, target: Shape): number[] => {
  const st = stridesOf(shape)
  const off = target.length - shape.length
  return target.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : st[i - off]))
}

/** @internal Shapes are equal, element by element. */
export const shapeEquals = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

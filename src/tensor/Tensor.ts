/**
 * The `Tensor` value: a dtype, a shape and a contiguous row-major typed array, all
 * read-only. Creation from nested arrays and typed arrays, and conversion back.
 *
 * Laws:
 * - `toArray(tensor(xs)) = xs` for any rectangular nested array `xs` of float64 numbers;
 * - `tensor(xs).shape` is the nesting of `xs` (ragged input throws `ShapeError`);
 * - `get(t, ...i) = t.data[Σ i_k · strides_k]`;
 * - every constructor copies: later changes to a source array never reach a tensor.
 *
 * @module
 */
import { DTypeError, DomainError, ShapeError, showShape } from '../errors.js'
import { checkShape, sizeOf, stridesOf, type Shape } from './Shape.js'

/**
 * The element types a tensor can hold. `float32` is the default; `float64` is used where
 * identities should hold to 1e-9.
 *
 * @category model
 * @since 0.1.0
 */
export type DType = 'float32' | 'float64'

/**
 * Methods of a typed array that write to it, or hand out a writable view of it; the
 * read-only view of tensor data leaves them out.
 *
 * @category model
 * @since 0.1.0
 */
export type Mutators = 'copyWithin' | 'fill' | 'reverse' | 'set' | 'sort' | 'subarray' | 'buffer'

/**
 * A typed array seen through a read-only type: no index assignment, no `set`, `fill`,
 * `sort`, `reverse`, `copyWithin`, and no writable `subarray` or `buffer`.
 *
 * @category model
 * @since 0.1.0
 */
export type ReadonlyTypedArray<A extends Float32Array | Float64Array> = Omit<A, Mutators | number> & {
  readonly [index: number]: number
}

/**
 * The storage of a tensor: a read-only `Float32Array` or `Float64Array`.
 *
 * @category model
 * @since 0.1.0
 */
export type TensorData = ReadonlyTypedArray<Float32Array> | ReadonlyTypedArray<Float64Array>

/**
 * An immutable n-dimensional array: `data[Σ iₖ·strideₖ]` is the element at index `i`,
 * with row-major strides. Never mutated by any operation.
 *
 * @category model
 * @since 0.1.0
 */
export interface Tensor {
  /** Element type of `data`. */
  readonly dtype: DType
  /** Length of each axis; `[]` for a scalar. */
  readonly shape: Shape
  /** Contiguous row-major elements, `size(shape)` of them. */
  readonly data: TensorData
}

/**
 * A nested array of numbers, as accepted by `tensor` and returned by `toArray`.
 *
 * @category model
 * @since 0.1.0
 */
export type NestedArray = number | ReadonlyArray<NestedArray>

/** @internal Mutable storage, for kernels' own buffers only. */
export type MutableData = Float32Array | Float64Array

/** @internal Checks a dtype name. */
export const checkDType = (op: string, dtype: unknown): DType => {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new DTypeError(op, `unknown dtype ${JSON.stringify(dtype)} (expected 'float32' or 'float64')`)
  }
  return dtype
}

/** @internal Allocates a zeroed buffer of the dtype. */
export const alloc = (dtype: DType, n: number): MutableData =>
  dtype === 'float64' ? new Float64Array(n) : new Float32Array(n)

const SCALAR_SHAPE: Shape = Object.freeze([])

/**
 * @internal Wraps a freshly made buffer (which the caller hands over and never touches
 * again) as a tensor. No copy, no check beyond the length.
 */
export const make = (dtype: DType, shape: Shape, data: MutableData | TensorData): Tensor => {
  // a frozen shape (another tensor's, or the one scalar shape) can be shared as it is:
  // nothing can change it; freezing a fresh copy costs about 75 ns a call
  const s: Shape = shape.length === 0 ? SCALAR_SHAPE : Object.isFrozen(shape) ? shape : Object.freeze([...shape])
  if ((data as MutableData).length !== sizeOf(s)) {
    throw new ShapeError('make', `data has ${(data as MutableData).length} elements, shape ${showShape(s)} needs ${sizeOf(s)}`, [s])
  }
  return Object.freeze({ dtype, shape: s, data: data as TensorData })
}

/** @internal The writable view of a tensor's data, for kernels that only read it. */
export const raw = (t: Tensor): MutableData => t.data as unknown as MutableData

/** @internal The dtype of a binary op's result; mixing dtypes is an error. */
export const sameDType = (op: string, a: Tensor, b: Tensor): DType => {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(op, `dtypes differ: ${a.dtype} and ${b.dtype} (convert one with astype)`, [a.shape, b.shape])
  }
  return a.dtype
}

/**
 * Is this value a tensor? A structural check: a known dtype, a shape of non-negative
 * integers, and a typed array of the matching kind and length.
 *
 * @category guards
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.ok(ops.isTensor(ops.zeros([2])))
 * assert.ok(!ops.isTensor({ shape: [2], data: [0, 0] }))
 * ```
 */
export const isTensor = (u: unknown): u is Tensor => {
  if (typeof u !== 'object' || u === null) return false
  const t = u as { dtype?: unknown; shape?: unknown; data?: unknown }
  const shape = t.shape
  if (!Array.isArray(shape)) return false
  // one pass: every dimension a non-negative integer, and their product
  let n = 1
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i]
    if (!Number.isInteger(d) || (d as number) < 0) return false
    n *= d as number
  }
  if (t.dtype === 'float32') return t.data instanceof Float32Array && t.data.length === n
  if (t.dtype === 'float64') return t.data instanceof Float64Array && t.data.length === n
  return false
}

const inferShape = (xs: NestedArray): number[] => {
  const shape: number[] = []
  let cur: NestedArray = xs
  while (Array.isArray(cur)) {
    shape.push(cur.length)
    if (cur.length === 0) break
    cur = cur[0]
  }
  return shape
}

/**
 * Makes a tensor from a (rectangular) nested array of numbers, or a number. The shape is
 * the nesting; ragged input throws `ShapeError` naming the first ragged path.
 *
 * `tensor([[1,2],[3,4]])` has shape `[2,2]` and data `[1,2,3,4]`.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = ops.tensor([[1, 2, 3], [4, 5, 6]])
 * assert.deepStrictEqual(t.shape, [2, 3])
 * assert.strictEqual(t.dtype, 'float32')
 * assert.throws(() => ops.tensor([[1, 2], [3]]), /ragged/)
 * ```
 */
export const tensor = (xs: NestedArray, dtype: DType = 'float32'): Tensor => {
  checkDType('tensor', dtype)
  const shape = inferShape(xs)
  const out = alloc(dtype, sizeOf(shape))
  let k = 0
  const walk = (x: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof x !== 'number') {
        throw new ShapeError('tensor', `ragged nested array: expected a number at ${path || 'the root'}, found an array`, [shape])
      }
      out[k++] = x
      return
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      const found = Array.isArray(x) ? `length ${x.length}` : typeof x
      throw new ShapeError(
        'tensor',
        `ragged nested array: expected length ${shape[depth]} at ${path || 'the root'}, found ${found} (inferred shape ${showShape(shape)})`,
        [shape],
        depth,
      )
    }
    for (let i = 0; i < x.length; i++) walk(x[i], depth + 1, `${path}[${i}]`)
  }
  walk(xs, 0, '')
  return make(dtype, shape, out)
}

/**
 * Makes a tensor from a flat array (a typed array or plain numbers) and a shape. The data
 * is copied, so the source can change later without touching the tensor. The dtype
 * defaults to that of a typed array, else `float32`.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const src = new Float64Array([1, 2, 3, 4, 5, 6])
 * const t = ops.fromArray(src, [3, 2])
 * src[0] = 99
 * assert.deepStrictEqual(ops.toArray(t), [[1, 2], [3, 4], [5, 6]])
 * assert.strictEqual(t.dtype, 'float64')
 * ```
 */
export const fromArray = (
  data: ArrayLike<number> | TensorData,
  shape: Shape,
  dtype?: DType,
): Tensor => {
  const src = data as ArrayLike<number>
  const dt = checkDType('fromArray', dtype ?? (src instanceof Float64Array ? 'float64' : 'float32'))
  checkShape('fromArray', shape)
  if (src.length !== sizeOf(shape)) {
    throw new ShapeError('fromArray', `data has ${src.length} elements but shape ${showShape(shape)} needs ${sizeOf(shape)}`, [shape])
  }
  const out = alloc(dt, src.length)
  for (let i = 0; i < src.length; i++) out[i] = src[i]
  return make(dt, shape, out)
}

/**
 * A rank-0 tensor holding one number.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = ops.scalar(2.5)
 * assert.deepStrictEqual(s.shape, [])
 * assert.strictEqual(ops.item(s), 2.5)
 * ```
 */
export const scalar = (value: number, dtype: DType = 'float32'): Tensor => {
  const out = alloc(checkDType('scalar', dtype), 1)
  out[0] = value
  return make(dtype, [], out)
}

/**
 * A tensor of the given shape filled with one value.
 *
 * `full(s, v)[i] = v` for every index `i`.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.full([2, 2], 7)), [[7, 7], [7, 7]])
 * ```
 */
export const full = (shape: Shape, value: number, dtype: DType = 'float32'): Tensor => {
  checkDType('full', dtype)
  checkShape('full', shape)
  const out = alloc(dtype, sizeOf(shape))
  if (value !== 0) out.fill(value)
  return make(dtype, shape, out)
}

/**
 * A tensor of zeros.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.zeros([2, 3])), [[0, 0, 0], [0, 0, 0]])
 * ```
 */
export const zeros = (shape: Shape, dtype: DType = 'float32'): Tensor => {
  checkDType('zeros', dtype)
  return full(shape, 0, dtype)
}

/**
 * A tensor of ones.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.ones([3])), [1, 1, 1])
 * ```
 */
export const ones = (shape: Shape, dtype: DType = 'float32'): Tensor => {
  checkDType('ones', dtype)
  return full(shape, 1, dtype)
}

/**
 * Zeros with the shape and dtype of another tensor.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const z = ops.zerosLike(ops.tensor([[1, 2]], 'float64'))
 * assert.deepStrictEqual([z.shape, z.dtype], [[1, 2], 'float64'])
 * ```
 */
export const zerosLike = (t: Tensor): Tensor => full(t.shape, 0, t.dtype)

/**
 * Ones with the shape and dtype of another tensor.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.onesLike(ops.zeros([2]))), [1, 1])
 * ```
 */
export const onesLike = (t: Tensor): Tensor => full(t.shape, 1, t.dtype)

/**
 * A constant with the shape and dtype of another tensor.
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.fullLike(ops.zeros([2]), 3)), [3, 3])
 * ```
 */
export const fullLike = (t: Tensor, value: number): Tensor => full(t.shape, value, t.dtype)

/**
 * The identity matrix (or an `n × m` matrix with ones on the diagonal).
 *
 * `eye(n)[i][j] = 1 if i = j else 0`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.eye(2)), [[1, 0], [0, 1]])
 * assert.deepStrictEqual(ops.eye(2, 3).shape, [2, 3])
 * ```
 */
export const eye = (n: number, m: number = n, dtype: DType = 'float32'): Tensor => {
  checkDType('eye', dtype)
  checkShape('eye', [n, m])
  const out = alloc(dtype, n * m)
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1
  return make(dtype, [n, m], out)
}

/**
 * Evenly spaced values in `[start, stop)` with a step, like `numpy.arange`. With one
 * argument, `arange(n)` is `0, 1, …, n − 1`.
 *
 * `arange(a, b, s)[i] = a + i·s` for `i < ⌈(b − a)/s⌉`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.arange(4)), [0, 1, 2, 3])
 * assert.deepStrictEqual(ops.toArray(ops.arange(1, 2, 0.25)), [1, 1.25, 1.5, 1.75])
 * ```
 */
export const arange = (start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor => {
  checkDType('arange', dtype)
  const [a, b] = stop === undefined ? [0, start] : [start, stop]
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new DomainError('arange', `start, stop and a non-zero step must be finite (got ${a}, ${b}, ${step})`)
  }
  const n = Math.max(0, Math.ceil((b - a) / step))
  const out = alloc(dtype, n)
  for (let i = 0; i < n; i++) out[i] = a + i * step
  return make(dtype, [n], out)
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included (as `numpy.linspace`).
 *
 * `linspace(a, b, n)[i] = a + i·(b − a)/(n − 1)`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.linspace(0, 1, 5)), [0, 0.25, 0.5, 0.75, 1])
 * ```
 */
export const linspace = (start: number, stop: number, num: number, dtype: DType = 'float32'): Tensor => {
  checkDType('linspace', dtype)
  if (!Number.isInteger(num) || num < 0) throw new DomainError('linspace', `num must be a non-negative integer, got ${num}`)
  const out = alloc(dtype, num)
  const step = num > 1 ? (stop - start) / (num - 1) : 0
  for (let i = 0; i < num; i++) out[i] = start + i * step
  if (num > 1) out[num - 1] = stop
  return make(dtype, [num], out)
}

/**
 * The tensor as a nested array of numbers (a plain number for a scalar).
 *
 * @category conversions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.tensor([[1, 2], [3, 4]])), [[1, 2], [3, 4]])
 * assert.strictEqual(ops.toArray(ops.scalar(3)), 3)
 * ```
 */
export const toArray = (t: Tensor): NestedArray => {
  const { shape, data } = t
  if (shape.length === 0) return data[0]
  const st = stridesOf(shape)
  const build = (depth: number, off: number): NestedArray => {
    const n = shape[depth]
    const out = new Array<NestedArray>(n)
    if (depth === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = data[off + i]
    } else {
      for (let i = 0; i < n; i++) out[i] = build(depth + 1, off + i * st[depth])
    }
    return out
  }
  return build(0, 0)
}

/**
 * The elements as a flat plain array, row-major.
 *
 * @category conversions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toFlat(ops.tensor([[1, 2], [3, 4]])), [1, 2, 3, 4])
 * ```
 */
export const toFlat = (t: Tensor): number[] => Array.from(t.data as ArrayLike<number>)

/**
 * The single number of a one-element tensor.
 *
 * @category conversions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(ops.tensor([[4]])), 4)
 * assert.throws(() => ops.item(ops.zeros([2])))
 * ```
 */
export const item = (t: Tensor): number => {
  if (t.data.length !== 1) {
    throw new ShapeError('item', `needs exactly one element, shape ${showShape(t.shape)} has ${t.data.length}`, [t.shape])
  }
  return t.data[0]
}

/**
 * The element at an index (negative indices count from the end).
 *
 * `get(t, i₀, …, iₙ₋₁) = t.data[Σ iₖ · strideₖ]`
 *
 * @category conversions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = ops.tensor([[1, 2], [3, 4]])
 * assert.strictEqual(ops.get(t, 1, 0), 3)
 * assert.strictEqual(ops.get(t, -1, -1), 4)
 * ```
 */
export const get = (t: Tensor, ...index: number[]): number => {
  if (index.length !== t.shape.length) {
    throw new ShapeError('get', `index has ${index.length} entries, shape ${showShape(t.shape)} has rank ${t.shape.length}`, [t.shape])
  }
  const st = stridesOf(t.shape)
  let off = 0
  for (let k = 0; k < index.length; k++) {
    const n = t.shape[k]
    const i = index[k]
    if (!Number.isInteger(i) || i < -n || i >= n) {
      throw new ShapeError('get', `index ${i} is out of range for axis ${k} of shape ${showShape(t.shape)}`, [t.shape], k)
    }
    off += (i < 0 ? i + n : i) * st[k]
  }
  return t.data[off]
}

/** @internal The value of `ops.astype` (documented there). */
export const astype = (t: Tensor, dtype: DType): Tensor => {
  checkDType('astype', dtype)
  if (t.dtype === dtype) return t
  const out = alloc(dtype, t.data.length)
  out.set(t.data as unknown as ArrayLike<number>)
  return make(dtype, t.shape, out)
}

/**
 * Differentiable shape and layout operations. All are linear maps, so each forward rule
 * applies the operation to the tangent and each reverse rule is the transpose:
 * reshape ↔ reshape back, transpose ↔ inverse permutation, broadcastTo ↔ sum over the
 * broadcast axes, slice/take/flip/tile (gathers) ↔ scatter-add, pad ↔ slice,
 * concat ↔ split.
 *
 * Laws: for each linear map `L` here, `⟨L t, c⟩ = ⟨t, Lᵀ c⟩` (checked from the table).
 *
 * @module
 */
import { zero, type Primitive, type Zero } from '../ad/core.js'
import { ShapeError, showShape } from '../errors.js'
import type { SliceSpec } from '../tensor/layout.js'
import { normAxes, normAxis, shapeEquals, sizeOf, type Shape } from '../tensor/Shape.js'
import { alloc, checkDType, make, raw, type DType, type Tensor } from '../tensor/Tensor.js'
import { call, nondiff, T } from './prim.js'
import { sum } from './reduce.js'

// ---------------------------------------------------------------------------------------
// gather / scatter-add: the pair of linear maps behind every index-selecting operation

/** Flat source index of every output element of an index-selecting operation. */
const indexMap = (shape: Shape, select: (t: Tensor) => Tensor): Int32Array => {
  const n = sizeOf(shape)
  const ids = alloc('float64', n)
  for (let i = 0; i < n; i++) ids[i] = i
  return Int32Array.from(raw(select(make('float64', shape, ids))))
}

interface ScatterParams {
  /** Flat index, in the output, of every input element. */
  readonly map: Int32Array
  /** Shape of the output. */
  readonly shape: Shape
}

/** @internal out = zeros(shape); out[map[i]] += x[i]. Transpose of a gather. */
export const scatterAddPrim: Primitive<ScatterParams> = {
  name: 'scatterAdd',
  impl: ([x], { map, shape }) => {
    const src = raw(x)
    const out = alloc(x.dtype, sizeOf(shape))
    for (let i = 0; i < map.length; i++) out[map[i]] += src[i]
    return make(x.dtype, shape, out)
  },
  jvp: (_, [t], __, p) => call(scatterAddPrim, [t as Tensor], p),
  vjp: (ct, [x], _, { map }) => [call(gatherPrim, [ct], { map, shape: x.shape, label: 'gather' })],
  showParams: (p) => `shape=${showShape(p.shape)}`,
}

interface GatherParams {
  /** Flat index, in the input, of every output element. */
  readonly map: Int32Array
  /** Shape of the output. */
  readonly shape: Shape
  /** What the gather came from, for graph listings. */
  readonly label: string
}

/** @internal out[i] = x[map[i]]. Transpose of a scatter-add. */
export const gatherPrim: Primitive<GatherParams> = {
  name: 'gather',
  impl: ([x], { map, shape }) => {
    const src = raw(x)
    const out = alloc(x.dtype, map.length)
    for (let i = 0; i < map.length; i++) out[i] = src[map[i]]
    return make(x.dtype, shape, out)
  },
  jvp: (_, [t], __, p) => call(gatherPrim, [t as Tensor], p),
  vjp: (ct, [x], _, { map }) => [call(scatterAddPrim, [ct], { map, shape: x.shape })],
  showParams: (p) => p.label,
}

/**
 * An index-selecting linear primitive with a fast value (the tensor layer's own loop)
 * and rules through gather/scatter-add with its index map.
 */
const selectPrim = <P>(name: string, f: (x: Tensor, p: P) => Tensor, show?: (p: P) => string): Primitive<P> => {
  const self: Primitive<P> = {
    name,
    impl: ([x], p) => f(x, p),
    jvp: (_, [t], __, p) => call(self, [t as Tensor], p),
    vjp: (ct, [x], _, p) => [call(scatterAddPrim, [ct], { map: indexMap(x.shape, (ids) => f(ids, p)), shape: x.shape })],
    showParams: show,
  }
  return self
}

// ---------------------------------------------------------------------------------------
// reshape, transpose, broadcast

/** @internal */
export const reshapePrim: Primitive<{ readonly shape: Shape }> = {
  name: 'reshape',
  impl: ([x], { shape }) => T.reshape(x, shape),
  jvp: (_, [t], __, p) => call(reshapePrim, [t as Tensor], p),
  vjp: (ct, [x]) => [call(reshapePrim, [ct], { shape: x.shape })],
  showParams: (p) => showShape(p.shape),
}

/** @internal */
export const transposePrim: Primitive<{ readonly perm: ReadonlyArray<number> }> = {
  name: 'transpose',
  impl: ([x], { perm }) => T.transpose(x, perm),
  jvp: (_, [t], __, p) => call(transposePrim, [t as Tensor], p),
  vjp: (ct, _, __, { perm }) => [call(transposePrim, [ct], { perm: perm.map((_, i) => perm.indexOf(i)) })],
  showParams: (p) => `[${p.perm.join(',')}]`,
}

/** @internal */
export const broadcastPrim: Primitive<{ readonly shape: Shape }> = {
  name: 'broadcastTo',
  impl: ([x], { shape }) => T.broadcastTo(x, shape),
  jvp: (_, [t], __, p) => call(broadcastPrim, [t as Tensor], p),
  vjp: (ct, [x]) => [unbroadcast(ct, x.shape)],
  showParams: (p) => showShape(p.shape),
}

/**
 * Gives a tensor a new shape with the same number of elements (row-major order is kept).
 * One dimension may be `-1`, inferred from the others.
 *
 * `reshape(t, s).data = t.data`, `size(s) = size(t.shape)`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = ops.reshape(ops.arange(6), [2, -1])
 * assert.deepStrictEqual(ops.toArray(t), [[0, 1, 2], [3, 4, 5]])
 * ```
 */
export const reshape = (t: Tensor, shape: Shape): Tensor => {
  // the tensor layer resolves -1 and checks sizes (it reads only shape and length)
  const target = T.reshape(t, shape).shape
  if (shapeEquals(target, t.shape)) return t
  return call(reshapePrim, [t], { shape: target })
}

/**
 * Flattens all axes into one: `reshape(t, [-1])`.
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.ravel(ops.eye(2)).shape, [4])
 * ```
 */
export const ravel = (t: Tensor): Tensor => reshape(t, [t.data.length])

/**
 * Permutes the axes: axis `k` of the result is axis `perm[k]` of `t`. Without `perm`, the
 * axes are reversed (a matrix transpose for rank 2).
 *
 * `transpose(t, p)[i₀,…,iₙ₋₁] = t[j]` with `j[p[k]] = iₖ`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.transpose(ops.tensor([[1, 2, 3], [4, 5, 6]]))), [[1, 4], [2, 5], [3, 6]])
 * assert.deepStrictEqual(ops.transpose(ops.zeros([2, 3, 4]), [1, 2, 0]).shape, [3, 4, 2])
 * ```
 */
export const transpose = (t: Tensor, perm?: ReadonlyArray<number>): Tensor => {
  const r = t.shape.length
  const p = perm === undefined ? Array.from({ length: r }, (_, i) => r - 1 - i) : perm.map((a) => normAxis('transpose', a, r, t.shape))
  if (p.length === r && p.every((a, i) => a === i)) return t
  return call(transposePrim, [t], { perm: p })
}

/**
 * Permutes the axes by an explicit permutation (`transpose` with a required `perm`).
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.permute(ops.zeros([1, 2, 3]), [2, 0, 1]).shape, [3, 1, 2])
 * ```
 */
export const permute = (t: Tensor, perm: ReadonlyArray<number>): Tensor => transpose(t, perm)

/**
 * Swaps two axes.
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.swapAxes(ops.zeros([2, 3, 4]), 0, -1).shape, [4, 3, 2])
 * ```
 */
export const swapAxes = (t: Tensor, a: number, b: number): Tensor => {
  const r = t.shape.length
  const p = Array.from({ length: r }, (_, i) => i)
  const i = normAxis('swapAxes', a, r, t.shape)
  const j = normAxis('swapAxes', b, r, t.shape)
  ;[p[i], p[j]] = [p[j], p[i]]
  return transpose(t, p)
}

/**
 * Inserts an axis of length 1 at position `axis` (negative counts from the end of the
 * result).
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.expandDims(ops.zeros([2, 3]), 0).shape, [1, 2, 3])
 * assert.deepStrictEqual(ops.expandDims(ops.zeros([2, 3]), -1).shape, [2, 3, 1])
 * ```
 */
export const expandDims = (t: Tensor, axis: number): Tensor => {
  const a = normAxis('expandDims', axis, t.shape.length + 1, t.shape)
  const s = [...t.shape]
  s.splice(a, 0, 1)
  return reshape(t, s)
}

/**
 * Removes axes of length 1: the given ones (each must have length 1), or all of them.
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.squeeze(ops.zeros([1, 2, 1])).shape, [2])
 * assert.deepStrictEqual(ops.squeeze(ops.zeros([1, 2, 1]), 0).shape, [2, 1])
 * assert.throws(() => ops.squeeze(ops.zeros([1, 2]), 1), /axis 1/)
 * ```
 */
export const squeeze = (t: Tensor, axes?: number | ReadonlyArray<number>): Tensor => {
  const drop = axes === undefined ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : normAxes('squeeze', axes, t.shape)
  for (const a of drop) {
    if (t.shape[a] !== 1) throw new ShapeError('squeeze', `axis ${a} of shape ${showShape(t.shape)} has length ${t.shape[a]}, not 1`, [t.shape], a)
  }
  return reshape(t, t.shape.filter((_, i) => !drop.includes(i)))
}

/**
 * Broadcasts a tensor to a shape by NumPy's rules (align right; length-1 axes repeat).
 * The target must be the broadcast of itself with `t.shape`.
 *
 * `broadcastTo(t, s)[i] = t[i mod t.shape]` (on the aligned axes)
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const b = ops.broadcastTo(ops.tensor([1, 2]), [2, 2])
 * assert.deepStrictEqual(ops.toArray(b), [[1, 2], [1, 2]])
 * ```
 */
export const broadcastTo = (t: Tensor, shape: Shape): Tensor => {
  if (shapeEquals(t.shape, shape)) return t
  return call(broadcastPrim, [t], { shape: [...shape] })
}

/**
 * @internal Sums a cotangent of a broadcast shape back to the operand's shape (the
 * transpose of `broadcastTo`).
 */
export const unbroadcast = (g: Tensor, shape: Shape): Tensor => {
  if (shapeEquals(g.shape, shape)) return g
  const off = g.shape.length - shape.length
  const axes: number[] = []
  for (let i = 0; i < g.shape.length; i++) {
    if (i < off || (shape[i - off] === 1 && g.shape[i] !== 1)) axes.push(i)
  }
  const s = axes.length > 0 ? sum(g, axes, true) : g
  return reshape(s, shape)
}

// ---------------------------------------------------------------------------------------
// index-selecting operations

const slicePrim = selectPrim<{ readonly specs: ReadonlyArray<SliceSpec | number | null | undefined> }>(
  'slice', (x, p) => T.slice(x, p.specs), (p) => JSON.stringify(p.specs),
)
const takePrim = selectPrim<{ readonly indices: ReadonlyArray<number>; readonly idxShape: Shape; readonly axis: number }>(
  'take', (x, p) => T.take(x, T.reshape(T.fromArray(p.indices, [p.indices.length], 'float64'), p.idxShape), p.axis),
  (p) => `axis=${p.axis}`,
)
const flipPrim = selectPrim<{ readonly axes: ReadonlyArray<number> }>('flip', (x, p) => T.flip(x, p.axes), (p) => `axes=[${p.axes.join(',')}]`)
const tilePrim = selectPrim<{ readonly reps: ReadonlyArray<number> }>('tile', (x, p) => T.tile(x, p.reps), (p) => `[${p.reps.join(',')}]`)

/** @internal Index-selecting primitives. */
export const selectPrims = { slice: slicePrim, take: takePrim, flip: flipPrim, tile: tilePrim, gather: gatherPrim, scatterAdd: scatterAddPrim }

/**
 * Python-style slicing. `specs[k]` applies to axis `k`: a `SliceSpec`, `null` or
 * `undefined` (the whole axis), or an integer (picks one index and removes the axis).
 * Missing trailing specs take whole axes.
 *
 * `slice(t, [{start: a, step: s}])[i] = t[a + i·s]`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = ops.arange(10)
 * assert.deepStrictEqual(ops.toArray(ops.slice(t, [{ start: 1, stop: 8, step: 3 }])), [1, 4, 7])
 * assert.deepStrictEqual(ops.toArray(ops.slice(t, [{ step: -4 }])), [9, 5, 1])
 * const m = ops.reshape(ops.arange(6), [2, 3])
 * assert.deepStrictEqual(ops.toArray(ops.slice(m, [1, { start: -2 }])), [4, 5])
 * ```
 */
export const slice = (t: Tensor, specs: ReadonlyArray<SliceSpec | number | null | undefined>): Tensor => {
  return call(slicePrim, [t], { specs: [...specs] })
}

/**
 * Gathers slices along an axis by integer indices (as `numpy.take`). The indices' shape
 * replaces that axis: `take(t, idx, a).shape = t.shape[:a] ++ idx.shape ++ t.shape[a+1:]`.
 *
 * `take(t, idx, a)[…, j, …] = t[…, idx[j], …]`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = ops.tensor([[1, 2], [3, 4], [5, 6]])
 * assert.deepStrictEqual(ops.toArray(ops.take(t, [2, 0], 0)), [[5, 6], [1, 2]])
 * assert.deepStrictEqual(ops.toArray(ops.take(t, [1], 1)), [[2], [4], [6]])
 * ```
 */
export const take = (t: Tensor, indices: Tensor | ReadonlyArray<number>, axis = 0): Tensor => {
  const list = Array.isArray(indices) ? [...(indices as number[])] : Array.from(T.toFlat(indices as Tensor))
  const idxShape = Array.isArray(indices) ? [list.length] : (indices as Tensor).shape
  return call(takePrim, [t], { indices: list, idxShape, axis: normAxis('take', axis, t.shape.length, t.shape) })
}

/**
 * Alias of `take`, under the name PyTorch and TensorFlow users look for.
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.gather(ops.tensor([10, 20, 30]), [2, 2, 0])), [30, 30, 10])
 * ```
 */
export const gather = take

/**
 * Reverses the order of elements along the given axes (all axes by default).
 *
 * `flip(t, a)[…, i, …] = t[…, n − 1 − i, …]`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.flip(ops.tensor([[1, 2], [3, 4]]), 1)), [[2, 1], [4, 3]])
 * ```
 */
export const flip = (t: Tensor, axes?: number | ReadonlyArray<number>): Tensor =>
  call(flipPrim, [t], { axes: normAxes('flip', axes, t.shape) })

/**
 * Repeats a tensor `reps[k]` times along axis `k` (as `numpy.tile`; shorter `reps` or
 * shape are padded with leading ones).
 *
 * `tile(t, r)[i] = t[i mod t.shape]`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.tile(ops.tensor([1, 2]), [2])), [1, 2, 1, 2])
 * assert.deepStrictEqual(ops.tile(ops.zeros([2, 3]), [2, 1, 2]).shape, [2, 2, 6])
 * ```
 */
export const tile = (t: Tensor, reps: ReadonlyArray<number>): Tensor => {
  return call(tilePrim, [t], { reps: [...reps] })
}

// ---------------------------------------------------------------------------------------
// pad, concat, and what is built from them


/** @internal pad with a constant: linear in x (the constant adds no tangent). */
export const padPrim: Primitive<{ readonly widths: ReadonlyArray<readonly [number, number]>; readonly value: number }> = {
  name: 'pad',
  impl: ([x], { widths, value }) => T.pad(x, widths, value),
  jvp: (_, [t], __, { widths }) => call(padPrim, [t as Tensor], { widths, value: 0 }),
  vjp: (ct, [x], _, { widths }) => [slice(ct, widths.map(([b], k) => ({ start: b, stop: b + x.shape[k] })))],
  showParams: (p) => `${JSON.stringify(p.widths)}, ${p.value}`,
}

/**
 * Pads with a constant: `widths[k] = [before, after]` for axis `k` (a single pair pads
 * every axis alike).
 *
 * `pad(t, w)[i + before] = t[i]`, other elements `value`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.pad(ops.tensor([1, 2]), [[1, 2]])), [0, 1, 2, 0, 0])
 * assert.deepStrictEqual(ops.toArray(ops.pad(ops.tensor([[1]]), [[0, 1], [1, 0]], 9)), [[9, 1], [9, 9]])
 * ```
 */
export const pad = (t: Tensor, widths: ReadonlyArray<readonly [number, number]>, value = 0): Tensor => {
  const r = t.shape.length
  const w = widths.length === 1 && r !== 1 ? new Array(r).fill(widths[0]) : widths
  return call(padPrim, [t], { widths: w, value })
}

/** @internal concat of any number of inputs along an axis. */
export const concatPrim: Primitive<{ readonly axis: number }> = {
  name: 'concat',
  impl: (xs, { axis }) => T.concat(xs, axis),
  jvp: (xs, ts, _, p) => call(concatPrim, ts.map((t, i) => (t === zero ? T.zerosLike(xs[i]) : (t as Tensor))), p),
  vjp: (ct, xs, _, { axis }) => {
    let start = 0
    return xs.map((x) => {
      const specs: (SliceSpec | undefined)[] = x.shape.map(() => undefined)
      specs[axis] = { start, stop: start + x.shape[axis] }
      start += x.shape[axis]
      return slice(ct, specs)
    })
  },
  showParams: (p) => `axis=${p.axis}`,
}

/**
 * Joins tensors along an existing axis. All other dimensions and the dtypes must agree.
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const c = ops.concat([ops.tensor([[1, 2]]), ops.tensor([[3, 4], [5, 6]])], 0)
 * assert.deepStrictEqual(ops.toArray(c), [[1, 2], [3, 4], [5, 6]])
 * ```
 */
export const concat = (ts: ReadonlyArray<Tensor>, axis = 0): Tensor => {
  if (ts.length === 0 || ts[0].shape.length === 0) return T.concat(ts, axis) // throws the tensor layer's error
  return call(concatPrim, ts, { axis: normAxis('concat', axis, ts[0].shape.length, ts[0].shape) })
}

/**
 * Stacks tensors of one shape along a new axis.
 *
 * `stack(ts, a) = concat(ts.map(t => expandDims(t, a)), a)`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = ops.stack([ops.tensor([1, 2]), ops.tensor([3, 4])], 1)
 * assert.deepStrictEqual(ops.toArray(s), [[1, 3], [2, 4]])
 * ```
 */
export const stack = (ts: ReadonlyArray<Tensor>, axis = 0): Tensor => {
  if (ts.length === 0) throw new ShapeError('stack', 'needs at least one tensor')
  const s0 = ts[0].shape
  for (const t of ts) {
    if (!shapeEquals(t.shape, s0)) {
      throw new ShapeError('stack', `all shapes must be equal, got ${ts.map((u) => showShape(u.shape)).join(', ')}`, ts.map((u) => u.shape))
    }
  }
  const a = normAxis('stack', axis, s0.length + 1, s0)
  return concat(ts.map((t) => expandDims(t, a)), a)
}

/**
 * Splits a tensor along an axis: into `sections` equal parts (the length must divide), or
 * into parts of the given sizes (which must add up to the length), as `torch.split`.
 *
 * `concat(split(t, s, a), a) = t`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [a, b] = ops.split(ops.arange(6), [4, 2])
 * assert.deepStrictEqual([ops.toArray(a), ops.toArray(b)], [[0, 1, 2, 3], [4, 5]])
 * assert.strictEqual(ops.split(ops.zeros([6, 2]), 3).length, 3)
 * ```
 */
export const split = (t: Tensor, sections: number | ReadonlyArray<number>, axis = 0): Tensor[] => {
  const a = normAxis('split', axis, t.shape.length, t.shape)
  const n = t.shape[a]
  let sizes: number[]
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0) {
      throw new ShapeError('split', `cannot split axis ${a} of length ${n} (shape ${showShape(t.shape)}) into ${sections} equal parts`, [t.shape], a)
    }
    sizes = new Array<number>(sections).fill(n / sections)
  } else {
    sizes = [...sections]
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((x, y) => x + y, 0) !== n) {
      throw new ShapeError('split', `sizes [${sizes.join(',')}] must be non-negative integers adding up to ${n}, the length of axis ${a} of ${showShape(t.shape)}`, [t.shape], a)
    }
  }
  let start = 0
  return sizes.map((s) => {
    const specs: (SliceSpec | undefined)[] = t.shape.map(() => undefined)
    specs[a] = { start, stop: start + s }
    start += s
    return slice(t, specs)
  })
}

/**
 * Splits a tensor into the slices along an axis, removing that axis (inverse of `stack`).
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const rows = ops.unstack(ops.tensor([[1, 2], [3, 4]]))
 * assert.deepStrictEqual(rows.map(ops.toArray), [[1, 2], [3, 4]])
 * ```
 */
export const unstack = (t: Tensor, axis = 0): Tensor[] => {
  const a = normAxis('unstack', axis, t.shape.length, t.shape)
  return Array.from({ length: t.shape[a] }, (_, i) => {
    const specs: (number | undefined)[] = new Array(a + 1).fill(undefined)
    specs[a] = i
    return slice(t, specs)
  })
}

const oneHotPrim = nondiff<{ readonly depth: number; readonly dtype: DType }>('oneHot', ([y], p) => T.oneHot(y, p.depth, p.dtype), 1)

/**
 * One-hot encoding: for integer labels of shape `S`, a tensor of shape `S ++ [depth]`
 * with 1 at each label's position and 0 elsewhere.
 *
 * `oneHot(y, d)[…, k] = (y[…] = k ? 1 : 0)`
 *
 * @category layout
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.oneHot([2, 0], 3)), [[0, 0, 1], [1, 0, 0]])
 * ```
 */
export const oneHot = (labels: Tensor | ReadonlyArray<number>, depth: number, dtype: DType = 'float32'): Tensor => {
  const y = Array.isArray(labels) ? T.fromArray(labels as number[], [labels.length], 'float64') : (labels as Tensor)
  return call(oneHotPrim, [y], { depth, dtype })
}

/** @internal astype: linear, the tangent converts too. */
export const astypePrim: Primitive<{ readonly dtype: DType }> = {
  name: 'astype',
  impl: ([x], { dtype }) => T.astype(x, dtype),
  jvp: (_, [t], __, p) => call(astypePrim, [t as Tensor], p),
  vjp: (ct, [x]) => [call(astypePrim, [ct], { dtype: x.dtype })],
  showParams: (p) => p.dtype,
}

/**
 * Converts a tensor to another dtype (a copy; float64 → float32 rounds to nearest).
 *
 * @category conversions
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = ops.astype(ops.tensor([0.1], 'float64'), 'float32')
 * assert.strictEqual(ops.get(t, 0), Math.fround(0.1))
 * ```
 */
export const astype = (t: Tensor, dtype: DType): Tensor => {
  checkDType('astype', dtype)
  return t.dtype === dtype ? t : call(astypePrim, [t], { dtype })
}

/** @internal Layout primitives for the table. */
export const layoutPrims = {
  reshape: reshapePrim, transpose: transposePrim, broadcastTo: broadcastPrim, pad: padPrim, concat: concatPrim,
  oneHot: oneHotPrim, astype: astypePrim, ...selectPrims,
}


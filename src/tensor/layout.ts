/**
 * Shape and layout: reshaping, permuting, broadcasting, slicing, gathering, joining,
 * splitting, padding, flipping, tiling. None of these does arithmetic; each result is a
 * fresh contiguous tensor (or the input itself when nothing changes).
 *
 * Laws:
 * - `reshape(reshape(t, s), t.shape) = t`;
 * - `transpose(transpose(t, p), inverse(p)) = t`, `transpose(transpose(t, p), q) = transpose(t, p∘q)`;
 * - `slice(t, [{start, stop, step}])[i] = t[start + i·step]`;
 * - `flip(flip(t, ax), ax) = t`;
 * - `take(t, arange(n), ax) = t` for `n = t.shape[ax]`;
 * - `pad(t, w)` sliced back by `w` is `t`.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import { broadcastShapes, checkShape, normAxes, normAxis, shapeEquals, sizeOf, stridesOf, type Shape } from './Shape.js'
import { alloc, make, raw, type DType, type Tensor } from './Tensor.js'

/**
 * Materialises a strided view of `t`: element `i` of the result (row-major over `shape`)
 * is `t.data[offset + Σ iₖ·strides[k]]`.
 */
const gatherStrided = (t: Tensor, shape: Shape, strides: ReadonlyArray<number>, offset: number): Tensor => {
  const src = raw(t)
  const n = sizeOf(shape)
  const out = alloc(t.dtype, n)
  const r = shape.length
  if (n === 0) return make(t.dtype, shape, out)
  if (r === 0) {
    out[0] = src[offset]
    return make(t.dtype, shape, out)
  }
  const last = r - 1
  const L = shape[last]
  const sl = strides[last]
  const idx = new Array<number>(r).fill(0)
  let off = offset
  for (let o = 0; o < n; o += L) {
    if (sl === 1) for (let j = 0; j < L; j++) out[o + j] = src[off + j]
    else for (let j = 0; j < L; j++) out[o + j] = src[off + j * sl]
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++
      off += strides[d]
      if (idx[d] < shape[d]) break
      off -= strides[d] * shape[d]
      idx[d] = 0
    }
  }
  return make(t.dtype, shape, out)
}

/** @internal The value of `ops.reshape` (documented there). */
export const reshape = (t: Tensor, shape: Shape): Tensor => {
  const holes = shape.filter((d) => d === -1).length
  if (holes > 1) throw new ShapeError('reshape', `only one dimension may be -1, got ${showShape(shape)}`, [t.shape, shape])
  const known = shape.filter((d) => d !== -1)
  checkShape('reshape', known)
  const n = t.data.length
  const rest = sizeOf(known)
  let target: number[]
  if (holes === 1) {
    if (rest === 0 || n % rest !== 0) {
      throw new ShapeError('reshape', `cannot reshape ${showShape(t.shape)} (${n} elements) into ${showShape(shape)}`, [t.shape, shape])
    }
    target = shape.map((d) => (d === -1 ? n / rest : d))
  } else {
    target = [...shape]
  }
  if (sizeOf(target) !== n) {
    throw new ShapeError('reshape', `cannot reshape ${showShape(t.shape)} (${n} elements) into ${showShape(shape)} (${sizeOf(target)} elements)`, [t.shape, shape])
  }
  if (shapeEquals(target, t.shape)) return t
  return make(t.dtype, target, t.data)
}

const checkPerm = (op: string, perm: ReadonlyArray<number>, shape: Shape): number[] => {
  const r = shape.length
  if (perm.length !== r) {
    throw new ShapeError(op, `permutation [${perm.join(',')}] has ${perm.length} axes, shape ${showShape(shape)} has ${r}`, [shape])
  }
  const p = perm.map((a) => normAxis(op, a, r, shape))
  if (new Set(p).size !== r) throw new ShapeError(op, `[${perm.join(',')}] is not a permutation of the axes of ${showShape(shape)}`, [shape])
  return p
}

/** @internal The value of `ops.transpose` (documented there). */
export const transpose = (t: Tensor, perm?: ReadonlyArray<number>): Tensor => {
  const r = t.shape.length
  const p = perm === undefined ? Array.from({ length: r }, (_, i) => r - 1 - i) : checkPerm('transpose', perm, t.shape)
  if (p.every((a, i) => a === i)) return t
  const st = stridesOf(t.shape)
  return gatherStrided(t, p.map((a) => t.shape[a]), p.map((a) => st[a]), 0)
}

/** @internal The value of `ops.broadcastTo` (documented there). */
export const broadcastTo = (t: Tensor, shape: Shape): Tensor => {
  checkShape('broadcastTo', shape)
  const b = broadcastShapes(t.shape, shape, 'broadcastTo')
  if (!shapeEquals(b, shape)) {
    throw new ShapeError('broadcastTo', `cannot broadcast ${showShape(t.shape)} to ${showShape(shape)}`, [t.shape, shape])
  }
  if (shapeEquals(t.shape, shape)) return t
  const st = stridesOf(t.shape)
  const off = shape.length - t.shape.length
  const strides = shape.map((_, i) => (i < off || t.shape[i - off] === 1 ? 0 : st[i - off]))
  return gatherStrided(t, shape, strides, 0)
}

/**
 * One axis of a slice: `start` (inclusive), `stop` (exclusive), `step` (non-zero, may be
 * negative), each optional, with Python's meaning of negative and missing values.
 *
 * @category layout
 * @since 0.1.0
 */
export interface SliceSpec {
  /** First index taken; negative counts from the end. */
  readonly start?: number
  /** Index where taking stops (excluded); negative counts from the end. */
  readonly stop?: number
  /** Distance between taken indices; negative walks backwards. Default 1. */
  readonly step?: number
}

/** @internal The value of `ops.slice` (documented there). */
export const slice = (t: Tensor, specs: ReadonlyArray<SliceSpec | number | null | undefined>): Tensor => {
  const r = t.shape.length
  if (specs.length > r) {
    throw new ShapeError('slice', `${specs.length} slice specs for shape ${showShape(t.shape)} of rank ${r}`, [t.shape])
  }
  const st = stridesOf(t.shape)
  let offset = 0
  const shape: number[] = []
  const strides: number[] = []
  for (let k = 0; k < r; k++) {
    const n = t.shape[k]
    const s = specs[k]
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -n || s >= n) {
        throw new ShapeError('slice', `index ${s} is out of range for axis ${k} of shape ${showShape(t.shape)}`, [t.shape], k)
      }
      offset += (s < 0 ? s + n : s) * st[k]
      continue
    }
    const step = s?.step ?? 1
    if (!Number.isInteger(step) || step === 0) {
      throw new ShapeError('slice', `step must be a non-zero integer on axis ${k}, got ${step}`, [t.shape], k)
    }
    const clamp = (v: number | undefined, dflt: number, lo: number, hi: number): number => {
      if (v === undefined) return dflt
      if (!Number.isInteger(v)) throw new ShapeError('slice', `slice bound ${v} on axis ${k} is not an integer`, [t.shape], k)
      const w = v < 0 ? v + n : v
      return Math.min(Math.max(w, lo), hi)
    }
    let start: number
    let len: number
    if (step > 0) {
      start = clamp(s?.start, 0, 0, n)
      const stop = clamp(s?.stop, n, 0, n)
      len = Math.max(0, Math.ceil((stop - start) / step))
    } else {
      start = clamp(s?.start, n - 1, -1, n - 1)
      const stop = clamp(s?.stop, -1, -1, n - 1)
      len = Math.max(0, Math.ceil((stop - start) / step))
    }
    if (len > 0) offset += start * st[k]
    shape.push(len)
    strides.push(step * st[k])
  }
  if (sizeOf(shape) === 0) return make(t.dtype, shape, alloc(t.dtype, 0))
  return gatherStrided(t, shape, strides, offset)
}

const indexList = (op: string, indices: Tensor | ReadonlyArray<number>, n: number, shape: Shape, axis: number): number[] => {
  const list = Array.isArray(indices) ? (indices as number[]) : Array.from((indices as Tensor).data as ArrayLike<number>)
  return list.map((i) => {
    if (!Number.isInteger(i) || i < -n || i >= n) {
      throw new ShapeError(op, `index ${i} is out of range for axis ${axis} of shape ${showShape(shape)}`, [shape], axis)
    }
    return i < 0 ? i + n : i
  })
}

/** @internal The value of `ops.take` (documented there). */
export const take = (t: Tensor, indices: Tensor | ReadonlyArray<number>, axis = 0): Tensor => {
  const r = t.shape.length
  const a = normAxis('take', axis, r, t.shape)
  const n = t.shape[a]
  const idx = indexList('take', indices, n, t.shape, a)
  const idxShape = Array.isArray(indices) ? [indices.length] : (indices as Tensor).shape
  const outer = sizeOf(t.shape.slice(0, a))
  const inner = sizeOf(t.shape.slice(a + 1))
  const src = raw(t)
  const out = alloc(t.dtype, outer * idx.length * inner)
  let o = 0
  for (let i = 0; i < outer; i++) {
    for (const j of idx) {
      const base = (i * n + j) * inner
      for (let k = 0; k < inner; k++) out[o++] = src[base + k]
    }
  }
  return make(t.dtype, [...t.shape.slice(0, a), ...idxShape, ...t.shape.slice(a + 1)], out)
}

/** @internal The value of `ops.concat` (documented there). */
export const concat = (ts: ReadonlyArray<Tensor>, axis = 0): Tensor => {
  if (ts.length === 0) throw new ShapeError('concat', 'needs at least one tensor')
  const first = ts[0]
  const r = first.shape.length
  if (r === 0) throw new ShapeError('concat', 'cannot concatenate scalars (use stack)', ts.map((t) => t.shape))
  const a = normAxis('concat', axis, r, first.shape)
  for (const t of ts) {
    if (t.dtype !== first.dtype) throw new ShapeError('concat', `dtypes differ: ${first.dtype} and ${t.dtype}`, ts.map((u) => u.shape))
    if (t.shape.length !== r || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(
        'concat',
        `shapes ${ts.map((u) => showShape(u.shape)).join(', ')} differ outside axis ${a}`,
        ts.map((u) => u.shape),
        a,
      )
    }
  }
  const outer = sizeOf(first.shape.slice(0, a))
  const inner = sizeOf(first.shape.slice(a + 1))
  const total = ts.reduce((s, t) => s + t.shape[a], 0)
  const out = alloc(first.dtype, outer * total * inner)
  let o = 0
  for (let i = 0; i < outer; i++) {
    for (const t of ts) {
      const src = raw(t)
      const block = t.shape[a] * inner
      const base = i * block
      for (let k = 0; k < block; k++) out[o++] = src[base + k]
    }
  }
  const shape = [...first.shape]
  shape[a] = total
  return make(first.dtype, shape, out)
}

/** @internal The value of `ops.pad` (documented there). */
export const pad = (t: Tensor, widths: ReadonlyArray<readonly [number, number]>, value = 0): Tensor => {
  const r = t.shape.length
  const w = widths.length === 1 && r !== 1 ? new Array(r).fill(widths[0]) : widths
  if (w.length !== r) {
    throw new ShapeError('pad', `${w.length} pad widths for shape ${showShape(t.shape)} of rank ${r}`, [t.shape])
  }
  w.forEach(([b, e], k) => {
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e < 0) {
      throw new ShapeError('pad', `pad widths must be non-negative integers, got [${b},${e}] on axis ${k}`, [t.shape], k)
    }
  })
  const shape = t.shape.map((d, k) => d + w[k][0] + w[k][1])
  const out = alloc(t.dtype, sizeOf(shape))
  if (value !== 0) out.fill(value)
  const n = t.data.length
  if (n === 0) return make(t.dtype, shape, out)
  if (r === 0) {
    out[0] = t.data[0]
    return make(t.dtype, shape, out)
  }
  const ost = stridesOf(shape)
  const src = raw(t)
  const last = r - 1
  const L = t.shape[last]
  const idx = new Array<number>(r).fill(0)
  let off = w.reduce((s, [b], k) => s + b * ost[k], 0)
  for (let i = 0; i < n; i += L) {
    for (let j = 0; j < L; j++) out[off + j] = src[i + j]
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++
      off += ost[d]
      if (idx[d] < t.shape[d]) break
      off -= ost[d] * t.shape[d]
      idx[d] = 0
    }
  }
  return make(t.dtype, shape, out)
}

/** @internal The value of `ops.flip` (documented there). */
export const flip = (t: Tensor, axes?: number | ReadonlyArray<number>): Tensor => {
  const ax = normAxes('flip', axes, t.shape)
  if (t.data.length === 0) return t
  const st = stridesOf(t.shape)
  let offset = 0
  const strides = st.map((s, k) => {
    if (!ax.includes(k)) return s
    offset += (t.shape[k] - 1) * s
    return -s
  })
  return gatherStrided(t, t.shape, strides, offset)
}

/** @internal The value of `ops.tile` (documented there). */
export const tile = (t: Tensor, reps: ReadonlyArray<number>): Tensor => {
  reps.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 0) throw new ShapeError('tile', `repetition ${k} at position ${i} is not a non-negative integer`, [t.shape], i)
  })
  const r = Math.max(reps.length, t.shape.length)
  const s = [...new Array<number>(r - t.shape.length).fill(1), ...t.shape]
  const rp = [...new Array<number>(r - reps.length).fill(1), ...reps]
  // view as [1, s0, 1, s1, …], broadcast to [r0, s0, r1, s1, …], then merge pairs
  const expanded = reshape(t, s.flatMap((d) => [1, d]))
  const b = broadcastTo(expanded, s.flatMap((d, i) => [rp[i], d]))
  return reshape(b, s.map((d, i) => d * rp[i]))
}

/** @internal The value of `ops.oneHot` (documented there). */
export const oneHot = (labels: Tensor | ReadonlyArray<number>, depth: number, dtype: DType = 'float32'): Tensor => {
  if (!Number.isInteger(depth) || depth <= 0) throw new DomainError('oneHot', `depth must be a positive integer, got ${depth}`)
  const shape = Array.isArray(labels) ? [labels.length] : (labels as Tensor).shape
  const list = Array.isArray(labels) ? (labels as number[]) : Array.from((labels as Tensor).data as ArrayLike<number>)
  const idx = list.map((k, i) => {
    if (!Number.isInteger(k) || k < 0 || k >= depth) {
      throw new DomainError('oneHot', `label ${k} at flat position ${i} is not an integer in [0, ${depth}) (labels shape ${showShape(shape)})`, [shape])
    }
    return k
  })
  const out = alloc(dtype, idx.length * depth)
  idx.forEach((k, i) => {
    out[i * depth + k] = 1
  })
  return make(dtype, [...shape, depth], out)
}

/**
 * Shared helpers of the law and spec suites: one `allClose` with the house tolerances,
 * and fast-check arbitraries for shapes and tensors. (Issue 7 moves these into the public
 * `dendrite/testing` entry point.)
 */
import fc from 'fast-check'
import { ops, type DType, type Tensor } from 'dendrite'

/** Tolerances of the house style. */
export const tol = {
  f64: { rtol: 1e-9, atol: 1e-9 },
  f32: { rtol: 1e-5, atol: 1e-5 },
} as const

/** Default tolerance for a dtype. */
export const tolFor = (dtype: DType): { rtol: number; atol: number } => (dtype === 'float64' ? tol.f64 : tol.f32)

const flat = (x: Tensor | ops.NestedArray): { shape: readonly number[]; data: ArrayLike<number> } => {
  if (typeof x === 'object' && x !== null && 'data' in x) return { shape: x.shape, data: x.data as ArrayLike<number> }
  const t = ops.tensor(x as ops.NestedArray, 'float64')
  return { shape: t.shape, data: t.data as ArrayLike<number> }
}

/**
 * Throws unless `actual` and `expected` have the same shape and
 * `|a − e| ≤ atol + rtol·|e|` everywhere (NaN matches only NaN). The message names the
 * worst element: its flat index, both values and the error.
 */
export const allClose = (
  actual: Tensor | ops.NestedArray,
  expected: Tensor | ops.NestedArray,
  opts: { rtol?: number; atol?: number } = {},
): void => {
  const a = flat(actual)
  const e = flat(expected)
  const rtol = opts.rtol ?? 1e-9
  const atol = opts.atol ?? 1e-9
  if (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape[i])) {
    throw new Error(`allClose: shapes differ: [${a.shape.join(',')}] vs [${e.shape.join(',')}]`)
  }
  let worst = -1
  let worstExcess = 0
  for (let i = 0; i < e.data.length; i++) {
    const x = a.data[i]
    const y = e.data[i]
    if (Number.isNaN(x) && Number.isNaN(y)) continue
    if (x === y) continue
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y))
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i
      worstExcess = excess
    }
  }
  if (worst >= 0) {
    const x = a.data[worst]
    const y = e.data[worst]
    throw new Error(
      `allClose: element ${worst} differs: actual ${x}, expected ${y}, |error| ${Math.abs(x - y)} > ${atol} + ${rtol}·|expected|`,
    )
  }
}

/** A shape with rank in [minRank, maxRank] and dimensions in [minDim, maxDim]. */
export const arbShape = (o: { minRank?: number; maxRank?: number; minDim?: number; maxDim?: number } = {}) =>
  fc.array(fc.integer({ min: o.minDim ?? 1, max: o.maxDim ?? 4 }), {
    minLength: o.minRank ?? 0,
    maxLength: o.maxRank ?? 3,
  })

/**
 * Uniform reals in [min, max] on a grid of 2³⁰ steps. (fast-check's `double` is uniform
 * over representable doubles, so most of its draws are tiny in magnitude; laws about
 * derivatives need values of ordinary size.)
 */
export const uniform = (min: number, max: number) => fc.integer({ min: 0, max: 2 ** 30 }).map((n) => min + ((max - min) * n) / 2 ** 30)

/**
 * Finite numbers in [min, max] (default [-10, 10]), representable in the dtype: mostly of
 * ordinary size, sometimes the edge cases `double`/`float` favour (0, −0, subnormals).
 */
export const arbValue = (dtype: DType = 'float64', min = -10, max = 10) =>
  dtype === 'float32'
    ? fc.oneof(
        { weight: 4, arbitrary: uniform(min, max).map((x) => Math.min(Math.max(Math.fround(x), Math.fround(min)), Math.fround(max))) },
        { weight: 1, arbitrary: fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true, noDefaultInfinity: true }).map((x) => x + 0) },
      )
    : fc.oneof(
        { weight: 4, arbitrary: uniform(min, max) },
        { weight: 1, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0) },
      )

/** A tensor of the given shape with values in [min, max]. */
export const arbTensorOf = (shape: readonly number[], dtype: DType = 'float64', min = -10, max = 10) =>
  fc
    .array(arbValue(dtype, min, max), { minLength: ops.sizeOf(shape), maxLength: ops.sizeOf(shape) })
    .map((xs) => ops.fromArray(xs, shape, dtype))

/** A tensor of random shape (see `arbShape`) with values in [min, max]. */
export const arbTensor = (
  o: { minRank?: number; maxRank?: number; minDim?: number; maxDim?: number; dtype?: DType; min?: number; max?: number } = {},
) => arbShape(o).chain((s) => arbTensorOf(s, o.dtype ?? 'float64', o.min ?? -10, o.max ?? 10))

/** A bit-exact snapshot of a tensor, to check that an operation left its input alone. */
export const snapshot = (t: Tensor): { shape: number[]; dtype: DType; bits: number[] } => ({
  shape: [...t.shape],
  dtype: t.dtype,
  bits: Array.from(new Uint8Array((t.data as unknown as Float64Array).buffer.slice(0))),
})

/** Swaps the last two axes with a plain index loop (independent of `ops.transpose`). */
export const tr = (t: Tensor): Tensor => {
  const r = t.shape.length
  const [m, n] = [t.shape[r - 2], t.shape[r - 1]]
  const nb = t.data.length / (m * n || 1)
  const out = new Float64Array(t.data.length)
  for (let b = 0; b < nb; b++)
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[b * m * n + j * m + i] = t.data[b * m * n + i * n + j]
  return ops.fromArray(out, [...t.shape.slice(0, -2), n, m], t.dtype)
}

/** The b-th matrix of a batch [B, m, n], as a 2-D tensor. */
export const at = (t: Tensor, b: number): Tensor => {
  const [m, n] = t.shape.slice(-2)
  return ops.fromArray(Array.from({ length: m * n }, (_, i) => t.data[b * m * n + i]), [m, n], t.dtype)
}

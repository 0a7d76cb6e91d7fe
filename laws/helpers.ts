/**
 * Shared helpers of the law and spec suites. Comparisons and arbitraries come from the
 * public `dendrite/testing` entry point (one implementation for users and for us); this
 * file only fixes the house defaults.
 */
import { ops, type DType, type Tensor } from 'dendrite'
import { allClose as allCloseT, arb, type Tolerance } from 'dendrite/testing'

/** Tolerances of the house style. */
export const tol = {
  f64: { rtol: 1e-9, atol: 1e-9 },
  f32: { rtol: 1e-5, atol: 1e-5 },
} as const

/** Default tolerance for a dtype. */
export const tolFor = (dtype: DType): { rtol: number; atol: number } => (dtype === 'float64' ? tol.f64 : tol.f32)

/**
 * `allClose` of dendrite/testing with the house default of 1e-9 (laws say when they need
 * more).
 */
export const allClose = (actual: Tensor | ops.NestedArray, expected: Tensor | ops.NestedArray, tol: Tolerance = {}): void =>
  allCloseT(actual, expected, { rtol: tol.rtol ?? 1e-9, atol: tol.atol ?? 1e-9 })

/** A shape with rank in [minRank, maxRank] and dimensions in [minDim, maxDim]. */
export const arbShape = (o: { minRank?: number; maxRank?: number; minDim?: number; maxDim?: number } = {}) => arb.shape(o)

/** Reals of ordinary size in [min, max] (fast-check's `double` is mostly tiny values). */
export const uniform = (min: number, max: number) => arb.value({ min, max })

/** Numbers in [min, max] of the dtype: mostly ordinary, sometimes 0, −0, subnormals. */
export const arbValue = (dtype: DType = 'float64', min = -10, max = 10) => arb.value({ dtype, min, max, edgeCases: true })

/** A tensor of the given shape with values in [min, max] (edge cases included). */
export const arbTensorOf = (shape: readonly number[], dtype: DType = 'float64', min = -10, max = 10) =>
  arb.tensor({ shape, dtype, min, max, edgeCases: true })

/** A tensor of random shape (see `arbShape`) with values in [min, max]. */
export const arbTensor = (
  o: { minRank?: number; maxRank?: number; minDim?: number; maxDim?: number; dtype?: DType; min?: number; max?: number } = {},
) => arb.tensor({ ...o, edgeCases: true })

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

/**
 * A typed array of `n` values in [−1, 1) from a linear congruential generator: cheap,
 * deterministic raw buffers for the kernel laws (which work below tensors).
 */
export const lcgFill = (n: number, seed: number, F: Float32ArrayConstructor | Float64ArrayConstructor): Float32Array | Float64Array => {
  const a = new F(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    a[i] = (s / 2 ** 32) * 2 - 1
  }
  return a
}

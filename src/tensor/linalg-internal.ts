/**
 * Internal float64 loops behind `linalg.ts`: Cholesky, LU with partial pivoting, and the
 * triangular solves that use them. They work in place on `Float64Array` buffers the
 * caller owns (never on a tensor's data), one `n × n` matrix at offset `off`, row-major.
 *
 * Laws (exact arithmetic):
 * - after `choleskyInPlace(a)` succeeds, `L Lᵀ = A` with `L` the lower triangle of `a`;
 * - after `luInPlace(a, perm)`, `A[perm[i], :] = (L U)[i, :]` with `L` the unit lower
 *   triangle and `U` the upper triangle of `a`; the returned sign is `det(P)`;
 * - `luSolveInPlace` and `choleskySolveInPlace` overwrite `B` with `A⁻¹ B`.
 *
 * Not part of the public API (nothing here is re-exported by `ops`).
 *
 * @module
 */
import type { DType, Tensor } from './Tensor.js'
import { make, raw } from './Tensor.js'
import type { Shape } from './Shape.js'

/** @internal Machine epsilon of float64, 2⁻⁵². */
export const EPS64 = 2 ** -52

/** @internal A float64 copy of a tensor's data (the input is never written). */
export const toF64 = (t: Tensor): Float64Array => Float64Array.from(raw(t))

/**
 * @internal Wraps a float64 work buffer as a tensor of `dtype` (rounding to float32 when
 * asked). The buffer is handed over: the caller must not touch it again.
 */
export const fromF64 = (dtype: DType, shape: Shape, buf: Float64Array): Tensor =>
  make(dtype, shape, dtype === 'float64' ? buf : Float32Array.from(buf))

/** @internal Where and why a Cholesky factorisation stopped. */
export interface CholeskyFailure {
  /** Index of the pivot that was not positive (or not above the threshold). */
  readonly pivot: number
  /** The value that pivot would have had, `Aⱼⱼ − Σₚ Lⱼₚ²`. */
  readonly value: number
}

/**
 * @internal Cholesky factorisation in place: reads the lower triangle of the `n × n`
 * matrix at `off`, overwrites it with `L` (and zeroes the strict upper triangle), so that
 * `L Lᵀ = A`. A pivot `d` with `!(d > tiny)` (including NaN) stops the factorisation and
 * is returned; `undefined` means success.
 */
export const choleskyInPlace = (a: Float64Array, off: number, n: number, tiny = 0): CholeskyFailure | undefined => {
  for (let j = 0; j < n; j++) {
    const rj = off + j * n
    let d = a[rj + j]
    for (let p = 0; p < j; p++) d -= a[rj + p] * a[rj + p]
    if (!(d > tiny)) return { pivot: j, value: d }
    const ljj = Math.sqrt(d)
    a[rj + j] = ljj
    for (let i = j + 1; i < n; i++) {
      const ri = off + i * n
      let s = a[ri + j]
      for (let p = 0; p < j; p++) s -= a[ri + p] * a[rj + p]
      a[ri + j] = s / ljj
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[off + i * n + j] = 0
  return undefined
}

/**
 * @internal Solves `L Lᵀ X = B` in place: `b` holds `B` (`n × k`, row-major, at `bOff`)
 * and receives `X`; `l` holds `L` from `choleskyInPlace`.
 */
export const choleskySolveInPlace = (
  l: Float64Array, lOff: number, n: number, b: Float64Array, bOff: number, k: number,
): void => {
  // forward: L Y = B
  for (let i = 0; i < n; i++) {
    const ri = bOff + i * k
    for (let p = 0; p < i; p++) {
      const f = l[lOff + i * n + p]
      if (f === 0) continue
      const rp = bOff + p * k
      for (let c = 0; c < k; c++) b[ri + c] -= f * b[rp + c]
    }
    const d = l[lOff + i * n + i]
    for (let c = 0; c < k; c++) b[ri + c] /= d
  }
  // backward: Lᵀ X = Y
  for (let i = n - 1; i >= 0; i--) {
    const ri = bOff + i * k
    for (let p = i + 1; p < n; p++) {
      const f = l[lOff + p * n + i]
      if (f === 0) continue
      const rp = bOff + p * k
      for (let c = 0; c < k; c++) b[ri + c] -= f * b[rp + c]
    }
    const d = l[lOff + i * n + i]
    for (let c = 0; c < k; c++) b[ri + c] /= d
  }
}

/**
 * @internal LU factorisation with partial pivoting, in place: afterwards the strict lower
 * triangle of the `n × n` matrix at `off` holds the multipliers of the unit lower `L`, the
 * upper triangle holds `U`, and `perm` (length `n`) the row order, so that
 * `A[perm[i], :] = (L U)[i, :]`. Returns the sign of the permutation. A zero pivot column
 * is skipped (its multipliers stay 0), so this never fails; `U` then has a zero pivot.
 */
export const luInPlace = (a: Float64Array, off: number, n: number, perm: Int32Array): number => {
  for (let i = 0; i < n; i++) perm[i] = i
  let sign = 1
  for (let k = 0; k < n; k++) {
    let p = k
    let best = Math.abs(a[off + k * n + k])
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[off + i * n + k])
      if (v > best) {
        best = v
        p = i
      }
    }
    if (p !== k) {
      const rk = off + k * n
      const rp = off + p * n
      for (let j = 0; j < n; j++) {
        const t = a[rk + j]
        a[rk + j] = a[rp + j]
        a[rp + j] = t
      }
      const t = perm[k]
      perm[k] = perm[p]
      perm[p] = t
      sign = -sign
    }
    const rk = off + k * n
    const piv = a[rk + k]
    if (piv === 0) continue
    for (let i = k + 1; i < n; i++) {
      const ri = off + i * n
      const f = a[ri + k] / piv
      a[ri + k] = f
      if (f === 0) continue
      for (let j = k + 1; j < n; j++) a[ri + j] -= f * a[rk + j]
    }
  }
  return sign
}

/**
 * @internal The first pivot of an LU factorisation that is zero to working precision,
 * or -1: `|Uⱼⱼ| ≤ n·ε·maxᵢ|Aᵢⱼ|`, with `colMax[j] = maxᵢ|Aᵢⱼ|` of the original matrix.
 * Scaling a column of `A` scales the same column of `U`, so the test does not depend on
 * column scaling.
 */
export const singularPivot = (lu: Float64Array, off: number, n: number, colMax: Float64Array): number => {
  for (let j = 0; j < n; j++) {
    if (Math.abs(lu[off + j * n + j]) <= n * EPS64 * colMax[j]) return j
  }
  return -1
}

/** @internal `maxᵢ|Aᵢⱼ|` for each column `j` of the `n × n` matrix at `off`. */
export const columnMax = (a: Float64Array, off: number, n: number): Float64Array => {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = Math.abs(a[off + i * n + j])
      if (v > out[j]) out[j] = v
    }
  }
  return out
}

/**
 * @internal Solves `A X = B` from `luInPlace`'s output: returns a fresh `n × k` buffer
 * `X`; `b` (at `bOff`) is only read.
 */
export const luSolve = (
  lu: Float64Array, luOff: number, n: number, perm: Int32Array, b: Float32Array | Float64Array, bOff: number, k: number,
): Float64Array => {
  const x = new Float64Array(n * k)
  for (let i = 0; i < n; i++) {
    const src = bOff + perm[i] * k
    for (let c = 0; c < k; c++) x[i * k + c] = b[src + c]
  }
  // forward: L Y = P B (unit diagonal)
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < i; p++) {
      const f = lu[luOff + i * n + p]
      if (f === 0) continue
      for (let c = 0; c < k; c++) x[i * k + c] -= f * x[p * k + c]
    }
  }
  // backward: U X = Y
  for (let i = n - 1; i >= 0; i--) {
    for (let p = i + 1; p < n; p++) {
      const f = lu[luOff + i * n + p]
      if (f === 0) continue
      for (let c = 0; c < k; c++) x[i * k + c] -= f * x[p * k + c]
    }
    const d = lu[luOff + i * n + i]
    for (let c = 0; c < k; c++) x[i * k + c] /= d
  }
  return x
}

/**
 * Weight initialisers: pure functions of a PRNG key, a shape and a dtype.
 *
 * Fans (as JAX for dense kernels, as PyTorch for convolution kernels):
 * - rank 2, a dense kernel `[in, out]`: `fanIn = in`, `fanOut = out` (note: PyTorch's
 *   `Linear.weight` is `[out, in]`; ours is `[in, out]`, `y = x W + b`);
 * - rank ≥ 3, a convolution kernel OIHW `[out, in, ...k]`: with `r = Π k`, `fanIn = in·r`,
 *   `fanOut = out·r`;
 * - rank 1: `fanIn = fanOut = n`; rank 0: both 1.
 *
 * Variance scaling with scale `s` and `n` = fanIn, fanOut or their mean:
 * - uniform on `[−a, a]`, `a = √(3s/n)`, so `Var = s/n`;
 * - truncated normal on `[−2σ₀, 2σ₀]` with `σ₀ = √(s/n) / 0.87962566103423978` (the
 *   standard deviation of a standard normal truncated to [−2, 2]), so `Var = s/n`; this is
 *   JAX's `variance_scaling(..., 'truncated_normal')` (PyTorch's `*_normal_` are untruncated).
 *
 * Laws: `Var[glorot*] = 2/(fanIn + fanOut)`, `Var[he*] = 2/fanIn`, `Var[lecun*] = 1/fanIn`,
 * all with mean 0; `orthogonal(k, [n, m])` has orthonormal columns (`n ≥ m`) or rows
 * (`n < m`); every initialiser is deterministic in its key.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import * as ops from '../ops/index.js'
import { normal, truncatedNormal, uniform, type Key } from '../random/index.js'
import type { Shape } from '../tensor/Shape.js'
import type { DType, Tensor } from '../tensor/Tensor.js'

/**
 * An initialiser: a pure function of a key, a shape and a dtype (default `'float32'`).
 *
 * @category initializers
 * @since 0.1.0
 */
export type Initializer = (key: Key, shape: Shape, dtype?: DType) => Tensor

/**
 * Which fan a variance-scaling initialiser divides by.
 *
 * @category initializers
 * @since 0.1.0
 */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg'

/**
 * The distribution of a variance-scaling initialiser.
 *
 * @category initializers
 * @since 0.1.0
 */
export type Distribution = 'uniform' | 'truncatedNormal' | 'normal'

/**
 * The fan-in and fan-out of a kernel shape.
 *
 * @category initializers
 * @since 0.1.0
 */
export interface Fans {
  /** Inputs feeding one output unit. */
  readonly fanIn: number
  /** Outputs fed by one input unit. */
  readonly fanOut: number
}

/** Standard deviation of a standard normal truncated to [−2, 2] (as in JAX). */
const TRUNC_STD = 0.87962566103423978

/**
 * The fan-in and fan-out of a kernel shape: dense `[in, out]`, convolution OIHW
 * `[out, in, ...k]` (receptive field `Π k`).
 *
 * `dense: (in, out)`, `conv: (in·Πk, out·Πk)`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(nn.fans([784, 128]), { fanIn: 784, fanOut: 128 })
 * assert.deepStrictEqual(nn.fans([16, 3, 5, 5]), { fanIn: 75, fanOut: 400 })
 * ```
 */
export const fans = (shape: Shape): Fans => {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 }
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] }
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] }
  const r = shape.slice(2).reduce((a, b) => a * b, 1)
  return { fanIn: shape[1] * r, fanOut: shape[0] * r }
}

const checkShape = (op: string, shape: Shape): void => {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(op, `shape must be non-negative integers, got ${showShape(shape as ReadonlyArray<number>)}`, [shape])
  }
}

/**
 * A variance-scaling initialiser (JAX's `variance_scaling`): values of mean 0 and variance
 * `scale / n`, where `n` is the fan selected by `mode`.
 *
 * `Var = scale / n`; uniform bound `√(3·scale/n)`; truncated normal on ±2σ₀
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const init = nn.varianceScaling(3, 'fanIn', 'uniform') // bound √(3·3/9) = 1
 * const w = init(random.key(0), [9, 4])
 * assert.ok(ops.toFlat(w).every((v) => Math.abs(v) <= 1))
 * ```
 */
export const varianceScaling = (scale: number, mode: FanMode, distribution: Distribution): Initializer =>
  (key: Key, shape: Shape, dtype: DType = 'float32'): Tensor => {
    const op = 'varianceScaling'
    checkShape(op, shape)
    if (!(scale > 0)) throw new DomainError(op, `scale must be positive, got ${scale}`)
    const { fanIn, fanOut } = fans(shape)
    const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2
    const variance = scale / Math.max(1, n)
    switch (distribution) {
      case 'uniform': {
        const a = Math.sqrt(3 * variance)
        return uniform(key, shape, { min: -a, max: a, dtype })
      }
      case 'truncatedNormal':
        return ops.mul(truncatedNormal(key, shape, { lower: -2, upper: 2, dtype }), Math.sqrt(variance) / TRUNC_STD)
      case 'normal':
        return ops.mul(normal(key, shape, { dtype }), Math.sqrt(variance))
      default:
        throw new DomainError(op, `unknown distribution ${String(distribution)}`)
    }
  }

/**
 * Glorot (Xavier) uniform: `U[−a, a]`, `a = √(6/(fanIn + fanOut))`. The default kernel
 * initialiser of `dense`.
 *
 * `Var = 2 / (fanIn + fanOut)`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const w = nn.glorotUniform(random.key(0), [3, 3]) // bound 1
 * assert.ok(ops.toFlat(w).every((v) => Math.abs(v) <= 1))
 * ```
 */
export const glorotUniform: Initializer = varianceScaling(1, 'fanAvg', 'uniform')

/**
 * Glorot (Xavier) normal, truncated at two standard deviations (as JAX).
 *
 * `Var = 2 / (fanIn + fanOut)`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(nn.glorotNormal(random.key(0), [4, 2]).shape, [4, 2])
 * ```
 */
export const glorotNormal: Initializer = varianceScaling(1, 'fanAvg', 'truncatedNormal')

/**
 * He (Kaiming) uniform, for relu layers: `U[−a, a]`, `a = √(6/fanIn)`.
 *
 * `Var = 2 / fanIn`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const w = nn.heUniform(random.key(0), [6, 5]) // bound 1
 * assert.ok(ops.toFlat(w).every((v) => Math.abs(v) <= 1))
 * ```
 */
export const heUniform: Initializer = varianceScaling(2, 'fanIn', 'uniform')

/**
 * He (Kaiming) normal, for relu layers, truncated at two standard deviations (as JAX).
 *
 * `Var = 2 / fanIn`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(nn.heNormal(random.key(0), [8, 4, 3, 3], 'float64').dtype, 'float64')
 * ```
 */
export const heNormal: Initializer = varianceScaling(2, 'fanIn', 'truncatedNormal')

/**
 * LeCun uniform: `U[−a, a]`, `a = √(3/fanIn)`.
 *
 * `Var = 1 / fanIn`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const w = nn.lecunUniform(random.key(0), [3, 7]) // bound 1
 * assert.ok(ops.toFlat(w).every((v) => Math.abs(v) <= 1))
 * ```
 */
export const lecunUniform: Initializer = varianceScaling(1, 'fanIn', 'uniform')

/**
 * LeCun normal (for selu/tanh layers), truncated at two standard deviations (as JAX).
 *
 * `Var = 1 / fanIn`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(nn.lecunNormal(random.key(0), [5]).shape, [5])
 * ```
 */
export const lecunNormal: Initializer = varianceScaling(1, 'fanIn', 'truncatedNormal')

/**
 * All zeros (the default bias initialiser); the key is ignored.
 *
 * `0`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.zeros(random.key(0), [2])), [0, 0])
 * ```
 */
export const zeros: Initializer = (_key: Key, shape: Shape, dtype: DType = 'float32'): Tensor => ops.zeros(shape, dtype)

/**
 * All ones; the key is ignored.
 *
 * `1`
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.ones(random.key(0), [2])), [1, 1])
 * ```
 */
export const ones: Initializer = (_key: Key, shape: Shape, dtype: DType = 'float32'): Tensor => ops.ones(shape, dtype)

/**
 * A random orthogonal matrix (Saxe et al.; JAX's `orthogonal`): the `Q` of a QR
 * factorisation (modified Gram–Schmidt, each column orthogonalised twice) of a standard
 * Gaussian matrix, with each column's sign set so that `diag(R) > 0` (which makes `Q`
 * Haar-distributed). For shape `[...a, m]` the matrix is `n × m` with `n = Π a`:
 * orthonormal columns when `n ≥ m`, orthonormal rows when `n < m`.
 *
 * `QᵀQ = I` (n ≥ m), `QQᵀ = I` (n < m)
 *
 * @category initializers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const q = nn.orthogonal(random.key(0), [4, 3], 'float64')
 * const qtq = ops.toFlat(ops.matmul(ops.transpose(q), q))
 * assert.ok(qtq.every((v, i) => Math.abs(v - (i % 4 === 0 ? 1 : 0)) < 1e-12))
 * ```
 */
export const orthogonal: Initializer = (key: Key, shape: Shape, dtype: DType = 'float32'): Tensor => {
  const op = 'orthogonal'
  checkShape(op, shape)
  if (shape.length < 2) throw new ShapeError(op, `needs at least 2 axes, got ${showShape(shape)}`, [shape])
  const m = shape[shape.length - 1]
  const n = shape.slice(0, -1).reduce((a, b) => a * b, 1)
  const rows = Math.max(n, m)
  const cols = Math.min(n, m)
  // A: rows × cols Gaussian (float64 throughout; rounded to dtype at the end)
  const a = Float64Array.from(normal(key, [rows, cols], { dtype: 'float64' }).data)
  const q = new Float64Array(rows * cols)
  for (let j = 0; j < cols; j++) {
    const v = new Float64Array(rows)
    for (let i = 0; i < rows; i++) v[i] = a[i * cols + j]
    // two passes ("twice is enough"): after one, QᵀQ is off by ~ε·κ(A), past 1e-12 for the
    // ill-conditioned square draws (key [0, 25133283], [6, 6]: 5.7e-12); after two, ~ε
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let d = 0
        for (let i = 0; i < rows; i++) d += q[i * cols + k] * v[i]
        for (let i = 0; i < rows; i++) v[i] -= d * q[i * cols + k]
      }
    }
    let nrm = 0
    for (let i = 0; i < rows; i++) nrm += v[i] * v[i]
    nrm = Math.sqrt(nrm)
    if (!(nrm > 0)) throw new DomainError(op, 'the Gaussian matrix is rank-deficient (try another key)', [shape])
    // R_jj = nrm > 0 already, i.e. Gram–Schmidt gives the sign-corrected Q directly
    for (let i = 0; i < rows; i++) q[i * cols + j] = v[i] / nrm
  }
  // n < m: use the transpose (orthonormal rows)
  const out = new Float64Array(n * m)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    if (n >= m) out[i * m + j] = q[i * cols + j]
    else out[j * m + i] = q[i * cols + j]
  }
  return ops.fromArray(Array.from(out), shape, dtype)
}

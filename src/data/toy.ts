/**
 * Small synthetic data sets for examples and tests: XOR, two interleaved spirals, Gaussian
 * blobs and 1-D function regression. Every random set is a pure function of a PRNG key.
 *
 * Laws:
 * - determinism: `f(k, n, o)` is the same value for the same key, on every machine;
 * - shapes: classification sets give `x: [n, 2]` and `y: [n]` with labels `0 … K−1`
 *   (stored as floats); `functionRegression` gives `x: [n, 1]`, `y: [n, 1]`;
 * - labels cycle: example `i` has label `i mod K` (so every prefix is balanced);
 * - `gaussianBlobs`: `x[i] = centers[i mod K] + std · ε`, `ε ~ N(0, I)`, hence the sample
 *   mean of class `j` is `centers[j]` up to `std / √n_j` per coordinate;
 * - `functionRegression`: `y = f(x) + noise · ε`, with `x ~ U[a, b)`, so `noise = 0`
 *   gives `y = f(x)` exactly (up to rounding to the dtype).
 *
 * @module
 */
import { DomainError } from '../errors.js'
import { alloc, checkDType, make, type DType, type Tensor } from '../tensor/Tensor.js'
import { normal, split, uniform, type Key } from '../random/index.js'
import type { Labelled } from './mnist.js'

/**
 * Options of `xor`.
 *
 * @category datasets
 * @since 0.1.0
 */
export interface XorOptions {
  /** Standard deviation of the Gaussian noise added to sampled points (default 0.1). */
  readonly noise?: number
  /** Element type (default `'float32'`). */
  readonly dtype?: DType
}

/**
 * Options of `twoSpirals`.
 *
 * @category datasets
 * @since 0.1.0
 */
export interface SpiralOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0). */
  readonly noise?: number
  /** Number of turns of each spiral (default 1.5). */
  readonly turns?: number
  /** Element type (default `'float32'`). */
  readonly dtype?: DType
}

/**
 * Options of `gaussianBlobs`.
 *
 * @category datasets
 * @since 0.1.0
 */
export interface BlobOptions {
  /**
   * The centres: a count `K` (default 3), placing `K` centres evenly on the circle of
   * radius 4 around the origin (`(4 cos 2πj/K, 4 sin 2πj/K)`), or the centres themselves
   * (`K` points of the same dimension `d ≥ 1`).
   */
  readonly centers?: number | ReadonlyArray<ReadonlyArray<number>>
  /** Standard deviation of each blob along every axis (default 1). */
  readonly std?: number
  /** Element type (default `'float32'`). */
  readonly dtype?: DType
}

/**
 * Gaussian blobs with their centres.
 *
 * @category datasets
 * @since 0.1.0
 */
export interface Blobs extends Labelled {
  /** The centres, `[K, d]`: row `j` is the mean of class `j`. */
  readonly centers: Tensor
}

/**
 * Options of `functionRegression`.
 *
 * @category datasets
 * @since 0.1.0
 */
export interface RegressionOptions {
  /** The interval `[a, b]` that inputs are drawn from, uniformly (default `[-1, 1]`). */
  readonly domain?: readonly [number, number]
  /** Standard deviation of the Gaussian noise added to `f(x)` (default 0). */
  readonly noise?: number
  /** Element type (default `'float32'`). */
  readonly dtype?: DType
}

const checkCount = (op: string, n: unknown): number => {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 2 ** 24) {
    throw new DomainError(op, `n must be an integer in [1, 2^24], got ${String(n)}`)
  }
  return n
}

const checkNonNegative = (op: string, name: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new DomainError(op, `${name} must be a finite number ≥ 0, got ${String(v)}`)
  }
  return v
}

/** Standard normal draws as float64 numbers. */
const gauss = (k: Key, n: number): Float64Array => normal(k, [n], { dtype: 'float64' }).data as unknown as Float64Array

/**
 * The XOR problem. Without a key: the four points `(0,0), (0,1), (1,0), (1,1)` with labels
 * `0, 1, 1, 0`. With a key and `n`: `n` noisy samples, example `i` at corner `i mod 4`
 * (in that order) plus Gaussian noise of standard deviation `noise` (default 0.1) on each
 * coordinate, labelled with the corner's label.
 *
 * `y = x₀ ⊕ x₁`
 *
 * @category datasets
 * @since 0.1.0
 * @example
 * ```ts
 * import { data, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { x, y } = data.xor()
 * assert.deepStrictEqual(ops.toArray(x), [[0, 0], [0, 1], [1, 0], [1, 1]])
 * assert.deepStrictEqual(ops.toFlat(y), [0, 1, 1, 0])
 * const noisy = data.xor(random.key(0), 100, { noise: 0.05 })
 * assert.deepStrictEqual([noisy.x.shape, noisy.y.shape], [[100, 2], [100]])
 * ```
 */
export const xor = (k?: Key, n?: number, options: XorOptions = {}): Labelled => {
  const op = 'xor'
  const dtype = checkDType(op, options.dtype ?? 'float32')
  const corners = [[0, 0], [0, 1], [1, 0], [1, 1]]
  const labels = [0, 1, 1, 0]
  if (k === undefined) {
    if (n !== undefined) throw new DomainError(op, 'n samples need a key: xor(key, n, options)')
    return Object.freeze({ x: make(dtype, [4, 2], alloc(dtype, 8).map((_, i) => corners[i >> 1][i & 1])), y: make(dtype, [4], alloc(dtype, 4).map((_, i) => labels[i])) })
  }
  const m = checkCount(op, n)
  const noise = checkNonNegative(op, 'noise', options.noise ?? 0.1)
  const eps = gauss(k, 2 * m)
  const x = alloc(dtype, 2 * m)
  const y = alloc(dtype, m)
  for (let i = 0; i < m; i++) {
    const c = i % 4
    x[2 * i] = corners[c][0] + noise * eps[2 * i]
    x[2 * i + 1] = corners[c][1] + noise * eps[2 * i + 1]
    y[i] = labels[c]
  }
  return Object.freeze({ x: make(dtype, [m, 2], x), y: make(dtype, [m], y) })
}

/**
 * Two interleaved spirals in the plane, the classic hard toy problem. Example `i` has label
 * `c = i mod 2` and position `t ~ U[0, 1)` along its spiral:
 *
 * `x = (t cos θ, t sin θ) + noise · ε,  θ = 2π · turns · t + π c,  ε ~ N(0, I)`
 *
 * so the two spirals are each other's image under a half turn. Coordinates lie in
 * `[-1, 1]` before noise.
 *
 * @category datasets
 * @since 0.1.0
 * @example
 * ```ts
 * import { data, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { x, y } = data.twoSpirals(random.key(0), 200, { noise: 0.02 })
 * assert.deepStrictEqual([x.shape, y.shape], [[200, 2], [200]])
 * assert.strictEqual(ops.item(ops.sum(y)), 100)
 * ```
 */
export const twoSpirals = (k: Key, n: number, options: SpiralOptions = {}): Labelled => {
  const op = 'twoSpirals'
  const dtype = checkDType(op, options.dtype ?? 'float32')
  const m = checkCount(op, n)
  const noise = checkNonNegative(op, 'noise', options.noise ?? 0)
  const turns = checkNonNegative(op, 'turns', options.turns ?? 1.5)
  const [kt, ke] = split(k)
  const t = uniform(kt, [m], { dtype: 'float64' }).data
  const eps = gauss(ke, 2 * m)
  const x = alloc(dtype, 2 * m)
  const y = alloc(dtype, m)
  for (let i = 0; i < m; i++) {
    const c = i % 2
    const theta = 2 * Math.PI * turns * t[i] + Math.PI * c
    x[2 * i] = t[i] * Math.cos(theta) + noise * eps[2 * i]
    x[2 * i + 1] = t[i] * Math.sin(theta) + noise * eps[2 * i + 1]
    y[i] = c
  }
  return Object.freeze({ x: make(dtype, [m, 2], x), y: make(dtype, [m], y) })
}

/**
 * Gaussian blobs: example `i` has label `j = i mod K` and is drawn from `N(centers[j], std² I)`.
 * With `centers: K` (default 3) the centres sit evenly on the circle of radius 4; pass an
 * array of points for other centres or dimensions. The centres are returned too.
 *
 * `x[i] = centers[i mod K] + std · ε,  ε ~ N(0, I)`
 *
 * @category datasets
 * @since 0.1.0
 * @example
 * ```ts
 * import { data, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const b = data.gaussianBlobs(random.key(0), 90, { centers: [[0, 0, 0], [5, 5, 5]], std: 0.5 })
 * assert.deepStrictEqual([b.x.shape, b.y.shape, b.centers.shape], [[90, 3], [90], [2, 3]])
 * assert.deepStrictEqual(ops.toFlat(b.y).slice(0, 4), [0, 1, 0, 1])
 * ```
 */
export const gaussianBlobs = (k: Key, n: number, options: BlobOptions = {}): Blobs => {
  const op = 'gaussianBlobs'
  const dtype = checkDType(op, options.dtype ?? 'float32')
  const m = checkCount(op, n)
  const std = checkNonNegative(op, 'std', options.std ?? 1)
  const spec = options.centers ?? 3
  let centers: ReadonlyArray<ReadonlyArray<number>>
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 1 || spec > 2 ** 16) {
      throw new DomainError(op, `centers must be a count in [1, 65536] or an array of points, got ${spec}`)
    }
    centers = Array.from({ length: spec }, (_, j) => [4 * Math.cos((2 * Math.PI * j) / spec), 4 * Math.sin((2 * Math.PI * j) / spec)])
  } else {
    if (!Array.isArray(spec) || spec.length === 0) throw new DomainError(op, 'centers must be a non-empty array of points')
    const d = spec[0]?.length
    spec.forEach((c, j) => {
      if (!Array.isArray(c) || c.length !== d || d === 0 || !c.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new DomainError(op, `centers/${j} must be ${d === 0 ? 'a non-empty array' : `${d} finite numbers`} (every centre of the same dimension)`)
      }
    })
    centers = spec
  }
  const K = centers.length
  const d = centers[0].length
  const eps = gauss(k, m * d)
  const x = alloc(dtype, m * d)
  const y = alloc(dtype, m)
  for (let i = 0; i < m; i++) {
    const c = centers[i % K]
    for (let a = 0; a < d; a++) x[i * d + a] = c[a] + std * eps[i * d + a]
    y[i] = i % K
  }
  const cs = alloc(dtype, K * d)
  centers.forEach((c, j) => c.forEach((v, a) => (cs[j * d + a] = v)))
  return Object.freeze({ x: make(dtype, [m, d], x), y: make(dtype, [m], y), centers: make(dtype, [K, d], cs) })
}

/**
 * A 1-D regression set: inputs drawn uniformly from `domain = [a, b]` (default `[-1, 1]`),
 * targets `f(x)` plus Gaussian noise of standard deviation `noise` (default 0). `f` is
 * called on plain numbers (e.g. `Math.sin`), at the returned inputs (already rounded to
 * the dtype), so without noise `y = f(x)` up to rounding `f(x)` to the dtype.
 *
 * `y = f(x) + noise · ε,  x ~ U[a, b),  ε ~ N(0, 1)`
 *
 * @category datasets
 * @since 0.1.0
 * @example
 * ```ts
 * import { data, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { x, y } = data.functionRegression(random.key(0), 50, (t) => 2 * t, { domain: [0, 3], dtype: 'float64' })
 * assert.deepStrictEqual([x.shape, y.shape], [[50, 1], [50, 1]])
 * assert.deepStrictEqual(ops.toFlat(y), ops.toFlat(x).map((t) => 2 * t))
 * ```
 */
export const functionRegression = (k: Key, n: number, f: (x: number) => number, options: RegressionOptions = {}): Labelled => {
  const op = 'functionRegression'
  const dtype = checkDType(op, options.dtype ?? 'float32')
  const m = checkCount(op, n)
  const noise = checkNonNegative(op, 'noise', options.noise ?? 0)
  const [a, b] = options.domain ?? [-1, 1]
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(a < b)) {
    throw new DomainError(op, `domain must be [a, b] with finite a < b, got [${a}, ${b}]`)
  }
  if (typeof f !== 'function') throw new DomainError(op, 'f must be a function of a number')
  const [ku, ke] = split(k)
  const u = uniform(ku, [m], { dtype: 'float64', min: a, max: b }).data
  const eps = gauss(ke, m)
  const x = alloc(dtype, m)
  const y = alloc(dtype, m)
  for (let i = 0; i < m; i++) {
    const xi = dtype === 'float32' ? Math.fround(u[i]) : u[i]
    x[i] = xi
    y[i] = f(xi) + noise * eps[i]
  }
  return Object.freeze({ x: make(dtype, [m, 1], x), y: make(dtype, [m, 1], y) })
}

/**
 * Population coding with the Neural Engineering Framework (notes §21; Eliasmith & Anderson
 * 2003; Nengo's conventions where the notes are silent).
 *
 * An ensemble of `N` LIF neurons represents a vector `x ∈ ℝᴰ` (normally in the unit ball).
 * Neuron `i` has a unit encoder `eᵢ`, a gain `αᵢ` and a bias `βᵢ`; its input current and
 * rate are
 *
 *   Jᵢ(x) = αᵢ (eᵢ · x) + βᵢ,      aᵢ(x) = G(Jᵢ(x))        (G = `lifRate`).
 *
 * Gains and biases are chosen from a max rate `rᵢ` and an intercept `cᵢ`: the neuron starts
 * firing at `eᵢ · x = cᵢ` (`J = 1`) and fires at `rᵢ` at `eᵢ · x = 1` (`J = J_max`), where
 * inverting G gives `J_max = 1 / (1 − exp((τ_ref − 1/r)/τ_rc))`, so
 *
 *   α = (J_max − 1) / (1 − c),      β = 1 − α c.
 *
 * Linear decoders `D` (`[N, D_out]`) for targets `Y = f(X)` at `S` sample points `X` are the
 * regularised least-squares solution (Nengo's `LstsqL2`, noise `σ` as a fraction `reg` of the
 * largest rate):
 *
 *   (AᵀA + S σ² I) D = Aᵀ Y,      σ = reg · max(A),      x̂ = A D.
 *
 * Laws:
 * - encoders are unit vectors: `‖eᵢ‖ = 1`;
 * - `aᵢ(x) = 0` at `eᵢ · x = cᵢ` and `aᵢ(x) > 0` just above; `aᵢ(eᵢ) = rᵢ`;
 * - the decoders satisfy the regularised normal equations above (to float64 rounding);
 * - the decoding error of a scalar falls as `N` grows (on average over keys);
 * - sample points lie in the unit ball; encoders on the unit sphere;
 * - spiking neurons (`spikingActivities`, spikes of height `1/dt`) held at `x` for a time `T`
 *   fire `aᵢ(x)·T` spikes within one; `decodeSpikes` filters them, then decodes with the
 *   rate decoders.
 *
 * @module
 */
import * as ops from '../ops/index.js'
import { concrete } from '../ad/core.js'
import type { DType, Tensor } from '../tensor/Tensor.js'
import * as random from '../random/index.js'
import type { Key } from '../random/index.js'
import { DomainError, ShapeError } from '../errors.js'
import { lifInit, lifParams, lifRate, lifSimulate, type LifParams } from './lif.js'
import { filter, type Synapse } from './synapse.js'

const isInt = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min

/**
 * Options of `sampleBall`.
 *
 * @category population coding
 * @since 0.2.0
 */
export interface SampleBallOptions {
  /** Points on the unit sphere (the ball's surface) instead of inside the ball (default false). */
  readonly surface?: boolean
  /** Element type of the result (default `'float64'`). */
  readonly dtype?: DType
}

/**
 * Points uniform in the unit ball of `ℝᵈ` (or on its surface, the unit sphere, with
 * `surface: true`): Gaussian directions normalised, and radii `u^{1/d}` for the ball.
 * Nengo's `UniformHypersphere`. Returns `[n, d]`.
 *
 * `x = r · z/‖z‖,  z ~ N(0, I),  r = u^{1/d}` (ball) or `r = 1` (sphere)
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const X = neuro.sampleBall(random.key(0), 100, 3)
 * assert.deepStrictEqual(X.shape, [100, 3])
 * assert.ok((ops.toArray(ops.norm(X, 2, 1)) as number[]).every((r) => r <= 1))
 * const E = neuro.sampleBall(random.key(1), 5, 2, { surface: true })
 * assert.ok((ops.toArray(ops.norm(E, 2, 1)) as number[]).every((r) => Math.abs(r - 1) < 1e-12))
 * ```
 */
export const sampleBall = (key: Key, n: number, d: number, opts: SampleBallOptions = {}): Tensor => {
  const op = 'sampleBall'
  if (!isInt(n, 0) || !isInt(d, 1)) throw new DomainError(op, `need integers n ≥ 0 and d ≥ 1, got n ${n}, d ${d}`)
  const dtype = opts.dtype ?? 'float64'
  const [kz, kr] = random.split(key)
  const z = ops.toFlat(random.normal(kz, [n, d], { dtype: 'float64' }))
  const u = ops.toFlat(random.uniform(kr, [n], { dtype: 'float64' }))
  const out = new Float64Array(n * d)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let j = 0; j < d; j++) s += z[i * d + j] ** 2
    // a zero Gaussian vector has probability 0; guard anyway with the first axis
    const norm = Math.sqrt(s)
    const r = opts.surface ? 1 : u[i] ** (1 / d)
    for (let j = 0; j < d; j++) out[i * d + j] = norm > 0 ? (r * z[i * d + j]) / norm : j === 0 ? r : 0
  }
  return ops.fromArray(out, [n, d], dtype)
}

/**
 * The number of sample (evaluation) points Nengo uses by default for an ensemble of `n`
 * neurons in `d` dimensions: `max(clip(500 d, 750, 2500), 2 n)`.
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(neuro.defaultEvalPointCount(50, 1), 750)
 * assert.strictEqual(neuro.defaultEvalPointCount(2000, 2), 4000)
 * ```
 */
export const defaultEvalPointCount = (n: number, d: number): number => Math.max(Math.min(Math.max(500 * d, 750), 2500), 2 * n)

/**
 * Per-neuron gains and biases (`J = α (e·x) + β`).
 *
 * @category population coding
 * @since 0.2.0
 */
export interface GainBias {
  /** Gains `α`, `[N]`. */
  readonly gains: Tensor
  /** Biases `β`, `[N]`. */
  readonly biases: Tensor
}

/**
 * Gains and biases of LIF neurons with given max rates (Hz, at `e·x = 1`) and intercepts
 * (the `e·x` where firing starts), by inverting the rate curve G.
 *
 * `J_max = 1 / (1 − exp((τ_ref − 1/r)/τ_rc)),  α = (J_max − 1)/(1 − c),  β = 1 − α c`
 *
 * Needs `0 < r < 1/τ_ref` and `c < 1` (else `DomainError`).
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { gains, biases } = neuro.lifGainBias(ops.tensor([200, 400], 'float64'), ops.tensor([0, -0.5], 'float64'))
 * // the current at e·x = 1 gives the max rate back
 * const rates = ops.toArray(neuro.lifRate(ops.add(gains, biases))) as number[]
 * assert.ok(Math.abs(rates[0] - 200) < 1e-9 && Math.abs(rates[1] - 400) < 1e-9)
 * ```
 */
export const lifGainBias = (maxRates: Tensor, intercepts: Tensor, params: Partial<LifParams> = {}): GainBias => {
  const op = 'lifGainBias'
  const { tauRC, tauRef } = lifParams(op, params)
  if (maxRates.shape.length !== 1 || intercepts.shape.length !== 1 || maxRates.shape[0] !== intercepts.shape[0]) {
    throw new ShapeError(op, `maxRates and intercepts must be vectors of one length, got ${JSON.stringify(maxRates.shape)} and ${JSON.stringify(intercepts.shape)}`, [maxRates.shape, intercepts.shape])
  }
  const r = ops.toFlat(maxRates)
  const c = ops.toFlat(intercepts)
  const bad = r.findIndex((v) => !(v > 0 && v * tauRef < 1 && Number.isFinite(v)))
  if (bad >= 0) throw new DomainError(op, `max rates must lie in (0, 1/τ_ref = ${1 / tauRef}) Hz, got ${r[bad]} at neuron ${bad}`, [maxRates.shape])
  const badC = c.findIndex((v) => !(v < 1 && Number.isFinite(v)))
  if (badC >= 0) throw new DomainError(op, `intercepts must be finite and < 1, got ${c[badC]} at neuron ${badC}`, [intercepts.shape])
  // J_max − 1 = e^z/(1 − e^z) = 1/expm1(−z) with z = (τ_ref − 1/r)/τ_rc < 0: no cancellation
  // when J_max is within rounding of 1 (low max rates, short τ_rc)
  const jMaxMinus1 = ops.reciprocal(ops.expm1(ops.div(ops.sub(ops.reciprocal(maxRates), tauRef), tauRC)))
  const gains = ops.div(jMaxMinus1, ops.sub(1, intercepts))
  const biases = ops.sub(1, ops.mul(gains, intercepts))
  return { gains, biases }
}

/**
 * A distribution for a per-neuron parameter: a fixed vector (`Tensor` of length `n`), one
 * number for all, or a `[lo, hi]` pair for `Uniform(lo, hi)`.
 *
 * @category population coding
 * @since 0.2.0
 */
export type NeuronParam = Tensor | number | readonly [number, number]

/**
 * What `ensemble` builds; every field is optional except the sizes.
 *
 * @category population coding
 * @since 0.2.0
 */
export interface EnsembleSpec {
  /** Number of neurons `N`. */
  readonly n: number
  /** Dimensions `D` of the represented vector. */
  readonly dimensions: number
  /** Max rates in Hz at `e·x = 1` (default `[200, 400]`, i.e. Uniform(200, 400), Nengo's). */
  readonly maxRates?: NeuronParam
  /**
   * Intercepts (default `[-1, 0.9]`, i.e. Uniform(−1, 0.9), Nengo 3's default; Nengo 2 used
   * Uniform(−1, 1), whose intercepts near 1 give huge gains).
   */
  readonly intercepts?: NeuronParam
  /** Encoders `[N, D]`; rows are normalised (default: uniform on the unit sphere). */
  readonly encoders?: Tensor
  /** LIF time constants (default `lifDefaults`). */
  readonly neuron?: Partial<LifParams>
  /** Sample points `[S, D]` used to solve for decoders (default: uniform in the unit ball). */
  readonly evalPoints?: Tensor
  /** Number of sample points when drawn (default `defaultEvalPointCount(N, D)`). */
  readonly nEvalPoints?: number
  /** Element type of every tensor of the ensemble (default `'float64'`). */
  readonly dtype?: DType
}

/**
 * A population of LIF neurons representing a `D`-dimensional vector: a readonly record.
 *
 * @category population coding
 * @since 0.2.0
 */
export interface Ensemble {
  /** Number of neurons `N`. */
  readonly n: number
  /** Represented dimensions `D`. */
  readonly dimensions: number
  /** Unit encoders `eᵢ`, `[N, D]`. */
  readonly encoders: Tensor
  /** Gains `αᵢ`, `[N]`. */
  readonly gains: Tensor
  /** Biases `βᵢ`, `[N]`. */
  readonly biases: Tensor
  /** Max rates `rᵢ` in Hz, `[N]`. */
  readonly maxRates: Tensor
  /** Intercepts `cᵢ`, `[N]`. */
  readonly intercepts: Tensor
  /** LIF time constants. */
  readonly neuron: LifParams
  /** Sample points `[S, D]` for decoders. */
  readonly evalPoints: Tensor
}

const perNeuron = (op: string, name: string, p: NeuronParam, key: Key, n: number, dtype: DType): Tensor => {
  if (typeof p === 'number') return ops.full([n], p, dtype)
  if (Array.isArray(p)) {
    const [lo, hi] = p as readonly [number, number]
    return lo === hi ? ops.full([n], lo, dtype) : random.uniform(key, [n], { min: lo, max: hi, dtype })
  }
  const t = p as Tensor
  if (t.shape.length !== 1 || t.shape[0] !== n) throw new ShapeError(op, `${name} must have shape [${n}], got ${JSON.stringify(t.shape)}`, [t.shape])
  return ops.astype(t, dtype)
}

/**
 * Builds an ensemble: encoders uniform on the unit sphere, max rates and intercepts drawn
 * (or given), gains and biases from `lifGainBias`, sample points uniform in the unit ball.
 * Pure: the same key gives the same ensemble.
 *
 * `Jᵢ(x) = αᵢ eᵢ·x + βᵢ`, `aᵢ(x) = G(Jᵢ(x))`
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(0), { n: 50, dimensions: 2 })
 * assert.deepStrictEqual(ens.encoders.shape, [50, 2])
 * assert.deepStrictEqual(ens.evalPoints.shape, [1000, 2])   // Nengo's count: clip(500·D, 750, 2500)
 * const r = ops.toFlat(ens.maxRates)
 * assert.ok(r.every((v) => v >= 200 && v < 400))
 * ```
 */
export const ensemble = (key: Key, spec: EnsembleSpec): Ensemble => {
  const op = 'ensemble'
  const { n, dimensions: d } = spec
  if (!isInt(n, 1) || !isInt(d, 1)) throw new DomainError(op, `n and dimensions must be positive integers, got n ${n}, dimensions ${d}`)
  const dtype = spec.dtype ?? 'float64'
  const neuron = lifParams(op, spec.neuron)
  const [kEnc, kRate, kInt, kEval] = random.split(key, 4)
  let encoders: Tensor
  if (spec.encoders === undefined) encoders = sampleBall(kEnc, n, d, { surface: true, dtype })
  else {
    const e = spec.encoders
    if (e.shape.length !== 2 || e.shape[0] !== n || e.shape[1] !== d) throw new ShapeError(op, `encoders must have shape [${n},${d}], got ${JSON.stringify(e.shape)}`, [e.shape])
    const norms = ops.norm(ops.astype(e, dtype), 2, 1, true)
    if (ops.toFlat(norms).some((v) => !(v > 0) || !Number.isFinite(v))) throw new DomainError(op, 'every encoder must be a finite non-zero vector', [e.shape])
    encoders = ops.div(ops.astype(e, dtype), norms)
  }
  const maxRates = perNeuron(op, 'maxRates', spec.maxRates ?? [200, 400], kRate, n, dtype)
  const intercepts = perNeuron(op, 'intercepts', spec.intercepts ?? [-1, 0.9], kInt, n, dtype)
  const { gains, biases } = lifGainBias(maxRates, intercepts, neuron)
  let evalPoints: Tensor
  if (spec.evalPoints !== undefined) {
    const x = spec.evalPoints
    if (x.shape.length !== 2 || x.shape[1] !== d || x.shape[0] < 1) throw new ShapeError(op, `evalPoints must have shape [S,${d}] with S ≥ 1, got ${JSON.stringify(x.shape)}`, [x.shape])
    evalPoints = ops.astype(x, dtype)
  } else {
    const s = spec.nEvalPoints ?? defaultEvalPointCount(n, d)
    if (!isInt(s, 1)) throw new DomainError(op, `nEvalPoints must be a positive integer, got ${s}`)
    evalPoints = sampleBall(kEval, s, d, { dtype })
  }
  return Object.freeze({ n, dimensions: d, encoders, gains, biases, maxRates, intercepts, neuron, evalPoints })
}

const checkX = (op: string, ens: Ensemble, x: Tensor): void => {
  if (x.shape.length < 1 || x.shape[x.shape.length - 1] !== ens.dimensions) {
    throw new ShapeError(op, `x must have shape [..., ${ens.dimensions}] (the ensemble's dimensions), got ${JSON.stringify(x.shape)}`, [x.shape], -1)
  }
}

/**
 * The neurons' input currents for represented values `x` (`[..., D]` → `[..., N]`);
 * differentiable.
 *
 * `J = α ∘ (x Eᵀ) + β`
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(0), { n: 3, dimensions: 1, intercepts: 0 })
 * // at x = 0 every neuron sits at its threshold current 1
 * assert.ok((ops.toArray(neuro.currents(ens, ops.tensor([[0]], 'float64'))) as number[][])[0].every((j) => Math.abs(j - 1) < 1e-12))
 * ```
 */
export const currents = (ens: Ensemble, x: Tensor): Tensor => {
  checkX('currents', ens, x)
  return ops.add(ops.mul(ops.matmul(x, ops.transpose(ens.encoders)), ens.gains), ens.biases)
}

/**
 * Steady-state firing rates of the ensemble's LIF neurons for represented values `x`
 * (`[..., D]` → `[..., N]`, in Hz); differentiable (usable inside `grad`).
 *
 * `aᵢ(x) = G(αᵢ eᵢ·x + βᵢ)`
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(0), { n: 20, dimensions: 1 })
 * const A = neuro.activities(ens, ops.tensor([[-1], [0], [1]], 'float64'))
 * assert.deepStrictEqual(A.shape, [3, 20])
 * assert.ok(ops.toFlat(A).every((a) => a >= 0 && a < 500))
 * ```
 */
export const activities = (ens: Ensemble, x: Tensor): Tensor => lifRate(currents(ens, x), ens.neuron)

/**
 * Options of `decoders`.
 *
 * @category population coding
 * @since 0.2.0
 */
export interface DecoderOptions {
  /** Noise level as a fraction of the largest rate: `σ = reg · max(A)` (default 0.1, Nengo's). */
  readonly reg?: number
}

/**
 * Optimal linear decoders by L2-regularised least squares (Nengo's `LstsqL2` with its
 * Cholesky solver): for activities `A` (`[S, N]`, S samples) and targets `Y` (`[S, D_out]`
 * or `[S]`), `D` (`[N, D_out]` or `[N]`) solves
 *
 * `(AᵀA + S σ² I) D = Aᵀ Y,   σ = reg · max(A)`
 *
 * The regulariser treats each rate as corrupted by Gaussian noise of standard deviation
 * `σ`; `S σ²` is that noise's contribution to `AᵀA` summed over the `S` samples, exactly
 * as Nengo adds `m·σ²` with `m` the number of rows of `A`. Solved with `ops.solve(…,
 * {assume: 'spd'})` (Cholesky); differentiable in `A` and `Y` (through `σ` too). With
 * `reg = 0`, `AᵀA` must be positive definite (every neuron active somewhere, `S ≥ N`), else
 * `solve` throws `DomainError`. All-zero activities (no neuron fires at any sample) give
 * `D = 0`. (Nengo's `N·σ²` in the notes' formula counts samples, the
 * rows of `A`: `Γ = AᵀA/S + σ²I` is the sample average plus the noise covariance.)
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(0), { n: 50, dimensions: 1 })
 * const X = ens.evalPoints
 * const A = neuro.activities(ens, X)
 * const D = neuro.decoders(A, X)
 * assert.ok(neuro.rmse(neuro.decode(A, D), X) < 0.05)
 * ```
 */
export const decoders = (A: Tensor, Y: Tensor, opts: DecoderOptions = {}): Tensor => {
  const op = 'decoders'
  const reg = opts.reg ?? 0.1
  if (!(reg >= 0) || !Number.isFinite(reg)) throw new DomainError(op, `reg must be a finite number ≥ 0, got ${reg}`)
  if (A.shape.length !== 2 || (Y.shape.length !== 1 && Y.shape.length !== 2) || Y.shape[0] !== A.shape[0]) {
    throw new ShapeError(op, `need activities [S, N] and targets [S] or [S, D] with the same S, got ${JSON.stringify(A.shape)} and ${JSON.stringify(Y.shape)}`, [A.shape, Y.shape], 0)
  }
  const [s, n] = A.shape
  const dOut = Y.shape.length === 1 ? [n] : [n, Y.shape[1]]
  // no neuron fires at any sample (or reg = 0 with silent data): AᵀA = 0 and every D fits
  // equally; the minimum-norm (and limit-of-regularisation) answer is D = 0
  if (s === 0 || n === 0 || ops.toFlat(concrete(A)).every((a) => a === 0)) return ops.zeros(dOut, A.dtype)
  const sigma = ops.mul(ops.max(A), reg)
  const At = ops.transpose(A)
  const G = ops.add(ops.matmul(At, A), ops.mul(ops.eye(n, n, A.dtype), ops.mul(ops.square(sigma), s)))
  const b = Y.shape.length === 1 ? ops.matmul(At, ops.reshape(Y, [s, 1])) : ops.matmul(At, Y)
  const D = ops.solve(G, b, { assume: 'spd' })
  return Y.shape.length === 1 ? ops.reshape(D, [n]) : D
}

/**
 * Decoders of an ensemble for a function `f` of the represented value (the identity by
 * default), computed on the ensemble's sample points: `decoders(a(X), f(X))`. `f` maps the
 * sample points `[S, D]` to targets `[S, D_out]` with tensor ops.
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(1), { n: 100, dimensions: 1 })
 * const D = neuro.ensembleDecoders(ens, ops.square)
 * const x = ops.tensor([[-0.5], [0], [0.8]], 'float64')
 * const y = ops.toFlat(neuro.decode(neuro.activities(ens, x), D))
 * assert.ok(Math.abs(y[0] - 0.25) < 0.05 && Math.abs(y[2] - 0.64) < 0.05)
 * ```
 */
export const ensembleDecoders = (ens: Ensemble, f: (x: Tensor) => Tensor = (x) => x, opts: DecoderOptions = {}): Tensor => {
  const X = ens.evalPoints
  const Y = f(X)
  if (Y.shape.length !== 2 || Y.shape[0] !== X.shape[0]) {
    throw new ShapeError('ensembleDecoders', `f must map the sample points [${X.shape}] to [${X.shape[0]}, D_out], got ${JSON.stringify(Y.shape)}`, [X.shape, Y.shape])
  }
  return decoders(activities(ens, X), Y, opts)
}

/**
 * Decodes activities with linear decoders: `x̂ = A D` (`[..., N]` · `[N, D]` → `[..., D]`).
 * Works for rates and for filtered spike trains alike.
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const y = neuro.decode(ops.tensor([[10, 20]], 'float64'), ops.tensor([[0.01], [0.02]], 'float64'))
 * assert.ok(Math.abs(ops.toFlat(y)[0] - 0.5) < 1e-12)
 * ```
 */
export const decode = (A: Tensor, D: Tensor): Tensor => {
  if (A.shape.length < 1 || D.shape.length < 1 || A.shape[A.shape.length - 1] !== D.shape[0]) {
    throw new ShapeError('decode', `activities [..., N] and decoders [N, ...] must agree on N, got ${JSON.stringify(A.shape)} and ${JSON.stringify(D.shape)}`, [A.shape, D.shape], -1)
  }
  return ops.matmul(A, D)
}

/**
 * Root-mean-square error between two tensors of one shape, over all entries.
 *
 * `rmse(a, b) = √(mean((a − b)²))`
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(neuro.rmse(ops.tensor([1, 2, 3]), ops.tensor([1, 2, 5])), Math.sqrt(4 / 3))
 * ```
 */
export const rmse = (a: Tensor, b: Tensor): number => {
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) {
    throw new ShapeError('rmse', `shapes differ: ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)}`, [a.shape, b.shape])
  }
  const x = ops.toFlat(a)
  const y = ops.toFlat(b)
  let s = 0
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2
  return Math.sqrt(s / x.length)
}

/**
 * Options of `spikingActivities`.
 *
 * @category population coding
 * @since 0.2.0
 */
export interface SpikingOptions {
  /** Time step in seconds (default 0.001). */
  readonly dt?: number
  /** Key for the initial voltages, Uniform(0, 1) as in Nengo (default: all at rest). */
  readonly key?: Key
}

/**
 * Spike trains of the ensemble's spiking LIF neurons driven by a represented signal `x(t)`
 * (`[T, D]`, one row per step), as Nengo outputs them: `[T, N]` with height `1/dt` in the
 * step of a spike (so a filtered train is in Hz, comparable with the rates). Steps
 * `lifSimulate` on `J(t) = α ∘ (E x(t)) + β` with Nengo's floor `minVoltage: 0`.
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(0), { n: 10, dimensions: 1 })
 * const x = ops.full([2000, 1], 0.5, 'float64')          // hold x = 0.5 for 2 s
 * const S = neuro.spikingActivities(ens, x)
 * const counts = ops.toFlat(ops.mul(ops.sum(S, 0), 0.001))
 * const rates = ops.toFlat(neuro.activities(ens, ops.tensor([[0.5]], 'float64')))
 * counts.forEach((c, i) => assert.ok(Math.abs(c - 2 * rates[i]) <= 1))
 * ```
 */
export const spikingActivities = (ens: Ensemble, x: Tensor, opts: SpikingOptions = {}): Tensor => {
  const op = 'spikingActivities'
  checkX(op, ens, x)
  if (x.shape.length !== 2) throw new ShapeError(op, `x must be a signal [T, ${ens.dimensions}], got ${JSON.stringify(x.shape)}`, [x.shape])
  const dt = opts.dt ?? 0.001
  if (!(dt > 0) || !Number.isFinite(dt)) throw new DomainError(op, `dt must be a positive finite number of seconds, got ${dt}`)
  const dtype = ens.encoders.dtype
  const rest = lifInit(ens.n, dtype)
  const init = opts.key === undefined ? rest : { ...rest, v: random.uniform(opts.key, [ens.n], { dtype }) }
  if (x.shape[0] === 0) return ops.zeros([0, ens.n], dtype)
  const sim = lifSimulate(currents(ens, x), { dt, init, ...ens.neuron, minVoltage: 0, voltages: false })
  return ops.div(sim.spikes, dt)
}

/**
 * Options of `decodeSpikes`.
 *
 * @category population coding
 * @since 0.2.0
 */
export interface DecodeSpikesOptions {
  /** Time step of the spike trains in seconds (default 0.001). */
  readonly dt?: number
  /** The synapse that filters the spikes (default `{ tau: 0.005, n: 0 }`, Nengo's `Lowpass(0.005)`). */
  readonly synapse?: Synapse
}

/**
 * Decodes spike trains (`[T, N]`, height `1/dt`, as from `spikingActivities`) by filtering
 * them with a synapse along time and applying decoders found on the rate activities (what
 * Nengo does): `x̂(t) = Dᵀ (h ∗ a)(t)`. The default synapse is Nengo's `Lowpass(0.005)`.
 *
 * @category population coding
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(0), { n: 100, dimensions: 1 })
 * const D = neuro.ensembleDecoders(ens)
 * const x = ops.full([1000, 1], -0.4, 'float64')
 * const xhat = ops.toFlat(neuro.decodeSpikes(neuro.spikingActivities(ens, x, { key: random.key(1) }), D, { synapse: { tau: 0.02, n: 0 } }))
 * const late = xhat.slice(200)
 * assert.ok(Math.abs(late.reduce((a, b) => a + b, 0) / late.length + 0.4) < 0.05)
 * ```
 */
export const decodeSpikes = (spikes: Tensor, D: Tensor, opts: DecodeSpikesOptions = {}): Tensor => {
  const op = 'decodeSpikes'
  if (spikes.shape.length !== 2) throw new ShapeError(op, `spikes must be [T, N], got ${JSON.stringify(spikes.shape)}`, [spikes.shape])
  return decode(filter(spikes, opts.dt ?? 0.001, opts.synapse ?? { tau: 0.005, n: 0 }), D)
}

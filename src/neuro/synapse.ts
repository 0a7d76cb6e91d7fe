/**
 * Post-synaptic filters (notes §3): a spike arriving at time 0 causes the current
 *
 *   h(t) = k tⁿ e^{−t/τ_s}  for t ≥ 0 (0 before),   k = 1 / (n! τ_s^{n+1}),
 *
 * so that `∫₀^∞ h = 1` (n = 0: the exponential synapse `e^{−t/τ}/τ`; n = 1: the alpha
 * synapse `t e^{−t/τ}/τ²`). `h` is the impulse response of a chain of n + 1 first-order
 * low-pass stages `τ_s dx_j/dt = −x_j + x_{j−1}` (`x_{−1}` the input, `x_n` the output), which
 * gives the discrete-time filter: holding the input constant over each step (zero-order
 * hold), the chain is advanced exactly, with `a = e^{−dt/τ}` and the Erlang/Poisson weights
 *
 *   x_j ← Σ_{i≤j} a (dt/τ)^{j−i}/(j−i)! · x_i + P(j + 1, dt/τ) · u,
 *
 * `P(m, z) = 1 − e^{−z} Σ_{l<m} z^l/l!` (for n = 0 this is `y ← a y + (1 − a) u`).
 *
 * Laws:
 * - `∫ h = 1` (a Riemann sum to the step's accuracy) and `k = 1/(n! τ^{n+1})`;
 * - filtering is linear, `F(αx + βy) = αF(x) + βF(y)`, and time-invariant: delaying the
 *   input by m steps delays the output by m steps;
 * - the discrete filter of a constant input `u` converges to `u` (unit DC gain), and of a
 *   unit-area pulse approximates `h` to the step's accuracy;
 * - stepping `step` over time equals `filter` on the whole signal.
 *
 * @module
 */
import * as ops from '../ops/index.js'
import { alloc, make, type DType, type Tensor } from '../tensor/Tensor.js'
import { checkShape, sizeOf, type Shape } from '../tensor/Shape.js'
import { DomainError, ShapeError } from '../errors.js'

/**
 * A post-synaptic filter `h(t) = k tⁿ e^{−t/τ}`: time constant `tau` in seconds (0 means
 * no filtering) and order `n` (0 exponential, 1 alpha).
 *
 * @category synapses
 * @since 0.2.0
 */
export interface Synapse {
  /** Time constant `τ_s` in seconds (0: no filtering). */
  readonly tau: number
  /** Order: 0 exponential, 1 alpha, n: `tⁿ e^{−t/τ}`. */
  readonly n: number
}

/**
 * The state of a discrete synapse filter: the `n + 1` stages of the low-pass chain, each
 * of the filtered signal's shape (the last is the output).
 *
 * @category synapses
 * @since 0.2.0
 */
export interface SynapseState {
  /** Stage values `x_0 … x_n`; `x_n` is the filter's output. */
  readonly stages: ReadonlyArray<Tensor>
}

/**
 * What one step of a discrete synapse filter returns: the next state and the output `y`
 * (the value at the end of the step).
 *
 * @category synapses
 * @since 0.2.0
 */
export interface SynapseStepResult {
  /** The state at the end of the step. */
  readonly state: SynapseState
  /** The filter's output at the end of the step. */
  readonly y: Tensor
}

/**
 * A synapse together with its exact discrete-time filter, as a state transition: `init`
 * makes the zero state for signals of a shape, `step(state, x, dt)` advances it by `dt`
 * with the input `x` held constant over the step.
 *
 * @category synapses
 * @since 0.2.0
 */
export interface DiscreteFilter extends Synapse {
  /** The zero state for signals of `shape`. */
  readonly init: (shape: Shape, dtype?: DType) => SynapseState
  /** Advances the state by `dt` seconds with input `x` (the state's shape) held constant. */
  readonly step: (state: SynapseState, x: Tensor, dt: number) => SynapseStepResult
}

/** @internal Checks a synapse's parameters. */
export const checkSynapse = (op: string, s: Synapse, allowZero = true): Synapse => {
  if (typeof s !== 'object' || s === null) throw new DomainError(op, 'expected a synapse { tau, n }')
  if (!Number.isFinite(s.tau) || s.tau < 0 || (!allowZero && s.tau === 0)) {
    throw new DomainError(op, `synapse tau must be a ${allowZero ? 'non-negative' : 'positive'} finite number of seconds, got ${s.tau}`)
  }
  if (!Number.isInteger(s.n) || s.n < 0 || s.n > 20) throw new DomainError(op, `synapse order n must be an integer in [0, 20], got ${s.n}`)
  return s
}

const factorial = (n: number): number => {
  let f = 1
  for (let i = 2; i <= n; i++) f *= i
  return f
}

/**
 * The normaliser `k = 1 / (n! τ^{n+1})` that makes `∫₀^∞ k tⁿ e^{−t/τ} dt = 1`.
 *
 * @category synapses
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(neuro.synapseNormaliser({ tau: 0.01, n: 0 }), 1 / 0.01)
 * assert.ok(Math.abs(neuro.synapseNormaliser({ tau: 0.01, n: 1 }) - 1e4) < 1e-9)
 * ```
 */
export const synapseNormaliser = (synapse: Synapse): number => {
  const { tau, n } = checkSynapse('synapseNormaliser', synapse, false)
  return 1 / (factorial(n) * tau ** (n + 1))
}

/**
 * The continuous post-synaptic kernel at times `t` (any shape): `h(t) = k tⁿ e^{−t/τ}` for
 * `t ≥ 0` and 0 before (so `h(0) = 1/τ` for the exponential synapse). Built from `ops`,
 * so differentiable in `t`.
 *
 * @category synapses
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const h = ops.toFlat(neuro.synapseKernel(ops.tensor([-0.01, 0, 0.005], 'float64'), { tau: 0.005, n: 1 }))
 * assert.strictEqual(h[0], 0)
 * assert.strictEqual(h[1], 0)
 * assert.ok(Math.abs(h[2] - Math.exp(-1) / 0.005) < 1e-9)   // the alpha kernel peaks at t = τ with 1/(eτ)
 * ```
 */
export const synapseKernel = (t: Tensor, synapse: Synapse): Tensor => {
  const { tau, n } = checkSynapse('synapseKernel', synapse, false)
  const pos = ops.greaterEqual(t, 0)
  const ts = ops.where(pos, t, 0)
  let h = ops.mul(ops.exp(ops.div(ts, -tau)), synapseNormaliser(synapse))
  for (let i = 0; i < n; i++) h = ops.mul(h, ts)
  return ops.where(pos, h, 0)
}

/** @internal `P(m, z) = 1 − e^{−z} Σ_{l<m} z^l/l!` (the Erlang CDF), accurate for small z. */
export const erlangCdf = (m: number, z: number): number => {
  if (z === Infinity) return 1
  if (m === 1) return -Math.expm1(-z)
  if (z < 1) {
    // e^{−z} Σ_{l≥m} z^l/l!: no cancellation for small z
    let term = 1
    for (let l = 1; l <= m; l++) term *= z / l
    let s = 0
    for (let l = m; l < m + 60 && term > 1e-300; l++) {
      s += term
      if (term < s * 1e-17) break
      term *= z / (l + 1)
    }
    return Math.exp(-z) * s
  }
  let term = 1
  let s = 0
  for (let l = 0; l < m; l++) {
    s += term
    term *= z / (l + 1)
  }
  return 1 - Math.exp(-z) * s
}

/**
 * @internal The exact zero-order-hold coefficients of the (n+1)-stage chain for one step:
 * `c[d] = a z^d/d!` (weight of stage i on stage i + d) and `b[j] = P(j + 1, z)`.
 */
export const zohCoefficients = (tau: number, n: number, dt: number): { c: Float64Array; b: Float64Array } => {
  const c = new Float64Array(n + 1)
  const b = new Float64Array(n + 1)
  if (tau === 0) {
    b.fill(1)
    return { c, b }
  }
  const z = dt / tau
  let w = Math.exp(-z)
  for (let d = 0; d <= n; d++) {
    c[d] = w
    w *= z / (d + 1)
  }
  for (let j = 0; j <= n; j++) b[j] = erlangCdf(j + 1, z)
  return { c, b }
}

/**
 * @internal Advances the chain stages (n+1 local buffers of length m) in place by one step
 * of input `u` (length m, or 1 for all).
 */
export const zohKernel = (stages: Array<Float64Array | Float32Array>, u: ArrayLike<number>, c: Float64Array, b: Float64Array): void => {
  const n = stages.length - 1
  const m = stages[0].length
  const one = u.length === 1
  // stage j depends on stages i ≤ j at the old time, so update from the last stage down
  for (let j = n; j >= 0; j--) {
    const xj = stages[j]
    const bj = b[j]
    for (let e = 0; e < m; e++) {
      let s = bj * (one ? u[0] : u[e])
      for (let i = 0; i <= j; i++) s += c[j - i] * stages[i][e]
      xj[e] = s
    }
  }
}

/**
 * The synapse `h(t) = k tⁿ e^{−t/τ}` with its exact discrete-time filter (zero-order hold:
 * the input is held constant over each step). `tau = 0` gives the identity filter.
 *
 * @category synapses
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const syn = neuro.synapse(0.01, 1)   // alpha, τ = 10 ms
 * let s = syn.init([2])
 * let y = ops.zeros([2], 'float64')
 * for (let k = 0; k < 1000; k++) ({ state: s, y } = syn.step(s, ops.tensor([1, -3], 'float64'), 0.001))
 * assert.ok(Math.abs(y.data[0] - 1) < 1e-9 && Math.abs(y.data[1] + 3) < 1e-9)   // unit DC gain
 * ```
 */
export const synapse = (tau: number, n = 0): DiscreteFilter => {
  const op = 'synapse'
  checkSynapse(op, { tau, n })
  const init = (shape: Shape, dtype: DType = 'float64'): SynapseState => {
    checkShape(op, shape)
    return Object.freeze({ stages: Object.freeze(Array.from({ length: n + 1 }, () => ops.zeros(shape, dtype))) })
  }
  const step = (state: SynapseState, x: Tensor, dt: number): SynapseStepResult => {
    if (!(dt > 0) || !Number.isFinite(dt)) throw new DomainError(op, `dt must be a positive finite number of seconds, got ${dt}`)
    if (state.stages.length !== n + 1) throw new DomainError(op, `state has ${state.stages.length} stages, this synapse (n = ${n}) has ${n + 1}`)
    const s0 = state.stages[0]
    if (x.data.length !== s0.data.length && x.data.length !== 1) {
      throw new ShapeError(op, `input of shape [${x.shape.join(',')}] does not match the state's shape [${s0.shape.join(',')}]`, [x.shape, s0.shape])
    }
    const bufs = state.stages.map((t) => {
      const b = alloc(s0.dtype, s0.data.length)
      b.set(t.data as ArrayLike<number>)
      return b
    })
    const { c, b } = zohCoefficients(tau, n, dt)
    zohKernel(bufs, x.data as ArrayLike<number>, c, b)
    const stages = Object.freeze(bufs.map((buf) => make(s0.dtype, s0.shape, buf)))
    return { state: Object.freeze({ stages }), y: stages[n] }
  }
  return Object.freeze({ tau, n, init, step })
}

/**
 * The exponential synapse `h(t) = e^{−t/τ}/τ` as a discrete filter, `y ← a y + (1 − a) x`
 * with `a = e^{−dt/τ}` (Nengo's `Lowpass`).
 *
 * @category synapses
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const lp = neuro.lowpass(0.005)
 * const { y } = lp.step(lp.init([]), ops.scalar(1, 'float64'), 0.001)
 * assert.ok(Math.abs(ops.item(y) - (1 - Math.exp(-0.2))) < 1e-12)
 * ```
 */
export const lowpass = (tau: number): DiscreteFilter => synapse(tau, 0)

/**
 * The alpha synapse `h(t) = t e^{−t/τ}/τ²` as a discrete filter (two exact low-pass
 * stages; Nengo's `Alpha`).
 *
 * @category synapses
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * const a = neuro.alpha(0.005)
 * assert.deepStrictEqual([a.tau, a.n], [0.005, 1])
 * ```
 */
export const alpha = (tau: number): DiscreteFilter => synapse(tau, 1)

/**
 * Filters a whole signal `[T, ...]` along its first axis (time, step `dt`) with the exact
 * discrete filter of a synapse, from a zero state: `out[k]` is the output at the end of
 * step k, with `signal[k]` held over `[k·dt, (k+1)·dt)`. For spike trains of height `1/dt`
 * this approximates the sum of shifted kernels `Σ h(t − t_s)`.
 *
 * @category synapses
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // one spike (height 1/dt) at step 0 through an exponential synapse: out ≈ h(t)
 * const dt = 1e-4, tau = 0.01
 * const x = ops.fromArray(Array.from({ length: 500 }, (_, k) => (k === 0 ? 1 / dt : 0)), [500, 1], 'float64')
 * const y = ops.toFlat(neuro.filter(x, dt, { tau, n: 0 }))
 * const t = 200 * dt   // out[199] is the value at 200·dt; the spike's mass entered over [0, dt)
 * assert.ok(Math.abs(y[199] - Math.exp(-t / tau) / tau) / (1 / tau) < dt / tau)
 * ```
 */
export const filter = (signal: Tensor, dt: number, syn: Synapse): Tensor => {
  const op = 'filter'
  const { tau, n } = checkSynapse(op, syn)
  if (!(dt > 0) || !Number.isFinite(dt)) throw new DomainError(op, `dt must be a positive finite number of seconds, got ${dt}`)
  if (signal.shape.length < 1) throw new ShapeError(op, 'expected a signal of shape [T, ...] (time first), got a scalar', [signal.shape])
  const T = signal.shape[0]
  const m = sizeOf(signal.shape.slice(1))
  const stages = Array.from({ length: n + 1 }, () => alloc(signal.dtype, m))
  const out = alloc(signal.dtype, T * m)
  const { c, b } = zohCoefficients(tau, n, dt)
  const data = signal.data as Float64Array
  for (let k = 0; k < T; k++) {
    zohKernel(stages, data.subarray(k * m, (k + 1) * m), c, b)
    out.set(stages[n], k * m)
  }
  return make(signal.dtype, signal.shape, out)
}

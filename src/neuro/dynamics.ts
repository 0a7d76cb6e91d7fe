/**
 * Dynamics (notes §23): recurrent populations implementing dynamical systems through the
 * synapse (the NEF's third principle), and the notes' generic rate-network dynamics.
 *
 * A first-order lowpass synapse `h(t) = e^{−t/τ}/τ` turns a population's decoded feedback
 * into `τ ds/dt = −s + A′ x̂ + B′ u`. With `x̂ ≈ s`, choosing
 *
 *   A′ = τ A + I,      B′ = τ B
 *
 * gives `ds/dt = A s + B u`: the population represents the state of `dx/dt = A x + B u`.
 * The integrator is `A = 0` (`A′ = I`), the oscillator `A = [[0, −ω], [ω, 0]]`, a point
 * attractor `A = −k I`, `B = k I` (the input is the target).
 *
 * Simulation (`simulateNef`) is Nengo's: the synapse filters the decoded, transformed
 * feedback plus the transformed input, `s ← a s + (1 − a)(A′ x̂ + B′ u)`, `a = e^{−dt/τ}`
 * (the lowpass with a zero-order hold); the neurons see `J = α ∘ (E s) + β`; `x̂ = Dᵀ r`
 * with `r` the rates (rate mode) or the spikes of amplitude `1/dt` (spiking mode). Filtering
 * the `D`-dimensional value is the same as filtering every neuron's current (`J` is linear
 * in `s`), at `O(N D)` instead of `O(N²)` per step. `A′ = τA + I` is the continuous-time
 * mapping (as in Nengo's examples); against the exact ZOH discretisation it is off by
 * `O(dt/τ)` (1 % at dt = 1 ms, τ = 100 ms), far below the decoding error.
 *
 * Rate dynamics of the notes (`rateNetworkStep`, forward Euler):
 *
 *   τ_s ds/dt = −s + σ(s) W + β C     (s, C row vectors; W[j, i] from unit j to unit i).
 *
 * Laws:
 * - `synapseTransforms({A, B}, τ) = {τ A + I, τ B}`, and `(A′ − I)/τ = A`;
 * - a rate-mode integrator holds its value with zero input and integrates a constant input
 *   `u` to `x(t) ≈ x(0) + u t`; a rate-mode oscillator follows the rotation `R(ωt) x(0)`; both
 *   within the tolerances stated in laws/dynamics.law.ts;
 * - a point attractor reaches its target;
 * - `rateNetworkStep` is one Euler step: `s + (dt/τ_s)(−s + σ(s) W + β C)`; a fixed point
 *   `s* = σ(s*) W + β C` is left unchanged; in neuron space (s = synaptic currents,
 *   `σ(c) = G(c + β_bias)`, `W = fullWeights(recurrent)ᵀ`) it reproduces `simulateNef`
 *   (spec/neuro-nef.spec.ts).
 *
 * @module
 */
import * as ops from '../ops/index.js'
import type { Tensor } from '../tensor/Tensor.js'
import { DomainError, ShapeError } from '../errors.js'
import * as random from '../random/index.js'
import type { Key } from '../random/index.js'
import { currents, ensembleDecoders, type DecoderOptions, type Ensemble } from './ensemble.js'
import { lifInit, lifRate, lifStep, type LifState } from './lif.js'
import { lowpass, type SynapseState } from './synapse.js'

/**
 * A linear time-invariant system `dx/dt = A x + B u` (`A` `[D, D]`, `B` `[D, U]`).
 *
 * @category dynamics
 * @since 0.2.0
 */
export interface LinearSystem {
  /** The state matrix `A`, `[D, D]`. */
  readonly A: Tensor
  /** The input matrix `B`, `[D, U]`. */
  readonly B: Tensor
}

const checkSystem = (op: string, sys: LinearSystem): void => {
  const { A, B } = sys
  if (A.shape.length !== 2 || A.shape[0] !== A.shape[1] || B.shape.length !== 2 || B.shape[0] !== A.shape[0]) {
    throw new ShapeError(op, `need A [D, D] and B [D, U], got ${JSON.stringify(A.shape)} and ${JSON.stringify(B.shape)}`, [A.shape, B.shape])
  }
}

/**
 * The transforms of principle 3 (from `synapseTransforms`).
 *
 * @category dynamics
 * @since 0.2.0
 */
export interface SynapseTransforms {
  /** The recurrent transform `A′ = τA + I`, `[D, D]`. */
  readonly recurrent: Tensor
  /** The input transform `B′ = τB`, `[D, U]`. */
  readonly input: Tensor
}

/**
 * The NEF's principle 3: the recurrent and input transforms that make a population behind a
 * first-order lowpass synapse of time constant `τ` follow `dx/dt = A x + B u`.
 *
 * `A′ = τ A + I,  B′ = τ B`
 *
 * @category dynamics
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { recurrent, input } = neuro.synapseTransforms(neuro.oscillator(10), 0.1)
 * assert.deepStrictEqual(ops.toArray(recurrent), [[1, -1], [1, 1]])
 * assert.deepStrictEqual(ops.toArray(input), [[0.1, 0], [0, 0.1]])
 * ```
 */
export const synapseTransforms = (sys: LinearSystem, tau: number): SynapseTransforms => {
  const op = 'synapseTransforms'
  checkSystem(op, sys)
  if (!(tau > 0) || !Number.isFinite(tau)) throw new DomainError(op, `tau must be a positive finite number of seconds, got ${tau}`)
  const d = sys.A.shape[0]
  return { recurrent: ops.add(ops.mul(sys.A, tau), ops.eye(d, d, sys.A.dtype)), input: ops.mul(sys.B, tau) }
}

/**
 * The integrator `dx/dt = u` in `D` dimensions: `A = 0`, `B = I`.
 *
 * @category dynamics
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { A, B } = neuro.integrator()
 * assert.deepStrictEqual([ops.toArray(A), ops.toArray(B)], [[[0]], [[1]]])
 * ```
 */
export const integrator = (dimensions = 1): LinearSystem => {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new DomainError('integrator', `dimensions must be a positive integer, got ${dimensions}`)
  return { A: ops.zeros([dimensions, dimensions], 'float64'), B: ops.eye(dimensions, dimensions, 'float64') }
}

/**
 * The harmonic oscillator of angular frequency `ω` (rad/s): `A = [[0, −ω], [ω, 0]]`,
 * `B = I`; its free solution rotates the state, `x(t) = R(ωt) x(0)`.
 *
 * @category dynamics
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(neuro.oscillator(2).A), [[0, -2], [2, 0]])
 * ```
 */
export const oscillator = (omega: number): LinearSystem => {
  if (!Number.isFinite(omega)) throw new DomainError('oscillator', `omega must be finite, got ${omega}`)
  return { A: ops.tensor([[0, -omega], [omega, 0]], 'float64'), B: ops.eye(2, 2, 'float64') }
}

/**
 * A point attractor pulled towards the input at rate `k` (1/s): `dx/dt = k (u − x)`, so
 * `A = −k I`, `B = k I`; a constant input `u` is approached as `u + (x(0) − u) e^{−kt}`.
 *
 * @category dynamics
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { A, B } = neuro.pointAttractor(5, 2)
 * assert.deepStrictEqual(ops.toArray(A), [[-5, 0], [0, -5]])
 * assert.deepStrictEqual(ops.toArray(B), [[5, 0], [0, 5]])
 * ```
 */
export const pointAttractor = (k: number, dimensions = 1): LinearSystem => {
  if (!(k > 0) || !Number.isFinite(k)) throw new DomainError('pointAttractor', `k must be a positive finite rate, got ${k}`)
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new DomainError('pointAttractor', `dimensions must be a positive integer, got ${dimensions}`)
  const diag = (v: number): Tensor => ops.fromArray(Array.from({ length: dimensions * dimensions }, (_, i) => (i % (dimensions + 1) === 0 ? v : 0)), [dimensions, dimensions], 'float64')
  return { A: diag(-k), B: diag(k) }
}

/**
 * A recurrent population implementing a linear system (from `nefSystem`).
 *
 * @category dynamics
 * @since 0.2.0
 */
export interface NefSystem {
  /** The population. */
  readonly ensemble: Ensemble
  /** Identity decoders of the population, `[N, D]`. */
  readonly decoders: Tensor
  /** Recurrent transform `A′ = τA + I`, `[D, D]`. */
  readonly recurrent: Tensor
  /** Input transform `B′ = τB`, `[D, U]`. */
  readonly input: Tensor
  /** Synaptic time constant `τ` in seconds. */
  readonly tau: number
}

/**
 * Options of `nefSystem`.
 *
 * @category dynamics
 * @since 0.2.0
 */
export interface NefSystemOptions extends DecoderOptions {
  /** Synaptic time constant of the recurrent and input connections (default 0.1 s, the notes' and Nengo examples' choice for integrators). */
  readonly tau?: number
}

/**
 * Builds a recurrent population that implements `dx/dt = A x + B u` by principle 3: the
 * ensemble's identity decoders, `A′ = τA + I` on the feedback and `B′ = τB` on the input.
 *
 * @category dynamics
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(0), { n: 100, dimensions: 1 })
 * const net = neuro.nefSystem(ens, neuro.integrator(), { tau: 0.1 })
 * assert.deepStrictEqual(net.decoders.shape, [100, 1])
 * assert.strictEqual(net.tau, 0.1)
 * ```
 */
export const nefSystem = (ens: Ensemble, sys: LinearSystem, opts: NefSystemOptions = {}): NefSystem => {
  const op = 'nefSystem'
  checkSystem(op, sys)
  if (sys.A.shape[0] !== ens.dimensions) throw new ShapeError(op, `the system has ${sys.A.shape[0]} dimensions, the ensemble ${ens.dimensions}`, [sys.A.shape])
  const tau = opts.tau ?? 0.1
  const { recurrent, input } = synapseTransforms(sys, tau)
  const decoders = ensembleDecoders(ens, undefined, opts)
  return Object.freeze({ ensemble: ens, decoders, recurrent: ops.astype(recurrent, ens.encoders.dtype), input: ops.astype(input, ens.encoders.dtype), tau })
}

/**
 * Options of `simulateNef`.
 *
 * @category dynamics
 * @since 0.2.0
 */
export interface SimulateNefOptions {
  /** Time step in seconds (default 0.001, Nengo's). */
  readonly dt?: number
  /** Initial value of the synaptic state `s` (the represented value), `[D]` (default 0). */
  readonly x0?: Tensor | ReadonlyArray<number>
  /** `'rate'` (default): LIF rate neurons; `'spiking'`: spiking LIF neurons (`lifStep`). */
  readonly mode?: 'rate' | 'spiking'
  /** Spiking mode: key for the initial voltages, Uniform(0, 1) as in Nengo (default: all at rest, v = 0). */
  readonly key?: Key
  /** Spiking mode: time constant of the probe filter that smooths the decoded spikes (default 0.01 s, as Nengo's examples probe). */
  readonly probeTau?: number
}

/**
 * The record of a simulation: one row per time step.
 *
 * @category dynamics
 * @since 0.2.0
 */
export interface NefRun {
  /** Times `t_k = (k + 1) dt` at the end of each step, `[T]`. */
  readonly t: Tensor
  /**
   * The decoded state `x̂ = Dᵀ r` of each step, `[T, D]`: from the rates in rate mode;
   * from the spikes in spiking mode, smoothed by a probe filter `lowpass(probeTau)` (as a
   * Nengo probe with `synapse=0.01`), started at `x0`.
   */
  readonly decoded: Tensor
  /** The synaptic state `s` the neurons encode at each step, `[T, D]`. */
  readonly state: Tensor
  /** Spiking mode: the spikes (0/1) of every neuron at every step, `[T, N]`. */
  readonly spikes?: Tensor
}

const inputRows = (op: string, net: NefSystem, u: Tensor): number => {
  const nu = net.input.shape[1]
  if (u.shape.length !== 2 || u.shape[1] !== nu) throw new ShapeError(op, `input must have shape [T, ${nu}], got ${JSON.stringify(u.shape)}`, [u.shape], 1)
  return u.shape[0]
}

const initialState = (op: string, net: NefSystem, x0: Tensor | ReadonlyArray<number> | undefined): Tensor => {
  const d = net.ensemble.dimensions
  const dtype = net.ensemble.encoders.dtype
  if (x0 === undefined) return ops.zeros([d], dtype)
  const t = ops.isTensor(x0) ? x0 : ops.tensor([...(x0 as ReadonlyArray<number>)], dtype)
  if (t.data.length !== d) throw new ShapeError(op, `x0 must hold ${d} values, got shape ${JSON.stringify(t.shape)}`, [t.shape])
  return ops.reshape(ops.astype(t, dtype), [d])
}

/**
 * Simulates a recurrent population over the input `u` (`[T, U]`, one row per step), with
 * rate or spiking LIF neurons. Each step: the neurons see `J = α ∘ (E s) + β`; rate mode
 * takes `r = G(J)`, spiking mode steps `lifStep` (Nengo's `minVoltage: 0`) and takes
 * `r = spikes/dt`; `x̂ = Dᵀ r`; the synapse `lowpass(τ)` advances
 * `s ← a s + (1 − a)(A′ x̂ + B′ u)`, `a = e^{−dt/τ}`.
 *
 * @category dynamics
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const ens = neuro.ensemble(random.key(0), { n: 100, dimensions: 1 })
 * const net = neuro.nefSystem(ens, neuro.integrator())
 * // integrate u = 1 for 0.5 s: x(0.5) ≈ 0.5, with rate and with spiking neurons
 * const u = ops.full([500, 1], 1, 'float64')
 * const rate = ops.toFlat(neuro.simulateNef(net, u).decoded)
 * const spiking = ops.toFlat(neuro.simulateNef(net, u, { mode: 'spiking', key: random.key(1) }).decoded)
 * assert.ok(Math.abs(rate[499] - 0.5) < 0.1 && Math.abs(spiking[499] - 0.5) < 0.15)
 * ```
 */
export const simulateNef = (net: NefSystem, u: Tensor, opts: SimulateNefOptions = {}): NefRun => {
  const op = 'simulateNef'
  const steps = inputRows(op, net, u)
  const dt = opts.dt ?? 0.001
  if (!(dt > 0) || !Number.isFinite(dt)) throw new DomainError(op, `dt must be a positive finite number of seconds, got ${dt}`)
  const mode = opts.mode ?? 'rate'
  if (mode !== 'rate' && mode !== 'spiking') throw new DomainError(op, `mode must be 'rate' or 'spiking', got ${String(mode)}`)
  const ens = net.ensemble
  const dtype = ens.encoders.dtype
  const syn = lowpass(net.tau)
  const recT = ops.transpose(net.recurrent)
  const uIn = ops.unstack(ops.matmul(ops.astype(u, dtype), ops.transpose(net.input)), 0) // B′ u for every step, [D] each
  let s = initialState(op, net, opts.x0)
  let synState: SynapseState = { stages: [s] }
  // spiking: the neurons' state, and a probe filter on the decoded spikes
  let lif: LifState = lifInit(ens.n, dtype)
  if (mode === 'spiking' && opts.key !== undefined) lif = { ...lif, v: random.uniform(opts.key, [ens.n], { dtype }) }
  const probe = lowpass(opts.probeTau ?? 0.01)
  let probeState: SynapseState = { stages: [s] }
  const decoded: Tensor[] = []
  const states: Tensor[] = []
  const spikes: Tensor[] = []
  for (let k = 0; k < steps; k++) {
    states.push(s)
    const J = currents(ens, s)
    let xhat: Tensor
    if (mode === 'rate') {
      xhat = ops.matmul(lifRate(J, ens.neuron), net.decoders)
      decoded.push(xhat)
    } else {
      const r = lifStep(lif, J, dt, { ...ens.neuron, minVoltage: 0 })
      lif = r.state
      spikes.push(r.spiked)
      xhat = ops.matmul(ops.div(r.spiked, dt), net.decoders)
      const p = probe.step(probeState, xhat, dt)
      probeState = p.state
      decoded.push(p.y)
    }
    const drive = ops.add(ops.matmul(xhat, recT), uIn[k])
    const next = syn.step(synState, drive, dt)
    synState = next.state
    s = next.y
  }
  const t = ops.mul(ops.arange(1, steps + 1, 1, 'float64'), dt)
  const rows = (xs: Tensor[], width: number): Tensor => (xs.length === 0 ? ops.zeros([0, width], dtype) : ops.stack(xs, 0))
  return {
    t,
    decoded: rows(decoded, ens.dimensions),
    state: rows(states, ens.dimensions),
    ...(mode === 'spiking' ? { spikes: rows(spikes, ens.n) } : {}),
  }
}

/**
 * The notes' rate network: `τ_s ds/dt = −s + σ(s) W + β C` (row vectors; `W` `[N, N]` with
 * `W[j, i]` the weight from unit `j` to unit `i`).
 *
 * @category dynamics
 * @since 0.2.0
 */
export interface RateNetwork {
  /** Weights `W`, `[N, N]` (from, to). */
  readonly W: Tensor
  /** Synaptic time constant `τ_s` in seconds. */
  readonly tau: number
  /** The rate nonlinearity `σ` (elementwise, tensor ops), e.g. `ops.tanh` or a LIF rate curve. */
  readonly nonlinearity: (s: Tensor) => Tensor
  /** Input gain `β` (default 1). */
  readonly beta?: number
}

/**
 * One forward-Euler step of the notes' rate dynamics, vectorised over a batch of states
 * (`s`, `C`: `[..., N]`); differentiable.
 *
 * `s ← s + (dt/τ_s)(−s + σ(s) W + β C)`
 *
 * @category dynamics
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const net = { W: ops.tensor([[0, 1], [1, 0]], 'float64'), tau: 0.01, nonlinearity: ops.tanh }
 * const s = ops.tensor([0.5, -0.5], 'float64')
 * const next = ops.toFlat(neuro.rateNetworkStep(net, s, ops.zeros([2], 'float64'), 0.001))
 * const e = 0.1 * (-0.5 + Math.tanh(-0.5))
 * assert.ok(Math.abs(next[0] - (0.5 + e)) < 1e-12)
 * ```
 */
export const rateNetworkStep = (net: RateNetwork, s: Tensor, C: Tensor, dt: number): Tensor => {
  const op = 'rateNetworkStep'
  const n = net.W.shape[0]
  if (net.W.shape.length !== 2 || net.W.shape[1] !== n) throw new ShapeError(op, `W must be square [N, N], got ${JSON.stringify(net.W.shape)}`, [net.W.shape])
  if (s.shape[s.shape.length - 1] !== n) throw new ShapeError(op, `s must have shape [..., ${n}], got ${JSON.stringify(s.shape)}`, [s.shape], -1)
  if (!(net.tau > 0) || !(dt > 0)) throw new DomainError(op, `tau and dt must be positive, got tau ${net.tau}, dt ${dt}`)
  const drive = ops.add(ops.sub(ops.matmul(net.nonlinearity(s), net.W), s), ops.mul(C, net.beta ?? 1))
  return ops.add(s, ops.mul(drive, dt / net.tau))
}

/**
 * Runs the notes' rate network for as many Euler steps as `C` has rows (`C`: `[T, N]`),
 * from `s0` (`[N]`); returns the states after each step, `[T, N]`.
 *
 * @category dynamics
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // no recurrence: s relaxes to β C = 2 with time constant τ_s
 * const net = { W: ops.zeros([1, 1], 'float64'), tau: 0.01, nonlinearity: ops.tanh, beta: 2 }
 * const S = neuro.rateNetworkSimulate(net, ops.zeros([1], 'float64'), ops.ones([200, 1], 'float64'), 0.001)
 * assert.ok(Math.abs(ops.toFlat(S)[199] - 2) < 1e-3)
 * ```
 */
export const rateNetworkSimulate = (net: RateNetwork, s0: Tensor, C: Tensor, dt: number): Tensor => {
  const op = 'rateNetworkSimulate'
  const n = net.W.shape[0]
  if (C.shape.length !== 2 || C.shape[1] !== n) throw new ShapeError(op, `C must have shape [T, ${n}], got ${JSON.stringify(C.shape)}`, [C.shape], 1)
  if (s0.shape.length !== 1 || s0.shape[0] !== n) throw new ShapeError(op, `s0 must have shape [${n}], got ${JSON.stringify(s0.shape)}`, [s0.shape])
  const rows = ops.unstack(C, 0)
  const out: Tensor[] = []
  let s = s0
  for (const c of rows) {
    s = rateNetworkStep(net, s, c, dt)
    out.push(s)
  }
  return out.length === 0 ? ops.zeros([0, n], s0.dtype) : ops.stack(out, 0)
}

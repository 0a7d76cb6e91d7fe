/**
 * Spiking networks (notes §3.2): N LIF neurons (dimensionless) connected by a weight
 * matrix `W` (`w_ij` from neuron j to neuron i, so `W` is `[N_post, N_pre] = [N, N]`), with
 * exponential synaptic currents
 *
 *   τ_s ds_i/dt = −s_i,   s_i ← s_i + w_ij/τ_s  on a spike from j,
 *
 * so `s_i(t) = Σ_j w_ij Σ_{t_s ∈ spikes(j)} h(t − t_s)` with `h(t) = e^{−t/τ_s}/τ_s`: each
 * synaptic current is the weighted, filtered spike train. Neuron i integrates
 * `J_i = s_i + I_i` (I the input current), held constant over each step.
 *
 * One step (`networkStep`, a pure state transition): the LIF update of `lifStep` under
 * `J = s + I`; then `s ← e^{−dt/τ_s} s` plus, for each neuron j that spiked at time `t*`
 * inside the step, the column `w_·j/τ_s · e^{−(dt − t*)/τ_s}` (the kernel already decayed
 * since the spike; `t* = dt` without interpolation). Only the columns of the neurons that
 * spiked are touched, so a step costs O(N + N·spikes) rather than O(N²) (the columns are
 * read from `Wᵀ`, made once per weight tensor and cached, so each is contiguous).
 *
 * Laws:
 * - with `W = 0` the network is N independent LIF neurons (`lifSimulate` with the same
 *   input gives the same spikes and voltages);
 * - the recorded currents equal the synapse-filtered weighted spike trains
 *   `Σ_j w_ij Σ_s h(t − t_s)` at the step ends `t = (k+1)·dt` (to rounding);
 * - stepping `networkStep` equals `networkSimulate`.
 *
 * @module
 */
import { alloc, make, type DType, type Tensor } from '../tensor/Tensor.js'
import { DomainError, ShapeError } from '../errors.js'
import {
  checkDt, lifInit, lifKernel, lifStepConfig, resolveInput, type CurrentInput, type LifState, type LifStepOptions,
} from './lif.js'

// A private, mutable copy of a state vector for the step loops (inputs are never mutated).
const fresh = (dtype: DType, t: Tensor) => {
  const b = alloc(dtype, t.data.length)
  b.set(t.data as ArrayLike<number>)
  return b
}

/**
 * A network of N LIF neurons: `weights` `[N, N]` (`w_ij` from j to i), the synaptic time
 * constant `tauSyn` (s), and the LIF step options (time constants, interpolation, voltage
 * floor).
 *
 * @category networks
 * @since 0.2.0
 */
export interface LifNetwork extends LifStepOptions {
  /** `[N, N]`, `w_ij` the weight from neuron j onto neuron i. */
  readonly weights: Tensor
  /** Synaptic time constant `τ_s` in seconds. */
  readonly tauSyn: number
}

/**
 * The state of a LIF network: the neurons' state and the synaptic current `s` `[N]`.
 *
 * @category networks
 * @since 0.2.0
 */
export interface NetworkState {
  /** Voltages and refractory times of the neurons. */
  readonly neurons: LifState
  /** Synaptic current into each neuron, `[N]`. */
  readonly current: Tensor
}

/**
 * What one network step returns: the next state, the 0/1 spikes of the step and the spike
 * times inside the step (seconds after its start).
 *
 * @category networks
 * @since 0.2.0
 */
export interface NetworkStepResult {
  /** The state at the end of the step. */
  readonly state: NetworkState
  /** 1 where a neuron spiked during the step, `[N]`. */
  readonly spiked: Tensor
  /** Spike time inside the step (seconds after its start), 0 where no spike, `[N]`. */
  readonly spikeTime: Tensor
}

const netSize = (op: string, net: LifNetwork): number => {
  const W = net.weights
  if (W.shape.length !== 2 || W.shape[0] !== W.shape[1]) throw new ShapeError(op, `weights must be a square matrix [N, N], got [${W.shape.join(',')}]`, [W.shape])
  if (!(net.tauSyn > 0) || !Number.isFinite(net.tauSyn)) throw new DomainError(op, `tauSyn must be a positive finite number of seconds, got ${net.tauSyn}`)
  return W.shape[0]
}

/**
 * Makes a LIF network from a weight matrix `[N, N]` (`w_ij` from j to i) and options
 * (`tauSyn` default 5 ms, LIF defaults otherwise); checks the shapes and constants.
 *
 * @category networks
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const net = neuro.lifNetwork(ops.zeros([3, 3], 'float64'), { tauSyn: 0.01 })
 * assert.strictEqual(net.tauSyn, 0.01)
 * assert.throws(() => neuro.lifNetwork(ops.zeros([2, 3], 'float64')), /square/)
 * ```
 */
export const lifNetwork = (weights: Tensor, options: Partial<Omit<LifNetwork, 'weights'>> = {}): LifNetwork => {
  const net: LifNetwork = Object.freeze({ ...options, weights, tauSyn: options.tauSyn ?? 0.005 })
  netSize('lifNetwork', net)
  lifStepConfig('lifNetwork', net)
  return net
}

/**
 * The resting state of a network: `v = 0`, not refractory, no synaptic current.
 *
 * @category networks
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = neuro.networkInit(neuro.lifNetwork(ops.zeros([2, 2], 'float64')))
 * assert.deepStrictEqual(ops.toFlat(s.current), [0, 0])
 * ```
 */
export const networkInit = (net: LifNetwork, dtype?: DType): NetworkState => {
  const n = netSize('networkInit', net)
  const dt = dtype ?? net.weights.dtype
  const neurons = lifInit(n, dt)
  return Object.freeze({ neurons, current: neurons.v })
}

// The outgoing weights of each neuron as a contiguous row (Wᵀ), so that a spike from j adds
// one contiguous row instead of a strided column. Tensors are immutable, so the transpose
// can be cached by identity; a WeakMap lets it go with the weights.
const transposed = new WeakMap<Tensor, Float64Array>()
const outgoing = (W: Tensor): Float64Array => {
  const hit = transposed.get(W)
  if (hit) return hit
  const n = W.shape[0]
  const t = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = W.data[i * n + j]
  transposed.set(W, t)
  return t
}

// One network step in place on local buffers; returns the number of spikes. `Wt` is Wᵀ.
const stepKernel = (
  n: number,
  Wt: Float64Array,
  tauSyn: number,
  v: Float64Array | Float32Array,
  ref: Float64Array | Float32Array,
  s: Float64Array | Float32Array,
  J: Float64Array | Float32Array,
  input: ArrayLike<number>,
  dt: number,
  c: ReturnType<typeof lifStepConfig>,
  spiked: Float64Array | Float32Array,
  spikeTime: Float64Array | Float32Array,
): number => {
  const one = input.length === 1
  for (let i = 0; i < n; i++) J[i] = s[i] + (one ? input[0] : input[i])
  const count = lifKernel(v, ref, J, dt, c, spiked, spikeTime)
  const a = Math.exp(-dt / tauSyn)
  for (let i = 0; i < n; i++) s[i] *= a
  if (count > 0) {
    for (let j = 0; j < n; j++) {
      if (spiked[j] !== 1) continue
      // the kernel w/τ e^{−(t − t*)/τ} evaluated at the step's end
      const g = Math.exp(-(dt - spikeTime[j]) / tauSyn) / tauSyn
      const o = j * n
      for (let i = 0; i < n; i++) s[i] += Wt[o + i] * g
    }
  }
  return count
}

const inputData = (op: string, input: Tensor | number, n: number): ArrayLike<number> => {
  if (typeof input === 'number') return [input]
  if (input.data.length !== n && input.data.length !== 1) throw new ShapeError(op, `input current of shape [${input.shape.join(',')}] does not match the network's ${n} neurons`, [input.shape, [n]])
  return input.data
}

/**
 * One time step of a LIF network: a pure state transition (see the module comment) under
 * an external input current `[N]` (or one number for all), held constant over the step.
 *
 * @category networks
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // neuron 0 is driven and excites neuron 1 (w_10 = 0.5) through a 10 ms synapse
 * const net = neuro.lifNetwork(ops.tensor([[0, 0], [0.5, 0]], 'float64'), { tauSyn: 0.01 })
 * let state = neuro.networkInit(net)
 * const I = ops.tensor([3, 0], 'float64')
 * let first = -1
 * for (let k = 0; k < 100; k++) {
 *   const r = neuro.networkStep(net, state, I, 0.001)
 *   if (first < 0 && r.spiked.data[0] === 1) first = k
 *   state = r.state
 * }
 * assert.ok(first > 0 && state.current.data[1] > 0 && state.current.data[0] === 0)
 * ```
 */
export const networkStep = (net: LifNetwork, state: NetworkState, input: Tensor | number, dt: number): NetworkStepResult => {
  const op = 'networkStep'
  const n = netSize(op, net)
  const c = lifStepConfig(op, net)
  checkDt(op, dt)
  const dtype = state.neurons.v.dtype
  if (state.neurons.v.data.length !== n || state.neurons.refractory.data.length !== n || state.current.data.length !== n) {
    throw new ShapeError(op, `state does not fit a network of ${n} neurons`, [state.neurons.v.shape, state.current.shape])
  }
  const v = fresh(dtype, state.neurons.v)
  const ref = fresh(dtype, state.neurons.refractory)
  const s = fresh(dtype, state.current)
  const spiked = alloc(dtype, n)
  const spikeTime = alloc(dtype, n)
  stepKernel(n, outgoing(net.weights), net.tauSyn, v, ref, s, alloc(dtype, n), inputData(op, input, n), dt, c, spiked, spikeTime)
  return {
    state: Object.freeze({ neurons: Object.freeze({ v: make(dtype, [n], v), refractory: make(dtype, [n], ref) }), current: make(dtype, [n], s) }),
    spiked: make(dtype, [n], spiked),
    spikeTime: make(dtype, [n], spikeTime),
  }
}

/**
 * What a network simulation records (probes): `spikes` (default true), `voltage`,
 * `current` (the synaptic current `s`), each `[T, P]` for the probed `neurons` (default
 * all, in the given order). Spike times of every neuron are always kept.
 *
 * @category networks
 * @since 0.2.0
 */
export interface NetworkProbes {
  /** Record 0/1 spikes (default true). */
  readonly spikes?: boolean
  /** Record voltages (default false). */
  readonly voltage?: boolean
  /** Record synaptic currents (default false). */
  readonly current?: boolean
  /** Which neurons to record (default all). */
  readonly neurons?: ReadonlyArray<number>
}

/**
 * Options of `networkSimulate`: `dt`, `steps` (as for `lifSimulate`), the initial state
 * (default `networkInit`) and the probes.
 *
 * @category networks
 * @since 0.2.0
 */
export interface NetworkSimulateOptions {
  /** Time step in seconds. */
  readonly dt: number
  /** Number of steps (required for a function input or a constant tensor). */
  readonly steps?: number
  /** Initial state (default: resting). */
  readonly init?: NetworkState
  /** What to record (default: spikes of all neurons). */
  readonly probes?: NetworkProbes
}

/**
 * The record of a network simulation: the probed traces (`[T, P]`, row k at the end of step
 * k, i.e. at `t = (k+1)·dt`), every neuron's spike times, and the final state.
 *
 * @category networks
 * @since 0.2.0
 */
export interface NetworkSimulation {
  /** 0/1 spikes of the probed neurons, `[T, P]`. */
  readonly spikes?: Tensor
  /** Voltages of the probed neurons at the end of each step, `[T, P]`. */
  readonly voltage?: Tensor
  /** Synaptic currents of the probed neurons at the end of each step, `[T, P]`. */
  readonly current?: Tensor
  /** Spike times (seconds) of every neuron. */
  readonly spikeTimes: ReadonlyArray<ReadonlyArray<number>>
  /** The state after the last step. */
  readonly state: NetworkState
}

/**
 * Simulates a LIF network under an input current (a `[T, N]` series, a constant `[N]`
 * with `steps`, or a function of time), stepping the update of `networkStep` over local
 * buffers, and records the probes.
 *
 * @category networks
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // two neurons inhibiting each other: the more strongly driven one wins
 * const net = neuro.lifNetwork(ops.tensor([[0, -0.3], [-0.3, 0]], 'float64'), { tauSyn: 0.005 })
 * const sim = neuro.networkSimulate(net, ops.tensor([3, 2.5], 'float64'), {
 *   dt: 0.001, steps: 1000, probes: { spikes: true, current: true },
 * })
 * const [a, b] = sim.spikeTimes.map((t) => t.length)
 * assert.ok(a > b)
 * assert.deepStrictEqual(sim.current!.shape, [1000, 2])
 * ```
 */
export const networkSimulate = (net: LifNetwork, input: CurrentInput, options: NetworkSimulateOptions): NetworkSimulation => {
  const op = 'networkSimulate'
  const n = netSize(op, net)
  const c = lifStepConfig(op, net)
  const dt = checkDt(op, options.dt)
  const inp = resolveInput(op, input, options.steps, dt, [n])
  const { steps } = inp
  const dtype = options.init?.neurons.v.dtype ?? net.weights.dtype
  const init = options.init ?? networkInit(net, dtype)
  const copy = (t: Tensor) => {
    if (t.data.length !== n) throw new ShapeError(op, `init does not fit a network of ${n} neurons`, [t.shape, [n]])
    return fresh(dtype, t)
  }
  const v = copy(init.neurons.v)
  const ref = copy(init.neurons.refractory)
  const s = copy(init.current)
  const J = alloc(dtype, n)
  const spiked = alloc(dtype, n)
  const spikeTime = alloc(dtype, n)
  const probes = options.probes ?? {}
  const idx = probes.neurons ?? Array.from({ length: n }, (_, i) => i)
  idx.forEach((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new DomainError(op, `probed neuron ${i} is not in 0…${n - 1}`)
  })
  const P = idx.length
  const all = P === n && idx.every((i, p) => i === p)
  const rec = (on: boolean | undefined) => (on ? alloc(dtype, steps * P) : undefined)
  const spk = rec(probes.spikes ?? true)
  const volt = rec(probes.voltage)
  const cur = rec(probes.current)
  const times: number[][] = Array.from({ length: n }, () => [])
  for (let k = 0; k < steps; k++) {
    if (stepKernel(n, outgoing(net.weights), net.tauSyn, v, ref, s, J, inp.at(k), dt, c, spiked, spikeTime) > 0) {
      for (let i = 0; i < n; i++) if (spiked[i] === 1) times[i].push(k * dt + spikeTime[i])
    }
    const o = k * P
    if (all) {
      if (spk) spk.set(spiked, o)
      if (volt) volt.set(v, o)
      if (cur) cur.set(s, o)
    } else {
      for (let p = 0; p < P; p++) {
        const i = idx[p]
        if (spk) spk[o + p] = spiked[i]
        if (volt) volt[o + p] = v[i]
        if (cur) cur[o + p] = s[i]
      }
    }
  }
  return {
    ...(spk ? { spikes: make(dtype, [steps, P], spk) } : {}),
    ...(volt ? { voltage: make(dtype, [steps, P], volt) } : {}),
    ...(cur ? { current: make(dtype, [steps, P], cur) } : {}),
    spikeTimes: times,
    state: Object.freeze({ neurons: Object.freeze({ v: make(dtype, [n], v), refractory: make(dtype, [n], ref) }), current: make(dtype, [n], s) }),
  }
}

/**
 * Leaky integrate-and-fire neurons (notes §2.2, §3.2).
 *
 * In dimensionless form the membrane obeys `τ_m dv/dt = −v + J` with threshold 1 and reset
 * 0, followed by a refractory period `τ_ref` in which `v` is held at 0. For a constant input
 * `J` the time from reset to threshold is `τ_m ln(J / (J − 1))`, so the steady-state rate is
 *
 *   G(J) = 1 / (τ_ref − τ_m ln(1 − 1/J)) = 1 / (τ_ref + τ_m log1p(1/(J − 1)))   for J > 1,
 *   G(J) = 0                                                                     for J ≤ 1.
 *
 * Laws:
 * - `G(J) = 0` for `J ≤ 1`; `G` is strictly increasing on `J > 1`;
 * - `G(J) → 1/τ_ref` as `J → ∞`; `G(J) < 1/τ_ref` everywhere;
 * - `lifRate` is differentiable: `grad(J ↦ sum(G(J)))` agrees with finite differences for
 *   `J > 1` and is 0 (never NaN) for `J ≤ 1`.
 *
 * Spiking (`lifStep`, `lifSimulate`): each step holds `J` constant over `[t, t + dt)` and
 * advances the membrane exactly (zero-order hold), `v ← v + (J − v)(1 − e^{−Δ/τ_m})`, where
 * `Δ = clip(dt − refractory, 0, dt)` is the part of the step outside the refractory period;
 * a neuron whose `v` passes 1 spikes, is reset to 0 and held for `τ_ref`. With
 * interpolation (the default, as Nengo does) the crossing time inside the step,
 * `t* = dt + τ_m log1p(−(v − 1)/(J − 1))`, is solved for, and the `dt − t*` that already
 * passed counts towards `τ_ref`. Laws:
 * - with interpolation, the spike count of a constant `J` over a window `T` is within one
 *   spike of `G(J)·T` (the first spike comes after `τ_m ln(J/(J−1))`, then one every
 *   `1/G(J)`);
 * - without interpolation every interspike interval is rounded up to whole steps, so the
 *   count lies in `[T/(1/G + dt) − 1, G·T + 1]`;
 * - a neuron's trajectory does not depend on the other neurons stepped with it;
 * - the dimensional form is the dimensionless one under `v = (V − V_reset)/(V_th − V_reset)`,
 *   `J = (R I + V_rest − V_reset)/(V_th − V_reset)`, and the two conversions are inverse.
 *
 * @module
 */
import * as ops from '../ops/index.js'
import { alloc, make, type DType, type Tensor } from '../tensor/Tensor.js'
import { sizeOf, type Shape } from '../tensor/Shape.js'
import { DomainError, ShapeError } from '../errors.js'

/**
 * Time constants of a leaky integrate-and-fire neuron, in seconds.
 *
 * - `tauRC`: the membrane time constant `τ_m = RC` (Nengo's `tau_rc`);
 * - `tauRef`: the absolute refractory period `τ_ref`.
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifParams {
  /** Membrane time constant `τ_m = RC`, in seconds (Nengo's `tau_rc`). */
  readonly tauRC: number
  /** Absolute refractory period `τ_ref`, in seconds. */
  readonly tauRef: number
}

/**
 * The default LIF time constants, Nengo's: `τ_m = 20 ms`, `τ_ref = 2 ms`.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(neuro.lifDefaults, { tauRC: 0.02, tauRef: 0.002 })
 * ```
 */
export const lifDefaults: LifParams = Object.freeze({ tauRC: 0.02, tauRef: 0.002 })

/** @internal Fills in defaults and checks the time constants. */
export const lifParams = (op: string, p: Partial<LifParams> = {}): LifParams => {
  const out = { ...lifDefaults, ...p }
  if (!(out.tauRC > 0) || !Number.isFinite(out.tauRC)) throw new DomainError(op, `tauRC must be a positive finite number of seconds, got ${out.tauRC}`)
  if (!(out.tauRef >= 0) || !Number.isFinite(out.tauRef)) throw new DomainError(op, `tauRef must be a non-negative finite number of seconds, got ${out.tauRef}`)
  return out
}

/**
 * The steady-state firing rate of a LIF neuron for a constant dimensionless input current
 * (threshold 1), in spikes per second; differentiable with `ops`, so it can sit inside
 * `grad`.
 *
 * `G(J) = 1 / (τ_ref + τ_m log1p(1/(J − 1)))` for `J > 1`, and 0 otherwise.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const r = ops.toArray(neuro.lifRate(ops.tensor([0.5, 1, 2], 'float64'))) as number[]
 * assert.deepStrictEqual(r.slice(0, 2), [0, 0])
 * assert.ok(Math.abs(r[2] - 1 / (0.002 + 0.02 * Math.log(2))) < 1e-9)   // ≈ 63.0 Hz
 * ```
 */
export const lifRate = (J: Tensor, params: Partial<LifParams> = {}): Tensor => {
  const { tauRC, tauRef } = lifParams('lifRate', params)
  const above = ops.greater(J, 1)
  // The double-where trick: the untaken branch sees a harmless input (J = 2), so neither
  // value nor gradient becomes NaN or infinite for J ≤ 1.
  const safe = ops.where(above, J, 2)
  const isi = ops.add(tauRef, ops.mul(tauRC, ops.log1p(ops.reciprocal(ops.sub(safe, 1)))))
  return ops.where(above, ops.reciprocal(isi), 0)
}

/**
 * The inverse of the rate curve: the dimensionless input current at which a LIF neuron
 * fires at `rate` (in Hz, `0 < rate < 1/τ_ref`); differentiable with `ops`.
 *
 * `G⁻¹(r) = 1 / (1 − e^{(τ_ref − 1/r)/τ_m}) = −1 / expm1((τ_ref − 1/r)/τ_m)`.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const J = ops.tensor([1.5, 2, 10], 'float64')
 * const back = neuro.lifRateInverse(neuro.lifRate(J))
 * assert.ok(ops.toFlat(back).every((v, i) => Math.abs(v - J.data[i]) < 1e-9))
 * ```
 */
export const lifRateInverse = (rate: Tensor, params: Partial<LifParams> = {}): Tensor => {
  const { tauRC, tauRef } = lifParams('lifRateInverse', params)
  const z = ops.div(ops.sub(tauRef, ops.reciprocal(rate)), tauRC)
  return ops.neg(ops.reciprocal(ops.expm1(z)))
}

/**
 * The state of a population of spiking LIF neurons (any shape, one entry per neuron):
 * the dimensionless membrane voltage `v` (threshold 1, reset 0) and the time left in the
 * refractory period, in seconds (≤ 0 once the neuron may integrate again).
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifState {
  /** Dimensionless membrane voltage (threshold 1, reset 0). */
  readonly v: Tensor
  /** Seconds of refractory period left (≤ 0: not refractory). */
  readonly refractory: Tensor
}

/**
 * Options of the spiking LIF step: the time constants (defaults `lifDefaults`) plus
 *
 * - `interpolate` (default `true`): solve for the threshold crossing inside the step and
 *   count the rest of the step towards `τ_ref` (as Nengo does); `false` starts the
 *   refractory period at the end of the step;
 * - `minVoltage` (default `−∞`, the plain ODE): a floor on `v` (Nengo uses 0).
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifStepOptions extends Partial<LifParams> {
  /** Solve for the spike time inside the step (default true). */
  readonly interpolate?: boolean
  /** A floor on the dimensionless voltage (default −∞; Nengo uses 0). */
  readonly minVoltage?: number
}

/**
 * What one spiking LIF step returns: the next state, which neurons spiked (1) or not (0),
 * and the time of each spike inside the step (seconds from the step's start, in `(0, dt]`;
 * `dt` without interpolation; 0 where no spike).
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifStepResult {
  /** The state at the end of the step. */
  readonly state: LifState
  /** 1 where the neuron spiked during the step, else 0 (same shape as `v`). */
  readonly spiked: Tensor
  /** Spike time inside the step (seconds after its start); 0 where no spike. */
  readonly spikeTime: Tensor
}

/**
 * The resting initial state of `shape` LIF neurons (a count or a shape): `v = 0`, not
 * refractory.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = neuro.lifInit(3)
 * assert.deepStrictEqual(ops.toArray(s.v), [0, 0, 0])
 * assert.strictEqual(s.v.dtype, 'float64')
 * ```
 */
export const lifInit = (shape: number | Shape, dtype: DType = 'float64'): LifState => {
  const s = typeof shape === 'number' ? [shape] : shape
  if (!s.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError('lifInit', `expected a count or a shape of non-negative integers, got ${JSON.stringify(shape)}`)
  return { v: ops.zeros(s, dtype), refractory: ops.zeros(s, dtype) }
}

/** @internal Resolved step options. */
export interface LifStepConfig {
  readonly tauRC: number
  readonly tauRef: number
  readonly interpolate: boolean
  readonly minVoltage: number
}

/** @internal Checks and fills in the step options. */
export const lifStepConfig = (op: string, o: LifStepOptions = {}): LifStepConfig => {
  const { tauRC, tauRef } = lifParams(op, o)
  const minVoltage = o.minVoltage ?? -Infinity
  if (Number.isNaN(minVoltage) || minVoltage >= 1) throw new DomainError(op, `minVoltage must be below the threshold 1, got ${minVoltage}`)
  return { tauRC, tauRef, interpolate: o.interpolate ?? true, minVoltage }
}

/** @internal Checks a time step. */
export const checkDt = (op: string, dt: number): number => {
  if (!(dt > 0) || !Number.isFinite(dt)) throw new DomainError(op, `dt must be a positive finite number of seconds, got ${dt}`)
  return dt
}

/**
 * @internal The LIF update in place on local buffers (the one loop every spiking
 * simulation in `neuro` runs). `J` has one entry per neuron, or one for all. Writes
 * `spiked[i]` (0/1) and `spikeTime[i]`, returns the number of spikes.
 */
export const lifKernel = (
  v: Float64Array | Float32Array,
  ref: Float64Array | Float32Array,
  J: ArrayLike<number>,
  dt: number,
  c: LifStepConfig,
  spiked: Float64Array | Float32Array,
  spikeTime: Float64Array | Float32Array,
): number => {
  const n = v.length
  const one = J.length === 1
  const { tauRC, tauRef, interpolate, minVoltage } = c
  // 1 − e^{−dt/τ_m}, the factor of every neuron that is out of its refractory period
  const whole = -Math.expm1(-dt / tauRC)
  let count = 0
  for (let i = 0; i < n; i++) {
    const j = one ? J[0] : J[i]
    const r = ref[i] - dt
    const vOld = v[i]
    // the part of the step outside the refractory period: Δ = clip(dt − r, 0, dt)
    const f = r <= 0 ? whole : r >= dt ? 0 : -Math.expm1((r - dt) / tauRC)
    let vi = vOld + (j - vOld) * f
    if (vi > 1) {
      // crossing time from the step's start: v(t*) = 1 on the exact trajectory ending at vi
      let ts = dt
      if (interpolate && j > 1) ts = Math.min(Math.max(dt + tauRC * Math.log1p(-(vi - 1) / (j - 1)), 0), dt)
      spiked[i] = 1
      spikeTime[i] = ts
      ref[i] = tauRef + ts
      vi = 0
      count++
    } else {
      spiked[i] = 0
      spikeTime[i] = 0
      ref[i] = r
    }
    v[i] = vi < minVoltage ? minVoltage : vi
  }
  return count
}

// The J data of a step: a tensor of the state's shape or size 1, or a number.
const currentData = (op: string, J: Tensor | number, n: number, shape: Shape): ArrayLike<number> => {
  if (typeof J === 'number') return [J]
  if (J.data.length !== n && J.data.length !== 1) {
    throw new ShapeError(op, `input current of shape [${J.shape.join(',')}] does not match the ${n} neurons of shape [${shape.join(',')}]`, [J.shape, shape])
  }
  return J.data
}

/**
 * One time step of a population of spiking LIF neurons (dimensionless: threshold 1, reset
 * 0, refractory period `τ_ref`): a pure state transition, vectorised over neurons of any
 * shape. `J` (constant over the step) has the state's shape, or is a single number.
 *
 * `v ← v + (J − v)(1 − e^{−Δ/τ_m})` with `Δ = clip(dt − refractory, 0, dt)`; where
 * `v > 1`: spike, `v ← 0`, `refractory ← τ_ref + t*` (with `t*` the crossing time inside
 * the step when interpolating, else `dt`), and the step's `dt` is then taken off.
 *
 * A neuron spikes at most once per step (as in Nengo), so a simulated rate is capped at
 * `1/dt`: it follows G(J) while `1/G(J) > dt`, which holds for every J when `dt ≤ τ_ref`
 * (G never exceeds `1/τ_ref`). At dt = 5 ms, J = 50 gives 200 Hz against G = 416 Hz.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // three neurons, driven below, at and well above threshold, for 100 ms
 * let state = neuro.lifInit(3)
 * const J = ops.tensor([0.5, 1, 5], 'float64')
 * let spikes = [0, 0, 0]
 * for (let k = 0; k < 100; k++) {
 *   const r = neuro.lifStep(state, J, 0.001)
 *   state = r.state
 *   spikes = spikes.map((s, i) => s + r.spiked.data[i])
 * }
 * assert.deepStrictEqual(spikes.slice(0, 2), [0, 0])
 * const G = ops.toFlat(neuro.lifRate(J))[2]          // ≈ 154.7 Hz
 * assert.ok(Math.abs(spikes[2] - G * 0.1) <= 1)
 * ```
 */
export const lifStep = (state: LifState, J: Tensor | number, dt: number, options: LifStepOptions = {}): LifStepResult => {
  const op = 'lifStep'
  const c = lifStepConfig(op, options)
  checkDt(op, dt)
  const { v, refractory } = state
  if (v.data.length !== refractory.data.length) {
    throw new ShapeError(op, `state.v has shape [${v.shape.join(',')}] but state.refractory has shape [${refractory.shape.join(',')}]`, [v.shape, refractory.shape])
  }
  const n = v.data.length
  const jd = currentData(op, J, n, v.shape)
  const dtype = v.dtype
  const v2 = alloc(dtype, n)
  const r2 = alloc(dtype, n)
  v2.set(v.data as ArrayLike<number>)
  r2.set(refractory.data as ArrayLike<number>)
  const spiked = alloc(dtype, n)
  const spikeTime = alloc(dtype, n)
  lifKernel(v2, r2, jd, dt, c, spiked, spikeTime)
  return {
    state: Object.freeze({ v: make(dtype, v.shape, v2), refractory: make(dtype, v.shape, r2) }),
    spiked: make(dtype, v.shape, spiked),
    spikeTime: make(dtype, v.shape, spikeTime),
  }
}

/**
 * An input current over time: a tensor `[T, ...neurons]` (one row per step), or a
 * function of the step's start time `t = k·dt` and index `k` giving the current of every
 * neuron (a tensor of the neurons' shape, or one number for all).
 *
 * @category neurons
 * @since 0.2.0
 */
export type CurrentInput = Tensor | ((t: number, k: number) => Tensor | number)

/**
 * Options of `lifSimulate`: the step options, the time step `dt` (seconds), and
 *
 * - `steps`: the number of steps; required when the input is a function or a constant
 *   tensor (a tensor input with `steps` set is held constant for `steps` steps; without
 *   `steps` it is read as a time series `[T, ...neurons]`);
 * - `init`: the initial state (default `lifInit`: `v = 0`, not refractory);
 * - `voltages` (default `true`): record the voltage after every step.
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifSimulateOptions extends LifStepOptions {
  /** Time step in seconds. */
  readonly dt: number
  /** Number of steps (required for a function input or a constant tensor). */
  readonly steps?: number
  /** Initial state (default: resting, `v = 0`). */
  readonly init?: LifState
  /** Record the voltage after every step (default true). */
  readonly voltages?: boolean
}

/**
 * The record of a LIF simulation of `T` steps.
 *
 * - `spikes`: `[T, ...neurons]`, 1 in the row of the step in which a neuron spiked, else 0;
 * - `voltages`: `[T, ...neurons]`, the voltage at the end of each step (after any reset);
 * - `spikeTimes`: per neuron (flat index), the spike times in seconds from the start
 *   (interpolated inside the step, or the step's end without interpolation);
 * - `counts`: spikes per neuron; `state`: the final state.
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifSimulation {
  /** 0/1 spikes, `[T, ...neurons]`. */
  readonly spikes: Tensor
  /** Voltage at the end of each step, `[T, ...neurons]` (absent if not recorded). */
  readonly voltages?: Tensor
  /** Spike times (seconds) of each neuron, by flat index. */
  readonly spikeTimes: ReadonlyArray<ReadonlyArray<number>>
  /** Number of spikes of each neuron. */
  readonly counts: Tensor
  /** The state after the last step. */
  readonly state: LifState
}

/** @internal Resolves a current input into a neuron shape, step count and per-step reader. */
export const resolveInput = (
  op: string,
  input: CurrentInput,
  steps: number | undefined,
  dt: number,
  shape: Shape | undefined,
): { shape: Shape; steps: number; dtype: DType; at: (k: number) => ArrayLike<number> } => {
  if (steps !== undefined && !(Number.isInteger(steps) && steps >= 0)) throw new DomainError(op, `steps must be a non-negative integer, got ${steps}`)
  if (typeof input === 'function') {
    if (steps === undefined) throw new DomainError(op, 'a function input needs options.steps')
    const first = steps > 0 ? input(0, 0) : 0
    const s = shape ?? (typeof first === 'number' ? [] : first.shape)
    const n = sizeOf(s)
    const dtype = typeof first === 'number' ? 'float64' : first.dtype
    return { shape: s, steps, dtype, at: (k) => currentData(op, k === 0 ? first : input(k * dt, k), n, s) }
  }
  if (steps !== undefined) {
    const s = shape ?? input.shape
    const d = currentData(op, input, sizeOf(s), s)
    return { shape: s, steps, dtype: input.dtype, at: () => d }
  }
  if (input.shape.length < 1) throw new ShapeError(op, `a time-series input needs shape [T, ...neurons], got [] (pass options.steps for a constant input)`, [input.shape])
  const s = shape ?? input.shape.slice(1)
  const n = sizeOf(s)
  if (sizeOf(input.shape.slice(1)) !== n) throw new ShapeError(op, `input rows of shape [${input.shape.slice(1).join(',')}] do not match the neurons' shape [${s.join(',')}]`, [input.shape, s], 0)
  const data = input.data as Float64Array
  return { shape: s, steps: input.shape[0], dtype: input.dtype, at: (k) => data.subarray(k * n, (k + 1) * n) }
}

/**
 * Simulates spiking LIF neurons (dimensionless) under an input current, constant or
 * time-varying, by stepping `lifStep`'s update; records spikes, voltages and spike times.
 * At most one spike per neuron per step: keep `dt ≤ τ_ref` for rates up to `1/τ_ref`
 * (see `lifStep`).
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // J = 2 for 10 s at dt = 1 ms: about G(2)·T ≈ 630 spikes
 * const sim = neuro.lifSimulate(ops.tensor([2], 'float64'), { dt: 0.001, steps: 10000, voltages: false })
 * const G = ops.toFlat(neuro.lifRate(ops.tensor([2], 'float64')))[0]
 * assert.ok(Math.abs(sim.counts.data[0] - G * 10) <= 1)
 * assert.deepStrictEqual(sim.spikes.shape, [10000, 1])
 * ```
 */
export const lifSimulate = (J: CurrentInput, options: LifSimulateOptions): LifSimulation => {
  const op = 'lifSimulate'
  const c = lifStepConfig(op, options)
  const dt = checkDt(op, options.dt)
  const inp = resolveInput(op, J, options.steps, dt, options.init?.v.shape)
  const { shape, steps } = inp
  const n = sizeOf(shape)
  const dtype = options.init?.v.dtype ?? inp.dtype
  const v = alloc(dtype, n)
  const ref = alloc(dtype, n)
  if (options.init) {
    if (options.init.refractory.data.length !== n) throw new ShapeError(op, `init.refractory has ${options.init.refractory.data.length} entries, expected ${n}`, [options.init.refractory.shape, shape])
    v.set(options.init.v.data as ArrayLike<number>)
    ref.set(options.init.refractory.data as ArrayLike<number>)
  }
  const recordV = options.voltages ?? true
  const spikes = alloc(dtype, steps * n)
  const volts = recordV ? alloc(dtype, steps * n) : undefined
  const spk = alloc(dtype, n)
  const ts = alloc(dtype, n)
  const times: number[][] = Array.from({ length: n }, () => [])
  const counts = alloc(dtype, n)
  for (let k = 0; k < steps; k++) {
    if (lifKernel(v, ref, inp.at(k), dt, c, spk, ts) > 0) {
      for (let i = 0; i < n; i++) {
        if (spk[i] === 1) {
          times[i].push(k * dt + ts[i])
          counts[i]++
        }
      }
    }
    spikes.set(spk, k * n)
    if (volts) volts.set(v, k * n)
  }
  return {
    spikes: make(dtype, [steps, ...shape], spikes),
    ...(volts ? { voltages: make(dtype, [steps, ...shape], volts) } : {}),
    spikeTimes: times,
    counts: make(dtype, shape, counts),
    state: { v: make(dtype, shape, v), refractory: make(dtype, shape, ref) },
  }
}

/**
 * The dimensional LIF neuron: `τ_m dV/dt = −(V − V_rest) + R I`, spike when `V` reaches
 * `V_th`, then `V = V_reset` for `τ_ref`. Volts, ohms, amperes and seconds.
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifDimensionalParams {
  /** Resting potential (V). */
  readonly vRest: number
  /** Threshold (V). */
  readonly vTh: number
  /** Reset potential (V). */
  readonly vReset: number
  /** Membrane resistance (Ω). */
  readonly R: number
  /** Membrane time constant `τ_m = RC` (s). */
  readonly tauM: number
  /** Absolute refractory period (s). */
  readonly tauRef: number
}

/**
 * Textbook dimensional LIF constants (Dayan & Abbott): `V_rest = V_reset = −65 mV`,
 * `V_th = −50 mV`, `R = 10 MΩ`, `τ_m = 10 ms`, `τ_ref = 2 ms`; the rheobase current is
 * `(V_th − V_rest)/R = 1.5 nA`.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * const p = neuro.lifDimensionalDefaults
 * assert.ok(Math.abs((p.vTh - p.vRest) / p.R - 1.5e-9) < 1e-18)
 * ```
 */
export const lifDimensionalDefaults: LifDimensionalParams = Object.freeze({
  vRest: -0.065, vTh: -0.05, vReset: -0.065, R: 1e7, tauM: 0.01, tauRef: 0.002,
})

const dimParams = (op: string, p: Partial<LifDimensionalParams>): LifDimensionalParams => {
  const out = { ...lifDimensionalDefaults, ...p }
  if (!(out.vTh > out.vReset)) throw new DomainError(op, `the threshold vTh (${out.vTh}) must lie above the reset vReset (${out.vReset})`)
  if (!(out.R > 0) || !Number.isFinite(out.R)) throw new DomainError(op, `R must be a positive finite resistance in ohms, got ${out.R}`)
  lifParams(op, { tauRC: out.tauM, tauRef: out.tauRef })
  return out
}

/**
 * The dimensionless time constants of a dimensional LIF neuron: `{ tauRC: τ_m, tauRef }`.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(neuro.lifDimensionless(), { tauRC: 0.01, tauRef: 0.002 })
 * ```
 */
export const lifDimensionless = (params: Partial<LifDimensionalParams> = {}): LifParams => {
  const p = dimParams('lifDimensionless', params)
  return { tauRC: p.tauM, tauRef: p.tauRef }
}

/**
 * Converts a current in amperes to the dimensionless input of the same neuron:
 * `J = (R I + V_rest − V_reset) / (V_th − V_reset)` (threshold 1).
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // the rheobase, 1.5 nA, is J = 1
 * assert.ok(Math.abs(ops.item(neuro.currentToDimensionless(ops.scalar(1.5e-9, 'float64'))) - 1) < 1e-12)
 * ```
 */
export const currentToDimensionless = (I: Tensor, params: Partial<LifDimensionalParams> = {}): Tensor => {
  const p = dimParams('currentToDimensionless', params)
  return ops.div(ops.add(ops.mul(I, p.R), p.vRest - p.vReset), p.vTh - p.vReset)
}

/**
 * Converts a dimensionless input back to amperes: `I = (J (V_th − V_reset) − V_rest + V_reset) / R`.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.ok(Math.abs(ops.item(neuro.currentFromDimensionless(ops.scalar(1, 'float64'))) - 1.5e-9) < 1e-18)
 * ```
 */
export const currentFromDimensionless = (J: Tensor, params: Partial<LifDimensionalParams> = {}): Tensor => {
  const p = dimParams('currentFromDimensionless', params)
  return ops.div(ops.sub(ops.mul(J, p.vTh - p.vReset), p.vRest - p.vReset), p.R)
}

/**
 * Converts a membrane potential in volts to the dimensionless voltage:
 * `v = (V − V_reset) / (V_th − V_reset)` (reset 0, threshold 1).
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const v = ops.toFlat(neuro.voltageToDimensionless(ops.tensor([-0.065, -0.05], 'float64')))
 * assert.ok(Math.abs(v[0]) < 1e-12 && Math.abs(v[1] - 1) < 1e-12)
 * ```
 */
export const voltageToDimensionless = (V: Tensor, params: Partial<LifDimensionalParams> = {}): Tensor => {
  const p = dimParams('voltageToDimensionless', params)
  return ops.div(ops.sub(V, p.vReset), p.vTh - p.vReset)
}

/**
 * Converts a dimensionless voltage back to volts: `V = V_reset + v (V_th − V_reset)`.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.ok(Math.abs(ops.item(neuro.voltageFromDimensionless(ops.scalar(1, 'float64'))) + 0.05) < 1e-12)
 * ```
 */
export const voltageFromDimensionless = (v: Tensor, params: Partial<LifDimensionalParams> = {}): Tensor => {
  const p = dimParams('voltageFromDimensionless', params)
  return ops.add(ops.mul(v, p.vTh - p.vReset), p.vReset)
}

/**
 * Options of `lifSimulateDimensional`: the dimensional constants (defaults
 * `lifDimensionalDefaults`), `dt`, `steps`, `interpolate`, `voltages` as for `lifSimulate`,
 * and an initial potential `V0` in volts (default `V_reset`).
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifDimensionalOptions extends Partial<LifDimensionalParams> {
  /** Time step in seconds. */
  readonly dt: number
  /** Number of steps (required for a function input or a constant tensor). */
  readonly steps?: number
  /** Solve for the spike time inside the step (default true). */
  readonly interpolate?: boolean
  /** Record the potential after every step (default true). */
  readonly voltages?: boolean
  /** Initial membrane potential in volts (default `vReset`). */
  readonly V0?: number
}

/**
 * Simulates dimensional LIF neurons under an input current in amperes (constant or
 * time-varying, as in `lifSimulate`): converts to the dimensionless form, simulates, and
 * returns the potentials in volts (the spikes and spike times are unchanged by the
 * conversion).
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // 2 nA into the default neuron for 1 s
 * const sim = neuro.lifSimulateDimensional(ops.tensor([2e-9], 'float64'), { dt: 1e-4, steps: 10000 })
 * const J = neuro.currentToDimensionless(ops.tensor([2e-9], 'float64'))   // 4/3
 * const G = ops.toFlat(neuro.lifRate(J, neuro.lifDimensionless()))[0]
 * assert.ok(Math.abs(sim.counts.data[0] - G) <= 1)
 * const V = ops.toFlat(sim.voltages!)
 * assert.ok(Math.max(...V) < -0.05 && Math.min(...V) >= -0.065 - 1e-12)
 * ```
 */
export const lifSimulateDimensional = (I: CurrentInput, options: LifDimensionalOptions): LifSimulation => {
  const op = 'lifSimulateDimensional'
  const p = dimParams(op, options)
  const scale = p.R / (p.vTh - p.vReset)
  const shift = (p.vRest - p.vReset) / (p.vTh - p.vReset)
  const J: CurrentInput =
    typeof I === 'function'
      ? (t, k) => {
          const x = I(t, k)
          return typeof x === 'number' ? x * scale + shift : ops.add(ops.mul(x, scale), shift)
        }
      : ops.add(ops.mul(I, scale), shift)
  const dtype = typeof I === 'function' ? undefined : I.dtype
  const probe = typeof J === 'function' ? (options.steps ?? 0) > 0 ? J(0, 0) : 0 : undefined
  const shape = probe === undefined ? (options.steps !== undefined ? (J as Tensor).shape : (J as Tensor).shape.slice(1)) : typeof probe === 'number' ? [] : probe.shape
  const dt2 = dtype ?? (typeof probe === 'object' ? probe.dtype : 'float64')
  const v0 = ((options.V0 ?? p.vReset) - p.vReset) / (p.vTh - p.vReset)
  const sim = lifSimulate(J, {
    dt: options.dt,
    ...(options.steps !== undefined ? { steps: options.steps } : {}),
    tauRC: p.tauM,
    tauRef: p.tauRef,
    interpolate: options.interpolate ?? true,
    voltages: options.voltages ?? true,
    init: { v: ops.full(shape, v0, dt2), refractory: ops.zeros(shape, dt2) },
  })
  return sim.voltages ? { ...sim, voltages: voltageFromDimensionless(sim.voltages, p) } : sim
}

/**
 * The tuning of a LIF population: how to turn a represented value `x` into each neuron's
 * input current, `J_i = α_i ⟨e_i, x⟩ + β_i`.
 *
 * - `gain` (`α`) and `bias` (`β`): `[N]`;
 * - `encoders` (`e`): `[N, D]` (or `[N]` for D = 1, typically ±1); default all 1 (D = 1).
 *
 * @category neurons
 * @since 0.2.0
 */
export interface LifTuning {
  /** Gain `α_i` of each neuron, `[N]`. */
  readonly gain: Tensor
  /** Bias current `β_i` of each neuron, `[N]`. */
  readonly bias: Tensor
  /** Encoders `e_i`, `[N, D]` or `[N]` (D = 1); default all 1. */
  readonly encoders?: Tensor
}

/**
 * Tuning curves: the steady-state rate of each LIF neuron at each value `x`,
 * `a_i(x) = G(α_i ⟨e_i, x⟩ + β_i)`, as `[P, N]` for `P` points (`x` of shape `[P]` for D = 1,
 * or `[P, D]`). Built from `ops`, so differentiable in `x`, gains, biases and encoders.
 *
 * @category neurons
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.linspace(-1, 1, 5, 'float64')
 * const tuning = { gain: ops.tensor([2, 2], 'float64'), bias: ops.tensor([1, 1], 'float64'), encoders: ops.tensor([1, -1], 'float64') }
 * const a = ops.toArray(neuro.lifTuningCurve(x, tuning)) as number[][]
 * assert.deepStrictEqual([a.length, a[0].length], [5, 2])
 * assert.strictEqual(a[0][0], 0)                // x = −1: J = −1 for the "on" neuron
 * assert.ok(a[4][0] > a[3][0] && a[0][1] > 0)    // rising, and the "off" neuron fires at x = −1
 * ```
 */
export const lifTuningCurve = (x: Tensor, tuning: LifTuning, params: Partial<LifParams> = {}): Tensor => {
  const op = 'lifTuningCurve'
  const { gain, bias } = tuning
  if (gain.shape.length !== 1 || bias.shape.length !== 1 || gain.shape[0] !== bias.shape[0]) {
    throw new ShapeError(op, `gain and bias must both be [N], got [${gain.shape.join(',')}] and [${bias.shape.join(',')}]`, [gain.shape, bias.shape])
  }
  const N = gain.shape[0]
  const X = x.shape.length === 1 ? ops.reshape(x, [x.shape[0], 1]) : x
  if (X.shape.length !== 2) throw new ShapeError(op, `x must be [P] or [P, D], got [${x.shape.join(',')}]`, [x.shape])
  const D = X.shape[1]
  const E = tuning.encoders === undefined ? ops.ones([N, D], x.dtype) : tuning.encoders.shape.length === 1 ? ops.reshape(tuning.encoders, [tuning.encoders.shape[0], 1]) : tuning.encoders
  if (E.shape.length !== 2 || E.shape[0] !== N || E.shape[1] !== D) {
    throw new ShapeError(op, `encoders must be [N, D] = [${N},${D}] (or [N] for D = 1), got [${tuning.encoders?.shape.join(',')}]`, [E.shape, [N, D]])
  }
  const J = ops.add(ops.mul(ops.matmul(X, ops.transpose(E)), gain), bias)
  return lifRate(J, params)
}

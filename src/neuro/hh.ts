/**
 * The Hodgkin–Huxley model of the squid giant axon (notes §2.1), in the modern convention
 * (rest near −65 mV, time in ms, voltages in mV, currents in µA/cm², conductances in
 * mS/cm², capacitance in µF/cm²):
 *
 *   C dV/dt = I(t) − ḡ_Na m³h (V − E_Na) − ḡ_K n⁴ (V − E_K) − ḡ_L (V − E_L)
 *   dx/dt   = α_x(V) (1 − x) − β_x(V) x,   x ∈ {n, m, h}
 *
 * with the rate functions (per ms)
 *
 *   α_n = 0.01 (V + 55) / (1 − e^{−(V+55)/10}),   β_n = 0.125 e^{−(V+65)/80}
 *   α_m = 0.1 (V + 40) / (1 − e^{−(V+40)/10}),    β_m = 4 e^{−(V+65)/18}
 *   α_h = 0.07 e^{−(V+65)/20},                    β_h = 1 / (1 + e^{−(V+35)/10})
 *
 * and, by default, C = 1, ḡ_Na = 120, ḡ_K = 36, ḡ_L = 0.3, E_Na = 50, E_K = −77,
 * E_L = −54.387. `α_n` and `α_m` have removable singularities (at −55 and −40 mV); they are
 * computed as `a · u/(eᵘ − 1)` with `u = −x` through `u / expm1(u)`, switching to the series
 * `1 − u/2 + u²/12` for `|u| < 1e-4` with the double-`where` trick, so values are exact
 * there and gradients are finite. Everything is built from `ops`: the model is
 * differentiable and works elementwise on tensors of any shape (a batch of neurons).
 *
 * Laws (checked in `laws/hh.law.ts` and `spec/neuro-hh.spec.ts`):
 * - `α_n(−55) = 0.1`, `α_m(−40) = 1`, and both are continuous there;
 * - `x∞ = α/(α + β) ∈ [0, 1]` and `τ_x = 1/(α + β) > 0` for every V;
 * - at the resting state (`dV/dt = 0` with every gate at `x∞(V)`), the vector field is 0,
 *   so with no input the membrane stays at rest (≈ −65 mV);
 * - a 10 µA/cm² step makes the neuron fire; no input, no spike; the f–I curve is 0 below
 *   the rheobase (6.23–6.24 µA/cm² for a step from rest, RK4 with dt ≤ 0.05 ms), jumps to
 *   ≈ 50 Hz there (a type II neuron) and is non-decreasing above it.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import * as ops from '../ops/index.js'
import type { DType, Tensor } from '../tensor/Tensor.js'
import { odeint, type OdeMethod, type VectorField } from './ode.js'

// ---------------------------------------------------------------------------------------
// parameters

/**
 * The constants of the Hodgkin–Huxley membrane: capacitance (µF/cm²), maximal
 * conductances (mS/cm²) and reversal potentials (mV).
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export interface HHParams {
  /** Membrane capacitance `C` (µF/cm²). */
  readonly C: number
  /** Maximal sodium conductance `ḡ_Na` (mS/cm²). */
  readonly gNa: number
  /** Maximal potassium conductance `ḡ_K` (mS/cm²). */
  readonly gK: number
  /** Leak conductance `ḡ_L` (mS/cm²). */
  readonly gL: number
  /** Sodium reversal potential `E_Na` (mV). */
  readonly ENa: number
  /** Potassium reversal potential `E_K` (mV). */
  readonly EK: number
  /** Leak reversal potential `E_L` (mV). */
  readonly EL: number
}

/**
 * The standard squid-axon constants in the modern convention: `C = 1`, `ḡ_Na = 120`,
 * `ḡ_K = 36`, `ḡ_L = 0.3`, `E_Na = 50`, `E_K = −77`, `E_L = −54.387`.
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(neuro.hhDefaults.gNa, 120)
 * assert.ok(Object.isFrozen(neuro.hhDefaults))
 * ```
 */
export const hhDefaults: HHParams = Object.freeze({ C: 1, gNa: 120, gK: 36, gL: 0.3, ENa: 50, EK: -77, EL: -54.387 })

const paramKeys = Object.keys(hhDefaults) as ReadonlyArray<keyof HHParams>

/**
 * The defaults with some constants overridden, checked: `C > 0`, conductances `≥ 0`, all
 * finite; an unknown key (a typo such as `gna`) is an error.
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * const p = neuro.hhParams({ gK: 30 })
 * assert.strictEqual(p.gK, 30)
 * assert.strictEqual(p.gNa, 120)
 * assert.throws(() => neuro.hhParams({ C: 0 }), /hhParams: C must be/)
 * assert.throws(() => neuro.hhParams({ gna: 1 } as never), /unknown parameter "gna"/)
 * ```
 */
export const hhParams = (overrides: Partial<HHParams> = {}): HHParams => checkParams('hhParams', overrides)

const checkParams = (op: string, overrides: Partial<HHParams> | undefined): HHParams => {
  if (overrides === undefined) return hhDefaults
  if (typeof overrides !== 'object' || overrides === null) throw new DomainError(op, `params must be a record, got ${String(overrides)}`)
  for (const k of Object.keys(overrides)) {
    if (!paramKeys.includes(k as keyof HHParams)) {
      throw new DomainError(op, `unknown parameter ${JSON.stringify(k)} (expected one of ${paramKeys.join(', ')})`)
    }
  }
  const p = { ...hhDefaults, ...overrides }
  for (const k of paramKeys) {
    const v = p[k]
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DomainError(op, `${k} must be a finite number, got ${String(v)}`)
  }
  if (!(p.C > 0)) throw new DomainError(op, `C must be positive (µF/cm²), got ${p.C}`)
  for (const k of ['gNa', 'gK', 'gL'] as const) {
    if (!(p[k] >= 0)) throw new DomainError(op, `${k} must be non-negative (mS/cm²), got ${p[k]}`)
  }
  return Object.freeze(p)
}

// ---------------------------------------------------------------------------------------
// rate functions

/**
 * A gate of the Hodgkin–Huxley model: `n` (potassium activation), `m` (sodium
 * activation) or `h` (sodium inactivation).
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export type HHGate = 'n' | 'm' | 'h'

/** A membrane potential: a tensor (any shape), or a number (a float64 scalar). */
const volts = (V: Tensor | number): Tensor => (typeof V === 'number' ? ops.scalar(V, 'float64') : V)

/** Below this |u| the series of u/(eᵘ − 1) replaces the direct form (its error is u⁴/720). */
const SERIES_BELOW = 1e-4

/**
 * `u / (eᵘ − 1)` (that is `x/(1 − e^{−x})` at `u = −x`), exact at its removable singularity
 * `u = 0` (value 1) and with finite, accurate derivatives everywhere: near 0 the series
 * `1 − u/2 + u²/12`, and the double-where trick keeps `u = 0` out of the direct branch.
 */
const uOverExpm1 = (u: Tensor): Tensor => {
  const small = ops.less(ops.abs(u), SERIES_BELOW)
  const safe = ops.where(small, 1, u)
  const direct = ops.div(safe, ops.expm1(safe))
  const series = ops.add(1, ops.mul(u, ops.add(-0.5, ops.mul(u, 1 / 12))))
  return ops.where(small, series, direct)
}

const checkGate = (op: string, gate: unknown): HHGate => {
  if (gate !== 'n' && gate !== 'm' && gate !== 'h') throw new DomainError(op, `gate must be 'n', 'm' or 'h', got ${JSON.stringify(gate)}`)
  return gate
}

const alpha = (gate: HHGate, V: Tensor): Tensor => {
  switch (gate) {
    case 'n':
      return ops.mul(uOverExpm1(ops.mul(ops.add(V, 55), -0.1)), 0.1)
    case 'm':
      return uOverExpm1(ops.mul(ops.add(V, 40), -0.1))
    case 'h':
      return ops.mul(ops.exp(ops.mul(ops.add(V, 65), -1 / 20)), 0.07)
  }
}

const beta = (gate: HHGate, V: Tensor): Tensor => {
  switch (gate) {
    case 'n':
      return ops.mul(ops.exp(ops.mul(ops.add(V, 65), -1 / 80)), 0.125)
    case 'm':
      return ops.mul(ops.exp(ops.mul(ops.add(V, 65), -1 / 18)), 4)
    case 'h':
      return ops.sigmoid(ops.mul(ops.add(V, 35), 0.1))
  }
}

/**
 * The opening rate `α_x(V)` of a gate, per ms (V in mV), elementwise. Exact at the
 * removable singularities: `α_n(−55) = 0.1`, `α_m(−40) = 1`.
 *
 * `α_n = 0.01 (V+55) / (1 − e^{−(V+55)/10})`, `α_m = 0.1 (V+40) / (1 − e^{−(V+40)/10})`,
 * `α_h = 0.07 e^{−(V+65)/20}`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { grad, neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(neuro.hhAlpha('n', -55)), 0.1)
 * assert.strictEqual(ops.item(neuro.hhAlpha('m', -40)), 1)
 * assert.ok(Math.abs(ops.item(neuro.hhAlpha('h', -65)) - 0.07) < 1e-15)
 * // finite slope at the singularity: d/dV [0.1 x/(1 − e^{−x})] = 0.1 · 1/2 · 1/10 at x = 0
 * const d = grad((v: ops.Tensor) => neuro.hhAlpha('n', v))(ops.scalar(-55, 'float64'))
 * assert.ok(Math.abs(ops.item(d) - 0.005) < 1e-12)
 * ```
 */
export const hhAlpha = (gate: HHGate, V: Tensor | number): Tensor => alpha(checkGate('hhAlpha', gate), volts(V))

/**
 * The closing rate `β_x(V)` of a gate, per ms (V in mV), elementwise.
 *
 * `β_n = 0.125 e^{−(V+65)/80}`, `β_m = 4 e^{−(V+65)/18}`, `β_h = 1 / (1 + e^{−(V+35)/10})`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(neuro.hhBeta('n', -65)), 0.125)
 * assert.strictEqual(ops.item(neuro.hhBeta('m', -65)), 4)
 * assert.strictEqual(ops.item(neuro.hhBeta('h', -35)), 0.5)
 * ```
 */
export const hhBeta = (gate: HHGate, V: Tensor | number): Tensor => beta(checkGate('hhBeta', gate), volts(V))

/**
 * The steady-state open fraction of a gate at a fixed potential, in [0, 1].
 *
 * `x∞(V) = α_x(V) / (α_x(V) + β_x(V))`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const m = ops.toArray(neuro.hhSteadyState('m', ops.tensor([-80, -65, 0], 'float64'))) as number[]
 * assert.ok(m[0] < m[1] && m[1] < m[2] && m[2] < 1)   // sodium activation opens with depolarisation
 * assert.ok(Math.abs(m[1] - 0.0529) < 1e-4)
 * ```
 */
export const hhSteadyState = (gate: HHGate, V: Tensor | number): Tensor => {
  const g = checkGate('hhSteadyState', gate)
  const v = volts(V)
  const a = alpha(g, v)
  return ops.div(a, ops.add(a, beta(g, v)))
}

/**
 * The time constant of a gate at a fixed potential, in ms: the gate relaxes to `x∞` as
 * `e^{−t/τ_x}`.
 *
 * `τ_x(V) = 1 / (α_x(V) + β_x(V))`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // at rest the sodium activation is fast, inactivation and potassium activation slow
 * const [n, m, h] = (['n', 'm', 'h'] as const).map((g) => ops.item(neuro.hhTimeConstant(g, -65)))
 * assert.ok(m < 0.3 && h > 8 && n > 5)
 * ```
 */
export const hhTimeConstant = (gate: HHGate, V: Tensor | number): Tensor => {
  const g = checkGate('hhTimeConstant', gate)
  const v = volts(V)
  return ops.reciprocal(ops.add(alpha(g, v), beta(g, v)))
}

// ---------------------------------------------------------------------------------------
// the vector field

/**
 * The state of a Hodgkin–Huxley membrane: the potential `V` (mV) and the gates `n`, `m`,
 * `h`, tensors of one shape (one entry per neuron of a batch). A tree, so `odeint`,
 * `tree` and `grad` take it as it is.
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export type HHState = {
  /** Membrane potential (mV). */
  readonly V: Tensor
  /** Potassium activation, in [0, 1]. */
  readonly n: Tensor
  /** Sodium activation, in [0, 1]. */
  readonly m: Tensor
  /** Sodium inactivation, in [0, 1]. */
  readonly h: Tensor
}

/**
 * An injected current density (µA/cm²): a constant number, a constant tensor (one current
 * per neuron of a batch), or a function of time (ms).
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export type HHCurrent = number | Tensor | ((t: number) => number | Tensor)

/**
 * The three ionic current densities of a Hodgkin–Huxley membrane (µA/cm², outward positive).
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export interface HHCurrents {
  /** Sodium current `ḡ_Na m³h (V − E_Na)`. */
  readonly INa: Tensor
  /** Potassium current `ḡ_K n⁴ (V − E_K)`. */
  readonly IK: Tensor
  /** Leak current `ḡ_L (V − E_L)`. */
  readonly IL: Tensor
}

/**
 * The ionic currents of a state (µA/cm², outward positive), elementwise.
 *
 * `I_Na = ḡ_Na m³h (V − E_Na)`, `I_K = ḡ_K n⁴ (V − E_K)`, `I_L = ḡ_L (V − E_L)`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // at rest the three currents cancel
 * const { INa, IK, IL } = neuro.hhCurrents(neuro.hhRestingState())
 * assert.ok(Math.abs(ops.item(INa) + ops.item(IK) + ops.item(IL)) < 1e-9)
 * ```
 */
export const hhCurrents = (y: HHState, params: Partial<HHParams> = {}): HHCurrents => {
  const p = checkParams('hhCurrents', params)
  return ionic(y, p)
}

const ionic = (y: HHState, p: HHParams): HHCurrents => {
  const m3h = ops.mul(ops.mul(ops.square(y.m), y.m), y.h)
  const n4 = ops.square(ops.square(y.n))
  return {
    INa: ops.mul(ops.mul(m3h, p.gNa), ops.sub(y.V, p.ENa)),
    IK: ops.mul(ops.mul(n4, p.gK), ops.sub(y.V, p.EK)),
    IL: ops.mul(ops.sub(y.V, p.EL), p.gL),
  }
}

const checkCurrent = (op: string, I: unknown): ((t: number) => number | Tensor) => {
  if (typeof I === 'function') return I as (t: number) => number | Tensor
  if (typeof I === 'number') {
    if (!Number.isFinite(I)) throw new DomainError(op, `the current must be finite, got ${I}`)
    return () => I
  }
  if (ops.isTensor(I as Tensor)) return () => I as Tensor
  throw new DomainError(op, `the current must be a number, a tensor or a function of time, got ${typeof I}`)
}

const field = (I: (t: number) => number | Tensor, p: HHParams): VectorField<HHState> => (t, y) => {
  const { INa, IK, IL } = ionic(y, p)
  // α(1 − x) − βx = α − (α + β)x
  const gate = (g: HHGate, x: Tensor): Tensor => {
    const a = alpha(g, y.V)
    return ops.sub(a, ops.mul(ops.add(a, beta(g, y.V)), x))
  }
  return {
    V: ops.div(ops.sub(I(t), ops.add(ops.add(INa, IK), IL)), p.C),
    n: gate('n', y.n),
    m: gate('m', y.m),
    h: gate('h', y.h),
  }
}

/**
 * The Hodgkin–Huxley vector field for an injected current: a function `(t, y) ↦ dy/dt`
 * for `odeint`, `eulerStep` or `rk4Step` (time in ms).
 *
 * `dV/dt = (I(t) − I_Na − I_K − I_L)/C`, `dx/dt = α_x(V)(1 − x) − β_x(V) x`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const rest = neuro.hhRestingState()
 * const f = neuro.hhVectorField(0)
 * const d = f(0, rest)
 * assert.ok(Math.abs(ops.item(d.V)) < 1e-9 && Math.abs(ops.item(d.n)) < 1e-12)
 * // an injected current of 10 µA/cm² depolarises at 10 mV/ms (C = 1)
 * assert.ok(Math.abs(ops.item(neuro.hhVectorField(10)(0, rest).V) - 10) < 1e-9)
 * ```
 */
export const hhVectorField = (I: HHCurrent, params: Partial<HHParams> = {}): VectorField<HHState> =>
  field(checkCurrent('hhVectorField', I), checkParams('hhVectorField', params))

// ---------------------------------------------------------------------------------------
// resting state

/**
 * Options of `hhRestingPotential` and `hhRestingState`.
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export interface HHRestOptions {
  /** Model constants to override (default the standard ones). */
  readonly params?: Partial<HHParams>
  /** A constant injected current (µA/cm², default 0): the steady state under it. */
  readonly current?: number
  /** Dtype of the state's tensors (default `'float64'`; `hhRestingState` only). */
  readonly dtype?: DType
}

/** The steady-state current balance F(V) = I_ion(V, x∞(V)) − I, for float64 V. */
const balance = (p: HHParams, I: number) => (V: Tensor): Tensor => {
  const { INa, IK, IL } = ionic({ V, n: hhSteadyState('n', V), m: hhSteadyState('m', V), h: hhSteadyState('h', V) }, p)
  return ops.sub(ops.add(ops.add(INa, IK), IL), I)
}

/**
 * The steady-state (resting) potential, in mV: the lowest V in [−150, 100] where the
 * membrane current vanishes with every gate at its steady state, found on a 0.5 mV grid
 * and refined by bisection to machine precision (≈ −65.0 mV for the standard constants).
 * Throws `DomainError` when there is none in that range.
 *
 * `ḡ_Na m∞³h∞ (V − E_Na) + ḡ_K n∞⁴ (V − E_K) + ḡ_L (V − E_L) = I`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * const v = neuro.hhRestingPotential()
 * assert.ok(Math.abs(v + 65) < 0.5)
 * // a steady depolarising current moves the fixed point up
 * assert.ok(neuro.hhRestingPotential({ current: 2 }) > v)
 * ```
 */
export const hhRestingPotential = (options: HHRestOptions = {}): number => {
  const op = 'hhRestingPotential'
  const p = checkParams(op, options.params)
  const I = options.current ?? 0
  if (typeof I !== 'number' || !Number.isFinite(I)) throw new DomainError(op, `current must be a finite number, got ${String(I)}`)
  const F = balance(p, I)
  const grid = ops.linspace(-150, 100, 501, 'float64')
  const fs = F(grid).data
  let k = -1
  for (let i = 0; i < fs.length; i++) {
    if (fs[i] === 0) return grid.data[i]
    if (i > 0 && fs[i - 1] < 0 && fs[i] > 0) {
      k = i
      break
    }
  }
  if (k < 0) throw new DomainError(op, `no steady state in [-150, 100] mV for current ${I} µA/cm² with these parameters`)
  let lo = grid.data[k - 1]
  let hi = grid.data[k]
  const at = (v: number): number => ops.item(F(ops.scalar(v, 'float64')))
  for (let i = 0; i < 200 && hi - lo > 0; i++) {
    const mid = (lo + hi) / 2
    if (mid === lo || mid === hi) break
    const f = at(mid)
    if (f === 0) return mid
    if (f < 0) lo = mid
    else hi = mid
  }
  return Math.abs(at(lo)) <= Math.abs(at(hi)) ? lo : hi
}

/**
 * The resting state: `V` at the steady-state potential (see `hhRestingPotential`) and
 * every gate at its steady state there, as scalar tensors. The vector field vanishes at
 * it (to rounding).
 *
 * `V = V_rest`, `n = n∞(V_rest)`, `m = m∞(V_rest)`, `h = h∞(V_rest)`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = neuro.hhRestingState()
 * assert.ok(Math.abs(ops.item(s.V) + 65) < 0.5)
 * assert.ok(Math.abs(ops.item(s.n) - 0.318) < 1e-3 && Math.abs(ops.item(s.h) - 0.596) < 1e-3)
 * assert.strictEqual(neuro.hhRestingState({ dtype: 'float32' }).V.dtype, 'float32')
 * ```
 */
export const hhRestingState = (options: HHRestOptions = {}): HHState => {
  const dtype = options.dtype ?? 'float64'
  if (dtype !== 'float32' && dtype !== 'float64') throw new DomainError('hhRestingState', `dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`)
  const V = ops.scalar(hhRestingPotential(options), 'float64')
  const cast = (x: Tensor): Tensor => ops.astype(x, dtype)
  return Object.freeze({ V: cast(V), n: cast(hhSteadyState('n', V)), m: cast(hhSteadyState('m', V)), h: cast(hhSteadyState('h', V)) })
}

// ---------------------------------------------------------------------------------------
// simulation

/**
 * Options of `hhSimulate`.
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export interface HHSimulateOptions {
  /** Simulated time in ms (positive); `round(duration/dt)` steps are taken. */
  readonly duration: number
  /** Time step in ms (default 0.01). */
  readonly dt?: number
  /** Integrator (default `'rk4'`). */
  readonly method?: OdeMethod
  /** Model constants to override. */
  readonly params?: Partial<HHParams>
  /** Dtype of the traces (default `'float64'`). */
  readonly dtype?: DType
  /**
   * Initial state (default: the resting state at zero current, broadcast to the shape of
   * the current at time 0).
   */
  readonly y0?: HHState
  /** Keep every `every`-th sample (default 1). */
  readonly every?: number
}

/**
 * Traces of a Hodgkin–Huxley simulation: times `[S]` (ms) and, for each state variable,
 * a tensor `[S, ...batch]`.
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export interface HHTrace {
  /** Sample times (ms), `[S]`. */
  readonly t: Tensor
  /** Membrane potential (mV), `[S, ...batch]`. */
  readonly V: Tensor
  /** Potassium activation, `[S, ...batch]`. */
  readonly n: Tensor
  /** Sodium activation, `[S, ...batch]`. */
  readonly m: Tensor
  /** Sodium inactivation, `[S, ...batch]`. */
  readonly h: Tensor
}

/**
 * Simulates a Hodgkin–Huxley membrane under an injected current (a number, a tensor of
 * currents for a batch of neurons, or a function of time in ms) with Euler or RK4, from
 * rest unless `y0` is given. Returns the traces of `V`, `n`, `m`, `h`. Differentiable
 * through `ops` (e.g. with respect to a current tensor).
 *
 * `C dV/dt = I(t) − ḡ_Na m³h (V − E_Na) − ḡ_K n⁴ (V − E_K) − ḡ_L (V − E_L)`,
 * `dx/dt = α_x(V)(1 − x) − β_x(V) x`
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // a 10 µA/cm² step from t = 1 ms: an action potential overshoots 0 mV
 * const tr = neuro.hhSimulate((t) => (t >= 1 ? 10 : 0), { duration: 15, dt: 0.025 })
 * assert.deepStrictEqual(tr.V.shape, [601])
 * assert.ok(ops.item(ops.max(tr.V)) > 30)
 * assert.strictEqual(neuro.spikeTimes(tr.V, 0.025).length, 1)
 * // a batch of two neurons, one current each
 * const b = neuro.hhSimulate(ops.tensor([0, 10], 'float64'), { duration: 15, dt: 0.025 })
 * assert.deepStrictEqual(b.V.shape, [601, 2])
 * ```
 */
export const hhSimulate = (I: HHCurrent, options: HHSimulateOptions): HHTrace => {
  const op = 'hhSimulate'
  const { duration, dt = 0.01, method = 'rk4', dtype = 'float64', every = 1 } = options ?? ({} as HHSimulateOptions)
  if (typeof duration !== 'number' || !Number.isFinite(duration) || !(duration > 0)) {
    throw new DomainError(op, `duration must be a positive finite number of ms, got ${String(duration)}`)
  }
  if (typeof dt !== 'number' || !Number.isFinite(dt) || !(dt > 0)) throw new DomainError(op, `dt must be a positive finite number of ms, got ${String(dt)}`)
  if (dtype !== 'float32' && dtype !== 'float64') throw new DomainError(op, `dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`)
  const steps = Math.round(duration / dt)
  if (steps < 1) throw new DomainError(op, `duration ${duration} ms is shorter than one step of ${dt} ms`)
  const p = checkParams(op, options.params)
  const current = checkCurrent(op, I)
  let y0 = options.y0
  if (y0 === undefined) {
    const i0 = current(0)
    const shape = typeof i0 === 'number' ? [] : i0.shape
    const rest = hhRestingState({ params: p, dtype })
    y0 = { V: ops.broadcastTo(rest.V, shape), n: ops.broadcastTo(rest.n, shape), m: ops.broadcastTo(rest.m, shape), h: ops.broadcastTo(rest.h, shape) }
  } else {
    const s = y0.V?.shape
    for (const k of ['V', 'n', 'm', 'h'] as const) {
      if (!ops.isTensor(y0[k])) throw new DomainError(op, `y0.${k} must be a tensor`)
      if (showShape(y0[k].shape) !== showShape(s)) {
        throw new ShapeError(op, `y0's tensors must share one shape, got V ${showShape(s)} and ${k} ${showShape(y0[k].shape)}`, [s, y0[k].shape])
      }
    }
  }
  const { t, y } = odeint(field(current, p), y0, { dt, steps, method, every })
  return Object.freeze({ t, V: y.V, n: y.n, m: y.m, h: y.h })
}

// ---------------------------------------------------------------------------------------
// spikes and rates

/**
 * Options of `spikeTimes`.
 *
 * @category spikes
 * @since 0.2.0
 */
export interface SpikeTimesOptions {
  /** The threshold (default 0, e.g. 0 mV for a membrane potential). */
  readonly threshold?: number
  /** The time of the first sample (default 0). */
  readonly t0?: number
  /**
   * Interpolate linearly between the two samples around each crossing (default true);
   * otherwise the time of the first sample at or above the threshold.
   */
  readonly interpolate?: boolean
}

/**
 * The times of the upward threshold crossings of a sampled trace (a rank-1 tensor or an
 * array of numbers, sampled every `dt` from `t0`): one spike per crossing, however long
 * the trace stays above. Not differentiable (spike times are read from the values).
 *
 * Crossing between samples `i − 1` and `i` when `v[i−1] < θ ≤ v[i]`; its time is
 * `t0 + (i − 1 + (θ − v[i−1])/(v[i] − v[i−1]))·dt` (or `t0 + i·dt` without interpolation).
 *
 * @category spikes
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const v = ops.tensor([-65, -20, 20, 40, -10, -70, 10], 'float64')
 * assert.deepStrictEqual(neuro.spikeTimes(v, 0.5), [0.75, 2.9375])
 * assert.deepStrictEqual(neuro.spikeTimes(v, 0.5, { interpolate: false, t0: 10 }), [11, 13])
 * assert.deepStrictEqual(neuro.spikeTimes([0, 1, 0, 1], 1, { threshold: 2 }), [])
 * ```
 */
export const spikeTimes = (trace: Tensor | ReadonlyArray<number>, dt: number, options: SpikeTimesOptions = {}): ReadonlyArray<number> => {
  const op = 'spikeTimes'
  let v: ArrayLike<number>
  if (Array.isArray(trace)) v = trace
  else if (ops.isTensor(trace as Tensor)) {
    const t = trace as Tensor
    if (t.shape.length !== 1) throw new ShapeError(op, `the trace must be rank 1 (one neuron), got shape ${showShape(t.shape)}`, [t.shape])
    v = t.data
  } else throw new DomainError(op, `the trace must be a rank-1 tensor or an array of numbers, got ${typeof trace}`)
  if (typeof dt !== 'number' || !Number.isFinite(dt) || !(dt > 0)) throw new DomainError(op, `dt must be a positive finite number, got ${String(dt)}`)
  const { threshold = 0, t0 = 0, interpolate = true } = options
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new DomainError(op, `threshold must be a finite number, got ${String(threshold)}`)
  if (typeof t0 !== 'number' || !Number.isFinite(t0)) throw new DomainError(op, `t0 must be a finite number, got ${String(t0)}`)
  const out: number[] = []
  for (let i = 1; i < v.length; i++) {
    const a = v[i - 1]
    const b = v[i]
    if (a < threshold && b >= threshold) {
      out.push(interpolate ? t0 + (i - 1 + (threshold - a) / (b - a)) * dt : t0 + i * dt)
    }
  }
  return Object.freeze(out)
}

/**
 * Options of `hhFiringRates`.
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 */
export interface HHFiringRateOptions {
  /** Simulated time per current, in ms (default 300). */
  readonly duration?: number
  /** Initial transient to ignore, in ms (default 100; less than `duration`). */
  readonly transient?: number
  /** Time step in ms (default 0.025). */
  readonly dt?: number
  /** Integrator (default `'rk4'`). */
  readonly method?: OdeMethod
  /** Model constants to override. */
  readonly params?: Partial<HHParams>
  /** Spike threshold in mV (default 0). */
  readonly threshold?: number
}

/**
 * The f–I curve: the steady firing rate (Hz) for each constant current (µA/cm²), each
 * neuron starting from rest with the current switched on at t = 0. All currents are
 * simulated together as one batch. The rate is the inverse mean inter-spike interval of
 * the spikes after the transient, 0 when fewer than two.
 *
 * `f(I) = 1000 · (k − 1) / (t_k − t_1)` for the `k ≥ 2` spike times `t_1 < … < t_k` (ms) after the transient
 *
 * @category hodgkin-huxley
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [r0, r3, r10] = neuro.hhFiringRates([0, 3, 10], { duration: 100, transient: 30, dt: 0.05 })
 * assert.strictEqual(r0, 0)
 * assert.strictEqual(r3, 0)                 // below the rheobase
 * assert.ok(r10 > 50 && r10 < 90)           // ≈ 68 Hz
 * ```
 */
export const hhFiringRates = (currents: ReadonlyArray<number>, options: HHFiringRateOptions = {}): ReadonlyArray<number> => {
  const op = 'hhFiringRates'
  const { duration = 300, transient = 100, dt = 0.025, method = 'rk4', threshold = 0 } = options
  if (!Array.isArray(currents) || currents.length === 0 || currents.some((c) => typeof c !== 'number' || !Number.isFinite(c))) {
    throw new DomainError(op, `currents must be a non-empty array of finite numbers (µA/cm²)`)
  }
  if (typeof duration !== 'number' || !Number.isFinite(duration) || !(duration > 0)) {
    throw new DomainError(op, `duration must be a positive finite number of ms, got ${String(duration)}`)
  }
  if (typeof dt !== 'number' || !Number.isFinite(dt) || !(dt > 0)) throw new DomainError(op, `dt must be a positive finite number of ms, got ${String(dt)}`)
  if (typeof transient !== 'number' || !(transient >= 0) || !(transient < duration)) {
    throw new DomainError(op, `transient must be in [0, duration) ms, got ${String(transient)} with duration ${String(duration)}`)
  }
  const I = ops.tensor([...currents], 'float64')
  const tr = hhSimulate(I, { duration, dt, method, params: options.params ?? {} })
  const k = currents.length
  const S = tr.V.shape[0]
  const V = tr.V.data
  return Object.freeze(
    currents.map((_, j) => {
      const col = new Array<number>(S)
      for (let i = 0; i < S; i++) col[i] = V[i * k + j]
      const ts = spikeTimes(col, dt, { threshold }).filter((s) => s >= transient)
      return ts.length < 2 ? 0 : (1000 * (ts.length - 1)) / (ts[ts.length - 1] - ts[0])
    }),
  )
}

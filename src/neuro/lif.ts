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
 * @module
 */
import * as ops from '../ops/index.js'
import type { Tensor } from '../tensor/Tensor.js'
import { DomainError } from '../errors.js'

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
  readonly tauRC: number
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
  if (!(out.tauRC > 0) || !Number.isFinite(out.tauRC)) throw new DomainError(`${op}: tauRC must be a positive finite number of seconds, got ${out.tauRC}`)
  if (!(out.tauRef >= 0) || !Number.isFinite(out.tauRef)) throw new DomainError(`${op}: tauRef must be a non-negative finite number of seconds, got ${out.tauRef}`)
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

/**
 * Learning-rate schedules: plain functions from the step count (0 for the first update) to
 * a learning rate, as in optax. Every optimiser takes a number or a schedule.
 *
 * Laws:
 * - `constant(η)(t) = η`;
 * - `stepDecay(η₀, {every, factor})(t) = η₀ · factor^⌊t / every⌋` (piecewise constant);
 * - `exponentialDecay(η₀, r, T)(t) = η₀ · r^(t / T)` (`r^⌊t / T⌋` with `staircase`);
 * - `cosineDecay(η₀, T, {alpha})(t) = η₀ · ((1 − α) · ½(1 + cos(π · min(t, T) / T)) + α)`,
 *   so it starts at `η₀` and ends (and stays) at `α · η₀`;
 * - `warmup(s, W)(t) = s(0) · t / W` for `t < W`, and `s(t − W)` for `t ≥ W`: linear from 0,
 *   reaching `s(0)` at `t = W`, then the schedule from its own start.
 *
 * @module
 */
import { DomainError } from '../errors.js'

/**
 * A learning-rate schedule: the learning rate for the update with step count `step`
 * (`0` for the first update).
 *
 * @category schedules
 * @since 0.1.0
 */
export type Schedule = (step: number) => number

/**
 * A learning rate: a fixed number or a schedule.
 *
 * @category schedules
 * @since 0.1.0
 */
export type LearningRate = number | Schedule

const checkFinite = (op: string, name: string, v: number): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DomainError(op, `${name} must be a finite number, got ${String(v)}`)
  return v
}

const checkPositiveInt = (op: string, name: string, v: number): number => {
  if (!Number.isInteger(v) || v <= 0) throw new DomainError(op, `${name} must be a positive integer, got ${String(v)}`)
  return v
}

/**
 * The schedule of a learning rate (a number becomes `constant`).
 *
 * @internal
 */
export const toSchedule = (op: string, lr: LearningRate): Schedule => {
  if (typeof lr === 'function') return lr
  return constant(checkFinite(op, 'the learning rate', lr))
}

/**
 * How a learning rate is shown in an optimiser's name.
 *
 * @internal
 */
export const showRate = (lr: LearningRate): string => (typeof lr === 'number' ? String(lr) : 'schedule')

/**
 * The constant schedule.
 *
 * `constant(η)(t) = η`
 *
 * @category schedules
 * @since 0.1.0
 * @example
 * ```ts
 * import { optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(optim.constant(0.5)(1000), 0.5)
 * ```
 */
export const constant = (lr: number): Schedule => {
  checkFinite('constant', 'lr', lr)
  return () => lr
}

/**
 * Options of `stepDecay`.
 *
 * @category schedules
 * @since 0.1.0
 */
export interface StepDecayOptions {
  /** The number of steps between decays (a positive integer). */
  readonly every: number
  /** The factor applied at each decay (default 0.1, as PyTorch's `StepLR`). */
  readonly factor?: number
}

/**
 * Step decay: the learning rate is multiplied by `factor` every `every` steps.
 *
 * `stepDecay(η₀, {every, factor})(t) = η₀ · factor^⌊t / every⌋`
 *
 * @category schedules
 * @since 0.1.0
 * @example
 * ```ts
 * import { optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = optim.stepDecay(1, { every: 10, factor: 0.5 })
 * assert.deepStrictEqual([s(0), s(9), s(10), s(25)], [1, 1, 0.5, 0.25])
 * ```
 */
export const stepDecay = (lr0: number, options: StepDecayOptions): Schedule => {
  const op = 'stepDecay'
  checkFinite(op, 'lr0', lr0)
  const every = checkPositiveInt(op, 'every', options.every)
  const factor = checkFinite(op, 'factor', options.factor ?? 0.1)
  return (step) => lr0 * factor ** Math.floor(step / every)
}

/**
 * Options of `exponentialDecay`.
 *
 * @category schedules
 * @since 0.1.0
 */
export interface ExponentialDecayOptions {
  /** Decay in whole periods (`r^⌊t / T⌋`) instead of continuously (default false). */
  readonly staircase?: boolean
}

/**
 * Exponential decay: the learning rate is multiplied by `rate` every `steps` steps,
 * continuously (or in whole periods with `staircase`).
 *
 * `exponentialDecay(η₀, r, T)(t) = η₀ · r^(t / T)`
 *
 * @category schedules
 * @since 0.1.0
 * @example
 * ```ts
 * import { optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = optim.exponentialDecay(1, 0.5, 100)
 * assert.deepStrictEqual([s(0), s(100), s(200)], [1, 0.5, 0.25])
 * assert.strictEqual(optim.exponentialDecay(1, 0.5, 100, { staircase: true })(150), 0.5)
 * ```
 */
export const exponentialDecay = (lr0: number, rate: number, steps: number, options: ExponentialDecayOptions = {}): Schedule => {
  const op = 'exponentialDecay'
  checkFinite(op, 'lr0', lr0)
  checkFinite(op, 'rate', rate)
  if (rate <= 0) throw new DomainError(op, `rate must be positive, got ${rate}`)
  checkPositiveInt(op, 'steps', steps)
  return options.staircase === true ? (step) => lr0 * rate ** Math.floor(step / steps) : (step) => lr0 * rate ** (step / steps)
}

/**
 * Options of `cosineDecay`.
 *
 * @category schedules
 * @since 0.1.0
 */
export interface CosineDecayOptions {
  /** The final learning rate as a fraction of `lr0` (default 0). */
  readonly alpha?: number
}

/**
 * Cosine decay (Loshchilov and Hutter's SGDR without restarts): from `lr0` at step 0 to
 * `alpha · lr0` at `totalSteps`, constant after.
 *
 * `cosineDecay(η₀, T, {alpha})(t) = η₀ · ((1 − α) · ½(1 + cos(π · min(t, T) / T)) + α)`
 *
 * @category schedules
 * @since 0.1.0
 * @example
 * ```ts
 * import { optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = optim.cosineDecay(1, 100, { alpha: 0.5 })
 * assert.deepStrictEqual([s(0), s(50), s(100), s(500)], [1, 0.75, 0.5, 0.5])
 * ```
 */
export const cosineDecay = (lr0: number, totalSteps: number, options: CosineDecayOptions = {}): Schedule => {
  const op = 'cosineDecay'
  checkFinite(op, 'lr0', lr0)
  const total = checkPositiveInt(op, 'totalSteps', totalSteps)
  const alpha = checkFinite(op, 'alpha', options.alpha ?? 0)
  return (step) => {
    const t = Math.min(Math.max(step, 0), total)
    // at t = T the cosine is exactly -1, so the value is exactly α·η₀
    const c = t === total ? 0 : 0.5 * (1 + Math.cos((Math.PI * t) / total))
    return lr0 * ((1 - alpha) * c + alpha)
  }
}

/**
 * Linear warm-up: from 0 at step 0 up to `schedule(0)` at `warmupSteps`, then `schedule`
 * from its own start (shifted by `warmupSteps`, as optax's `join_schedules`).
 *
 * `warmup(s, W)(t) = s(0) · t / W` for `t < W`, `s(t − W)` for `t ≥ W`
 *
 * @category schedules
 * @since 0.1.0
 * @example
 * ```ts
 * import { optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = optim.warmup(optim.stepDecay(1, { every: 10, factor: 0.5 }), 4)
 * assert.deepStrictEqual([s(0), s(2), s(4), s(14)], [0, 0.5, 1, 0.5])
 * assert.strictEqual(optim.warmup(0.1, 10)(10), 0.1)
 * ```
 */
export const warmup = (schedule: LearningRate, warmupSteps: number): Schedule => {
  const op = 'warmup'
  const s = toSchedule(op, schedule)
  const w = checkPositiveInt(op, 'warmupSteps', warmupSteps)
  const peak = s(0)
  return (step) => (step < w ? (peak * step) / w : s(step - w))
}

/**
 * Training: epochs of shuffled minibatches, one optimiser step per batch, with the
 * parameters and optimiser state threaded through as values (nothing is mutated).
 *
 * Laws (`n` samples, batch size `b`):
 * - `batchIndices(k, n, b)` concatenated is a permutation of `0 … n−1`; every batch has `b`
 *   indices except the last, which has `n mod b` when that is not 0 (and is dropped with
 *   `dropLast`); it depends on the key only (same key, same order);
 * - `trainStep(L, sgd(η))(w, s, x, y, k)[0] = w − η ∇_w L(w, x, y)`, so with `b = n` one epoch
 *   of `fit` is one step of gradient descent on the full loss;
 * - `fit` never changes its inputs; the same options give the same result.
 *
 * @module
 */
import { valueAndGrad } from '../ad/transforms.js'
import { DomainError, ShapeError, showShape } from '../errors.js'
import * as ops from '../ops/index.js'
import { foldIn, permutation, split, type Key } from '../random/index.js'
import type { Tensor } from '../tensor/Tensor.js'
import type { Tree } from '../tree/index.js'
import type { Optimizer } from './Optimizer.js'
import { applyUpdates } from './transforms.js'

/**
 * A data set: inputs and targets with the samples along axis 0.
 *
 * @category training
 * @since 0.1.0
 */
export interface Dataset {
  /** Inputs, samples along axis 0. */
  readonly x: Tensor
  /** Targets (labels, one-hot rows or values), samples along axis 0. */
  readonly y: Tensor
}

/**
 * Options of `batchIndices` and `batches`.
 *
 * @category training
 * @since 0.1.0
 */
export interface BatchOptions {
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean
}

/**
 * The context a loss gets: a fresh PRNG key per step (for dropout) and whether this is a
 * training step (`true`) or an evaluation of the validation loss (`false`). It can be
 * passed on to a layer's `apply` as its context.
 *
 * @category training
 * @since 0.1.0
 */
export interface LossContext {
  /** A key for this step only. */
  readonly key: Key
  /** True for training steps, false when `fit` evaluates the validation loss. */
  readonly training: boolean
}

/**
 * A loss: parameters, a batch of inputs and targets, and the context, to a scalar tensor
 * (the mean over the batch, so that losses of different batch sizes compare).
 *
 * @category training
 * @since 0.1.0
 */
export type LossFn<P extends Tree> = (params: P, x: Tensor, y: Tensor, ctx: LossContext) => Tensor

/**
 * One optimiser step: new parameters, new optimiser state, and the loss before the step.
 *
 * @category training
 * @since 0.1.0
 */
export type StepFn<P extends Tree, S> = (params: P, optState: S, x: Tensor, y: Tensor, key: Key) => readonly [P, S, number]

const checkCount = (op: string, name: string, v: number, min: number): number => {
  if (!Number.isInteger(v) || v < min) throw new DomainError(op, `${name} must be an integer ≥ ${min}, got ${String(v)}`)
  return v
}

/**
 * The sample indices of one epoch, in batches: a key-shuffled order of `0 … n−1` cut into
 * batches of `batchSize`; the last batch has the remaining `n mod batchSize` indices (or
 * is dropped with `dropLast`).
 *
 * `concat(batchIndices(k, n, b)) = permutation(k, n)`
 *
 * @category training
 * @since 0.1.0
 * @example
 * ```ts
 * import { optim, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const bs = optim.batchIndices(random.key(0), 5, 2)
 * assert.deepStrictEqual(bs.map((b) => b.length), [2, 2, 1])
 * assert.deepStrictEqual(bs.flat().sort(), [0, 1, 2, 3, 4])
 * assert.strictEqual(optim.batchIndices(random.key(0), 5, 2, { dropLast: true }).length, 2)
 * ```
 */
export const batchIndices = (
  key: Key,
  n: number,
  batchSize: number,
  options: BatchOptions = {},
): ReadonlyArray<ReadonlyArray<number>> => {
  const op = 'batchIndices'
  checkCount(op, 'n', n, 0)
  checkCount(op, 'batchSize', batchSize, 1)
  const perm: ReadonlyArray<number> = Array.from(permutation(key, n, { dtype: 'float64' }).data)
  const out: ReadonlyArray<number>[] = []
  for (let i = 0; i < n; i += batchSize) {
    if (options.dropLast === true && i + batchSize > n) break
    out.push(Object.freeze(perm.slice(i, Math.min(i + batchSize, n))))
  }
  return Object.freeze(out)
}

/** The common number of samples of every field, checked. */
const sampleCount = (op: string, data: { readonly [k: string]: Tensor }): number => {
  const keys = Object.keys(data)
  if (keys.length === 0) throw new DomainError(op, 'the data set has no fields')
  const shapes = keys.map((k) => data[k].shape)
  keys.forEach((k, i) => {
    if (shapes[i].length === 0) throw new ShapeError(op, `field ${k} is a scalar: samples must lie along axis 0`, [shapes[i]], 0)
  })
  const n = shapes[0][0]
  keys.forEach((k, i) => {
    if (shapes[i][0] !== n) {
      throw new ShapeError(op, `fields ${keys[0]} ${showShape(shapes[0])} and ${k} ${showShape(shapes[i])} differ in the number of samples (axis 0)`, [shapes[0], shapes[i]], 0)
    }
  })
  return n
}

/**
 * One epoch of minibatches: every field of `data` (`x`, `y`, …) gathered with `ops.take`
 * at the indices of `batchIndices(key, n, batchSize, options)`. The result can be iterated
 * any number of times and gives the same batches each time.
 *
 * `[...batches(k, d, b)][i].x = take(d.x, batchIndices(k, n, b)[i])`
 *
 * @category training
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const data = { x: ops.tensor([[0], [1], [2]]), y: ops.tensor([0, 10, 20]) }
 * const bs = [...optim.batches(random.key(0), data, 2)]
 * assert.deepStrictEqual(bs.map((b) => b.x.shape), [[2, 1], [1, 1]])
 * for (const b of bs) assert.deepStrictEqual(ops.toArray(ops.mul(b.x, 10)), (ops.toArray(b.y) as number[]).map((v) => [v]))
 * ```
 */
export const batches = <D extends { readonly [k: string]: Tensor }>(
  key: Key,
  data: D,
  batchSize: number,
  options: BatchOptions = {},
): Iterable<D> => {
  const op = 'batches'
  const n = sampleCount(op, data)
  const idx = batchIndices(key, n, batchSize, options)
  const keys = Object.keys(data)
  return Object.freeze({
    *[Symbol.iterator](): Iterator<D> {
      for (const b of idx) yield Object.freeze(Object.fromEntries(keys.map((k) => [k, ops.take(data[k], b)]))) as D
    },
  })
}

/**
 * Makes the step function of a training loop: the loss and its gradient on one batch
 * (context `{ key, training: true }`), the optimiser's update, and `applyUpdates`.
 * Returns the new parameters, the new optimiser state and the batch loss (before the step).
 *
 * `w' = w + update(∇_w L(w, x, y), s, w)`
 *
 * @category training
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const loss = (w: ops.Tensor, x: ops.Tensor, y: ops.Tensor) => ops.mean(ops.square(ops.sub(ops.mul(x, w), y)))
 * const opt = optim.sgd(0.25)
 * const step = optim.trainStep(loss, opt)
 * const w0 = ops.tensor([0])
 * const [w1, , l] = step(w0, opt.init(w0), ops.tensor([1]), ops.tensor([2]), random.key(0))
 * assert.deepStrictEqual([ops.toArray(w1), l], [[1], 4]) // ∇ = 2(0·1 − 2)·1 = −4
 * ```
 */
export const trainStep = <P extends Tree, S>(loss: LossFn<P>, optimizer: Optimizer<S>): StepFn<P, S> =>
  (params, optState, x, y, key) => {
    const ctx: LossContext = Object.freeze({ key, training: true })
    const [value, g] = valueAndGrad((p: P) => loss(p, x, y, ctx))(params) as [Tensor, P]
    const [updates, next] = optimizer.update(g, optState, params)
    return [applyUpdates(params, updates), next, ops.item(value)] as const
  }

/**
 * A metric for `fit`: parameters, inputs and targets (a whole data set) to a number.
 *
 * @category training
 * @since 0.1.0
 */
export type Metric<P extends Tree> = (params: P, x: Tensor, y: Tensor) => number

/**
 * Early stopping: stop when the monitored value has not improved for `patience` epochs.
 *
 * @category training
 * @since 0.1.0
 */
export interface EarlyStopping {
  /** Stop after this many epochs in a row without improvement (a positive integer). */
  readonly patience: number
  /**
   * What to watch: `'valLoss'` (default when there is validation data), `'loss'` (default
   * otherwise), or the name of a metric (its validation value when there is validation
   * data, else its training value).
   */
  readonly monitor?: string
  /** Whether smaller (`'min'`) or larger (`'max'`) is better (default `'min'` for losses, `'max'` for metrics). */
  readonly mode?: 'min' | 'max'
  /** Return the parameters (and optimiser state) of the best epoch (default true). */
  readonly restoreBest?: boolean
  /** The least change that counts as an improvement (default 0). */
  readonly minDelta?: number
}

/**
 * What `onBatchEnd` receives (a frozen record of numbers).
 *
 * @category training
 * @since 0.1.0
 */
export interface BatchInfo {
  /** The epoch, from 0. */
  readonly epoch: number
  /** The batch within the epoch, from 0. */
  readonly batch: number
  /** The number of batches per epoch. */
  readonly batches: number
  /** Optimiser steps taken so far (this one included). */
  readonly step: number
  /** The batch loss (before this step). */
  readonly loss: number
}

/**
 * What `onEpochEnd` receives (a frozen record of numbers).
 *
 * @category training
 * @since 0.1.0
 */
export interface EpochInfo {
  /** The epoch, from 0. */
  readonly epoch: number
  /** The number of epochs asked for. */
  readonly epochs: number
  /** Optimiser steps taken so far. */
  readonly step: number
  /** The epoch's training loss (mean of its batch losses, weighted by batch size). */
  readonly loss: number
  /** The validation loss after the epoch, when there is validation data. */
  readonly valLoss?: number
  /** Metrics on the training data, when computed (see `FitOptions.trainMetrics`). */
  readonly metrics: { readonly [name: string]: number }
  /** Metrics on the validation data, when there is validation data. */
  readonly valMetrics: { readonly [name: string]: number }
}

/**
 * Progress callbacks of `fit`. They receive frozen records of numbers and their return
 * values are ignored, so they cannot change the training.
 *
 * @category training
 * @since 0.1.0
 */
export interface Callbacks {
  /** Called after each optimiser step. */
  readonly onBatchEnd?: (info: BatchInfo) => void
  /** Called after each epoch, with its losses and metrics. */
  readonly onEpochEnd?: (info: EpochInfo) => void
}

/**
 * Options of `fit`.
 *
 * @category training
 * @since 0.1.0
 */
export interface FitOptions<P extends Tree, S> {
  /** The initial parameters. */
  readonly params: P
  /** The optimiser. */
  readonly optimizer: Optimizer<S>
  /** The initial optimiser state (default `optimizer.init(params)`), to resume training. */
  readonly optState?: S
  /** The loss of a batch (a mean over the batch). */
  readonly loss: LossFn<P>
  /** The training data. */
  readonly data: Dataset
  /** The number of epochs (a non-negative integer). */
  readonly epochs: number
  /** The minibatch size (a positive integer; the last batch of an epoch may be smaller). */
  readonly batchSize: number
  /** The PRNG key: shuffles each epoch and gives each step its own key. */
  readonly key: Key
  /** Drop each epoch's last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean
  /** Validation data: its loss (and metrics) are computed after every epoch. */
  readonly validation?: Dataset
  /** The batch size for the validation loss (default `batchSize`). */
  readonly evalBatchSize?: number
  /** Metrics computed after every epoch, on the validation data when given. */
  readonly metrics?: { readonly [name: string]: Metric<P> }
  /**
   * Also compute the metrics on the whole training data after every epoch (default true
   * when there is no validation data, false otherwise: it costs a forward pass).
   */
  readonly trainMetrics?: boolean
  /** Early stopping. */
  readonly earlyStopping?: EarlyStopping
  /** Progress callbacks. */
  readonly callbacks?: Callbacks
}

/**
 * The history of a `fit`: one entry per epoch run.
 *
 * @category training
 * @since 0.1.0
 */
export interface History {
  /** Training loss per epoch (mean of the batch losses, weighted by batch size). */
  readonly loss: ReadonlyArray<number>
  /** Validation loss per epoch, when there is validation data. */
  readonly valLoss?: ReadonlyArray<number>
  /** Metrics on the training data per epoch (when `trainMetrics`). */
  readonly metrics: { readonly [name: string]: ReadonlyArray<number> }
  /** Metrics on the validation data per epoch (when there is validation data). */
  readonly valMetrics: { readonly [name: string]: ReadonlyArray<number> }
  /** Whether early stopping ended the training before `epochs`. */
  readonly stoppedEarly: boolean
  /** The epoch (from 0) with the best monitored value (see `EarlyStopping.monitor`); -1 when no epoch ran. */
  readonly bestEpoch: number
}

/**
 * What `fit` returns.
 *
 * @category training
 * @since 0.1.0
 */
export interface FitResult<P extends Tree, S> {
  /** The trained parameters (the best epoch's with `earlyStopping.restoreBest`). */
  readonly params: P
  /** The optimiser state that goes with `params` (pass it back as `optState` to resume). */
  readonly optState: S
  /** Losses and metrics per epoch. */
  readonly history: History
}

/** The loss over a whole data set, in batches, weighted by batch size. */
const datasetLoss = <P extends Tree>(loss: LossFn<P>, params: P, d: Dataset, batchSize: number, key: Key): number => {
  const n = d.x.shape[0]
  const ctx: LossContext = Object.freeze({ key, training: false })
  if (n <= batchSize) return ops.item(loss(params, d.x, d.y, ctx))
  let total = 0
  for (let i = 0; i < n; i += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - i) }, (_, j) => i + j)
    total += ops.item(loss(params, ops.take(d.x, idx), ops.take(d.y, idx), ctx)) * idx.length
  }
  return total / n
}

/**
 * Trains by minibatch gradient descent: for each epoch, shuffle the training data with a
 * key derived from `key`, take one `trainStep` per batch, then compute the validation loss
 * (context `training: false`, in batches of `evalBatchSize`) and the metrics (on the
 * validation data when given, and on the training data when `trainMetrics`). Stops early
 * when asked. Pure: it threads parameters and optimiser state and changes none of its
 * inputs; the same options give the same result.
 *
 * `w ← w + update(∇_w L(w, x_B, y_B))` for every batch `B` of every epoch
 *
 * @category training
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[0], [1], [2], [3]])
 * const y = ops.tensor([[1], [3], [5], [7]]) // y = 2x + 1
 * type P = { w: ops.Tensor; b: ops.Tensor }
 * const loss = (p: P, xb: ops.Tensor, yb: ops.Tensor) =>
 *   ops.mean(ops.square(ops.sub(ops.add(ops.matmul(xb, p.w), p.b), yb)))
 * const r = optim.fit({
 *   params: { w: ops.zeros([1, 1]), b: ops.zeros([1]) }, optimizer: optim.adam(0.1), loss,
 *   data: { x, y }, epochs: 150, batchSize: 4, key: random.key(0),
 * })
 * assert.ok(Math.abs(ops.item(r.params.w) - 2) < 0.05 && r.history.loss[149] < r.history.loss[0])
 * ```
 */
export const fit = <P extends Tree, S>(options: FitOptions<P, S>): FitResult<P, S> => {
  const op = 'fit'
  const { loss, optimizer, data, validation, key } = options
  const epochs = checkCount(op, 'epochs', options.epochs, 0)
  const batchSize = checkCount(op, 'batchSize', options.batchSize, 1)
  const evalBatchSize = checkCount(op, 'evalBatchSize', options.evalBatchSize ?? batchSize, 1)
  const n = sampleCount(op, { x: data.x, y: data.y })
  if (n === 0) throw new DomainError(op, 'the training data has no samples')
  if (validation !== undefined && sampleCount(op, { x: validation.x, y: validation.y }) === 0) {
    throw new DomainError(op, 'the validation data has no samples')
  }
  const metricFns = options.metrics ?? {}
  const names = Object.keys(metricFns)
  const onTrain = options.trainMetrics ?? validation === undefined
  const es = options.earlyStopping
  const monitor = es?.monitor ?? (validation !== undefined ? 'valLoss' : 'loss')
  if (monitor === 'valLoss' && validation === undefined) throw new DomainError(op, `cannot monitor 'valLoss' without validation data`)
  if (monitor !== 'loss' && monitor !== 'valLoss' && !names.includes(monitor)) {
    throw new DomainError(op, `cannot monitor ${JSON.stringify(monitor)}: expected 'loss', 'valLoss' or a metric name (${names.join(', ') || 'none given'})`)
  }
  if (monitor !== 'loss' && monitor !== 'valLoss' && validation === undefined && !onTrain) {
    throw new DomainError(op, `cannot monitor metric ${JSON.stringify(monitor)}: no validation data and trainMetrics is false`)
  }
  const mode = es?.mode ?? (monitor === 'loss' || monitor === 'valLoss' ? 'min' : 'max')
  const patience = es === undefined ? Infinity : checkCount(op, 'earlyStopping.patience', es.patience, 1)
  const minDelta = es?.minDelta ?? 0
  const restoreBest = es !== undefined && (es.restoreBest ?? true)
  const step = trainStep(loss, optimizer)
  const cb = options.callbacks ?? {}

  let params = options.params
  let optState = options.optState ?? optimizer.init(params)
  let best = { value: NaN, epoch: -1, params, optState }
  let wait = 0
  let stoppedEarly = false
  let steps = 0
  const lossHist: number[] = []
  const valHist: number[] = []
  const metricHist: Record<string, number[]> = Object.fromEntries(onTrain ? names.map((m) => [m, []]) : [])
  const valMetricHist: Record<string, number[]> = Object.fromEntries(validation !== undefined ? names.map((m) => [m, []]) : [])

  for (let epoch = 0; epoch < epochs && !stoppedEarly; epoch++) {
    const [kShuffle, kSteps, kEval] = split(foldIn(key, epoch), 3)
    const idx = batchIndices(kShuffle, n, batchSize, { dropLast: options.dropLast })
    if (idx.length === 0) throw new DomainError(op, `dropLast with batchSize ${batchSize} > ${n} samples leaves no batch`)
    let total = 0
    let seen = 0
    idx.forEach((b, bi) => {
      const whole = b.length === n
      // a full batch in shuffled order is the same loss up to the order of summation; take it as is
      const xb = whole ? data.x : ops.take(data.x, b)
      const yb = whole ? data.y : ops.take(data.y, b)
      const [p2, s2, l] = step(params, optState, xb, yb, foldIn(kSteps, bi))
      params = p2
      optState = s2
      steps++
      total += l * b.length
      seen += b.length
      cb.onBatchEnd?.(Object.freeze({ epoch, batch: bi, batches: idx.length, step: steps, loss: l }))
    })
    const epochLoss = total / seen
    lossHist.push(epochLoss)
    const valLoss = validation === undefined ? undefined : datasetLoss(loss, params, validation, evalBatchSize, kEval)
    if (valLoss !== undefined) valHist.push(valLoss)
    const m: Record<string, number> = {}
    const vm: Record<string, number> = {}
    for (const name of names) {
      if (onTrain) metricHist[name].push((m[name] = metricFns[name](params, data.x, data.y)))
      if (validation !== undefined) valMetricHist[name].push((vm[name] = metricFns[name](params, validation.x, validation.y)))
    }
    cb.onEpochEnd?.(Object.freeze({
      epoch, epochs, step: steps, loss: epochLoss, ...(valLoss === undefined ? {} : { valLoss }),
      metrics: Object.freeze(m), valMetrics: Object.freeze(vm),
    }))
    const watched = monitor === 'loss' ? epochLoss : monitor === 'valLoss' ? (valLoss as number) : validation !== undefined ? vm[monitor] : m[monitor]
    const improved = best.epoch < 0
      ? !Number.isNaN(watched)
      : mode === 'min' ? watched < best.value - minDelta : watched > best.value + minDelta
    if (improved) {
      best = { value: watched, epoch, params, optState }
      wait = 0
    } else {
      wait++
      if (wait >= patience) stoppedEarly = true
    }
  }
  const frozenRecord = (r: Record<string, number[]>): { readonly [k: string]: ReadonlyArray<number> } =>
    Object.freeze(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Object.freeze(v)])))
  const history: History = Object.freeze({
    loss: Object.freeze(lossHist),
    ...(validation === undefined ? {} : { valLoss: Object.freeze(valHist) }),
    metrics: frozenRecord(metricHist),
    valMetrics: frozenRecord(valMetricHist),
    stoppedEarly,
    bestEpoch: best.epoch,
  })
  return Object.freeze({
    params: restoreBest && best.epoch >= 0 ? best.params : params,
    optState: restoreBest && best.epoch >= 0 ? best.optState : optState,
    history,
  })
}

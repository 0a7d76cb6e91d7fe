/**
 * `optim`: optimisers as pure gradient transformations (as optax), learning-rate
 * schedules, a training loop, and evaluation helpers.
 *
 * An optimiser is `{ name, init, update }`: `init(params)` makes its state (a tree of
 * tensors, step counts included, so `io` can save it), `update(grads, state, params)`
 * returns updates and the next state, and `applyUpdates(params, updates)` ADDS the updates
 * (so descent updates carry the minus sign). `trainStep` and `fit` thread parameters and
 * state through minibatch epochs without mutating anything.
 *
 * Laws (details in each module):
 * - `applyUpdates(w, sgd(η).update(g).updates) = w − η g`; `sgd(0)` leaves `w` unchanged;
 * - `momentum(η, β)`: `v ← β v + g, w ← w − η v`; adam's first step is `≈ −η sign(g)`;
 * - `‖clipByGlobalNorm(c)(g)‖ ≤ min(‖g‖, c)`, and `g` is unchanged when `‖g‖ ≤ c`;
 * - `chain(a, b) = b ∘ a`;
 * - an epoch visits every sample once; with `batchSize = n` it is one gradient-descent step.
 *
 * @module
 */
export type { Optimizer } from './Optimizer.js'
export {
  applyUpdates, sgd, gradientDescent, momentum, nesterov, rmsprop, adam, adamw, weightDecay, globalNorm, clipByGlobalNorm, chain,
  type CountState, type MomentumState, type RmspropState, type AdamState, type EmptyState, type StateOf,
  type RmspropOptions, type AdamOptions, type AdamWOptions,
} from './transforms.js'
export {
  constant, stepDecay, exponentialDecay, cosineDecay, warmup,
  type Schedule, type LearningRate, type StepDecayOptions, type ExponentialDecayOptions, type CosineDecayOptions,
} from './schedules.js'
export {
  batchIndices, batches, trainStep, fit,
  type Dataset, type BatchOptions, type LossContext, type LossFn, type StepFn, type Metric, type EarlyStopping,
  type BatchInfo, type EpochInfo, type Callbacks, type FitOptions, type History, type FitResult,
} from './train.js'
export { accuracy, confusionMatrix, evaluate, type Labels, type OutputMetric, type Evaluation } from './metrics.js'

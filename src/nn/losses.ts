/**
 * Loss functions, built from `ops` (so differentiable in every mode), with a `reduction`:
 * `'mean'` (default), `'sum'`, or `'none'` (the unreduced losses). Elementwise losses
 * (`mse`, `mae`, the binary cross-entropies) average over all elements, as PyTorch does;
 * losses over a class axis (the last), `crossEntropy` and `klDivergence`, first sum over
 * the classes and then average over the remaining (batch) axes.
 *
 * Laws (`N` the number of rows, `y` one-hot, `p = softmax(z)`):
 * - `mse(a, b) = mean((a − b)²)`, `mae(a, b) = mean(|a − b|)`;
 * - `∇_z crossEntropy(z, y) = (softmax(z) − y) / N` (mean), the same for `y` given as
 *   class indices; `crossEntropy(z, y) = −mean(Σ_k y_k log p_k)`;
 * - `bceWithLogits(z, y) = softplus(z) − y z = bce(σ(z), y)`, finite for any finite `z`;
 * - `KL(p ‖ q) = Σ p log(p/q) ≥ 0`, `= 0` iff `p = q` (with `0 log 0 = 0`).
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import * as ops from '../ops/index.js'
import { shapeEquals } from '../tensor/Shape.js'
import type { Tensor } from '../tensor/Tensor.js'

/**
 * How a loss reduces its per-element (or per-row) values: average, sum, or keep them.
 *
 * @category losses
 * @since 0.1.0
 */
export type Reduction = 'mean' | 'sum' | 'none'

/**
 * Options shared by every loss.
 *
 * @category losses
 * @since 0.1.0
 */
export interface LossOptions {
  /** `'mean'` (default), `'sum'`, or `'none'` (unreduced). */
  readonly reduction?: Reduction
}

/**
 * Options of `binaryCrossEntropy`.
 *
 * @category losses
 * @since 0.1.0
 */
export interface BCEOptions extends LossOptions {
  /** Probabilities are clipped to `[eps, 1 − eps]` before the log (default 1e−7). */
  readonly eps?: number
}

const reduce = (op: string, v: Tensor, options: LossOptions): Tensor => {
  const r = options.reduction ?? 'mean'
  switch (r) {
    case 'mean':
      return ops.mean(v)
    case 'sum':
      return ops.sum(v)
    case 'none':
      return v
    default:
      throw new DomainError(op, `reduction must be 'mean', 'sum' or 'none', got ${String(r)}`)
  }
}

/** Targets in the dtype of the predictions (targets are data; casting keeps ops happy). */
const like = (t: Tensor, ref: Tensor): Tensor => (t.dtype === ref.dtype ? t : ops.astype(t, ref.dtype))

const sameShape = (op: string, a: Tensor, b: Tensor, what: string): void => {
  if (!shapeEquals(a.shape, b.shape)) {
    throw new ShapeError(op, `${what} must have the same shape, got ${showShape(a.shape)} and ${showShape(b.shape)}`, [a.shape, b.shape])
  }
}

/**
 * Mean squared error (averaged over all elements).
 *
 * `mse(ŷ, y) = (1/n) Σ (ŷ − y)²`
 *
 * @category losses
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(nn.mse(ops.tensor([1, 2]), ops.tensor([1, 4]))), 2)
 * assert.strictEqual(ops.item(nn.mse(ops.tensor([1, 2]), ops.tensor([1, 4]), { reduction: 'sum' })), 4)
 * ```
 */
export const mse = (predictions: Tensor, targets: Tensor, options: LossOptions = {}): Tensor => {
  sameShape('mse', predictions, targets, 'predictions and targets')
  return reduce('mse', ops.square(ops.sub(predictions, like(targets, predictions))), options)
}

/**
 * Mean absolute error (averaged over all elements).
 *
 * `mae(ŷ, y) = (1/n) Σ |ŷ − y|`
 *
 * @category losses
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(nn.mae(ops.tensor([1, 2]), ops.tensor([2, 5]))), 2)
 * ```
 */
export const mae = (predictions: Tensor, targets: Tensor, options: LossOptions = {}): Tensor => {
  sameShape('mae', predictions, targets, 'predictions and targets')
  return reduce('mae', ops.abs(ops.sub(predictions, like(targets, predictions))), options)
}

/**
 * Binary cross-entropy from logits, in the stable form (finite for any finite logit).
 * Targets may be soft (in [0, 1]).
 *
 * `bce(z, y) = softplus(z) − y z = −y log σ(z) − (1 − y) log(1 − σ(z))`
 *
 * @category losses
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * const l = nn.binaryCrossEntropyWithLogits(ops.tensor([0, 1e4], 'float64'), ops.tensor([1, 1], 'float64'))
 * assert.strictEqual(ops.item(l), Math.LN2 / 2)
 * ```
 */
export const binaryCrossEntropyWithLogits = (logits: Tensor, targets: Tensor, options: LossOptions = {}): Tensor => {
  const op = 'binaryCrossEntropyWithLogits'
  sameShape(op, logits, targets, 'logits and targets')
  return reduce(op, ops.sub(ops.softplus(logits), ops.mul(like(targets, logits), logits)), options)
}

/**
 * Binary cross-entropy from probabilities, clipped to `[eps, 1 − eps]` (default eps 1e−7)
 * so that the log stays finite. Prefer `binaryCrossEntropyWithLogits` when the logits are
 * at hand.
 *
 * `bce(p, y) = −y log p − (1 − y) log(1 − p)`
 *
 * @category losses
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * const l = nn.binaryCrossEntropy(ops.tensor([0.5, 0.5], 'float64'), ops.tensor([0, 1], 'float64'))
 * assert.strictEqual(ops.item(l), Math.LN2)
 * ```
 */
export const binaryCrossEntropy = (probs: Tensor, targets: Tensor, options: BCEOptions = {}): Tensor => {
  const op = 'binaryCrossEntropy'
  sameShape(op, probs, targets, 'probabilities and targets')
  const eps = options.eps ?? 1e-7
  if (!(eps >= 0 && eps < 0.5)) throw new DomainError(op, `eps must be in [0, 0.5), got ${eps}`)
  const p = ops.clip(probs, eps, 1 - eps)
  const y = like(targets, probs)
  const v = ops.neg(ops.add(ops.mul(y, ops.log(p)), ops.mul(ops.sub(1, y), ops.log1p(ops.neg(p)))))
  return reduce(op, v, options)
}

/**
 * Cross-entropy of a softmax over the last axis, from logits (stable, via `logSoftmax`).
 * `labels` are either one-hot (or any probability) rows of the same shape as `logits`, or
 * integer class indices of the shape of `logits` without its last axis; the shape decides.
 * `'mean'` averages over the rows.
 *
 * `CE(z, y) = −(1/N) Σ_n Σ_k y_nk log softmax(z_n)_k`, `∇_z CE = (softmax(z) − y)/N`
 *
 * @category losses
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * const z = ops.tensor([[0, 0], [0, 0]], 'float64')
 * assert.strictEqual(ops.item(nn.crossEntropy(z, ops.tensor([1, 0]))), Math.LN2)
 * assert.strictEqual(ops.item(nn.crossEntropy(z, ops.tensor([[0, 1], [1, 0]]))), Math.LN2)
 * ```
 */
export const crossEntropy = (logits: Tensor, labels: Tensor, options: LossOptions = {}): Tensor => {
  const op = 'crossEntropy'
  const r = logits.shape.length
  if (r === 0) throw new ShapeError(op, 'logits need a class axis (the last), got a scalar', [logits.shape])
  const classes = logits.shape[r - 1]
  let y: Tensor
  if (shapeEquals(labels.shape, logits.shape)) y = like(labels, logits)
  else if (shapeEquals(labels.shape, logits.shape.slice(0, -1))) {
    const d = labels.data
    for (let i = 0; i < d.length; i++) {
      if (!(Number.isInteger(d[i]) && d[i] >= 0 && d[i] < classes)) {
        throw new DomainError(op, `label ${d[i]} at flat index ${i} is not a class index in [0, ${classes})`, [labels.shape])
      }
    }
    y = ops.oneHot(labels, classes, logits.dtype)
  } else {
    throw new ShapeError(
      op,
      `labels must be one-hot of shape ${showShape(logits.shape)} or class indices of shape ${showShape(logits.shape.slice(0, -1))}, got ${showShape(labels.shape)}`,
      [logits.shape, labels.shape],
      -1,
    )
  }
  return reduce(op, ops.neg(ops.sum(ops.mul(y, ops.logSoftmax(logits, -1)), -1)), options)
}

/**
 * Kullback–Leibler divergence between categorical distributions given as probabilities
 * along the last axis (`0 log 0 = 0`; gradients stay finite where `p = 0`). `'mean'`
 * averages over the rows (PyTorch's `'batchmean'`).
 *
 * `KL(p ‖ q) = Σ_k p_k log(p_k / q_k)`
 *
 * @category losses
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * const p = ops.tensor([1, 0], 'float64')
 * assert.strictEqual(ops.item(nn.klDivergence(p, ops.tensor([0.5, 0.5], 'float64'))), Math.LN2)
 * assert.strictEqual(ops.item(nn.klDivergence(p, p)), 0)
 * ```
 */
export const klDivergence = (p: Tensor, q: Tensor, options: LossOptions = {}): Tensor => {
  const op = 'klDivergence'
  sameShape(op, p, q, 'p and q')
  if (p.shape.length === 0) throw new ShapeError(op, 'distributions need a class axis (the last), got scalars', [p.shape])
  const qq = like(q, p)
  const pos = ops.greater(p, 0)
  // where p = 0 the term is 0; feed safe values to log so that no 0·∞ reaches the gradient
  const ps = ops.where(pos, p, 1)
  const qs = ops.where(pos, qq, 1)
  const terms = ops.where(pos, ops.mul(p, ops.sub(ops.log(ps), ops.log(qs))), 0)
  return reduce(op, ops.sum(terms, -1), options)
}

/**
 * Kullback–Leibler divergence between the softmax distributions of two sets of logits
 * (last axis), computed with `logSoftmax` (stable). `'mean'` averages over the rows.
 *
 * `KL(softmax(a) ‖ softmax(b)) = Σ_k p_k (logSoftmax(a)_k − logSoftmax(b)_k)`, `p = softmax(a)`
 *
 * @category losses
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * const a = ops.tensor([[1, 2, 3]], 'float64')
 * assert.strictEqual(ops.item(nn.klDivergenceFromLogits(a, ops.add(a, 5))), 0)
 * ```
 */
export const klDivergenceFromLogits = (pLogits: Tensor, qLogits: Tensor, options: LossOptions = {}): Tensor => {
  const op = 'klDivergenceFromLogits'
  sameShape(op, pLogits, qLogits, 'the two logit tensors')
  if (pLogits.shape.length === 0) throw new ShapeError(op, 'logits need a class axis (the last), got scalars', [pLogits.shape])
  const la = ops.logSoftmax(pLogits, -1)
  const lb = ops.logSoftmax(like(qLogits, pLogits), -1)
  return reduce(op, ops.sum(ops.mul(ops.exp(la), ops.sub(la, lb)), -1), options)
}

/**
 * Evaluation helpers: accuracy, confusion matrices, and a batched forward pass.
 *
 * Laws (`C` classes, `n` samples):
 * - `accuracy(s, y) = (1/n) · #{i : argmax sᵢ = yᵢ}` (one-hot `y` is read as `argmax y`), in [0, 1];
 * - `Σ confusionMatrix(p, y, C) = n`, row `i` sums to `#{y = i}`, column `j` to `#{p = j}`,
 *   and `trace(confusionMatrix(p, y, C)) / n = accuracy`;
 * - `evaluate(f, x, y, b).outputs = f(x)` for a row-wise `f`, for every batch size `b`.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import * as ops from '../ops/index.js'
import type { Tensor } from '../tensor/Tensor.js'

/**
 * Labels: a tensor of integer class indices `[n]`, a tensor of scores or one-hot rows
 * `[n, C]` (read by argmax), or a plain array of indices.
 *
 * @category metrics
 * @since 0.1.0
 */
export type Labels = Tensor | ReadonlyArray<number>

/** Class indices of labels (argmax of rows for rank 2), checked to be integers. */
const classIndices = (op: string, name: string, l: Labels): number[] => {
  if (Array.isArray(l)) return checkIndices(op, name, l as ReadonlyArray<number>)
  const t = l as Tensor
  if (t.shape.length === 1) return checkIndices(op, name, Array.from(t.data))
  if (t.shape.length === 2) return Array.from(ops.toFlat(ops.argmax(t, 1)))
  throw new ShapeError(op, `${name} must be class indices [n] or rows of scores [n, C], got shape ${showShape(t.shape)}`, [t.shape])
}

const checkIndices = (op: string, name: string, xs: ReadonlyArray<number>): number[] => {
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isInteger(xs[i]) || xs[i] < 0) throw new DomainError(op, `${name}[${i}] = ${xs[i]} is not a class index (a non-negative integer)`)
  }
  return [...xs]
}

/**
 * Classification accuracy: the fraction of rows whose highest score is the true class.
 * `outputs` are logits or probabilities `[n, C]`; `labels` are class indices `[n]` or
 * one-hot rows `[n, C]`.
 *
 * `accuracy = (1/n) · #{i : argmax outputsᵢ = labelᵢ}`
 *
 * @category metrics
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const logits = ops.tensor([[2, 1], [0, 3], [5, 4], [1, 2]])
 * assert.strictEqual(optim.accuracy(logits, ops.tensor([0, 1, 1, 1])), 0.75)
 * assert.strictEqual(optim.accuracy(logits, ops.oneHot([0, 1, 0, 1], 2)), 1)
 * ```
 */
export const accuracy = (outputs: Tensor, labels: Labels): number => {
  const op = 'accuracy'
  if (outputs.shape.length !== 2) {
    throw new ShapeError(op, `outputs must be scores [n, C], got shape ${showShape(outputs.shape)}`, [outputs.shape])
  }
  const n = outputs.shape[0]
  if (!Array.isArray(labels)) {
    const l = labels as Tensor
    const ok = l.shape[0] === n && (l.shape.length === 1 || (l.shape.length === 2 && l.shape[1] === outputs.shape[1]))
    if (!ok) throw new ShapeError(op, `labels ${showShape(l.shape)} do not match outputs ${showShape(outputs.shape)} (expected [${n}] or [${n},${outputs.shape[1]}])`, [outputs.shape, l.shape])
  }
  const y = classIndices(op, 'labels', labels)
  if (y.length !== n) throw new ShapeError(op, `${y.length} labels for ${n} outputs`, [outputs.shape, [y.length]])
  if (n === 0) throw new DomainError(op, 'accuracy of no samples is undefined')
  const p = ops.toFlat(ops.argmax(outputs, 1))
  let hits = 0
  for (let i = 0; i < n; i++) if (p[i] === y[i]) hits++
  return hits / n
}

/**
 * The confusion matrix: entry `[i, j]` counts the samples of true class `i` predicted as
 * class `j` (rows are true classes, columns predictions; as scikit-learn). Predictions and
 * labels are class indices, or rows of scores / one-hot rows (read by argmax).
 *
 * `M[i, j] = #{k : labelₖ = i, predictedₖ = j}`
 *
 * @category metrics
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const m = optim.confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], 3)
 * assert.deepStrictEqual(ops.toArray(m), [[1, 0, 0], [0, 1, 0], [0, 1, 1]])
 * ```
 */
export const confusionMatrix = (predicted: Labels, labels: Labels, classes: number): Tensor => {
  const op = 'confusionMatrix'
  if (!Number.isInteger(classes) || classes <= 0) throw new DomainError(op, `classes must be a positive integer, got ${classes}`)
  const p = classIndices(op, 'predicted', predicted)
  const y = classIndices(op, 'labels', labels)
  if (p.length !== y.length) throw new ShapeError(op, `${p.length} predictions for ${y.length} labels`, [[p.length], [y.length]])
  const m = new Float32Array(classes * classes)
  for (let k = 0; k < y.length; k++) {
    if (y[k] >= classes) throw new DomainError(op, `labels[${k}] = ${y[k]} is out of range for ${classes} classes`)
    if (p[k] >= classes) throw new DomainError(op, `predicted[${k}] = ${p[k]} is out of range for ${classes} classes`)
    m[y[k] * classes + p[k]]++
  }
  return ops.fromArray(m, [classes, classes], 'float32')
}

/**
 * A metric of outputs against targets, as `evaluate` uses it.
 *
 * @category metrics
 * @since 0.1.0
 */
export type OutputMetric = (outputs: Tensor, targets: Tensor) => number

/**
 * What `evaluate` returns: the outputs of the whole set and each metric's value.
 *
 * @category metrics
 * @since 0.1.0
 */
export interface Evaluation<K extends string = string> {
  /** The outputs for every sample, in order (the batches concatenated along axis 0). */
  readonly outputs: Tensor
  /** Each metric on the whole set. */
  readonly metrics: { readonly [k in K]: number }
}

/**
 * Runs a forward pass over a data set in batches of `batchSize` rows (in order, the last
 * batch smaller), concatenates the outputs, and computes each metric on the whole set
 * (default: `accuracy`).
 *
 * `evaluate(f, x, y, b).outputs = concat([f(x[0:b]), f(x[b:2b]), …])`
 *
 * @category metrics
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([[1, 0], [0, 1], [2, 0]])
 * const r = optim.evaluate((xb) => ops.mul(xb, 2), x, ops.tensor([0, 1, 1]), 2)
 * assert.deepStrictEqual(ops.toArray(r.outputs), [[2, 0], [0, 2], [4, 0]])
 * assert.strictEqual(r.metrics.accuracy, 2 / 3)
 * ```
 */
export const evaluate = <K extends string = 'accuracy'>(
  predict: (x: Tensor) => Tensor,
  x: Tensor,
  y: Tensor,
  batchSize = 256,
  metrics: { readonly [k in K]: OutputMetric } = { accuracy } as unknown as { readonly [k in K]: OutputMetric },
): Evaluation<K> => {
  const op = 'evaluate'
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new DomainError(op, `batchSize must be a positive integer, got ${batchSize}`)
  if (x.shape.length === 0) throw new ShapeError(op, 'x must have a batch axis, got a scalar', [x.shape])
  const n = x.shape[0]
  if (n === 0) throw new DomainError(op, 'cannot evaluate on no samples')
  const parts: Tensor[] = []
  for (let i = 0; i < n; i += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - i) }, (_, j) => i + j)
    parts.push(predict(n <= batchSize ? x : ops.take(x, idx)))
  }
  const outputs = parts.length === 1 ? parts[0] : ops.concat(parts, 0)
  const values = Object.fromEntries(Object.keys(metrics).map((k) => [k, (metrics as Record<string, OutputMetric>)[k](outputs, y)]))
  return Object.freeze({ outputs, metrics: Object.freeze(values) as { readonly [k in K]: number } })
}

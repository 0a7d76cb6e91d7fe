/**
 * Activation functions (course notes §2.3) as plain functions `Tensor → Tensor`, built only
 * from `ops`, so every transformation (`grad`, `jvp`, nesting) differentiates them. Any of
 * them can stand wherever a layer is expected (`serial(dense(10), relu)`).
 *
 * Laws (elementwise, `σ` the logistic function):
 * - `σ(z) = 1 / (1 + e^{−z})`, `σ'(z) = σ(z)(1 − σ(z)) ≤ 1/4`, with equality only at `z = 0`;
 * - `tanh'(z) = 1 − tanh(z)²`, `arctan'(z) = 1 / (1 + z²)`, `softplus' = σ`;
 * - `relu'(z) = [z > 0]`; `threshold'(z) = 0` (a.e.); `thresholdST'(z) = 1` (straight-through);
 * - `Σ_i softmax(x)_i = 1`, `softmax(x + c) = softmax(x)`, `logSoftmax = log ∘ softmax`;
 * - `gelu(x) = x Φ(x)`, `silu(x) = x σ(x)`, `elu(x) = x` for `x > 0`, `α(eˣ − 1)` otherwise.
 *
 * @module
 */
import * as ops from '../ops/index.js'
import { stopGradient } from '../ops/special.js'
import type { Tensor } from '../tensor/Tensor.js'

/**
 * An activation: a function of one tensor. Every such function is also accepted as a
 * layer (with no parameters) by `serial`, `fanOut`, `parallel` and `residual`.
 *
 * @category activations
 * @since 0.1.0
 */
export type Activation = (x: Tensor) => Tensor

/**
 * The logistic (sigmoid) function, computed stably for large |z|.
 *
 * `σ(z) = 1 / (1 + e^{−z})`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.sigmoid(ops.tensor([0, 1e4, -1e4]))), [0.5, 1, 0])
 * ```
 */
export const sigmoid = (z: Tensor): Tensor => ops.sigmoid(z)

/**
 * The logistic function (another name for `sigmoid`).
 *
 * `logistic(z) = 1 / (1 + e^{−z})`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(nn.logistic(ops.scalar(0))), 0.5)
 * ```
 */
export const logistic = (z: Tensor): Tensor => ops.sigmoid(z)

/**
 * The arctangent activation (range (−π/2, π/2)).
 *
 * `arctan'(z) = 1 / (1 + z²)`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(nn.arctan(ops.scalar(1, 'float64'))), Math.PI / 4)
 * ```
 */
export const arctan = (z: Tensor): Tensor => ops.atan(z)

/**
 * The hyperbolic tangent (range (−1, 1)); `tanh(z) = 2σ(2z) − 1`.
 *
 * `tanh'(z) = 1 − tanh(z)²`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.tanh(ops.tensor([0, 100]))), [0, 1])
 * ```
 */
export const tanh = (z: Tensor): Tensor => ops.tanh(z)

/**
 * The Heaviside step (the perceptron's threshold unit): 1 where `z > 0`, else 0. Its
 * derivative is 0 everywhere it exists (and `grad` returns 0 at the jump too), so no
 * gradient flows through it: use `thresholdST` to train through a step.
 *
 * `threshold(z) = [z > 0]`, `threshold'(z) = 0`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, grad } from 'dendrite'
 * import * as assert from 'node:assert'
 * const z = ops.tensor([-1, 0, 2])
 * assert.deepStrictEqual(ops.toArray(nn.threshold(z)), [0, 0, 1])
 * assert.deepStrictEqual(ops.toArray(grad((x: ops.Tensor) => ops.sum(nn.threshold(x)))(z)), [0, 0, 0])
 * ```
 */
export const threshold = (z: Tensor): Tensor => ops.greater(z, 0)

/**
 * The straight-through step: the value of `threshold`, the derivative of the identity (in
 * forward and reverse mode alike). Written `[z > 0] + (z − stopGradient(z))`: the bracket
 * is exactly `0`, so the value is exactly the step for finite `z`, and the derivative is 1.
 * (A `customJvp` rule would give the same derivative, but its reverse mode transposes the
 * rule one basis vector at a time, which is quadratic in the size of `z`.)
 *
 * `thresholdST(z) = [z > 0]`, `thresholdST'(z) = 1`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, grad } from 'dendrite'
 * import * as assert from 'node:assert'
 * const z = ops.tensor([-1, 0, 2])
 * assert.deepStrictEqual(ops.toArray(nn.thresholdST(z)), [0, 0, 1])
 * assert.deepStrictEqual(ops.toArray(grad((x: ops.Tensor) => ops.sum(nn.thresholdST(x)))(z)), [1, 1, 1])
 * ```
 */
export const thresholdST = (z: Tensor): Tensor => ops.add(ops.greater(z, 0), ops.sub(z, stopGradient(z)))

/**
 * The rectified linear unit; its derivative at 0 is taken to be 0.
 *
 * `relu(z) = max(z, 0)`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.relu(ops.tensor([-2, 0, 3]))), [0, 0, 3])
 * ```
 */
export const relu = (z: Tensor): Tensor => ops.relu(z)

/**
 * The softplus function, a smooth relu, computed stably; its derivative is `σ`.
 *
 * `softplus(z) = log(1 + eᶻ)`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.softplus(ops.tensor([0, 1e4], 'float64'))), [Math.LN2, 1e4])
 * ```
 */
export const softplus = (z: Tensor): Tensor => ops.softplus(z)

/**
 * The softmax along an axis (last by default): a probability distribution over classes.
 *
 * `softmax(x)_i = e^{x_i} / Σ_j e^{x_j}`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.softmax(ops.tensor([[0, 0], [3, 3]]))), [[0.5, 0.5], [0.5, 0.5]])
 * ```
 */
export const softmax = (x: Tensor, axis = -1): Tensor => ops.softmax(x, axis)

/**
 * The log of the softmax along an axis (last by default), computed stably.
 *
 * `logSoftmax(x)_i = x_i − log Σ_j e^{x_j}`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.logSoftmax(ops.tensor([0, 0], 'float64'))), [-Math.LN2, -Math.LN2])
 * ```
 */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => ops.logSoftmax(x, axis)

/**
 * The predicted class: the index of the largest entry along an axis (last by default),
 * as a float tensor without that axis. Not differentiable (its derivative is 0).
 *
 * `argmax(x)[…] = argmax_i x[…, i]`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.argmax(ops.tensor([[0.1, 0.7, 0.2], [0.9, 0, 0.1]]))), [1, 0])
 * ```
 */
export const argmax = (x: Tensor, axis = -1): Tensor => ops.argmax(x, axis)

/**
 * The leaky relu: slope `slope` (default 0.01) for negative inputs.
 *
 * `leakyRelu(z) = z` for `z > 0`, `slope·z` otherwise
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.leakyRelu(ops.tensor([-2, 3]), 0.5)), [-1, 3])
 * ```
 */
export const leakyRelu = (z: Tensor, slope = 0.01): Tensor => ops.where(ops.greater(z, 0), z, ops.mul(z, slope))

/**
 * The exponential linear unit (default `alpha = 1`). The negative branch is evaluated at
 * `min(z, 0)` so that large positive inputs never produce `inf · 0` in the gradient.
 *
 * `elu(z) = z` for `z > 0`, `α(eᶻ − 1)` otherwise
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.elu(ops.tensor([-1, 2], 'float64'))), [Math.expm1(-1), 2])
 * ```
 */
export const elu = (z: Tensor, alpha = 1): Tensor =>
  ops.where(ops.greater(z, 0), z, ops.mul(ops.expm1(ops.minimum(z, 0)), alpha))

// Numerical Recipes' erfc (Chebyshev fit, relative error < 1.2e−7 everywhere), for t ≥ 0:
// erfc(t) = u · exp(−t² + P(u)), u = 1 / (1 + t/2)
const ERFC_COEFFS = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277,
]
const erfcNonNeg = (t: Tensor): Tensor => {
  const u = ops.reciprocal(ops.add(ops.mul(t, 0.5), 1))
  let p = ops.mul(u, ERFC_COEFFS[ERFC_COEFFS.length - 1])
  for (let i = ERFC_COEFFS.length - 2; i >= 1; i--) p = ops.mul(u, ops.add(p, ERFC_COEFFS[i]))
  p = ops.add(p, ERFC_COEFFS[0])
  return ops.mul(u, ops.exp(ops.sub(p, ops.square(t))))
}

// Near 0, Φ by its Taylor series (odd part through x²⁷, error < 1e−16 for |x| < 1):
// Φ(x) = ½ + x/√(2π) Σ_n (−x²/2)ⁿ / (n! (2n + 1))
const TAYLOR_COEFFS = Array.from({ length: 14 }, (_, n) => {
  let f = 1
  for (let k = 2; k <= n; k++) f *= k
  return (-1) ** n / (2 ** n * f * (2 * n + 1))
})
const cdfTaylor = (x: Tensor): Tensor => {
  const w = ops.square(x)
  let p = ops.mul(w, TAYLOR_COEFFS[TAYLOR_COEFFS.length - 1])
  for (let i = TAYLOR_COEFFS.length - 2; i >= 1; i--) p = ops.mul(w, ops.add(p, TAYLOR_COEFFS[i]))
  return ops.add(ops.mul(ops.mul(x, ops.add(p, TAYLOR_COEFFS[0])), 1 / Math.sqrt(2 * Math.PI)), 0.5)
}

/**
 * @internal The standard normal CDF `Φ(x) = erfc(−x/√2)/2`, differentiable: a Taylor series
 * for |x| < 1 (so that the derivatives at 0 are right to all orders) and an erfc
 * approximation with relative error below 1.2e−7 (also in the lower tail) beyond.
 */
export const normalCdf = (x: Tensor): Tensor => {
  const small = ops.less(ops.abs(x), 1)
  // each branch sees only inputs in its range, so no overflow (or 0·∞ in a gradient) from the other
  const xs = ops.where(small, x, 0)
  const xl = ops.where(small, 1, x)
  const neg = ops.lessEqual(xl, 0)
  // |x|/√2 written with `where`, so that the derivative is that of the selected branch
  const t = ops.div(ops.where(neg, ops.neg(xl), xl), Math.SQRT2)
  const half = ops.mul(erfcNonNeg(t), 0.5)
  return ops.where(small, cdfTaylor(xs), ops.where(neg, half, ops.sub(1, half)))
}

/**
 * The Gaussian error linear unit. By default the exact form `x Φ(x)` (as PyTorch's default),
 * with `Φ` from its Taylor series for |x| < 1 and an erfc approximation of relative error
 * below 1.2e−7 beyond (float32 accuracy; in float64 not exact to the last digit; derivatives
 * to about 1e−6); it costs about 60 elementwise operations. With `approximate = true`,
 * the tanh approximation (JAX's default, GPT-2), about 10× cheaper.
 *
 * `gelu(x) = x Φ(x)`; approximate: `½x(1 + tanh(√(2/π)(x + 0.044715x³)))`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.gelu(ops.tensor([0, 10]))), [0, 10])
 * assert.ok(Math.abs(ops.item(nn.gelu(ops.scalar(1, 'float64'))) - 0.8413447460685429) < 1e-7)
 * assert.ok(Math.abs(ops.item(nn.gelu(ops.scalar(1, 'float64'), true)) - 0.8411919906082768) < 1e-12)
 * ```
 */
export const gelu = (x: Tensor, approximate = false): Tensor => {
  if (!approximate) return ops.mul(x, normalCdf(x))
  const inner = ops.mul(ops.add(x, ops.mul(ops.mul(ops.square(x), x), 0.044715)), Math.sqrt(2 / Math.PI))
  return ops.mul(ops.mul(x, 0.5), ops.add(ops.tanh(inner), 1))
}

/**
 * The sigmoid linear unit (swish with β = 1).
 *
 * `silu(x) = x σ(x)`
 *
 * @category activations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.silu(ops.tensor([0, 2]))), [0, 2 * ops.item(nn.sigmoid(ops.scalar(2)))])
 * ```
 */
export const silu = (x: Tensor): Tensor => ops.mul(x, ops.sigmoid(x))

/**
 * The derivative of the logistic function, as the notes write it (§2.3, §5).
 *
 * `σ'(z) = σ(z)(1 − σ(z))`
 *
 * @category derivatives
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(nn.sigmoidPrime(ops.scalar(0))), 0.25)
 * ```
 */
export const sigmoidPrime = (z: Tensor): Tensor => {
  const s = ops.sigmoid(z)
  return ops.mul(s, ops.sub(1, s))
}

/**
 * The derivative of tanh.
 *
 * `tanh'(z) = 1 − tanh(z)²`
 *
 * @category derivatives
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.tanhPrime(ops.tensor([0, 100]))), [1, 0])
 * ```
 */
export const tanhPrime = (z: Tensor): Tensor => ops.sub(1, ops.square(ops.tanh(z)))

/**
 * The derivative of relu (0 at `z = 0`, as `grad(relu)` gives).
 *
 * `relu'(z) = [z > 0]`
 *
 * @category derivatives
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(nn.reluPrime(ops.tensor([-1, 0, 5]))), [0, 0, 1])
 * ```
 */
export const reluPrime = (z: Tensor): Tensor => ops.greater(z, 0)

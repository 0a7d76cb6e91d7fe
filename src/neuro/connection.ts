/**
 * Transformations between populations (notes §22): a connection from ensemble `pre`
 * (`N` neurons) to ensemble `post` (`M` neurons) computing `y = T f(x)` has the weights
 *
 *   W = (α ∘ E_post) T Dᵀ          (`[M, N]`),
 *
 * with `D` (`[N, D_f]`) the decoders of `f` from `pre`, `T` (`[D_post, D_f]`) a linear
 * transform and `α ∘ E_post` (`[M, D_post]`) the post encoders scaled by their gains. The
 * connection keeps the factors: a step costs `O((N + M) · D)` through the low-dimensional
 * bottleneck instead of `O(N · M)` for the full matrix.
 *
 * Laws:
 * - factorised and full weights give the same currents: `connectionCurrents(c, a) = a Wᵀ`;
 * - decode-then-encode: `W a = α ∘ (E_post (T (Dᵀ a)))`, i.e. the post currents are the
 *   post ensemble's encoding (without bias) of the decoded, transformed value.
 *
 * @module
 */
import * as ops from '../ops/index.js'
import type { Tensor } from '../tensor/Tensor.js'
import { ShapeError } from '../errors.js'
import { activities, decoders, type DecoderOptions, type Ensemble } from './ensemble.js'

/**
 * Options of `connection`.
 *
 * @category transformations
 * @since 0.2.0
 */
export interface ConnectionOptions extends DecoderOptions {
  /** The function computed, on the pre ensemble's sample points `[S, D_pre]` → `[S, D_f]` (default identity). */
  readonly function?: (x: Tensor) => Tensor
  /** Linear transform `T`, `[D_post, D_f]`, or a number for `t·I` (default 1; then `D_f` must equal `D_post`). */
  readonly transform?: Tensor | number
}

/**
 * A connection between two ensembles, kept factorised.
 *
 * @category transformations
 * @since 0.2.0
 */
export interface Connection {
  /** Decoders of the function from the pre ensemble, `[N, D_f]`. */
  readonly decoders: Tensor
  /** The transform `T`, `[D_post, D_f]`. */
  readonly transform: Tensor
  /** The post ensemble's gain-scaled encoders `α ∘ E_post`, `[M, D_post]`. */
  readonly postEncoders: Tensor
  /** Number of pre neurons `N`. */
  readonly nPre: number
  /** Number of post neurons `M`. */
  readonly nPost: number
}

/**
 * Connects two ensembles so that `post` receives `T f(x)` when `pre` represents `x`:
 * decoders of `f` are solved on `pre`'s sample points (as `ensembleDecoders`), and the post
 * side keeps its gain-scaled encoders.
 *
 * `W = (α ∘ E_post) T Dᵀ` (kept as its factors)
 *
 * @category transformations
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [k1, k2] = random.split(random.key(0))
 * const a = neuro.ensemble(k1, { n: 80, dimensions: 1 })
 * const b = neuro.ensemble(k2, { n: 60, dimensions: 1 })
 * const c = neuro.connection(a, b, { function: ops.square })
 * assert.deepStrictEqual(c.decoders.shape, [80, 1])
 * assert.deepStrictEqual(neuro.fullWeights(c).shape, [60, 80])
 * ```
 */
export const connection = (pre: Ensemble, post: Ensemble, opts: ConnectionOptions = {}): Connection => {
  const op = 'connection'
  const X = pre.evalPoints
  const Y = opts.function === undefined ? X : opts.function(X)
  if (Y.shape.length !== 2 || Y.shape[0] !== X.shape[0]) {
    throw new ShapeError(op, `function must map the sample points ${JSON.stringify(X.shape)} to [${X.shape[0]}, D_f], got ${JSON.stringify(Y.shape)}`, [X.shape, Y.shape])
  }
  const df = Y.shape[1]
  const t = opts.transform ?? 1
  let transform: Tensor
  if (typeof t === 'number') {
    if (df !== post.dimensions) {
      throw new ShapeError(op, `the function's output has ${df} dimensions but post has ${post.dimensions}; give a transform [${post.dimensions}, ${df}]`, [Y.shape])
    }
    transform = ops.mul(ops.eye(df, df, post.encoders.dtype), t)
  } else {
    if (t.shape.length !== 2 || t.shape[0] !== post.dimensions || t.shape[1] !== df) {
      throw new ShapeError(op, `transform must have shape [${post.dimensions}, ${df}] ([post dims, function dims]), got ${JSON.stringify(t.shape)}`, [t.shape])
    }
    transform = ops.astype(t, post.encoders.dtype)
  }
  const D = decoders(activities(pre, X), Y, opts)
  const postEncoders = ops.mul(post.encoders, ops.reshape(post.gains, [post.n, 1]))
  return Object.freeze({ decoders: D, transform, postEncoders, nPre: pre.n, nPost: post.n })
}

/**
 * The value a connection delivers for pre activities `a` (`[..., N]` → `[..., D_post]`):
 * decoded, then transformed.
 *
 * `y = T (Dᵀ a)`
 *
 * @category transformations
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [k1, k2] = random.split(random.key(0))
 * const a = neuro.ensemble(k1, { n: 100, dimensions: 1 })
 * const b = neuro.ensemble(k2, { n: 10, dimensions: 1 })
 * const c = neuro.connection(a, b, { transform: -2 })
 * const y = ops.toFlat(neuro.connectionOutput(c, neuro.activities(a, ops.tensor([[0.3]], 'float64'))))
 * assert.ok(Math.abs(y[0] + 0.6) < 0.05)
 * ```
 */
export const connectionOutput = (conn: Connection, a: Tensor): Tensor => {
  if (a.shape.length < 1 || a.shape[a.shape.length - 1] !== conn.nPre) {
    throw new ShapeError('connectionOutput', `activities must have shape [..., ${conn.nPre}] (pre neurons), got ${JSON.stringify(a.shape)}`, [a.shape], -1)
  }
  return ops.matmul(ops.matmul(a, conn.decoders), ops.transpose(conn.transform))
}

/**
 * The post neurons' synaptic input currents for pre activities `a` (`[..., N]` →
 * `[..., M]`), through the `D`-dimensional bottleneck in `O((N + M) D)` per sample; the post
 * neurons' biases are not included (add `post.biases` for their total current).
 *
 * `J_syn = (α ∘ E_post) T Dᵀ a = W a`
 *
 * @category transformations
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [k1, k2] = random.split(random.key(0))
 * const a = neuro.ensemble(k1, { n: 30, dimensions: 2 })
 * const b = neuro.ensemble(k2, { n: 20, dimensions: 2 })
 * const c = neuro.connection(a, b)
 * const act = neuro.activities(a, ops.tensor([[0.2, -0.4]], 'float64'))
 * const viaFactors = neuro.connectionCurrents(c, act)
 * const viaMatrix = ops.matmul(act, ops.transpose(neuro.fullWeights(c)))
 * assert.ok(neuro.rmse(viaFactors, viaMatrix) < 1e-9)
 * ```
 */
export const connectionCurrents = (conn: Connection, a: Tensor): Tensor => {
  if (a.shape.length < 1 || a.shape[a.shape.length - 1] !== conn.nPre) {
    throw new ShapeError('connectionCurrents', `activities must have shape [..., ${conn.nPre}] (pre neurons), got ${JSON.stringify(a.shape)}`, [a.shape], -1)
  }
  return ops.matmul(connectionOutput(conn, a), ops.transpose(conn.postEncoders))
}

/**
 * The full `[M, N]` weight matrix of a connection (costs `O(N M)` memory; prefer
 * `connectionCurrents` for simulation).
 *
 * `W = (α ∘ E_post) T Dᵀ`,  `Wᵢⱼ = αᵢ eᵢ · T dⱼ`
 *
 * @category transformations
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [k1, k2] = random.split(random.key(3))
 * const c = neuro.connection(neuro.ensemble(k1, { n: 5, dimensions: 1 }), neuro.ensemble(k2, { n: 4, dimensions: 1 }))
 * const W = neuro.fullWeights(c)
 * // rank one in one dimension: W = (α e) dᵀ
 * const expected = ops.matmul(c.postEncoders, ops.transpose(c.decoders))
 * assert.ok(neuro.rmse(W, expected) < 1e-12)
 * ```
 */
export const fullWeights = (conn: Connection): Tensor => ops.matmul(ops.matmul(conn.postEncoders, conn.transform), ops.transpose(conn.decoders))

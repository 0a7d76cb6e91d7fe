/**
 * The layer contract: a layer is a pair of pure functions. `init(key, inShape)` makes its
 * parameters (a tree) and tells the output shape; `apply(params, x, ctx)` computes the
 * output. Shapes use `-1` for the batch axis. Randomness (dropout) comes from `ctx.key`;
 * `ctx.training` switches train/eval behaviour.
 *
 * Laws: `apply(init(k, s).params, x).shape` matches `init(k, s).outShape` (with the batch
 * axis filled in); `init` is deterministic in its key.
 *
 * @module
 */
import type { Key } from '../random/index.js'
import type { Shape } from '../tensor/Shape.js'
import type { Tensor } from '../tensor/Tensor.js'
import type { Tree } from '../tree/index.js'

/**
 * What `init` returns: parameters, the output shape, and optional state.
 *
 * @category layers
 * @since 0.1.0
 */
export interface InitResult<P extends Tree = Tree> {
  /** The layer's parameters (a tree of tensors; `null` when it has none). */
  readonly params: P
  /** The output shape for the given input shape (`-1` for the batch axis). */
  readonly outShape: Shape
  /** Non-trainable state (running statistics), threaded explicitly; absent when none. */
  readonly state?: Tree
}

/**
 * The context of one application: a PRNG key for stochastic layers, and whether this is
 * training (dropout active) or evaluation.
 *
 * @category layers
 * @since 0.1.0
 */
export interface ApplyContext {
  /** Key for stochastic layers (dropout); required when `training` and such a layer is present. */
  readonly key?: Key
  /** Training mode (default false: evaluation). */
  readonly training?: boolean
}

/**
 * A layer: a name and two pure functions.
 *
 * @category layers
 * @since 0.1.0
 */
export interface Layer<P extends Tree = Tree> {
  /** A short name for summaries, e.g. `dense(128)`. */
  readonly name: string
  /** Makes parameters for an input shape. */
  readonly init: (key: Key, inShape: Shape) => InitResult<P>
  /** Computes the output (never mutates `params` or `x`). */
  readonly apply: (params: P, x: Tensor, ctx?: ApplyContext) => Tensor
}

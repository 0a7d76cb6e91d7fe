/**
 * The optimiser contract (as optax): an optimiser is a pure gradient transformation.
 * `init(params)` makes its state; `update(grads, state, params)` returns the updates to
 * add to the parameters and the next state. `applyUpdates(params, updates)` adds them.
 *
 * Laws: `update` is pure (same inputs, same outputs; inputs unchanged).
 *
 * @module
 */
import type { Tree } from '../tree/index.js'

/**
 * A gradient transformation: `{ init, update }`.
 *
 * @category optimisers
 * @since 0.1.0
 */
export interface Optimizer<S = unknown> {
  /** A short name, e.g. `adam(0.001)`. */
  readonly name: string
  /** The initial state for these parameters. */
  readonly init: (params: Tree) => S
  /** Updates (to be added to the parameters) and the next state. */
  readonly update: <P extends Tree>(grads: P, state: S, params?: P) => readonly [P, S]
}

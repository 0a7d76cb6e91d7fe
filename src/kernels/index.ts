/**
 * Kernel sets and the one that is active. Tensor operations call `active()`; `useKernels`
 * swaps in another set (for example a WebAssembly one) and `withKernels` does so for the
 * duration of one function call.
 *
 * Laws: `withKernels(k, () => active()) = k`; after `withKernels` returns (or throws), the
 * previous set is active again.
 *
 * @module
 */
import type { Kernels } from './Kernels.js'
import { reference } from './reference.js'

export type { Buffer, BinaryOp, Kernels, ReduceOp, UnaryOp } from './Kernels.js'
export { reference } from './reference.js'

// The one piece of module state in dendrite: which kernel set runs the loops. It changes
// speed, never results (beyond float rounding), so it is configuration, not model state.
let current: Kernels = reference

/**
 * The kernel set that tensor operations use now.
 *
 * @category kernels
 * @since 0.1.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(kernels.active().name, 'reference-js')
 * ```
 */
export const active = (): Kernels => current

/**
 * Makes a kernel set the active one, returning the set it replaces.
 *
 * @category kernels
 * @since 0.1.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * const previous = kernels.useKernels(kernels.reference)
 * assert.strictEqual(previous.name, 'reference-js')
 * ```
 */
export const useKernels = (k: Kernels): Kernels => {
  const prev = current
  current = k
  return prev
}

/**
 * Runs `f` with a kernel set active, then restores the previous one (also on throw).
 *
 * @category kernels
 * @since 0.1.0
 * @example
 * ```ts
 * import { kernels, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = kernels.withKernels(kernels.reference, () => ops.sum(ops.tensor([1, 2, 3])))
 * assert.strictEqual(ops.item(s), 6)
 * ```
 */
export const withKernels = <A>(k: Kernels, f: () => A): A => {
  const prev = useKernels(k)
  try {
    return f()
  } finally {
    current = prev
  }
}

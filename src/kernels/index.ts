/**
 * Kernel sets and the one that is active. Tensor operations call `active()`; `useKernels`
 * swaps in another set and `withKernels` does so for the duration of one function call.
 * The default is the WebAssembly SIMD set `wasm` where the host supports it (Node 20,
 * current browsers), else the plain-JS `reference`.
 *
 * Laws: `withKernels(k, () => active()) = k`; after `withKernels` returns (or throws), the
 * previous set is active again.
 *
 * @module
 */
import type { Kernels } from './Kernels.js'
import { reference } from './reference.js'
import { wasm, wasmSupported } from './wasm/index.js'

export type { Buffer, BinaryOp, Kernels, ReduceOp, UnaryOp } from './Kernels.js'
export { reference } from './reference.js'
export { setThreads, startThreads, threads, threadsSupported, wasm, wasmSupported } from './wasm/index.js'

// The one piece of module state in dendrite: which kernel set runs the loops. It changes
// speed, never results (beyond float rounding), so it is configuration, not model state.
let current: Kernels = wasmSupported() ? wasm : reference

/**
 * The kernel set that tensor operations use now.
 *
 * @category kernels
 * @since 0.1.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * // the WebAssembly SIMD kernels where the host has them, else the plain-JS reference
 * assert.ok(['wasm-simd', 'reference-js'].includes(kernels.active().name))
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
 * assert.strictEqual(kernels.active().name, 'reference-js')
 * kernels.useKernels(previous)
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

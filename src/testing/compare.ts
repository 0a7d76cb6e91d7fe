/**
 * Comparing tensors and trees of tensors within tolerances, with a message that names the
 * worst element.
 *
 * Laws: `allClose(a, a)` passes; `allClose(a, b)` passes iff
 * `|aᵢ − bᵢ| ≤ atol + rtol·|bᵢ|` for every `i` (NaN matches only NaN, ±∞ only itself).
 *
 * @module
 */
import { isTensor, tensor, type NestedArray, type Tensor } from '../tensor/Tensor.js'
import { leaves, paths, type Tree } from '../tree/index.js'

/**
 * Tolerances of a comparison: `|actual − expected| ≤ atol + rtol·|expected|`.
 *
 * @category comparisons
 * @since 0.1.0
 */
export interface Tolerance {
  /** Relative tolerance (default 1e-9 for float64, 1e-5 for float32). */
  readonly rtol?: number
  /** Absolute tolerance (default as `rtol`). */
  readonly atol?: number
}

/**
 * The outcome of a comparison: whether it passed, and a message naming the worst element.
 *
 * @category comparisons
 * @since 0.1.0
 */
export interface Comparison {
  /** True when every element is within tolerance. */
  readonly pass: boolean
  /** What was compared and, on failure, the worst element: path, index, both values, error. */
  readonly message: string
}

const defaults = (t: Tensor, tol: Tolerance): { rtol: number; atol: number } => {
  const d = t.dtype === 'float32' ? 1e-5 : 1e-9
  return { rtol: tol.rtol ?? d, atol: tol.atol ?? tol.rtol ?? d }
}

const unravel = (i: number, shape: ReadonlyArray<number>): number[] => {
  const idx = new Array<number>(shape.length)
  let r = i
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = shape[k] === 0 ? 0 : r % shape[k]
    r = shape[k] === 0 ? 0 : Math.floor(r / shape[k])
  }
  return idx
}

const asTensor = (x: Tensor | NestedArray): Tensor => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Tensor) : tensor(x as NestedArray, 'float64'))

const compareTensors = (a: Tensor, e: Tensor, tol: Tolerance, where: string): Comparison => {
  const at = where === '' ? '' : ` at ${where}`
  if (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape[i])) {
    return { pass: false, message: `allClose: shapes differ${at}: actual [${a.shape.join(',')}], expected [${e.shape.join(',')}]` }
  }
  const { rtol, atol } = defaults(e, tol)
  let worst = -1
  let worstExcess = -Infinity
  for (let i = 0; i < e.data.length; i++) {
    const x = a.data[i]
    const y = e.data[i]
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue
    const err = Math.abs(x - y)
    const excess = Number.isNaN(err) ? Infinity : err - (atol + rtol * Math.abs(y))
    if (excess > 0 && excess > worstExcess) {
      worst = i
      worstExcess = excess
    }
  }
  if (worst < 0) return { pass: true, message: `allClose: ${e.data.length} elements within rtol ${rtol}, atol ${atol}${at}` }
  const x = a.data[worst]
  const y = e.data[worst]
  return {
    pass: false,
    message:
      `allClose: element [${unravel(worst, e.shape).join(',')}]${at} differs: actual ${x}, expected ${y}, ` +
      `|error| ${Math.abs(x - y)} > atol ${atol} + rtol ${rtol}·|expected| (shape [${e.shape.join(',')}])`,
  }
}

/**
 * Compares two tensors, nested arrays, or trees of tensors, and reports the worst element.
 * Default tolerances follow the expected values' dtype (1e-9 in float64, 1e-5 in float32).
 *
 * `pass ⇔ ∀i |aᵢ − eᵢ| ≤ atol + rtol·|eᵢ|`
 *
 * @category comparisons
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import { compare } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const r = compare(ops.tensor([1, 2.5]), [1, 2])
 * assert.strictEqual(r.pass, false)
 * assert.ok(r.message.includes('element [1]'))
 * ```
 */
export const compare = (actual: Tree | NestedArray, expected: Tree | NestedArray, tol: Tolerance = {}): Comparison => {
  const isLeaf = (u: unknown): boolean => isTensor(u) || typeof u === 'number' || (Array.isArray(u) && (u.length === 0 || typeof u[0] === 'number' || Array.isArray(u[0])) && !(u as unknown[]).some(isTensor))
  if (isLeaf(actual) && isLeaf(expected)) return compareTensors(asTensor(actual as Tensor), asTensor(expected as Tensor), tol, '')
  const pa = paths(actual as Tree)
  const pe = paths(expected as Tree)
  if (pa.join('|') !== pe.join('|')) {
    return { pass: false, message: `allClose: tree structures differ: actual leaves [${pa.join(', ')}], expected [${pe.join(', ')}]` }
  }
  const la = leaves(actual as Tree)
  const le = leaves(expected as Tree)
  let worst: Comparison | undefined
  le.forEach((e, i) => {
    const c = compareTensors(la[i], e, tol, pe[i] || '(root)')
    if (!c.pass && worst === undefined) worst = c
  })
  return worst ?? { pass: true, message: `allClose: ${le.length} leaves within tolerance` }
}

/**
 * Throws an `Error` with `compare`'s message unless the values are close: use it inside
 * fast-check properties and tests.
 *
 * @category comparisons
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import { allClose } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * allClose(ops.add(ops.tensor([0.1], 'float64'), 0.2), [0.3])
 * assert.throws(() => allClose(ops.tensor([1]), [1.1]), /element \[0\]/)
 * ```
 */
export const allClose = (actual: Tree | NestedArray, expected: Tree | NestedArray, tol: Tolerance = {}): void => {
  const c = compare(actual, expected, tol)
  if (!c.pass) throw new Error(c.message)
}

/**
 * What a vitest/jest matcher returns.
 *
 * @category comparisons
 * @since 0.1.0
 */
export interface MatcherResult {
  /** Whether the assertion holds. */
  readonly pass: boolean
  /** The message shown when it does not. */
  readonly message: () => string
}

/**
 * A vitest/jest matcher: `expect(actual).toBeAllClose(expected, { rtol, atol })`. Register
 * it with `expect.extend(matchers)`.
 *
 * @category comparisons
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import { matchers } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const r = matchers.toBeAllClose(ops.tensor([1, 2]), [1, 2])
 * assert.strictEqual(r.pass, true)
 * ```
 */
export const matchers = {
  /** Passes when `compare(actual, expected, tol)` passes. */
  toBeAllClose: (actual: unknown, expected: Tree | NestedArray, tol: Tolerance = {}): MatcherResult => {
    const c = compare(actual as Tree, expected, tol)
    return { pass: c.pass, message: () => c.message }
  },
}

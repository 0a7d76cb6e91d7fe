/**
 * Law checkers for users' own functions, usable inside any fast-check property (they
 * throw an `Error` describing the violation, which fast-check reports with the shrunk
 * counterexample).
 *
 * - `checkGrads`: JVP against central finite differences, VJP against JVP (adjointness),
 *   up to second order;
 * - `checkLinear`: `f(a x + b y) = a f(x) + b f(y)`;
 * - `checkAdjoint`: `⟨L x, y⟩ = ⟨x, Lᵀ y⟩`;
 * - `checkInvariant`: `f(g(x)) = f(x)`;
 * - `checkEquivariant`: `f(g(x)) = h(f(x))`.
 *
 * @module
 */
import { jvp, vjp } from '../ad/transforms.js'
import { add, mul, sub, div } from '../ops/elementwise.js'
import { concat, reshape } from '../ops/layout.js'
import { normal, split, key as makeKey, type Key } from '../random/index.js'
import type { Tensor } from '../tensor/Tensor.js'
import { compare, type Tolerance } from './compare.js'

const inner = (a: Tensor, b: Tensor): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i]
  return s
}
const absInner = (a: Tensor, b: Tensor): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] * b.data[i])
  return s
}
const fail = (what: string, detail: string): never => {
  throw new Error(`${what}: ${detail}`)
}
const close = (what: string, actual: Tensor, expected: Tensor, tol: Tolerance): void => {
  const c = compare(actual, expected, tol)
  if (!c.pass) fail(what, c.message)
}

/**
 * Options of `checkGrads`.
 *
 * @category checkers
 * @since 0.1.0
 */
export interface CheckGradsOptions extends Tolerance {
  /** Highest order to check: 1, or 2 (the derivative of the JVP as well). Default 1. */
  readonly order?: 1 | 2
  /** `'fwd'`: JVP against finite differences; `'rev'`: VJP against JVP. Default both. */
  readonly modes?: ReadonlyArray<'fwd' | 'rev'>
  /** Finite-difference step (default 1e-6 in float64, 1e-3 in float32). */
  readonly eps?: number
  /** How many random directions to try (default 2). */
  readonly directions?: number
  /** Key for the random directions (default `key(0)`). */
  readonly key?: Key
}

const randomLike = (k: Key, xs: ReadonlyArray<Tensor>): Tensor[] => {
  const ks = split(k, xs.length + 1)
  return xs.map((x, i) => normal(ks[i], x.shape, { dtype: x.dtype }))
}

/**
 * Checks the derivatives of `f` at `args`: the JVP against central finite differences
 * (`'fwd'`) and the VJP against the JVP (`'rev'`, `⟨J t, c⟩ = ⟨t, Jᵀ c⟩`), along random
 * directions; with `order: 2`, the same for the maps `x ↦ J_f(x) t` and `x ↦ J_f(x)ᵀ c`
 * (so that derivatives of derivatives, in either mode, are right too). Throws an `Error`
 * naming the check, the order and the worst element on failure. Use float64 inputs (finite
 * differences in float32 are only good to about 1e-2).
 *
 * `J_f(x) t ≈ (f(x + εt) − f(x − εt)) / 2ε`, `⟨J t, c⟩ = ⟨t, Jᵀ c⟩`
 *
 * @category checkers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, customVjp } from 'dendrite'
 * import { checkGrads } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([0.3, -1.2], 'float64')
 * checkGrads((y: ops.Tensor) => ops.tanh(ops.mul(y, y)), [x], { order: 2 })
 * // a custom VJP with a wrong sign is caught
 * const bad = customVjp((y: ops.Tensor) => ops.sin(y), (y: ops.Tensor) => [ops.sin(y), y] as const, (y, ct) => [ops.mul(ct, ops.neg(ops.cos(y)))])
 * assert.throws(() => checkGrads(bad, [x]), /reverse mode/)
 * ```
 */
export const checkGrads = (f: (...xs: Tensor[]) => Tensor, args: ReadonlyArray<Tensor>, options: CheckGradsOptions = {}): void => {
  const order = options.order ?? 1
  const modes = options.modes ?? ['fwd', 'rev']
  const f32 = args.some((a) => a.dtype === 'float32')
  const eps = options.eps ?? (f32 ? 1e-3 : 1e-6)
  const tol: Tolerance = { rtol: options.rtol ?? (f32 ? 2e-2 : 1e-6), atol: options.atol ?? (f32 ? 2e-2 : 1e-6) }
  let k = options.key ?? makeKey(0)
  const check = (g: (...xs: Tensor[]) => Tensor, xs: ReadonlyArray<Tensor>, level: number): void => {
    for (let d = 0; d < (options.directions ?? 2); d++) {
      const [k1, k2, k3] = split(k, 3)
      k = k3
      const ts = randomLike(k1, xs)
      const [y, jt] = jvp(g)(xs, ts) as [Tensor, Tensor]
      if (modes.includes('fwd')) {
        const plus = g(...xs.map((x, i) => add(x, mul(ts[i], eps))))
        const minus = g(...xs.map((x, i) => sub(x, mul(ts[i], eps))))
        close(`checkGrads: forward mode (order ${level}) disagrees with finite differences`, jt, div(sub(plus, minus), 2 * eps), tol)
      }
      if (modes.includes('rev')) {
        const c = normal(k2, y.shape, { dtype: y.dtype })
        const gs = vjp(g)(...xs)[1](c) as Tensor[]
        const lhs = inner(jt, c)
        const rhs = gs.reduce((s, gi, i) => s + inner(ts[i], gi), 0)
        const scale = absInner(jt, c) + gs.reduce((s, gi, i) => s + absInner(ts[i], gi), 0)
        const rtol = f32 ? 1e-4 : 1e-9
        if (!(Math.abs(lhs - rhs) <= rtol * (1 + scale))) {
          fail(`checkGrads: reverse mode (order ${level}) is not the adjoint of forward mode`, `⟨J t, c⟩ = ${lhs} but ⟨t, Jᵀ c⟩ = ${rhs} (difference ${Math.abs(lhs - rhs)})`)
        }
      }
    }
  }
  check(f, args, 1)
  if (order >= 2) {
    const [kt, kc, kn] = split(k, 3)
    k = kn
    // second order: the derivative maps themselves, x ↦ J(x) t and x ↦ J(x)ᵀ c, must be
    // differentiated correctly (forward over forward, and over reverse)
    const ts = randomLike(kt, args)
    check((...xs: Tensor[]) => jvp(f)(xs, ts)[1] as Tensor, args, 2)
    const y = f(...args)
    const c = normal(kc, y.shape, { dtype: y.dtype })
    check((...xs: Tensor[]) => concat((vjp(f)(...xs)[1](c) as Tensor[]).map((g) => reshape(g, [-1])), 0), args, 2)
  }
}

/**
 * Checks that `f` is linear at the given points: `f(a x + b y) = a f(x) + b f(y)` (default
 * `a = 2`, `b = −3`), which also forces `f(0) = 0`.
 *
 * @category checkers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import { checkLinear } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([1, 2], 'float64')
 * const y = ops.tensor([-1, 4], 'float64')
 * checkLinear((v: ops.Tensor) => ops.cumsum(v), x, y)
 * assert.throws(() => checkLinear((v: ops.Tensor) => ops.square(v), x, y), /not linear/)
 * ```
 */
export const checkLinear = (
  f: (x: Tensor) => Tensor, x: Tensor, y: Tensor, options: Tolerance & { readonly a?: number; readonly b?: number } = {},
): void => {
  const a = options.a ?? 2
  const b = options.b ?? -3
  close(`checkLinear: f is not linear (a = ${a}, b = ${b})`, f(add(mul(x, a), mul(y, b))), add(mul(f(x), a), mul(f(y), b)), options)
}

/**
 * Checks that `transpose` is the adjoint of the linear map `linear` at the given points:
 * `⟨L x, y⟩ = ⟨x, Lᵀ y⟩`, to `rtol` (default 1e-9) of the size of the terms.
 *
 * @category checkers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import { checkAdjoint } from 'dendrite/testing'
 * const A = ops.tensor([[1, 2, 3], [4, 5, 6]], 'float64')
 * checkAdjoint((v: ops.Tensor) => ops.matmul(A, v), (w: ops.Tensor) => ops.matmul(ops.transpose(A), w),
 *   ops.tensor([1, 0, -1], 'float64'), ops.tensor([2, 3], 'float64'))
 * ```
 */
export const checkAdjoint = (
  linear: (x: Tensor) => Tensor, transpose: (y: Tensor) => Tensor, x: Tensor, y: Tensor, options: { readonly rtol?: number } = {},
): void => {
  const lx = linear(x)
  const ty = transpose(y)
  if (lx.data.length !== y.data.length || ty.data.length !== x.data.length) {
    fail('checkAdjoint: shapes do not match', `L x has shape [${lx.shape.join(',')}] for y [${y.shape.join(',')}]; Lᵀ y has shape [${ty.shape.join(',')}] for x [${x.shape.join(',')}]`)
  }
  const lhs = inner(lx, y)
  const rhs = inner(x, ty)
  const scale = absInner(lx, y) + absInner(x, ty)
  if (!(Math.abs(lhs - rhs) <= (options.rtol ?? 1e-9) * (1 + scale))) {
    fail('checkAdjoint: transpose is not the adjoint', `⟨L x, y⟩ = ${lhs} but ⟨x, Lᵀ y⟩ = ${rhs}`)
  }
}

/**
 * Checks an invariance: `f(g(x)) = f(x)` (for example softmax under a constant shift).
 *
 * @category checkers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import { checkInvariant } from 'dendrite/testing'
 * const x = ops.tensor([1, 2, 3], 'float64')
 * checkInvariant((v: ops.Tensor) => ops.softmax(v), (v: ops.Tensor) => ops.add(v, 100), x, { rtol: 1e-12, atol: 1e-15 })
 * ```
 */
export const checkInvariant = (f: (x: Tensor) => Tensor, g: (x: Tensor) => Tensor, x: Tensor, tol: Tolerance = {}): void =>
  close('checkInvariant: f(g(x)) ≠ f(x)', f(g(x)), f(x), tol)

/**
 * Checks an equivariance: `f(g(x)) = h(f(x))` (for example attention under a permutation
 * of the sequence: permuting the inputs permutes the outputs).
 *
 * @category checkers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import { checkEquivariant } from 'dendrite/testing'
 * const x = ops.tensor([[1, 2], [3, 4], [5, 0]], 'float64')
 * const rowSoftmax = (v: ops.Tensor) => ops.softmax(v, 1)
 * const swapRows = (v: ops.Tensor) => ops.take(v, [2, 0, 1], 0)
 * checkEquivariant(rowSoftmax, swapRows, swapRows, x)
 * ```
 */
export const checkEquivariant = (
  f: (x: Tensor) => Tensor, g: (x: Tensor) => Tensor, h: (y: Tensor) => Tensor, x: Tensor, tol: Tolerance = {},
): void => close('checkEquivariant: f(g(x)) ≠ h(f(x))', f(g(x)), h(f(x)), tol)

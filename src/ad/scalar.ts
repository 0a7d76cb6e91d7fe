/**
 * Forward-mode dual numbers on scalars: the derivative table of the notes, one rule per
 * elementary function.
 *
 * A dual number `a + bε` (with `ε² = 0`) carries a primal `re = a` and a tangent `eps = b`.
 * Every elementary function extends to duals by its derivative:
 * `f(a + bε) = f(a) + f′(a) b ε`, so evaluating `f` at the variable `x + 1ε` yields
 * `f(x) + f′(x) ε`.
 *
 * A function is written once, generically against an `Elementary<A>` instance
 * (`<A>(F: Elementary<A>) => (x: A) => A`, the type `Scalar`), and then evaluated on numbers
 * (`ElementaryNumber`) or on duals (`ElementaryDual`). `Dual<A>` is generic in its
 * components and `elementaryDual(base)` lifts any `Elementary<A>` to `Elementary<Dual<A>>`,
 * so duals of duals (hyper-dual numbers) give second derivatives, and so on.
 *
 * One variable, no tags: a function given to `derivative` or `diff` must not capture a
 * value of an enclosing differentiation (as in `d/dx (x · d/dy (x + y))`); the two
 * tangents would be confused (TypeScript does not catch it: nested uses of `Scalar` share
 * its type parameter). Nesting `diff` for higher derivatives of one variable is safe. For
 * functions of tensors, closures and nesting, use the tensor transformations (`grad`, `jvp`),
 * which keep one level per transformation.
 *
 * Laws (checked in `laws/derivatives.law.ts`):
 * - `f(ElementaryDual)(variable(x)) = dual(f(ElementaryNumber)(x), derivative(f)(x))`;
 * - the table: `(xⁿ)′ = n xⁿ⁻¹`, `(eˣ)′ = eˣ`, `(aˣ)′ = aˣ ln a`, `(ln x)′ = 1/x`,
 *   `(sin)′ = cos`, `(cos)′ = −sin`, `(tan)′ = 1 + tan²`, `(tanh)′ = 1 − tanh²`,
 *   `(atan)′ = 1/(1 + x²)`, `(√x)′ = 1/(2√x)`, `σ′ = σ(1 − σ)`, `(|x|)′ = sign x`;
 * - product, quotient and chain rules: `(fg)′ = f′g + fg′`, `(f/g)′ = (f′g − fg′)/g²`,
 *   `(f ∘ g)′ = (f′ ∘ g) g′`;
 * - `derivative(f)(x) ≈ (f(x + h) − f(x − h)) / 2h`;
 * - `secondDerivative(f) = derivative(diff(f))`, e.g. `sin″ = −sin`, `(xⁿ)″ = n(n − 1)xⁿ⁻²`;
 * - `(ElementaryDual, add, mul)` is a commutative ring with `ε² = 0`; `div(x, y)` is the
 *   inverse of multiplication when `y.re ≠ 0`.
 *
 * @module
 */
import type { Field } from 'fp-ts/lib/Field.js'
import { Field as fpNumberField } from 'fp-ts/lib/number.js'
import { DomainError } from '../errors.js'

// ---------------------------------------------------------------------------------------
// model

/**
 * A dual number `re + eps·ε` with `ε² = 0`: a primal value and a tangent. The components
 * are numbers by default, or duals themselves (nesting gives higher derivatives).
 *
 * @category model
 * @since 0.1.0
 */
export interface Dual<A = number> {
  /** The primal part: the value. */
  readonly re: A
  /** The tangent part: the coefficient of ε, the derivative carried along. */
  readonly eps: A
}

/**
 * A field with the elementary functions of analysis: what a scalar function needs to be
 * written once and evaluated on numbers or differentiated on duals.
 *
 * Domains are those of `Math`: outside them the number instance returns `NaN` (or ±∞),
 * and the dual instance does the same in its primal and tangent.
 *
 * @category model
 * @since 0.1.0
 */
export interface Elementary<A> extends Field<A> {
  /** Embeds a constant: `fromNumber(c)` (a dual with zero tangent). */
  readonly fromNumber: (c: number) => A
  /** Negation `−x`. */
  readonly neg: (x: A) => A
  /** The exponential `eˣ`. */
  readonly exp: (x: A) => A
  /** `eˣ − 1`, accurate near 0. */
  readonly expm1: (x: A) => A
  /** The natural logarithm `ln x` (for `x > 0`). */
  readonly log: (x: A) => A
  /** `ln(1 + x)`, accurate near 0 (for `x > −1`). */
  readonly log1p: (x: A) => A
  /** The square root `√x` (for `x ≥ 0`; the derivative needs `x > 0`). */
  readonly sqrt: (x: A) => A
  /** `xⁿ` for a constant real exponent `n` (for `x > 0` unless `n` is an integer). */
  readonly pow: (x: A, n: number) => A
  /** `aˣ` for a constant base `a > 0`. */
  readonly expBase: (a: number, x: A) => A
  /** The sine. */
  readonly sin: (x: A) => A
  /** The cosine. */
  readonly cos: (x: A) => A
  /** The tangent (for `cos x ≠ 0`). */
  readonly tan: (x: A) => A
  /** The arcsine (for `|x| ≤ 1`; the derivative needs `|x| < 1`). */
  readonly asin: (x: A) => A
  /** The arccosine (for `|x| ≤ 1`; the derivative needs `|x| < 1`). */
  readonly acos: (x: A) => A
  /** The arctangent. */
  readonly atan: (x: A) => A
  /** The hyperbolic sine. */
  readonly sinh: (x: A) => A
  /** The hyperbolic cosine. */
  readonly cosh: (x: A) => A
  /** The hyperbolic tangent. */
  readonly tanh: (x: A) => A
  /** The logistic sigmoid `1 / (1 + e^{−x})`, computed without overflow. */
  readonly sigmoid: (x: A) => A
  /** The softplus `ln(1 + eˣ)`, computed without overflow. */
  readonly softplus: (x: A) => A
  /** The absolute value `|x|` (derivative `sign x`, 0 at 0). */
  readonly abs: (x: A) => A
  /** The sign `−1, 0, 1` (a constant: its derivative is 0). */
  readonly sign: (x: A) => A
}

/**
 * A scalar function written once for every `Elementary` instance, so that it can be
 * evaluated on numbers and differentiated on duals (of any nesting depth).
 *
 * @category model
 * @since 0.1.0
 */
export type Scalar = <A>(F: Elementary<A>) => (x: A) => A

// ---------------------------------------------------------------------------------------
// constructors

/**
 * A dual number from its primal and its tangent (default 0 for numbers).
 *
 * `dual(a, b) = a + bε`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(scalar.dual(3, 1), { re: 3, eps: 1 })
 * assert.deepStrictEqual(scalar.dual(3), { re: 3, eps: 0 })
 * ```
 */
export const dual: {
  (re: number, eps?: number): Dual
  <A>(re: A, eps: A): Dual<A>
} = <A>(re: A, eps: A = 0 as A): Dual<A> => ({ re, eps })

/**
 * The variable of differentiation at `x`: tangent 1.
 *
 * `variable(x) = x + 1ε`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * const D = scalar.ElementaryDual
 * const x = scalar.variable(3)
 * assert.deepStrictEqual(D.mul(x, x), { re: 9, eps: 6 })
 * ```
 */
export const variable = (x: number): Dual => ({ re: x, eps: 1 })

/**
 * A constant: tangent 0.
 *
 * `constant(c) = c + 0ε`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * const D = scalar.ElementaryDual
 * assert.deepStrictEqual(D.mul(scalar.constant(2), scalar.variable(3)), { re: 6, eps: 2 })
 * ```
 */
export const constant = (c: number): Dual => ({ re: c, eps: 0 })

// ---------------------------------------------------------------------------------------
// instances

/**
 * The field of numbers (IEEE doubles), as fp-ts's `number.Field` except for `mod`.
 *
 * `degree` and `mod` are the trivial ones of a field seen as a Euclidean ring:
 * `degree(x) = 1` and `mod(x, y) = 0`, so that `x = div(x, y)·y + mod(x, y)` (within
 * rounding). fp-ts's `number.Field` uses the remainder `%` for `mod`, which does not fit
 * its true division `div`; we keep the Euclidean law instead.
 *
 * @category instances
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * const F = scalar.FieldNumber
 * assert.strictEqual(F.add(F.mul(F.div(7, 2), 2), F.mod(7, 2)), 7)
 * ```
 */
export const FieldNumber: Field<number> = {
  add: fpNumberField.add,
  zero: 0,
  mul: fpNumberField.mul,
  one: 1,
  sub: fpNumberField.sub,
  degree: () => 1,
  div: fpNumberField.div,
  mod: () => 0,
}

const sigmoidN = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/**
 * The elementary functions on numbers: `Math`, with a stable sigmoid and softplus.
 *
 * @category instances
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * const f = <A>(F: scalar.Elementary<A>) => (x: A) => F.mul(x, F.sin(x))
 * assert.strictEqual(f(scalar.ElementaryNumber)(0), 0)
 * assert.strictEqual(scalar.ElementaryNumber.sigmoid(-1e4), 0)
 * ```
 */
export const ElementaryNumber: Elementary<number> = {
  ...FieldNumber,
  fromNumber: (c) => c,
  neg: (x) => -x,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  pow: Math.pow,
  expBase: Math.pow,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  sigmoid: sigmoidN,
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
}

/**
 * Lifts elementary functions on `A` to duals over `A`, by the rule
 * `f(a + bε) = f(a) + f′(a) b ε` with `f′` written in `base`. Nesting
 * (`elementaryDual(elementaryDual(ElementaryNumber))`) gives hyper-dual numbers, whose
 * `eps.eps` part is the second derivative.
 *
 * `degree` and `mod` are the trivial ones of a field (`degree(x) = 1`, `mod(x, y) = 0`).
 * Duals are a ring rather than a field (`ε² = 0`, so `ε` has no inverse): `div(x, y)` is
 * defined when the primal of `y` is invertible.
 *
 * `(a + a′ε)(b + b′ε) = ab + (a′b + ab′)ε`, `(a + a′ε)/(b + b′ε) = a/b + ((a′ − (a/b) b′)/b)ε`
 *
 * @category instances
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * const DD = scalar.elementaryDual(scalar.ElementaryDual)
 * // x = 3 + ε₁ + ε₂ (+ 0ε₁ε₂): x³ = 27 + 27ε₁ + 27ε₂ + 18ε₁ε₂
 * const x = scalar.dual(scalar.variable(3), scalar.dual(1, 0))
 * assert.deepStrictEqual(DD.pow(x, 3), scalar.dual(scalar.dual(27, 27), scalar.dual(27, 18)))
 * ```
 */
export const elementaryDual = <A>(B: Elementary<A>): Elementary<Dual<A>> => {
  const d = (re: A, eps: A): Dual<A> => ({ re, eps })
  const zero = d(B.zero, B.zero)
  const one = d(B.one, B.zero)
  // f(a + bε) = f(a) + f′(a)·b ε
  const chain = (y: A, dy: A, t: A): Dual<A> => d(y, B.mul(dy, t))
  return {
    zero,
    one,
    add: (x, y) => d(B.add(x.re, y.re), B.add(x.eps, y.eps)),
    sub: (x, y) => d(B.sub(x.re, y.re), B.sub(x.eps, y.eps)),
    mul: (x, y) => d(B.mul(x.re, y.re), B.add(B.mul(x.eps, y.re), B.mul(x.re, y.eps))),
    div: (x, y) => {
      const q = B.div(x.re, y.re)
      return d(q, B.div(B.sub(x.eps, B.mul(q, y.eps)), y.re))
    },
    degree: () => 1,
    mod: () => zero,
    fromNumber: (c) => d(B.fromNumber(c), B.zero),
    neg: (x) => d(B.neg(x.re), B.neg(x.eps)),
    exp: (x) => {
      const y = B.exp(x.re)
      return chain(y, y, x.eps)
    },
    expm1: (x) => chain(B.expm1(x.re), B.exp(x.re), x.eps),
    log: (x) => d(B.log(x.re), B.div(x.eps, x.re)),
    log1p: (x) => d(B.log1p(x.re), B.div(x.eps, B.add(B.one, x.re))),
    sqrt: (x) => {
      const y = B.sqrt(x.re)
      return d(y, B.div(x.eps, B.add(y, y)))
    },
    // n = 0 is the constant 1 (its derivative 0·x⁻¹ would be NaN at x = 0)
    pow: (x, n) => (n === 0 ? one : chain(B.pow(x.re, n), B.mul(B.fromNumber(n), B.pow(x.re, n - 1)), x.eps)),
    expBase: (a, x) => {
      const y = B.expBase(a, x.re)
      return chain(y, B.mul(y, B.fromNumber(Math.log(a))), x.eps)
    },
    sin: (x) => chain(B.sin(x.re), B.cos(x.re), x.eps),
    cos: (x) => chain(B.cos(x.re), B.neg(B.sin(x.re)), x.eps),
    tan: (x) => {
      const y = B.tan(x.re)
      return chain(y, B.add(B.one, B.mul(y, y)), x.eps)
    },
    asin: (x) => d(B.asin(x.re), B.div(x.eps, B.sqrt(B.sub(B.one, B.mul(x.re, x.re))))),
    acos: (x) => d(B.acos(x.re), B.neg(B.div(x.eps, B.sqrt(B.sub(B.one, B.mul(x.re, x.re)))))),
    atan: (x) => d(B.atan(x.re), B.div(x.eps, B.add(B.one, B.mul(x.re, x.re)))),
    sinh: (x) => chain(B.sinh(x.re), B.cosh(x.re), x.eps),
    cosh: (x) => chain(B.cosh(x.re), B.sinh(x.re), x.eps),
    tanh: (x) => {
      const y = B.tanh(x.re)
      return chain(y, B.sub(B.one, B.mul(y, y)), x.eps)
    },
    sigmoid: (x) => {
      const s = B.sigmoid(x.re)
      return chain(s, B.mul(s, B.sub(B.one, s)), x.eps)
    },
    softplus: (x) => chain(B.softplus(x.re), B.sigmoid(x.re), x.eps),
    abs: (x) => chain(B.abs(x.re), B.sign(x.re), x.eps),
    sign: (x) => d(B.sign(x.re), B.zero),
  }
}

/**
 * The elementary functions on dual numbers over numbers: forward-mode differentiation.
 *
 * @category instances
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * const D = scalar.ElementaryDual
 * assert.deepStrictEqual(D.sin(scalar.variable(0)), { re: 0, eps: 1 })
 * assert.deepStrictEqual(D.div(scalar.dual(1, 0), scalar.dual(2, 1)), { re: 0.5, eps: -0.25 })
 * ```
 */
export const ElementaryDual: Elementary<Dual> = elementaryDual(ElementaryNumber)

/**
 * The field operations of dual numbers over numbers (`ElementaryDual` seen as a `Field`).
 * `degree` and `mod` are the trivial ones of a field (`degree(x) = 1`, `mod(x, y) = 0`);
 * `div(x, y)` needs `y.re ≠ 0` (duals are a ring: `ε² = 0`).
 *
 * `(a + a′ε) + (b + b′ε) = (a + b) + (a′ + b′)ε`, `(a + a′ε)(b + b′ε) = ab + (a′b + ab′)ε`
 *
 * @category instances
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * const F = scalar.FieldDual
 * const eps = scalar.dual(0, 1)
 * assert.deepStrictEqual(F.mul(eps, eps), { re: 0, eps: 0 })
 * assert.deepStrictEqual(F.add(F.one, eps), { re: 1, eps: 1 })
 * ```
 */
export const FieldDual: Field<Dual> = ElementaryDual

// ---------------------------------------------------------------------------------------
// derivatives

/**
 * The derivative as a generic function again: `diff(f)` is a `Scalar`, so it can be
 * evaluated on numbers, or differentiated once more (on duals of duals).
 *
 * `diff(f)(F)(x) = eps(f(elementaryDual(F))(x + 1ε))`
 *
 * @category derivatives
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * const cube: scalar.Scalar = (F) => (x) => F.pow(x, 3)
 * const d = scalar.diff(cube) // 3x²
 * assert.strictEqual(d(scalar.ElementaryNumber)(2), 12)
 * assert.strictEqual(scalar.derivative(d)(2), 12) // 6x
 * ```
 */
export const diff =
  (f: Scalar): Scalar =>
  <A>(F: Elementary<A>) => {
    const g = f(elementaryDual(F))
    return (x: A) => g({ re: x, eps: F.one }).eps
  }

/**
 * The derivative of a generic scalar function at a number, by forward mode: the tangent
 * of `f` at the variable `x + 1ε`. The function is written against `Elementary<A>` (not
 * against `Dual` directly) so that the same code also evaluates on numbers and nests for
 * higher derivatives.
 *
 * `derivative(f)(x) = f′(x)`
 *
 * @category derivatives
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(scalar.derivative((F) => (x) => F.mul(x, x))(3), 6)
 * // (x sin x)′ = sin x + x cos x
 * assert.strictEqual(scalar.derivative((F) => (x) => F.mul(x, F.sin(x)))(0), 0)
 * ```
 */
export const derivative =
  (f: Scalar) =>
  (x: number): number =>
    f(ElementaryDual)({ re: x, eps: 1 }).eps

/**
 * The value and the derivative in one forward pass.
 *
 * `valueAndDerivative(f)(x) = [f(x), f′(x)]`
 *
 * @category derivatives
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(scalar.valueAndDerivative((F) => (x) => F.exp(x))(0), [1, 1])
 * ```
 */
export const valueAndDerivative =
  (f: Scalar) =>
  (x: number): readonly [number, number] => {
    const y = f(ElementaryDual)({ re: x, eps: 1 })
    return [y.re, y.eps]
  }

/**
 * The second derivative, by nesting duals (forward over forward, hyper-dual numbers).
 *
 * `secondDerivative(f) = derivative(diff(f)) = f″`
 *
 * @category derivatives
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(scalar.secondDerivative((F) => (x) => F.pow(x, 3))(2), 12)
 * assert.strictEqual(scalar.secondDerivative((F) => (x) => F.sin(x))(Math.PI / 2), -1)
 * ```
 */
export const secondDerivative = (f: Scalar): ((x: number) => number) => derivative(diff(f))

/**
 * The n-th derivative (n ≥ 0 an integer), by nesting n duals. The cost is `2ⁿ` times an
 * evaluation of `f` (a nested dual has `2ⁿ` components), so keep n small.
 *
 * `nthDerivative(n)(f) = f⁽ⁿ⁾`
 *
 * @category derivatives
 * @since 0.1.0
 * @example
 * ```ts
 * import { scalar } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(scalar.nthDerivative(4)((F) => (x) => F.pow(x, 4))(5), 24)
 * assert.strictEqual(scalar.nthDerivative(0)((F) => (x) => F.exp(x))(0), 1)
 * ```
 */
export const nthDerivative =
  (n: number) =>
  (f: Scalar): ((x: number) => number) => {
    if (!Number.isInteger(n) || n < 0) throw new DomainError('nthDerivative', `order must be an integer ≥ 0, got ${n}`)
    let g = f
    for (let i = 0; i < n; i++) g = diff(g)
    return g(ElementaryNumber)
  }

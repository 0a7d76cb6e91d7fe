/**
 * Differentiable elementwise operations. Each primitive's value is the tensor layer's
 * loop; its rules sit next to it.
 *
 * Laws (per primitive, checked from the rule table):
 * - `d/dx f(x) = f'(x)` with `exp' = exp`, `log' = 1/x`, `sqrt' = 1/(2√x)`,
 *   `sin' = cos`, `cos' = −sin`, `tan' = 1 + tan²`, `tanh' = 1 − tanh²`,
 *   `atan' = 1/(1 + x²)`, `sigmoid' = σ(1 − σ)`, `softplus' = σ`, `relu' = [x > 0]`;
 * - product rule `d(ab) = a db + b da`, quotient rule, `d aᵇ = b aᵇ⁻¹ da + aᵇ ln a db`;
 * - broadcasting in reverse sums the cotangent over the broadcast axes;
 * - `sign`, comparisons and the condition of `where` have zero derivative.
 *
 * @module
 */
import type { Primitive, Zero } from '../ad/core.js'
import { zero } from '../ad/core.js'
import { ShapeError } from '../errors.js'
import { type Operand } from '../tensor/elementwise.js'
import type { Tensor } from '../tensor/Tensor.js'
import { addTangents, call, nondiff, T } from './prim.js'
import { broadcastTo, unbroadcast } from './layout.js'

// ---------------------------------------------------------------------------------------
// unary

type Unary = Exclude<keyof typeof unaryDerivs, never>

/** Derivative of each unary primitive, from its input `x` and output `y`. */
const unaryDerivs = {
  neg: undefined,
  exp: (_x: Tensor, y: Tensor) => y,
  log: (x: Tensor) => reciprocal(x),
  log1p: (x: Tensor) => reciprocal(add(x, 1)),
  expm1: (_x: Tensor, y: Tensor) => add(y, 1),
  sqrt: (_x: Tensor, y: Tensor) => div(0.5, y),
  abs: (x: Tensor) => sign(x),
  sin: (x: Tensor) => cos(x),
  cos: (x: Tensor) => neg(sin(x)),
  tan: (_x: Tensor, y: Tensor) => add(square(y), 1),
  tanh: (_x: Tensor, y: Tensor) => sub(1, square(y)),
  atan: (x: Tensor) => reciprocal(add(square(x), 1)),
  sigmoid: (_x: Tensor, y: Tensor) => mul(y, sub(1, y)),
  softplus: (x: Tensor) => sigmoid(x),
  relu: (x: Tensor) => greater(x, 0),
  square: (x: Tensor) => mul(x, 2),
  reciprocal: (_x: Tensor, y: Tensor) => neg(square(y)),
} as const

const unaryPrim = (name: Unary): Primitive<null> => {
  const impl = T[name] as (x: Tensor) => Tensor
  const d = unaryDerivs[name]
  if (d === undefined) {
    // neg is linear: its own tangent map and transpose
    return { name, impl: ([x]) => impl(x), jvp: (_, [t]) => neg(t as Tensor), vjp: (ct) => [neg(ct)] }
  }
  return {
    name,
    impl: ([x]) => impl(x),
    jvp: ([x], [t], y) => mul(t as Tensor, d(x, y)),
    vjp: (ct, [x], y) => [mul(ct, d(x, y))],
  }
}

/** @internal The unary primitives. */
export const unaryPrims = {
  neg: unaryPrim('neg'), exp: unaryPrim('exp'), log: unaryPrim('log'), log1p: unaryPrim('log1p'),
  expm1: unaryPrim('expm1'), sqrt: unaryPrim('sqrt'), abs: unaryPrim('abs'), sin: unaryPrim('sin'),
  cos: unaryPrim('cos'), tan: unaryPrim('tan'), tanh: unaryPrim('tanh'), atan: unaryPrim('atan'),
  sigmoid: unaryPrim('sigmoid'), softplus: unaryPrim('softplus'), relu: unaryPrim('relu'),
  square: unaryPrim('square'), reciprocal: unaryPrim('reciprocal'),
  sign: nondiff<null>('sign', ([x]) => T.sign(x), 1),
} as const

/**
 * Negation.
 *
 * `neg(x) = −x`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.neg(ops.tensor([1, -2]))), [-1, 2])
 * ```
 */
export const neg = (x: Tensor): Tensor => call(unaryPrims.neg, [x], null)
/**
 * The exponential.
 *
 * `exp(x) = eˣ`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.exp(ops.tensor([0]))), [1])
 * ```
 */
export const exp = (x: Tensor): Tensor => call(unaryPrims.exp, [x], null)
/**
 * The natural logarithm (NaN below 0, −∞ at 0, as IEEE).
 *
 * `log(eˣ) = x`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.log(ops.tensor([1]))), [0])
 * ```
 */
export const log = (x: Tensor): Tensor => call(unaryPrims.log, [x], null)
/**
 * `log(1 + x)`, accurate for small |x|.
 *
 * `log1p(x) = log(1 + x)`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.log1p(ops.tensor([0]))), [0])
 * ```
 */
export const log1p = (x: Tensor): Tensor => call(unaryPrims.log1p, [x], null)
/**
 * `eˣ − 1`, accurate for small |x|.
 *
 * `expm1(x) = eˣ − 1`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.expm1(ops.tensor([0]))), [0])
 * ```
 */
export const expm1 = (x: Tensor): Tensor => call(unaryPrims.expm1, [x], null)
/**
 * The square root.
 *
 * `sqrt(x)² = x` for x ≥ 0
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.sqrt(ops.tensor([4, 9]))), [2, 3])
 * ```
 */
export const sqrt = (x: Tensor): Tensor => call(unaryPrims.sqrt, [x], null)
/**
 * The absolute value.
 *
 * `abs(x) = max(x, −x)`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.abs(ops.tensor([-3, 2]))), [3, 2])
 * ```
 */
export const abs = (x: Tensor): Tensor => call(unaryPrims.abs, [x], null)
/**
 * The sign: −1, 0 or 1 (NaN stays NaN). Its derivative is zero.
 *
 * `sign(x) = x / |x|`, `sign(0) = 0`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.sign(ops.tensor([-3, 0, 2]))), [-1, 0, 1])
 * ```
 */
export const sign = (x: Tensor): Tensor => call(unaryPrims.sign, [x], null)
/**
 * The sine.
 *
 * `sin(x)`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.sin(ops.tensor([0]))), [0])
 * ```
 */
export const sin = (x: Tensor): Tensor => call(unaryPrims.sin, [x], null)
/**
 * The cosine.
 *
 * `cos(x)`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.cos(ops.tensor([0]))), [1])
 * ```
 */
export const cos = (x: Tensor): Tensor => call(unaryPrims.cos, [x], null)
/**
 * The tangent.
 *
 * `tan(x) = sin(x) / cos(x)`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.tan(ops.tensor([0]))), [0])
 * ```
 */
export const tan = (x: Tensor): Tensor => call(unaryPrims.tan, [x], null)
/**
 * The hyperbolic tangent.
 *
 * `tanh(x) = (eˣ − e^{−x}) / (eˣ + e^{−x})`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.tanh(ops.tensor([0]))), [0])
 * ```
 */
export const tanh = (x: Tensor): Tensor => call(unaryPrims.tanh, [x], null)
/**
 * The arctangent, in (−π/2, π/2).
 *
 * `atan(tan(x)) = x` for |x| < π/2
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.atan(ops.tensor([0]))), [0])
 * ```
 */
export const atan = (x: Tensor): Tensor => call(unaryPrims.atan, [x], null)
/**
 * The logistic function, computed stably (no overflow for any finite input).
 *
 * `sigmoid(x) = 1 / (1 + e^{−x})`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.sigmoid(ops.tensor([0, 1e4, -1e4]))), [0.5, 1, 0])
 * ```
 */
export const sigmoid = (x: Tensor): Tensor => call(unaryPrims.sigmoid, [x], null)
/**
 * The softplus, computed stably as `max(x, 0) + log1p(e^{−|x|})`.
 *
 * `softplus(x) = log(1 + eˣ)`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.softplus(ops.tensor([0, 1e4, -1e4]))), [Math.fround(Math.LN2), 1e4, 0])
 * ```
 */
export const softplus = (x: Tensor): Tensor => call(unaryPrims.softplus, [x], null)
/**
 * The rectified linear unit.
 *
 * `relu(x) = max(x, 0)`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.relu(ops.tensor([-1, 2]))), [0, 2])
 * ```
 */
export const relu = (x: Tensor): Tensor => call(unaryPrims.relu, [x], null)
/**
 * The square.
 *
 * `square(x) = x²`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.square(ops.tensor([-3]))), [9])
 * ```
 */
export const square = (x: Tensor): Tensor => call(unaryPrims.square, [x], null)
/**
 * The reciprocal.
 *
 * `reciprocal(x) = 1 / x`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.reciprocal(ops.tensor([4]))), [0.25])
 * ```
 */
export const reciprocal = (x: Tensor): Tensor => call(unaryPrims.reciprocal, [x], null)

// ---------------------------------------------------------------------------------------
// binary, with broadcasting

const lift = (a: Operand, b: Operand): [Tensor, Tensor] => {
  if (typeof a === 'number' && typeof b === 'number') return [T.scalar(a), T.scalar(b)]
  if (typeof a === 'number') return [T.scalar(a, (b as Tensor).dtype), b as Tensor]
  if (typeof b === 'number') return [a, T.scalar(b, a.dtype)]
  return [a, b]
}

/** Tangent of an operand seen in the output's shape. */
const inShape = (t: Tensor | Zero, y: Tensor): Tensor | Zero => (t === zero ? zero : broadcastTo(t as Tensor, y.shape))
const sumT = (a: Tensor | Zero, b: Tensor | Zero): Tensor | Zero => addTangents(a, b, add)
const scaleT = (t: Tensor | Zero, f: () => Tensor): Tensor | Zero => (t === zero ? zero : mul(t as Tensor, f()))

/** Masks for maximum/minimum: ties split the derivative equally (as JAX). */
const pickMask = (a: Tensor, b: Tensor, first: (a: Tensor, b: Tensor) => Tensor): Tensor =>
  add(first(a, b), mul(equal(a, b), 0.5))

/** @internal The binary primitives. */
export const binaryPrims = {
  add: {
    name: 'add',
    impl: ([a, b]) => T.add(a, b),
    jvp: (_, [ta, tb], y) => sumT(inShape(ta, y), inShape(tb, y)),
    vjp: (ct, [a, b], _, __, needs) => [needs[0] ? unbroadcast(ct, a.shape) : zero, needs[1] ? unbroadcast(ct, b.shape) : zero],
  },
  sub: {
    name: 'sub',
    impl: ([a, b]) => T.sub(a, b),
    jvp: (_, [ta, tb], y) => sumT(inShape(ta, y), tb === zero ? zero : neg(inShape(tb, y) as Tensor)),
    vjp: (ct, [a, b], _, __, needs) => [needs[0] ? unbroadcast(ct, a.shape) : zero, needs[1] ? unbroadcast(neg(ct), b.shape) : zero],
  },
  mul: {
    name: 'mul',
    impl: ([a, b]) => T.mul(a, b),
    jvp: ([a, b], [ta, tb], y) => sumT(inShape(scaleT(ta, () => b), y), inShape(scaleT(tb, () => a), y)),
    vjp: (ct, [a, b], _, __, needs) => [needs[0] ? unbroadcast(mul(ct, b), a.shape) : zero, needs[1] ? unbroadcast(mul(ct, a), b.shape) : zero],
  },
  div: {
    name: 'div',
    impl: ([a, b]) => T.div(a, b),
    jvp: ([, b], [ta, tb], y) =>
      sumT(inShape(ta === zero ? zero : div(ta as Tensor, b), y), tb === zero ? zero : neg(div(mul(tb as Tensor, y), b))),
    vjp: (ct, [a, b], y, _, needs) => [needs[0] ? unbroadcast(div(ct, b), a.shape) : zero, needs[1] ? unbroadcast(neg(div(mul(ct, y), b)), b.shape) : zero],
  },
  pow: {
    name: 'pow',
    impl: ([a, b]) => T.pow(a, b),
    jvp: ([a, b], [ta, tb], y) =>
      sumT(
        inShape(scaleT(ta, () => mul(b, pow(a, sub(b, 1)))), y),
        inShape(scaleT(tb, () => powLogTerm(a, y)), y),
      ),
    vjp: (ct, [a, b], y, _, needs) => [
      needs[0] ? unbroadcast(mul(ct, mul(b, pow(a, sub(b, 1)))), a.shape) : zero,
      needs[1] ? unbroadcast(mul(ct, powLogTerm(a, y)), b.shape) : zero,
    ],
  },
  maximum: {
    name: 'maximum',
    impl: ([a, b]) => T.maximum(a, b),
    jvp: ([a, b], [ta, tb], y) => {
      const m = pickMask(a, b, greater)
      return sumT(inShape(scaleT(ta, () => m), y), inShape(scaleT(tb, () => sub(1, m)), y))
    },
    vjp: (ct, [a, b]) => {
      const m = pickMask(a, b, greater)
      return [unbroadcast(mul(ct, m), a.shape), unbroadcast(mul(ct, sub(1, m)), b.shape)]
    },
  },
  minimum: {
    name: 'minimum',
    impl: ([a, b]) => T.minimum(a, b),
    jvp: ([a, b], [ta, tb], y) => {
      const m = pickMask(a, b, less)
      return sumT(inShape(scaleT(ta, () => m), y), inShape(scaleT(tb, () => sub(1, m)), y))
    },
    vjp: (ct, [a, b]) => {
      const m = pickMask(a, b, less)
      return [unbroadcast(mul(ct, m), a.shape), unbroadcast(mul(ct, sub(1, m)), b.shape)]
    },
  },
  equal: nondiff<null>('equal', ([a, b]) => T.equal(a, b), 2),
  notEqual: nondiff<null>('notEqual', ([a, b]) => T.notEqual(a, b), 2),
  less: nondiff<null>('less', ([a, b]) => T.less(a, b), 2),
  lessEqual: nondiff<null>('lessEqual', ([a, b]) => T.lessEqual(a, b), 2),
  greater: nondiff<null>('greater', ([a, b]) => T.greater(a, b), 2),
  greaterEqual: nondiff<null>('greaterEqual', ([a, b]) => T.greaterEqual(a, b), 2),
} satisfies Record<string, Primitive<null>>

/** `aᵇ ln a`, taken as 0 where `a = 0` (the limit used by JAX for `0ᵇ`). */
const powLogTerm = (a: Tensor, y: Tensor): Tensor => where(equal(a, 0), 0, mul(y, log(where(equal(a, 0), 1, a))))

/**
 * Elementwise sum, with broadcasting.
 *
 * `add(a, b)[i] = a[i] + b[i]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.add(ops.tensor([[1], [2]]), ops.tensor([10, 20]))), [[11, 21], [12, 22]])
 * ```
 */
export const add = (a: Operand, b: Operand): Tensor => call(binaryPrims.add, lift(a, b), null)
/**
 * Elementwise difference, with broadcasting.
 *
 * `sub(a, b)[i] = a[i] − b[i]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.sub(ops.tensor([5, 7]), 1)), [4, 6])
 * ```
 */
export const sub = (a: Operand, b: Operand): Tensor => call(binaryPrims.sub, lift(a, b), null)
/**
 * Elementwise product, with broadcasting.
 *
 * `mul(a, b)[i] = a[i] · b[i]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.mul(ops.tensor([1, 2]), ops.tensor([3, 4]))), [3, 8])
 * ```
 */
export const mul = (a: Operand, b: Operand): Tensor => call(binaryPrims.mul, lift(a, b), null)
/**
 * Elementwise quotient, with broadcasting (IEEE: `x / 0` is ±∞ or NaN).
 *
 * `div(a, b)[i] = a[i] / b[i]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.div(ops.tensor([1, 3]), 2)), [0.5, 1.5])
 * ```
 */
export const div = (a: Operand, b: Operand): Tensor => call(binaryPrims.div, lift(a, b), null)
/**
 * Elementwise power, with broadcasting.
 *
 * `pow(a, b)[i] = a[i]^{b[i]}`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.pow(ops.tensor([2, 3]), 2)), [4, 9])
 * ```
 */
export const pow = (a: Operand, b: Operand): Tensor => call(binaryPrims.pow, lift(a, b), null)
/**
 * Elementwise maximum, with broadcasting (NaN if either is NaN).
 *
 * `maximum(a, b)[i] = max(a[i], b[i])`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.maximum(ops.tensor([1, 5]), ops.tensor([3, 2]))), [3, 5])
 * ```
 */
export const maximum = (a: Operand, b: Operand): Tensor => call(binaryPrims.maximum, lift(a, b), null)
/**
 * Elementwise minimum, with broadcasting (NaN if either is NaN).
 *
 * `minimum(a, b)[i] = min(a[i], b[i])`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.minimum(ops.tensor([1, 5]), ops.tensor([3, 2]))), [1, 2])
 * ```
 */
export const minimum = (a: Operand, b: Operand): Tensor => call(binaryPrims.minimum, lift(a, b), null)
/**
 * Elementwise `a = b` as 1 or 0 (zero derivative).
 *
 * `equal(a, b)[i] = [a[i] = b[i]]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.equal(ops.tensor([1, 2]), 2)), [0, 1])
 * ```
 */
export const equal = (a: Operand, b: Operand): Tensor => call(binaryPrims.equal, lift(a, b), null)
/**
 * Elementwise `a ≠ b` as 1 or 0 (zero derivative).
 *
 * `notEqual(a, b)[i] = [a[i] ≠ b[i]]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.notEqual(ops.tensor([1, 2]), 2)), [1, 0])
 * ```
 */
export const notEqual = (a: Operand, b: Operand): Tensor => call(binaryPrims.notEqual, lift(a, b), null)
/**
 * Elementwise `a < b` as 1 or 0 (zero derivative).
 *
 * `less(a, b)[i] = [a[i] < b[i]]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.less(ops.tensor([1, 2]), 2)), [1, 0])
 * ```
 */
export const less = (a: Operand, b: Operand): Tensor => call(binaryPrims.less, lift(a, b), null)
/**
 * Elementwise `a ≤ b` as 1 or 0 (zero derivative).
 *
 * `lessEqual(a, b)[i] = [a[i] ≤ b[i]]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.lessEqual(ops.tensor([1, 2, 3]), 2)), [1, 1, 0])
 * ```
 */
export const lessEqual = (a: Operand, b: Operand): Tensor => call(binaryPrims.lessEqual, lift(a, b), null)
/**
 * Elementwise `a > b` as 1 or 0 (zero derivative).
 *
 * `greater(a, b)[i] = [a[i] > b[i]]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.greater(ops.tensor([1, 3]), 2)), [0, 1])
 * ```
 */
export const greater = (a: Operand, b: Operand): Tensor => call(binaryPrims.greater, lift(a, b), null)
/**
 * Elementwise `a ≥ b` as 1 or 0 (zero derivative).
 *
 * `greaterEqual(a, b)[i] = [a[i] ≥ b[i]]`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.greaterEqual(ops.tensor([1, 2, 3]), 2)), [0, 1, 1])
 * ```
 */
export const greaterEqual = (a: Operand, b: Operand): Tensor => call(binaryPrims.greaterEqual, lift(a, b), null)

/**
 * Limits every element to `[lo, hi]` (requires `lo ≤ hi`).
 *
 * `clip(x, lo, hi) = min(max(x, lo), hi)`
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.clip(ops.tensor([-2, 0.5, 3]), 0, 1)), [0, 0.5, 1])
 * ```
 */
export const clip = (x: Tensor, lo: Operand, hi: Operand): Tensor => {
  if (typeof lo === 'number' && typeof hi === 'number' && !(lo <= hi)) {
    throw new ShapeError('clip', `lower bound ${lo} exceeds upper bound ${hi}`, [x.shape])
  }
  return minimum(maximum(x, lo), hi)
}

/** @internal `where` as a primitive of three inputs; the condition has no derivative. */
export const wherePrim: Primitive<null> = {
  name: 'where',
  impl: ([c, a, b]) => T.where(c, a, b),
  jvp: ([c], [, ta, tb], y) =>
    ta === zero && tb === zero ? zero : broadcastTo(T_where(c, ta === zero ? 0 : (ta as Tensor), tb === zero ? 0 : (tb as Tensor)), y.shape),
  vjp: (ct, [c, a, b]) => [zero, unbroadcast(T_where(c, ct, 0), a.shape), unbroadcast(T_where(c, 0, ct), b.shape)],
}
const T_where = (c: Tensor, a: Operand, b: Operand): Tensor => where(c, a, b)

/**
 * Chooses elementwise: where `cond` is non-zero take `a`, else `b`; all three broadcast
 * together. The condition carries no derivative.
 *
 * `where(c, a, b)[i] = c[i] ≠ 0 ? a[i] : b[i]`
 *
 * When `a` and `b` are both numbers the result has the condition's dtype.
 *
 * @category elementwise
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([-1, 2, -3])
 * assert.deepStrictEqual(ops.toArray(ops.where(ops.greater(x, 0), x, 0)), [0, 2, 0])
 * ```
 */
export const where = (cond: Tensor, a: Operand, b: Operand): Tensor => {
  const [ta, tb] = typeof a === 'number' && typeof b === 'number' ? [T.scalar(a, cond.dtype), T.scalar(b, cond.dtype)] : lift(a, b)
  return call(wherePrim, [cond, ta, tb], null)
}

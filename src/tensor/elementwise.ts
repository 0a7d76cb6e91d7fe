/**
 * Elementwise maths: functions of one tensor applied to each element, and functions of
 * two tensors under NumPy broadcasting. A plain number stands for a scalar of the other
 * operand's dtype. Dtypes of two tensors must agree.
 *
 * Laws (exact in IEEE arithmetic unless noted):
 * - `add(a, b) = add(b, a)`, `mul(a, b) = mul(b, a)`;
 * - `add(a, add(b, c)) ≈ add(add(a, b), c)` (within rounding);
 * - `mul(a, add(b, c)) ≈ add(mul(a, b), mul(a, c))`;
 * - `add(a, 0) = a`, `mul(a, 1) = a`, `sub(a, a) = 0`, `div(a, a) = 1` for `a ≠ 0`;
 * - `f(a, b) = f(broadcastTo(a, s), broadcastTo(b, s))` with `s = broadcastShapes(a, b)`;
 * - `sigmoid(x) = 1 / (1 + e^{−x})` and `softplus(x) = log(1 + eˣ)`, finite for |x| ≤ 1e4;
 * - `sigmoid(−x) = 1 − sigmoid(x)`, `softplus(x) − softplus(−x) = x`;
 * - `log(exp(x)) ≈ x`, `expm1(log1p(x)) ≈ x`.
 *
 * @module
 */
import { DTypeError, ShapeError, showShape } from '../errors.js'
import { active } from '../kernels/index.js'
import type { BinaryOp, UnaryOp } from '../kernels/Kernels.js'
import { broadcastShapes, broadcastStrides } from './Shape.js'
import { alloc, make, raw, scalar, type Tensor } from './Tensor.js'

/**
 * An operand of a binary operation: a tensor, or a number standing for a scalar of the
 * other operand's dtype.
 *
 * @category model
 * @since 0.1.0
 */
export type Operand = Tensor | number

const unary = (op: UnaryOp, x: Tensor): Tensor => {
  const out = alloc(x.dtype, x.data.length)
  active().unary(op, raw(x), out)
  return make(x.dtype, x.shape, out)
}

const toTensors = (op: string, a: Operand, b: Operand): [Tensor, Tensor] => {
  if (typeof a === 'number' && typeof b === 'number') return [scalar(a), scalar(b)]
  if (typeof a === 'number') return [scalar(a, (b as Tensor).dtype), b as Tensor]
  if (typeof b === 'number') return [a, scalar(b, a.dtype)]
  if (a.dtype !== b.dtype) {
    throw new DTypeError(op, `dtypes differ: ${a.dtype} ${showShape(a.shape)} and ${b.dtype} ${showShape(b.shape)} (convert one with astype)`, [a.shape, b.shape])
  }
  return [a, b]
}

const binary = (op: BinaryOp, x: Operand, y: Operand): Tensor => {
  const [a, b] = toTensors(op, x, y)
  const shape = broadcastShapes(a.shape, b.shape, op)
  const out = alloc(a.dtype, shape.reduce((p, d) => p * d, 1))
  active().binary(op, raw(a), broadcastStrides(a.shape, shape), raw(b), broadcastStrides(b.shape, shape), shape, out)
  return make(a.dtype, shape, out)
}

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
export const neg = (x: Tensor): Tensor => unary('neg', x)

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
export const exp = (x: Tensor): Tensor => unary('exp', x)

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
export const log = (x: Tensor): Tensor => unary('log', x)

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
export const log1p = (x: Tensor): Tensor => unary('log1p', x)

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
export const expm1 = (x: Tensor): Tensor => unary('expm1', x)

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
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x)

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
export const abs = (x: Tensor): Tensor => unary('abs', x)

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
export const sign = (x: Tensor): Tensor => unary('sign', x)

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
export const sin = (x: Tensor): Tensor => unary('sin', x)

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
export const cos = (x: Tensor): Tensor => unary('cos', x)

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
export const tan = (x: Tensor): Tensor => unary('tan', x)

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
export const tanh = (x: Tensor): Tensor => unary('tanh', x)

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
export const atan = (x: Tensor): Tensor => unary('atan', x)

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
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x)

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
export const softplus = (x: Tensor): Tensor => unary('softplus', x)

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
export const relu = (x: Tensor): Tensor => unary('relu', x)

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
export const square = (x: Tensor): Tensor => unary('square', x)

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
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x)

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
export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b)

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
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b)

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
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b)

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
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b)

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
export const pow = (a: Operand, b: Operand): Tensor => binary('pow', a, b)

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
export const maximum = (a: Operand, b: Operand): Tensor => binary('maximum', a, b)

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
export const minimum = (a: Operand, b: Operand): Tensor => binary('minimum', a, b)

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
export const equal = (a: Operand, b: Operand): Tensor => binary('equal', a, b)

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
export const notEqual = (a: Operand, b: Operand): Tensor => binary('notEqual', a, b)

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
export const less = (a: Operand, b: Operand): Tensor => binary('less', a, b)

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
export const lessEqual = (a: Operand, b: Operand): Tensor => binary('lessEqual', a, b)

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
export const greater = (a: Operand, b: Operand): Tensor => binary('greater', a, b)

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
export const greaterEqual = (a: Operand, b: Operand): Tensor => binary('greaterEqual', a, b)

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
  // two plain numbers take the condition's dtype
  const [ta, tb] = typeof a === 'number' && typeof b === 'number' ? [scalar(a, cond.dtype), scalar(b, cond.dtype)] : toTensors('where', a, b)
  const s1 = broadcastShapes(ta.shape, tb.shape, 'where')
  const shape = broadcastShapes(cond.shape, s1, 'where')
  const n = shape.reduce((p, d) => p * d, 1)
  // pick through the binary kernel: where = a·[c≠0] + b·[c=0] would turn 0·∞ into NaN,
  // so gather the three broadcast operands and choose directly
  const sc = broadcastStrides(cond.shape, shape)
  const sa = broadcastStrides(ta.shape, shape)
  const sb = broadcastStrides(tb.shape, shape)
  const c = raw(cond)
  const da = raw(ta)
  const db = raw(tb)
  const out = alloc(ta.dtype, n)
  const r = shape.length
  const idx = new Array<number>(r).fill(0)
  let oc = 0
  let oa = 0
  let ob = 0
  for (let i = 0; i < n; i++) {
    out[i] = c[oc] !== 0 ? da[oa] : db[ob]
    for (let d = r - 1; d >= 0; d--) {
      idx[d]++
      oc += sc[d]
      oa += sa[d]
      ob += sb[d]
      if (idx[d] < shape[d]) break
      oc -= sc[d] * shape[d]
      oa -= sa[d] * shape[d]
      ob -= sb[d] * shape[d]
      idx[d] = 0
    }
  }
  return make(ta.dtype, shape, out)
}

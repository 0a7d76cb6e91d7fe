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

/** @internal The value of `ops.neg` (documented there). */
export const neg = (x: Tensor): Tensor => unary('neg', x)

/** @internal The value of `ops.exp` (documented there). */
export const exp = (x: Tensor): Tensor => unary('exp', x)

/** @internal The value of `ops.log` (documented there). */
export const log = (x: Tensor): Tensor => unary('log', x)

/** @internal The value of `ops.log1p` (documented there). */
export const log1p = (x: Tensor): Tensor => unary('log1p', x)

/** @internal The value of `ops.expm1` (documented there). */
export const expm1 = (x: Tensor): Tensor => unary('expm1', x)

/** @internal The value of `ops.sqrt` (documented there). */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x)

/** @internal The value of `ops.abs` (documented there). */
export const abs = (x: Tensor): Tensor => unary('abs', x)

/** @internal The value of `ops.sign` (documented there). */
export const sign = (x: Tensor): Tensor => unary('sign', x)

/** @internal The value of `ops.sin` (documented there). */
export const sin = (x: Tensor): Tensor => unary('sin', x)

/** @internal The value of `ops.cos` (documented there). */
export const cos = (x: Tensor): Tensor => unary('cos', x)

/** @internal The value of `ops.tan` (documented there). */
export const tan = (x: Tensor): Tensor => unary('tan', x)

/** @internal The value of `ops.tanh` (documented there). */
export const tanh = (x: Tensor): Tensor => unary('tanh', x)

/** @internal The value of `ops.atan` (documented there). */
export const atan = (x: Tensor): Tensor => unary('atan', x)

/** @internal The value of `ops.sigmoid` (documented there). */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x)

/** @internal The value of `ops.softplus` (documented there). */
export const softplus = (x: Tensor): Tensor => unary('softplus', x)

/** @internal The value of `ops.relu` (documented there). */
export const relu = (x: Tensor): Tensor => unary('relu', x)

/** @internal The value of `ops.square` (documented there). */
export const square = (x: Tensor): Tensor => unary('square', x)

/** @internal The value of `ops.reciprocal` (documented there). */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x)

/** @internal The value of `ops.add` (documented there). */
export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b)

/** @internal The value of `ops.sub` (documented there). */
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b)

/** @internal The value of `ops.mul` (documented there). */
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b)

/** @internal The value of `ops.div` (documented there). */
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b)

/** @internal The value of `ops.pow` (documented there). */
export const pow = (a: Operand, b: Operand): Tensor => binary('pow', a, b)

/** @internal The value of `ops.maximum` (documented there). */
export const maximum = (a: Operand, b: Operand): Tensor => binary('maximum', a, b)

/** @internal The value of `ops.minimum` (documented there). */
export const minimum = (a: Operand, b: Operand): Tensor => binary('minimum', a, b)

/** @internal The value of `ops.equal` (documented there). */
export const equal = (a: Operand, b: Operand): Tensor => binary('equal', a, b)

/** @internal The value of `ops.notEqual` (documented there). */
export const notEqual = (a: Operand, b: Operand): Tensor => binary('notEqual', a, b)

/** @internal The value of `ops.less` (documented there). */
export const less = (a: Operand, b: Operand): Tensor => binary('less', a, b)

/** @internal The value of `ops.lessEqual` (documented there). */
export const lessEqual = (a: Operand, b: Operand): Tensor => binary('lessEqual', a, b)

/** @internal The value of `ops.greater` (documented there). */
export const greater = (a: Operand, b: Operand): Tensor => binary('greater', a, b)

/** @internal The value of `ops.greaterEqual` (documented there). */
export const greaterEqual = (a: Operand, b: Operand): Tensor => binary('greaterEqual', a, b)

/** @internal The value of `ops.where` (documented there). */
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

/**
 * The reference kernels: plain JavaScript loops that read like the math. Every faster
 * kernel set is checked against these.
 *
 * Laws:
 * - `sigmoid(x) = 1 / (1 + e^{−x})`, computed without overflow for any finite `x`
 *   (`e^{x} / (1 + e^{x})` for `x < 0`);
 * - `softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|})`, finite for any finite `x`;
 * - `binary` with zero strides is broadcasting: `out[i, j] = f(a[i], b[j])`.
 *
 * @module
 */
import type { BinaryOp, Buffer, Kernels, ReduceOp, UnaryOp } from './Kernels.js'
import { gemmF32, gemmF64 } from './matmul.js'

const sigmoid = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))

/** @internal The scalar function behind each unary kernel. */
export const unaryFns: { readonly [K in UnaryOp]: (x: number) => number } = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  atan: Math.atan,
  sigmoid,
  softplus,
  relu: (x) => (x > 0 ? x : x === x ? 0 : NaN),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
}

/** @internal The scalar function behind each binary kernel. */
export const binaryFns: { readonly [K in BinaryOp]: (a: number, b: number) => number } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // Math.max/min: NaN propagates, and +0 > −0 (as in IEEE 754-2019 maximum)
  maximum: Math.max,
  minimum: Math.min,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
}

const unary = (op: UnaryOp, x: Buffer, out: Buffer): void => {
  const n = x.length
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i]
      return
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i])
      return
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i]
      return
    default: {
      const f = unaryFns[op]
      for (let i = 0; i < n; i++) out[i] = f(x[i])
    }
  }
}

/** @internal Whether strides (in elements, 0 on broadcast axes) walk `shape` row-major without gaps; size-1 axes are ignored. */
export const isContiguous = (strides: ReadonlyArray<number>, shape: ReadonlyArray<number>): boolean => {
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== acc) return false
    acc *= shape[i]
  }
  return true
}
const isZero = (strides: ReadonlyArray<number>): boolean => strides.every((s) => s === 0)

const binary = (
  op: BinaryOp, a: Buffer, as: ReadonlyArray<number>, b: Buffer, bs: ReadonlyArray<number>,
  shape: ReadonlyArray<number>, out: Buffer,
): void => {
  const n = out.length
  if (n === 0) return
  const f = binaryFns[op]
  const ca = isContiguous(as, shape)
  const cb = isContiguous(bs, shape)
  if (ca && cb) {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; return
      case 'sub': for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; return
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; return
      case 'div': for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; return
      default: for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]); return
    }
  }
  if (ca && isZero(bs)) {
    const y = b[0]
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i] + y; return
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i] * y; return
      default: for (let i = 0; i < n; i++) out[i] = f(a[i], y); return
    }
  }
  if (cb && isZero(as)) {
    const x = a[0]
    for (let i = 0; i < n; i++) out[i] = f(x, b[i])
    return
  }
  // general broadcast: an odometer over all axes but the last
  const r = shape.length
  const last = r - 1
  const L = shape[last]
  const sa = as[last]
  const sb = bs[last]
  const idx = new Array<number>(r).fill(0)
  let ao = 0
  let bo = 0
  for (let o = 0; o < n; o += L) {
    for (let j = 0; j < L; j++) out[o + j] = f(a[ao + j * sa], b[bo + j * sb])
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++
      ao += as[d]
      bo += bs[d]
      if (idx[d] < shape[d]) break
      ao -= as[d] * shape[d]
      bo -= bs[d] * shape[d]
      idx[d] = 0
    }
  }
}

const reduce = (op: ReduceOp, x: Buffer, outer: number, n: number, inner: number, out: Buffer): void => {
  const acc = new Float64Array(inner)
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner
    switch (op) {
      case 'sum':
        acc.fill(0)
        for (let p = 0; p < n; p++) {
          const row = base + p * inner
          for (let i = 0; i < inner; i++) acc[i] += x[row + i]
        }
        break
      case 'prod':
        acc.fill(1)
        for (let p = 0; p < n; p++) {
          const row = base + p * inner
          for (let i = 0; i < inner; i++) acc[i] *= x[row + i]
        }
        break
      case 'max':
      case 'min': {
        const sgn = op === 'max' ? 1 : -1
        acc.fill(-Infinity)
        for (let p = 0; p < n; p++) {
          const row = base + p * inner
          for (let i = 0; i < inner; i++) {
            const v = sgn * x[row + i]
            if (v > acc[i] || v !== v) acc[i] = v
          }
        }
        for (let i = 0; i < inner; i++) acc[i] = sgn * acc[i]
        break
      }
      default: {
        // first index of the extreme value; a NaN wins (as in NumPy)
        const sgn = op === 'argmax' ? 1 : -1
        for (let i = 0; i < inner; i++) {
          let best = sgn * x[base + i]
          let arg = 0
          if (best === best) {
            for (let p = 1; p < n; p++) {
              const v = sgn * x[base + p * inner + i]
              if (v !== v) { arg = p; break }
              if (v > best) { best = v; arg = p }
            }
          }
          acc[i] = arg
        }
      }
    }
    const ob = o * inner
    for (let i = 0; i < inner; i++) out[ob + i] = acc[i]
  }
}

const scratch32: { buf: Float32Array } = { buf: new Float32Array(0) }
const scratch64: { buf: Float64Array } = { buf: new Float64Array(0) }

/** A transposed copy of the `rows×cols` matrix at `x[off..]`, as a `cols×rows` matrix. */
const transposed = (x: Buffer, off: number, rows: number, cols: number): Buffer => {
  const t = x instanceof Float32Array ? new Float32Array(rows * cols) : new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[off + i * cols + j]
  return t
}

const matmul = (
  a: Buffer, aOff: number, b: Buffer, bOff: number, out: Buffer, cOff: number,
  m: number, k: number, n: number, transA = false, transB = false,
): void => {
  // the reference transposes explicitly (readable before clever); fast kernels pack instead
  if (transA || transB) {
    const A = transA ? transposed(a, aOff, k, m) : a
    const B = transB ? transposed(b, bOff, n, k) : b
    matmul(A, transA ? 0 : aOff, B, transB ? 0 : bOff, out, cOff, m, k, n)
    return
  }
  for (let i = cOff, e = cOff + m * n; i < e; i++) out[i] = 0
  if (m === 0 || n === 0 || k === 0) return
  if (out instanceof Float32Array) {
    if (scratch32.buf.length < k * n) scratch32.buf = new Float32Array(k * n)
    gemmF32(a as Float32Array, aOff, b as Float32Array, bOff, out, cOff, m, k, n, scratch32.buf)
  } else {
    if (scratch64.buf.length < k * n) scratch64.buf = new Float64Array(k * n)
    gemmF64(a as Float64Array, aOff, b as Float64Array, bOff, out, cOff, m, k, n, scratch64.buf)
  }
}

/**
 * The reference kernels: plain JavaScript, one blocked matmul loop per dtype.
 *
 * @category kernels
 * @since 0.1.0
 * @example
 * ```ts
 * import { kernels } from 'dendrite'
 * import * as assert from 'node:assert'
 * const out = new Float64Array(4)
 * kernels.reference.matmul(new Float64Array([1, 2, 3, 4]), 0, new Float64Array([1, 0, 0, 1]), 0, out, 0, 2, 2, 2)
 * assert.deepStrictEqual([...out], [1, 2, 3, 4])
 * ```
 */
export const reference: Kernels = { name: 'reference-js', matmul, unary, binary, reduce }

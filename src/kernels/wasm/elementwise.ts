/**
 * Elementwise WebAssembly SIMD kernels (as/elementwise.ts) behind the `unary`, `binary`
 * and `reduce` entries of the `wasm` kernel set: float32 `exp`, `log`, `tanh`, `sigmoid`
 * (f32x4 range reduction + polynomial), `relu`, `add`/`sub`/`mul`/`div` of same-shape
 * operands or with the second operand broadcast as a scalar or a repeated row (f32x4,
 * f64x2), comparisons with a scalar, and `sum` (float32 accumulated in float64).
 * Everything else (float64 transcendental functions, other broadcasts and comparisons,
 * small arrays) goes to the reference kernels.
 *
 * Operands are streamed through the module's memory in chunks small enough to stay in
 * cache (copy in, compute in place, copy out), so tensors remain ordinary GC-managed
 * typed arrays and nothing needs disposing.
 *
 * Laws (laws/wasm-elementwise.law.ts), for float32 `x`:
 * - `unary(f)(x) = fround(Math.f(x))` within 4 ulp, f ∈ {exp, log, tanh, sigmoid}, for every
 *   float32 x (IEEE special values exactly: exp(−∞) = 0, log 0 = −∞, NaN ↦ NaN, …);
 * - `binary(op)(a, b) = reference.binary(op)(a, b)` bit for bit (op ∈ {+, −, ×, ÷}; b of
 *   the same shape, a scalar, or a row repeated over leading axes); `relu` likewise;
 * - `reduce('sum') ≈ reference.reduce('sum')` (both accumulate in float64, in another order);
 * - each of these holds for every length, including the ones that are not a multiple of
 *   the vector width.
 *
 * @module
 */
import type { BinaryOp, Buffer, ReduceOp, UnaryOp } from '../Kernels.js'
import { isContiguous, reference } from '../reference.js'
import * as ewWasm from './generated/elementwise.js'
import { loadPrivate } from './runtime.js'

/** @internal Elements per pass: three float32 chunks (96 KiB) stay in the L2 cache. */
export const CHUNK = 8192
/** @internal Below this many elements the reference loop is as fast as a call into wasm. */
export const MIN_UNARY = 64
/**
 * @internal Below this many elements a binary op or sum stays in JS (a call into wasm
 * costs about 0.3 µs; at 2048 float32 elements wasm was already 5× faster here).
 */
export const MIN_BINARY = 256

const UNARY: { readonly [K in UnaryOp]?: string } = { exp: 'expF32', log: 'logF32', tanh: 'tanhF32', sigmoid: 'sigmoidF32' }
const BINARY: { readonly [K in BinaryOp]?: string } = { add: 'add', sub: 'sub', mul: 'mul', div: 'div' }

// This module gets a memory of its own, unshared, rather than the runtime's shared one:
// these kernels are single-threaded and bound by copying in and out, and V8 copies to and
// from a SharedArrayBuffer about 2× slower than between ordinary buffers (measured here:
// 0.87 vs 0.45 ms per 4 MB round trip). Its data starts at BASE and grows on demand.
const BASE = 1024
const PAGE = 65536

type Instance = NonNullable<ReturnType<typeof loadPrivate>>
// undefined: not yet tried; null: unavailable here
let inst: Instance | null | undefined

/** @internal The elementwise module on its own memory, or undefined where WebAssembly SIMD is missing. */
export const elementwiseModule = (): Instance | undefined => {
  if (inst === undefined) inst = loadPrivate(ewWasm) ?? null
  return inst ?? undefined
}

/** Makes sure `bytes` bytes from BASE exist (growing the memory) and returns BASE. */
const scratch = (m: Instance, bytes: number): number => {
  const have = m.memory.buffer.byteLength
  if (BASE + bytes > have) m.memory.grow(Math.ceil((BASE + bytes - have) / PAGE))
  return BASE
}

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor
// views are taken after `scratch` (growing detaches earlier ones)
const view = (m: Instance, C: Ctor, byteOffset: number, length: number): Buffer => new C(m.memory.buffer as ArrayBuffer, byteOffset, length)

/**
 * @internal `out = f(x)` in wasm for float32 exp/log/tanh/sigmoid; false (nothing done) if
 * not handled. `min`: the length below which it declines (laws pass 0).
 */
export const unaryWasm = (op: UnaryOp, x: Buffer, out: Buffer, min = MIN_UNARY): boolean => {
  const n = x.length
  const f64 = x instanceof Float64Array
  // relu is exact in both dtypes; the transcendental ones are float32 only
  const name = op === 'relu' ? (f64 ? 'reluF64' : 'reluF32') : f64 ? undefined : UNARY[op]
  if (name === undefined || n < min || x.constructor !== out.constructor) return false
  const mod = elementwiseModule()
  if (mod === undefined) return false
  const fn = mod.exports[name] as (x: number, out: number, n: number) => void
  const c = Math.min(CHUNK, n)
  const base = scratch(mod, c * 8 + 16)
  const buf = view(mod, f64 ? Float64Array : Float32Array, base, c)
  for (let i = 0; i < n; i += c) {
    const len = Math.min(c, n - i)
    buf.set(x.subarray(i, i + len))
    fn(base, base, len)
    out.set(len === c ? buf : buf.subarray(0, len), i)
  }
  return true
}

/** @internal Same-shape, contiguous `out = a op b` in wasm; false if not handled (`min` as above). */
export const binaryWasm = (
  op: BinaryOp, a: Buffer, as: ReadonlyArray<number>, b: Buffer, bs: ReadonlyArray<number>,
  shape: ReadonlyArray<number>, out: Buffer, min = MIN_BINARY,
): boolean => {
  const name = BINARY[op]
  const n = out.length
  if (name === undefined && SCALAR_ONLY[op] !== undefined && n >= min && a.constructor === out.constructor && b.constructor === out.constructor && isContiguous(as, shape) && bs.every((s) => s === 0)) {
    return broadcastWasm(SCALAR_ONLY[op] as number, a, b, bs, shape, out)
  }
  if (name === undefined || n < min || a.constructor !== out.constructor || b.constructor !== out.constructor) return false
  if (!isContiguous(as, shape)) return false
  if (!isContiguous(bs, shape)) return broadcastWasm(BINARY_CODE[op] as number, a, b, bs, shape, out)
  const mod = elementwiseModule()
  if (mod === undefined) return false
  const f64 = out instanceof Float64Array
  const es = f64 ? 8 : 4
  const fn = mod.exports[name + (f64 ? 'F64' : 'F32')] as (a: number, b: number, out: number, n: number) => void
  const c = Math.min(CHUNK, n)
  const bytes = Math.ceil((c * es) / 16) * 16
  const pa = scratch(mod, 2 * bytes)
  const pb = pa + bytes
  const C = f64 ? Float64Array : Float32Array
  const va = view(mod, C, pa, c)
  const vb = view(mod, C, pb, c)
  for (let i = 0; i < n; i += c) {
    const len = Math.min(c, n - i)
    va.set(a.subarray(i, i + len))
    vb.set(b.subarray(i, i + len))
    fn(pa, pb, pa, len)
    out.set(len === c ? va : va.subarray(0, len), i)
  }
  return true
}

const BINARY_CODE: { readonly [K in BinaryOp]?: number } = { add: 0, sub: 1, mul: 2, div: 3 }
// comparisons run in wasm only against a scalar (the ReLU mask `x > 0` and the like)
const SCALAR_ONLY: { readonly [K in BinaryOp]?: number } = { greater: 4, less: 5, greaterEqual: 6, lessEqual: 7, equal: 8, notEqual: 9 }

/**
 * `out = a op b` for contiguous `a` and a `b` that broadcasts as a scalar (all strides 0)
 * or as one contiguous block of trailing axes repeated over the leading ones (a bias row:
 * strides `[0, …, 0, …contiguous]`); false for any other pattern.
 */
const broadcastWasm = (code: number, a: Buffer, b: Buffer, bs: ReadonlyArray<number>, shape: ReadonlyArray<number>, out: Buffer): boolean => {
  const r = shape.length
  let t = r // b is contiguous over axes [t, r) and constant over [0, t)
  let acc = 1
  while (t > 0 && (shape[t - 1] === 1 || bs[t - 1] === acc)) {
    acc *= shape[t - 1]
    t--
  }
  for (let k = 0; k < t; k++) if (bs[k] !== 0 && shape[k] !== 1) return false
  const mod = elementwiseModule()
  if (mod === undefined) return false
  const n = out.length
  if (n === 0) return true
  const f64 = out instanceof Float64Array
  const es = f64 ? 8 : 4
  const C = f64 ? Float64Array : Float32Array
  if (acc === 1) {
    // b is one number
    const fn = mod.exports[f64 ? 'scalarF64' : 'scalarF32'] as (op: number, a: number, s: number, out: number, n: number) => void
    const c = Math.min(CHUNK, n)
    const pa = scratch(mod, Math.ceil((c * es) / 16) * 16)
    const va = view(mod, C, pa, c)
    const s = b[0]
    for (let i = 0; i < n; i += c) {
      const len = Math.min(c, n - i)
      va.set(a.subarray(i, i + len))
      fn(code, pa, s, pa, len)
      out.set(len === c ? va : va.subarray(0, len), i)
    }
    return true
  }
  // b is a row of `acc` elements, repeated n / acc times
  const row = acc
  const m = n / row
  const fn = mod.exports[f64 ? 'rowF64' : 'rowF32'] as (op: number, a: number, row: number, out: number, m: number, n: number) => void
  const rowsPer = Math.max(1, Math.min(m, Math.floor(CHUNK / row)))
  const rowBytes = Math.ceil((row * es) / 16) * 16
  const pRow = scratch(mod, rowBytes + rowsPer * row * es)
  const pA = pRow + rowBytes
  view(mod, C, pRow, row).set(b.subarray(0, row))
  const va = view(mod, C, pA, rowsPer * row)
  for (let i = 0; i < m; i += rowsPer) {
    const rows = Math.min(rowsPer, m - i)
    const from = i * row
    va.set(a.subarray(from, from + rows * row))
    fn(code, pA, pRow, pA, rows, row)
    out.set(rows === rowsPer ? va : va.subarray(0, rows * row), from)
  }
  return true
}

/** @internal `sum` over the middle axis of `outer × n × inner` in wasm; false if not handled. */
export const reduceWasm = (op: ReduceOp, x: Buffer, outer: number, n: number, inner: number, out: Buffer, min = MIN_BINARY): boolean => {
  const total = outer * n * inner
  if (op !== 'sum' || total < min || total === 0 || x.constructor !== out.constructor) return false
  const mod = elementwiseModule()
  if (mod === undefined) return false
  const f64 = x instanceof Float64Array
  const es = f64 ? 8 : 4
  const C = f64 ? Float64Array : Float32Array
  if (inner === 1 && n < CHUNK) {
    // many short rows: blocks of whole rows, each row summed in wasm into a float64 slot
    const sumRows = mod.exports[f64 ? 'sumRowsF64' : 'sumRowsF32'] as (x: number, out: number, rows: number, n: number) => void
    const rowsPer = Math.max(1, Math.min(outer, Math.floor(CHUNK / n)))
    const sumsBytes = rowsPer * 8
    const pSums = scratch(mod, sumsBytes + rowsPer * n * es)
    const pX = pSums + sumsBytes
    const sums = view(mod, Float64Array, pSums, rowsPer)
    const block = view(mod, C, pX, rowsPer * n)
    for (let o = 0; o < outer; o += rowsPer) {
      const rows = Math.min(rowsPer, outer - o)
      block.set(x.subarray(o * n, (o + rows) * n))
      sumRows(pX, pSums, rows, n)
      out.set(rows === rowsPer ? sums : sums.subarray(0, rows), o)
    }
    return true
  }
  if (inner === 1) {
    // long rows: each summed in pieces of at most CHUNK
    const sum = mod.exports[f64 ? 'sumF64' : 'sumF32'] as (x: number, n: number) => number
    const c = Math.min(CHUNK, n)
    const base = scratch(mod, c * es)
    const buf = view(mod, C, base, c)
    for (let o = 0; o < outer; o++) {
      let s = 0
      for (let p = 0; p < n; p += c) {
        const len = Math.min(c, n - p)
        const from = o * n + p
        buf.set(x.subarray(from, from + len))
        s += sum(base, len)
      }
      out[o] = s
    }
    return true
  }
  // inner > 1: accumulate whole rows of `inner` into float64 accumulators, rows streamed
  // in blocks of about CHUNK elements (at least one row per block)
  const sumAxis = mod.exports[f64 ? 'sumAxisF64' : 'sumAxisF32'] as (x: number, acc: number, n: number, inner: number) => void
  const accBytes = Math.ceil(inner / 4) * 32
  const rowsPer = Math.max(1, Math.min(n, Math.floor(CHUNK / inner)))
  const blockBytes = Math.ceil((rowsPer * inner * es + 16) / 16) * 16
  const pAcc = scratch(mod, accBytes + blockBytes)
  const pX = pAcc + accBytes
  const acc = view(mod, Float64Array, pAcc, accBytes / 8) as Float64Array
  const block = view(mod, C, pX, rowsPer * inner)
  for (let o = 0; o < outer; o++) {
    acc.fill(0)
    for (let p = 0; p < n; p += rowsPer) {
      const rows = Math.min(rowsPer, n - p)
      const from = (o * n + p) * inner
      block.set(x.subarray(from, from + rows * inner))
      sumAxis(pX, pAcc, rows, inner)
    }
    out.set(acc.subarray(0, inner), o * inner)
  }
  return true
}

/** @internal The `unary` kernel of the wasm set: wasm where it applies, else the reference. */
export const unary = (op: UnaryOp, x: Buffer, out: Buffer): void => {
  if (!unaryWasm(op, x, out)) reference.unary(op, x, out)
}

/** @internal The `binary` kernel of the wasm set: wasm where it applies, else the reference. */
export const binary = (
  op: BinaryOp, a: Buffer, as: ReadonlyArray<number>, b: Buffer, bs: ReadonlyArray<number>,
  shape: ReadonlyArray<number>, out: Buffer,
): void => {
  if (!binaryWasm(op, a, as, b, bs, shape, out)) reference.binary(op, a, as, b, bs, shape, out)
}

/** @internal The `reduce` kernel of the wasm set: wasm where it applies, else the reference. */
export const reduce = (op: ReduceOp, x: Buffer, outer: number, n: number, inner: number, out: Buffer): void => {
  if (!reduceWasm(op, x, outer, n, inner, out)) reference.reduce(op, x, outer, n, inner, out)
}

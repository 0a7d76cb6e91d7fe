/**
 * Linear algebra: matrix products (NumPy's `matmul`, `dot`, `outer`), Cholesky and LU
 * factorisations, linear solves, inverse, determinant and (ridge) least squares.
 *
 * Laws (equalities up to floating-point rounding):
 * - `matmul(matmul(A, B), C) = matmul(A, matmul(B, C))`;
 * - `matmul(A, B)ᵀ = matmul(Bᵀ, Aᵀ)`, `matmul(A, I) = A = matmul(I, A)`;
 * - `matmul(A, B)[b] = matmul(A[b], B[b])` for each batch index `b`, and broadcasting a
 *   batch dimension gives the same result as tiling it explicitly;
 * - `dot(u, v) = Σᵢ uᵢvᵢ`, `outer(u, v)ᵢⱼ = uᵢvⱼ`;
 * - `L = cholesky(A)` is lower triangular with a positive diagonal and `L Lᵀ = A`;
 * - `{L, U, perm} = lu(A)`: `A[perm] = L U`, `L` unit lower, `U` upper triangular;
 * - `matmul(A, solve(A, B)) = B`, `matmul(inv(A), A) = I`;
 * - `det(A B) = det(A) det(B)`, `det(I) = 1`;
 * - `X = lstsq(A, B, {ridge: λ})` satisfies `(AᵀA + λI) X = AᵀB`.
 *
 * Products use the active kernels (`kernels.active().matmul`) in the input dtype. The
 * factorisations and solves copy their input into float64 work buffers, compute in
 * float64 whatever the input dtype, and round the result back to the input dtype.
 * No function here mutates its arguments.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import { active } from '../kernels/index.js'
import {
  EPS64, choleskyInPlace, choleskySolveInPlace, columnMax, fromF64, luInPlace, luSolve, singularPivot, toF64,
} from './linalg-internal.js'
import { broadcastStrides, sizeOf, type Shape } from './Shape.js'
import { alloc, make, raw, sameDType, type Tensor } from './Tensor.js'

// ---------------------------------------------------------------------------------------
// products

/** Broadcasts two batch shapes, with a message that names the full operand shapes. */
const broadcastBatch = (op: string, a: Shape, b: Shape, fullA: Shape, fullB: Shape): number[] => {
  const r = Math.max(a.length, b.length)
  const out = new Array<number>(r)
  for (let i = 0; i < r; i++) {
    const da = i < r - a.length ? 1 : a[i - (r - a.length)]
    const db = i < r - b.length ? 1 : b[i - (r - b.length)]
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        `cannot broadcast batch dimensions ${showShape(a)} of ${showShape(fullA)} with ${showShape(b)} of ${showShape(fullB)} (batch axis ${i - r}: ${da} ≠ ${db})`,
        [fullA, fullB],
      )
    }
    out[i] = da === 1 ? db : da
  }
  return out
}

/**
 * `matmul` under an operation name (so that `dot` reports itself). With `transA` (or
 * `transB`) the last two axes of `a` (or `b`) are read transposed, without a copy: the
 * kernels take the flags (used by matmul's reverse rule, `xᵀ·g` and `g·wᵀ`).
 */
const matmulAs = (op: string, a: Tensor, b: Tensor, transA = false, transB = false): Tensor => {
  const dtype = sameDType(op, a, b)
  const ra = a.shape.length
  const rb = b.shape.length
  if (ra === 0 || rb === 0) {
    throw new ShapeError(op, `operands must have rank ≥ 1, got ${showShape(a.shape)} and ${showShape(b.shape)} (use mul for scalars)`, [a.shape, b.shape])
  }
  // 1-D operands: a vector on the left is a row [1,k], on the right a column [k,1];
  // the added axis is dropped from the result.
  if ((transA && ra < 2) || (transB && rb < 2)) {
    throw new ShapeError(op, `a transposed operand needs rank ≥ 2, got ${showShape(a.shape)} and ${showShape(b.shape)}`, [a.shape, b.shape])
  }
  const m = ra === 1 ? 1 : a.shape[transA ? ra - 1 : ra - 2]
  const k = a.shape[transA ? ra - 2 : ra - 1]
  const k2 = rb === 1 ? b.shape[0] : b.shape[transB ? rb - 1 : rb - 2]
  const n = rb === 1 ? 1 : b.shape[transB ? rb - 2 : rb - 1]
  if (k !== k2) {
    const t = (x: Shape, on: boolean) => `${showShape(x)}${on ? 'ᵀ' : ''}`
    throw new ShapeError(op, `cannot contract ${t(a.shape, transA)} with ${t(b.shape, transB)} (${k} ≠ ${k2})`, [a.shape, b.shape])
  }
  const batchA = a.shape.slice(0, Math.max(0, ra - 2))
  const batchB = b.shape.slice(0, Math.max(0, rb - 2))
  const batch = broadcastBatch(op, batchA, batchB, a.shape, b.shape)
  const outShape = [...batch, ...(ra === 1 ? [] : [m]), ...(rb === 1 ? [] : [n])]
  const nb = sizeOf(batch)
  const out = alloc(dtype, nb * m * n)
  const mm = active().matmul
  const A = raw(a)
  const B = raw(b)
  if (batch.length === 0) {
    mm(A, 0, B, 0, out, 0, m, k, n, transA, transB)
    return make(dtype, outShape, out)
  }
  // Offsets of each batch matrix; a broadcast batch axis has stride 0, so the same
  // matrix is reused, never copied.
  const sa = broadcastStrides(batchA, batch).map((s) => s * m * k)
  const sb = broadcastStrides(batchB, batch).map((s) => s * k * n)
  const idx = new Array<number>(batch.length).fill(0)
  let aOff = 0
  let bOff = 0
  for (let t = 0; t < nb; t++) {
    mm(A, aOff, B, bOff, out, t * m * n, m, k, n, transA, transB)
    // odometer increment of idx over `batch`, keeping aOff and bOff in step
    for (let d = batch.length - 1; d >= 0; d--) {
      idx[d]++
      aOff += sa[d]
      bOff += sb[d]
      if (idx[d] < batch[d]) break
      aOff -= sa[d] * batch[d]
      bOff -= sb[d] * batch[d]
      idx[d] = 0
    }
  }
  return make(dtype, outShape, out)
}

/** @internal The value of `ops.matmul` (documented there). */
export const matmul = (a: Tensor, b: Tensor): Tensor => matmulAs('matmul', a, b)

/** @internal `matmul` with the last two axes of `a` and/or `b` read transposed (no copy). */
export const matmulT = (a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor => matmulAs('matmul', a, b, transA, transB)

/** @internal The value of `ops.dot` (documented there). */
export const dot = (a: Tensor, b: Tensor): Tensor => {
  const dtype = sameDType('dot', a, b)
  const ra = a.shape.length
  const rb = b.shape.length
  if (ra < 1 || ra > 2 || rb < 1 || rb > 2) {
    throw new ShapeError('dot', `needs vectors or matrices (rank 1 or 2), got ${showShape(a.shape)} and ${showShape(b.shape)} (use matmul for batches)`, [a.shape, b.shape])
  }
  if (ra === 2 || rb === 2) return matmulAs('dot', a, b)
  const n = a.shape[0]
  if (n !== b.shape[0]) {
    throw new ShapeError('dot', `cannot contract ${showShape(a.shape)} with ${showShape(b.shape)} (${n} ≠ ${b.shape[0]})`, [a.shape, b.shape])
  }
  const x = a.data
  const y = b.data
  let s = 0
  for (let i = 0; i < n; i++) s += x[i] * y[i]
  const out = alloc(dtype, 1)
  out[0] = s
  return make(dtype, [], out)
}

/** @internal The value of `ops.outer` (documented there). */
export const outer = (a: Tensor, b: Tensor): Tensor => {
  const dtype = sameDType('outer', a, b)
  if (a.shape.length !== 1 || b.shape.length !== 1) {
    throw new ShapeError('outer', `needs two vectors (rank 1), got ${showShape(a.shape)} and ${showShape(b.shape)}`, [a.shape, b.shape])
  }
  const m = a.shape[0]
  const n = b.shape[0]
  const x = a.data
  const y = b.data
  const out = alloc(dtype, m * n)
  for (let i = 0; i < m; i++) {
    const xi = x[i]
    for (let j = 0; j < n; j++) out[i * n + j] = xi * y[j]
  }
  return make(dtype, [m, n], out)
}

// ---------------------------------------------------------------------------------------
// factorisations and solves

/** Checks for a square matrix or a batch of them; returns `n`. */
const squareBatch = (op: string, t: Tensor): number => {
  const r = t.shape.length
  if (r < 2 || t.shape[r - 1] !== t.shape[r - 2]) {
    throw new ShapeError(op, `needs a square matrix (or a batch of them, [..., n, n]), got ${showShape(t.shape)}`, [t.shape], r < 2 ? undefined : -1)
  }
  return t.shape[r - 1]
}

/** Checks for a single square matrix; returns `n`. */
const square = (op: string, t: Tensor): number => {
  if (t.shape.length !== 2 || t.shape[0] !== t.shape[1]) {
    throw new ShapeError(op, `needs a square matrix [n, n], got ${showShape(t.shape)}`, [t.shape])
  }
  return t.shape[0]
}

/** " in batch item 3" for batched inputs, "" for a single matrix. */
const where = (t: Tensor, b: number): string => (t.shape.length > 2 ? ` in batch item ${b}` : '')

/** @internal The value of `ops.cholesky` (documented there). */
export const cholesky = (a: Tensor): Tensor => {
  const n = squareBatch('cholesky', a)
  const buf = toF64(a)
  const nb = n === 0 ? 0 : buf.length / (n * n)
  for (let b = 0; b < nb; b++) {
    const fail = choleskyInPlace(buf, b * n * n, n)
    if (fail !== undefined) {
      throw new DomainError(
        'cholesky',
        `matrix ${showShape(a.shape)} is not symmetric positive definite${where(a, b)}: pivot ${fail.pivot} is ${fail.value} (must be > 0)`,
        [a.shape],
      )
    }
  }
  return fromF64(a.dtype, a.shape, buf)
}

/**
 * The result of `lu`: `A[perm[i], :] = (L U)[i, :]`, that is `P A = L U`.
 *
 * @category linalg
 * @since 0.1.0
 */
export interface LUResult {
  /** Unit lower-triangular factor `[n, n]` (ones on the diagonal). */
  readonly L: Tensor
  /** Upper-triangular factor `[n, n]`; its diagonal holds the pivots. */
  readonly U: Tensor
  /** The permutation matrix `P` `[n, n]`, with `Pᵢⱼ = 1` where `j = perm[i]`. */
  readonly P: Tensor
  /** Row order: row `i` of `L U` is row `perm[i]` of `A`. */
  readonly perm: ReadonlyArray<number>
  /** `det(P)`: +1 for an even permutation, −1 for an odd one. */
  readonly sign: 1 | -1
}

/** @internal The value of `ops.lu` (documented there). */
export const lu = (a: Tensor): LUResult => {
  const n = square('lu', a)
  const buf = toF64(a)
  const perm = new Int32Array(n)
  const sign = luInPlace(buf, 0, n, perm) as 1 | -1
  const L = new Float64Array(n * n)
  const U = new Float64Array(n * n)
  const P = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j < i) L[i * n + j] = buf[i * n + j]
      else U[i * n + j] = buf[i * n + j]
    }
    L[i * n + i] = 1
    P[i * n + perm[i]] = 1
  }
  return Object.freeze({
    L: fromF64(a.dtype, [n, n], L),
    U: fromF64(a.dtype, [n, n], U),
    P: fromF64(a.dtype, [n, n], P),
    perm: Object.freeze(Array.from(perm)),
    sign,
  })
}

/**
 * Options of `solve`.
 *
 * @category linalg
 * @since 0.1.0
 */
export interface SolveOptions {
  /**
   * What is known of `A`: `'general'` (the default) factorises with LU and partial
   * pivoting; `'spd'` (symmetric positive definite) uses Cholesky, about twice as fast.
   */
  readonly assume?: 'general' | 'spd'
}

/** Checks `B` against an `n × n` system; returns the number of right-hand sides. */
const rhsCount = (op: string, a: Tensor, b: Tensor, rows: number, what: string): number => {
  const rb = b.shape.length
  if ((rb !== 1 && rb !== 2) || b.shape[0] !== rows) {
    const detail = rb === 1 || rb === 2 ? ` (${rows} ≠ ${b.shape[0]})` : ` (B must be [${rows}] or [${rows}, k])`
    throw new ShapeError(op, `cannot solve ${what} ${showShape(a.shape)} with right-hand side ${showShape(b.shape)}${detail}`, [a.shape, b.shape], 0)
  }
  return rb === 1 ? 1 : b.shape[1]
}

/** @internal The value of `ops.solve` (documented there). */
export const solve = (a: Tensor, b: Tensor, options: SolveOptions = {}): Tensor => {
  const assume = options.assume ?? 'general'
  if (assume !== 'general' && assume !== 'spd') {
    throw new DomainError('solve', `assume must be 'general' or 'spd', got ${JSON.stringify(assume)}`)
  }
  const dtype = sameDType('solve', a, b)
  const n = square('solve', a)
  const k = rhsCount('solve', a, b, n, 'A')
  const A = toF64(a)
  if (assume === 'spd') {
    const fail = choleskyInPlace(A, 0, n)
    if (fail !== undefined) {
      throw new DomainError(
        'solve',
        `A ${showShape(a.shape)} is not symmetric positive definite: Cholesky pivot ${fail.pivot} is ${fail.value} (must be > 0; use assume: 'general')`,
        [a.shape, b.shape],
      )
    }
    const X = toF64(b)
    choleskySolveInPlace(A, 0, n, X, 0, k)
    return fromF64(dtype, b.shape, X)
  }
  const colMax = columnMax(A, 0, n)
  const perm = new Int32Array(n)
  luInPlace(A, 0, n, perm)
  const s = singularPivot(A, 0, n, colMax)
  if (s >= 0) {
    throw new DomainError('solve', `A ${showShape(a.shape)} is singular to working precision: LU pivot ${s} is ${A[s * n + s]}`, [a.shape, b.shape])
  }
  return fromF64(dtype, b.shape, luSolve(A, 0, n, perm, raw(b), 0, k))
}

/** @internal The value of `ops.inv` (documented there). */
export const inv = (a: Tensor): Tensor => {
  const n = squareBatch('inv', a)
  const A = toF64(a)
  const out = new Float64Array(A.length)
  const nb = n === 0 ? 0 : A.length / (n * n)
  const I = new Float64Array(n * n)
  for (let i = 0; i < n; i++) I[i * n + i] = 1
  const perm = new Int32Array(n)
  for (let b = 0; b < nb; b++) {
    const off = b * n * n
    const colMax = columnMax(A, off, n)
    luInPlace(A, off, n, perm)
    const s = singularPivot(A, off, n, colMax)
    if (s >= 0) {
      throw new DomainError('inv', `matrix ${showShape(a.shape)} is singular to working precision${where(a, b)}: LU pivot ${s} is ${A[off + s * n + s]}`, [a.shape])
    }
    out.set(luSolve(A, off, n, perm, I, 0, n), off)
  }
  return fromF64(a.dtype, a.shape, out)
}

/** @internal The value of `ops.det` (documented there). */
export const det = (a: Tensor): Tensor => {
  const n = squareBatch('det', a)
  const batch = a.shape.slice(0, -2)
  const nb = sizeOf(batch)
  const A = toF64(a)
  const out = new Float64Array(nb)
  const perm = new Int32Array(n)
  for (let b = 0; b < nb; b++) {
    const off = b * n * n
    let d = luInPlace(A, off, n, perm)
    for (let i = 0; i < n; i++) d *= A[off + i * n + i]
    out[b] = d + 0 // -0 (an odd permutation of a singular matrix) reads as 0
  }
  return fromF64(a.dtype, batch, out)
}

/**
 * Options of `lstsq`.
 *
 * @category linalg
 * @since 0.1.0
 */
export interface LstsqOptions {
  /** The Tikhonov (ridge) weight `λ ≥ 0` on `‖X‖²`; 0 (the default) is plain least squares. */
  readonly ridge?: number
}

/** @internal The value of `ops.lstsq` (documented there). */
export const lstsq = (a: Tensor, b: Tensor, options: LstsqOptions = {}): Tensor => {
  const ridge = options.ridge ?? 0
  if (typeof ridge !== 'number' || !Number.isFinite(ridge) || ridge < 0) {
    throw new DomainError('lstsq', `ridge must be a finite number ≥ 0, got ${ridge}`)
  }
  const dtype = sameDType('lstsq', a, b)
  if (a.shape.length !== 2) {
    throw new ShapeError('lstsq', `needs a matrix A [m, n], got ${showShape(a.shape)}`, [a.shape, b.shape])
  }
  const [m, n] = a.shape
  const k = rhsCount('lstsq', a, b, m, 'least squares')
  if (ridge === 0 && m < n) {
    throw new DomainError(
      'lstsq',
      `A ${showShape(a.shape)} has fewer rows than columns, so AᵀA is singular (rank ≤ ${m} < ${n}); pass ridge > 0`,
      [a.shape, b.shape],
    )
  }
  const outShape = b.shape.length === 1 ? [n] : [n, k]
  if (n === 0) return make(dtype, outShape, alloc(dtype, 0))
  // Aᵀ as a float64 buffer [n, m], then G = AᵀA [n, n] and R = AᵀB [n, k] with the kernels.
  const Araw = raw(a)
  const At = new Float64Array(n * m)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) At[j * m + i] = Araw[i * n + j]
  const A = toF64(a)
  const B = toF64(b)
  const G = new Float64Array(n * n)
  const R = new Float64Array(n * k)
  const mm = active().matmul
  mm(At, 0, A, 0, G, 0, n, m, n)
  mm(At, 0, B, 0, R, 0, n, m, k)
  let maxDiag = 0
  for (let i = 0; i < n; i++) {
    G[i * n + i] += ridge
    maxDiag = Math.max(maxDiag, G[i * n + i])
  }
  const fail = choleskyInPlace(G, 0, n, n * EPS64 * maxDiag)
  if (fail !== undefined) {
    const hint = ridge === 0 ? 'A is rank-deficient (or nearly so); pass ridge > 0' : 'increase ridge'
    throw new DomainError(
      'lstsq',
      `AᵀA + ${ridge}·I for A ${showShape(a.shape)} is singular to working precision: Cholesky pivot ${fail.pivot} is ${fail.value}; ${hint}`,
      [a.shape, b.shape],
    )
  }
  choleskySolveInPlace(G, 0, n, R, 0, k)
  return fromF64(dtype, outShape, R)
}

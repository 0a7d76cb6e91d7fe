/**
 * Differentiable linear algebra. `matmul` is bilinear; `solve`, `cholesky`, `det` and
 * `lstsq` carry the classical matrix-calculus rules, written with `matmul` and `solve`
 * so that they differentiate again:
 *
 * - `d(AB) = dA B + A dB`;  `∂L/∂A = G Bᵀ`, `∂L/∂B = Aᵀ G`;
 * - `X = A⁻¹B`: `dX = A⁻¹(dB − dA X)`;  `∂L/∂B = A⁻ᵀ G`, `∂L/∂A = −(∂L/∂B) Xᵀ`;
 * - `L = chol(A)`: `dL = L Φ(L⁻¹ dA L⁻ᵀ)`, Φ = lower triangle with halved diagonal;
 * - `d det A = det A · tr(A⁻¹ dA)`;
 * - ridge least squares `X = (AᵀA + λI)⁻¹AᵀB`: `dX = G⁻¹(dAᵀ R + Aᵀ(dB − dA X))`, `R = B − AX`.
 *
 * `cholesky` and `solve(…, { assume: 'spd' })` read only the lower triangle of A, so their
 * derivatives are taken with respect to that triangle (the upper one has none). `lu` is
 * not differentiable (its factors are returned as constants).
 *
 * @module
 */
import { zero, type Primitive, type Zero } from '../ad/core.js'
import { ShapeError, showShape } from '../errors.js'
import type { LstsqOptions, SolveOptions } from '../tensor/linalg.js'
import type { DType, Tensor } from '../tensor/Tensor.js'
import { add, mul, neg, sub } from './elementwise.js'
import { expandDims, reshape, squeeze, stack, transpose, unbroadcast, unstack } from './layout.js'
import { addTangents, call, T } from './prim.js'
import { sum } from './reduce.js'
import { concrete, traceOf } from '../ad/core.js'

/**
 * @internal Transpose flags of the matmul primitive: `null` is the plain product; with
 * `transA`/`transB` the last two axes of that operand are read transposed, without a copy
 * (the reverse rule's `gᵀ`-products use them).
 */
export type MatmulParams = { readonly transA: boolean; readonly transB: boolean } | null

/** Binds the matmul primitive with flags (`null` when there are none). */
const mm = (a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor =>
  call(matmulPrim, [a, b], transA || transB ? { transA, transB } : null)

/**
 * @internal matmul on operands of rank ≥ 2, batch dimensions broadcast:
 * `C = op(A)·op(B)` with `op` the identity or the transpose of the last two axes.
 * Reverse rule, with `Ā = op(A)`, `B̄ = op(B)`: `∂A = G·B̄ᵀ` (stored transposed when
 * `transA`: `B̄·Gᵀ`) and `∂B = Āᵀ·G` (when `transB`: `Gᵀ·Ā`), each a flagged product.
 */
export const matmulPrim: Primitive<MatmulParams> = {
  name: 'matmul',
  impl: ([a, b], p) => (p === null ? T.matmul(a, b) : T.matmulT(a, b, p.transA, p.transB)),
  jvp: ([a, b], [ta, tb], _, p) => {
    const [fa, fb] = p === null ? [false, false] : [p.transA, p.transB]
    return addTangents(ta === zero ? zero : mm(ta as Tensor, b, fa, fb), tb === zero ? zero : mm(a, tb as Tensor, fa, fb), add)
  },
  vjp: (ct, [a, b], _, p, needs) => {
    const [fa, fb] = p === null ? [false, false] : [p.transA, p.transB]
    return [
      needs[0] ? unbroadcast(fa ? mm(b, ct, fb, true) : mm(ct, b, false, !fb), a.shape) : zero,
      needs[1] ? unbroadcast(fb ? mm(ct, a, true, fa) : mm(a, ct, !fa, false), b.shape) : zero,
    ]
  },
  showParams: (p) => (p === null ? '' : `transA=${p.transA}, transB=${p.transB}`),
}

/**
 * Matrix product with NumPy's `matmul` rules. The last two axes are the matrices; a 1-D
 * left operand is a row vector and a 1-D right operand a column vector (the added axis is
 * dropped again, so vector·vector is a scalar); the leading (batch) axes broadcast.
 *
 * `matmul(A, B)[…, i, j] = Σₚ A[…, i, p] · B[…, p, j]`
 *
 * Shapes: `[m,k] @ [k,n] → [m,n]`, `[k] @ [k,n] → [n]`, `[m,k] @ [k] → [m]`,
 * `[k] @ [k] → []`, `[2,1,3,4] @ [5,4,6] → [2,5,3,6]`. Both operands must have the same
 * dtype; a mismatch of the contracted axes throws `ShapeError`
 * (`matmul: cannot contract [2,3] with [4,5] (3 ≠ 4)`).
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const a = ops.tensor([[1, 2], [3, 4]])
 * const b = ops.tensor([[5, 6], [7, 8]])
 * assert.deepStrictEqual(ops.toArray(ops.matmul(a, b)), [[19, 22], [43, 50]])
 * assert.deepStrictEqual(ops.toArray(ops.matmul(a, ops.tensor([1, 1]))), [3, 7])
 * assert.deepStrictEqual(ops.matmul(ops.zeros([2, 1, 3, 4]), ops.zeros([5, 4, 6])).shape, [2, 5, 3, 6])
 * assert.throws(() => ops.matmul(ops.zeros([2, 3]), ops.zeros([4, 5])), /cannot contract \[2,3\] with \[4,5\] \(3 ≠ 4\)/)
 * ```
 */
export const matmul = (a: Tensor, b: Tensor): Tensor => {
  if (a.shape.length === 0 || b.shape.length === 0) return T.matmul(a, b) // throws
  const ka = a.shape[a.shape.length - 1]
  const kb = b.shape.length === 1 ? b.shape[0] : b.shape[b.shape.length - 2]
  if (ka !== kb || a.dtype !== b.dtype) return T.matmul(concrete(a), concrete(b)) // throws the tensor layer's error
  const a2 = a.shape.length === 1 ? expandDims(a, 0) : a
  const b2 = b.shape.length === 1 ? expandDims(b, -1) : b
  let y = call(matmulPrim, [a2, b2], null)
  if (b.shape.length === 1) y = squeeze(y, -1)
  if (a.shape.length === 1) y = squeeze(y, a.shape.length === 1 && b.shape.length === 1 ? 0 : -2)
  return y
}

/**
 * Inner product of two vectors, a scalar tensor. For matrices (rank 2, or a matrix and a
 * vector) `dot` is `matmul`; other ranks throw `ShapeError` (use `matmul` for batches,
 * whose rules differ from NumPy's N-D `dot`).
 *
 * `dot(u, v) = Σᵢ uᵢ vᵢ`
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const d = ops.dot(ops.tensor([1, 2, 3]), ops.tensor([4, 5, 6]))
 * assert.deepStrictEqual(d.shape, [])
 * assert.strictEqual(ops.item(d), 32)
 * assert.deepStrictEqual(ops.toArray(ops.dot(ops.eye(2), ops.tensor([[1, 2], [3, 4]]))), [[1, 2], [3, 4]])
 * ```
 */
export const dot = (a: Tensor, b: Tensor): Tensor => {
  if (a.shape.length === 1 && b.shape.length === 1) {
    if (a.shape[0] !== b.shape[0]) return T.dot(concrete(a), concrete(b)) // throws
    return sum(mul(a, b))
  }
  const ka = a.shape[a.shape.length - 1]
  const kb = b.shape.length === 1 ? b.shape[0] : b.shape[0]
  if (a.shape.length > 2 || b.shape.length > 2 || a.shape.length === 0 || b.shape.length === 0 || ka !== kb) return T.dot(concrete(a), concrete(b)) // throws
  return matmul(a, b)
}

/**
 * Outer product of two vectors: an `m × n` matrix.
 *
 * `outer(u, v)ᵢⱼ = uᵢ vⱼ`
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const o = ops.outer(ops.tensor([1, 2]), ops.tensor([3, 4, 5]))
 * assert.deepStrictEqual(ops.toArray(o), [[3, 4, 5], [6, 8, 10]])
 * ```
 */
export const outer = (a: Tensor, b: Tensor): Tensor => {
  if (a.shape.length !== 1 || b.shape.length !== 1) return T.outer(concrete(a), concrete(b)) // throws
  return mul(expandDims(a, 1), expandDims(b, 0))
}

// ---------------------------------------------------------------------------------------
// triangle masks

const lowerMask = (n: number, dtype: DType, diag: number): Tensor => {
  const m = new Array<number>(n * n).fill(0)
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * n + j] = i === j ? diag : 1
  return T.fromArray(m, [n, n], dtype)
}
/** E(A) = tril(A) + tril(A, −1)ᵀ: the symmetric matrix a lower-triangle reader sees. */
const symFromLower = (a: Tensor): Tensor => {
  const n = a.shape[0]
  const strict = mul(a, lowerMask(n, a.dtype, 0))
  return add(mul(a, T.eye(n, n, a.dtype)), add(strict, transpose(strict)))
}
/** Eᵀ(X) = tril(X + Xᵀ) − diag(X): the transpose of `symFromLower`. */
const symFromLowerT = (x: Tensor): Tensor => {
  const n = x.shape[0]
  return sub(mul(add(x, transpose(x)), lowerMask(n, x.dtype, 1)), mul(x, T.eye(n, n, x.dtype)))
}

const check2d = (op: string, a: Tensor): void => {
  if (a.shape.length !== 2 || a.shape[0] !== a.shape[1]) {
    throw new ShapeError(op, `derivatives need one square matrix, got shape ${showShape(a.shape)} (batched matrices are differentiated one by one through the batched entry points)`, [a.shape])
  }
}

// ---------------------------------------------------------------------------------------
// solve

type Assume = NonNullable<SolveOptions['assume']>

/** @internal solve(A, B) for a square A and a matrix B. */
export const solvePrim: Primitive<{ readonly assume: Assume }> = {
  name: 'solve',
  impl: ([a, b], p) => T.solve(a, b, { assume: p.assume }),
  jvp: ([a], [ta, tb], x, p) => {
    const dA = ta === zero ? zero : p.assume === 'spd' ? symFromLower(ta as Tensor) : (ta as Tensor)
    const rhs = addTangents(tb, dA === zero ? zero : neg(matmul(dA as Tensor, x)), add)
    return rhs === zero ? zero : solve(a, rhs as Tensor, p)
  },
  vjp: (ct, [a], x, p) => {
    const gb = p.assume === 'spd' ? solve(a, ct, p) : solve(transpose(a), ct, p)
    const ga = neg(matmul(gb, transpose(x)))
    return [p.assume === 'spd' ? symFromLowerT(ga) : ga, gb]
  },
  showParams: (p) => p.assume,
}

/**
 * Solves the linear system `A X = B` for a square `A` `[n, n]` and `B` `[n]` or `[n, k]`;
 * the result has the shape of `B`.
 *
 * `X = A⁻¹ B`
 *
 * `assume: 'general'` (default) uses LU with partial pivoting and throws `DomainError` if
 * `A` is singular to working precision (a pivot with `|Uⱼⱼ| ≤ n·ε·maxᵢ|Aᵢⱼ|`);
 * `assume: 'spd'` uses Cholesky and throws `DomainError` if `A` is not positive definite.
 * Computed in float64; returns the input dtype.
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, DomainError } from 'dendrite'
 * import * as assert from 'node:assert'
 * const A = ops.tensor([[2, 1], [1, 3]])
 * assert.deepStrictEqual(ops.toArray(ops.solve(A, ops.tensor([4, 7]))), [1, 2])
 * assert.deepStrictEqual(ops.toArray(ops.solve(ops.tensor([[4, 2], [2, 5]]), ops.tensor([8, 12]), { assume: 'spd' })), [1, 2])
 * assert.throws(() => ops.solve(ops.tensor([[1, 2], [2, 4]]), ops.tensor([1, 1])), DomainError)
 * ```
 */
export const solve = (a: Tensor, b: Tensor, options: SolveOptions = {}): Tensor => {
  const assume: Assume = options.assume ?? 'general'
  if (a.shape.length !== 2 || a.shape[0] !== a.shape[1] || (b.shape.length !== 1 && b.shape.length !== 2) || b.shape[0] !== a.shape[0]) {
    return T.solve(concrete(a), concrete(b), options) // throws the tensor layer's error
  }
  if (b.shape.length === 1) return squeeze(call(solvePrim, [a, expandDims(b, 1)], { assume }), 1)
  return call(solvePrim, [a, b], { assume })
}

/** Applies a square-matrix function to every matrix of a batch `[..., n, n]`. */
const batched = (a: Tensor, f: (m: Tensor) => Tensor, plain: (a: Tensor) => Tensor): Tensor => {
  // untraced input: the tensor layer's batched loop (and its messages) directly
  if (traceOf(a) === undefined) return plain(a)
  if (a.shape.length <= 2) return f(a)
  const lead = a.shape.slice(0, -2)
  const [n, m] = a.shape.slice(-2)
  const flat = reshape(a, [-1, n, m])
  if (flat.shape[0] === 0) return f(a) // empty batch: let the tensor layer answer
  const outs = unstack(flat, 0).map(f)
  return reshape(stack(outs, 0), [...lead, ...outs[0].shape])
}

/**
 * Inverse of a square matrix (or of each matrix of a batch `[..., n, n]`), via LU with
 * partial pivoting. A singular matrix (to working precision, as in `solve`) throws
 * `DomainError`. Prefer `solve(A, B)` to `matmul(inv(A), B)`: it is faster and more
 * accurate.
 *
 * `inv(A) · A = A · inv(A) = I`
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toArray(ops.inv(ops.tensor([[1, 2], [3, 4]]))), [[-2, 1], [1.5, -0.5]])
 * assert.throws(() => ops.inv(ops.tensor([[1, 2], [2, 4]])), /singular/)
 * ```
 */
export const inv = (a: Tensor): Tensor =>
  batched(a, (m) => (m.shape.length === 2 && m.shape[0] === m.shape[1] ? solve(m, T.eye(m.shape[0], m.shape[0], m.dtype)) : T.inv(concrete(m))), T.inv)

// ---------------------------------------------------------------------------------------
// cholesky, det

/** @internal */
export const choleskyPrim: Primitive<null> = {
  name: 'cholesky',
  impl: ([a]) => T.cholesky(a),
  jvp: ([a], [t], l) => {
    check2d('cholesky', a)
    const n = a.shape[0]
    const dA = symFromLower(t as Tensor)
    const y = solve(l, dA)
    const s = transpose(solve(l, transpose(y)))
    return matmul(l, mul(s, lowerMask(n, a.dtype, 0.5)))
  },
  vjp: (ct, [a], l) => {
    check2d('cholesky', a)
    const n = a.shape[0]
    const p = mul(matmul(transpose(l), ct), lowerMask(n, a.dtype, 0.5))
    const y = solve(transpose(l), p)
    const x = transpose(solve(transpose(l), transpose(y)))
    return [symFromLowerT(x)]
  },
}

/**
 * Cholesky factor of a symmetric positive-definite matrix (or of each matrix of a batch
 * `[..., n, n]`): the lower-triangular `L` with a positive diagonal and `L Lᵀ = A`.
 *
 * `Lⱼⱼ = √(Aⱼⱼ − Σₚ₍ₚ<ⱼ₎ Lⱼₚ²)`, `Lᵢⱼ = (Aᵢⱼ − Σₚ₍ₚ<ⱼ₎ Lᵢₚ Lⱼₚ) / Lⱼⱼ` for `i > j`
 *
 * Only the lower triangle of `A` is read (as in LAPACK), so symmetry is assumed, not
 * checked. A pivot that is not positive (the matrix is not positive definite) throws
 * `DomainError` naming the pivot. Computed in float64; returns the input dtype.
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, DomainError } from 'dendrite'
 * import * as assert from 'node:assert'
 * const L = ops.cholesky(ops.tensor([[4, 2], [2, 5]]))
 * assert.deepStrictEqual(ops.toArray(L), [[2, 0], [1, 2]])
 * assert.throws(() => ops.cholesky(ops.tensor([[1, 2], [2, 1]])), DomainError)
 * ```
 */
export const cholesky = (a: Tensor): Tensor => (a.shape.length === 2 ? call(choleskyPrim, [a], null) : batched(a, (m) => call(choleskyPrim, [m], null), T.cholesky))

/** @internal */
export const detPrim: Primitive<null> = {
  name: 'det',
  impl: ([a]) => T.det(a),
  jvp: ([a], [t], y) => {
    check2d('det', a)
    const n = a.shape[0]
    return mul(y, sum(mul(solve(a, t as Tensor), T.eye(n, n, a.dtype))))
  },
  vjp: (ct, [a], y) => {
    check2d('det', a)
    const n = a.shape[0]
    return [mul(mul(ct, y), transpose(solve(a, T.eye(n, n, a.dtype))))]
  },
}

/**
 * Determinant of a square matrix (a scalar tensor), or of each matrix of a batch
 * `[..., n, n]` (a tensor of shape `[...]`), from the LU factorisation.
 *
 * `det(A) = sign(P) · Πᵢ Uᵢᵢ` where `P A = L U`
 *
 * A singular matrix is not an error: its determinant is 0 (or, when rounding leaves a
 * tiny pivot, a number tiny next to the product of the column norms). `det([])` of a
 * `0 × 0` matrix is 1. Computed in float64; returns the input dtype.
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(ops.det(ops.tensor([[1, 2], [3, 4]]))), -2)
 * assert.strictEqual(ops.item(ops.det(ops.tensor([[1, 2], [2, 4]]))), 0)
 * assert.deepStrictEqual(ops.toArray(ops.det(ops.tensor([[[2, 0], [0, 3]], [[0, 1], [1, 0]]]))), [6, -1])
 * ```
 */
export const det = (a: Tensor): Tensor => (a.shape.length === 2 ? call(detPrim, [a], null) : batched(a, (m) => call(detPrim, [m], null), T.det))

// ---------------------------------------------------------------------------------------
// least squares

/** @internal ridge least squares for a matrix right-hand side. */
export const lstsqPrim: Primitive<{ readonly ridge: number }> = {
  name: 'lstsq',
  impl: ([a, b], p) => T.lstsq(a, b, { ridge: p.ridge }),
  jvp: ([a, b], [ta, tb], x, p) => {
    const g = gram(a, p.ridge)
    const r = sub(b, matmul(a, x))
    const fromA: Tensor | Zero = ta === zero ? zero : sub(matmul(transpose(ta as Tensor), r), matmul(transpose(a), matmul(ta as Tensor, x)))
    const fromB: Tensor | Zero = tb === zero ? zero : matmul(transpose(a), tb as Tensor)
    const rhs = addTangents(fromA, fromB, add)
    return rhs === zero ? zero : solve(g, rhs as Tensor, { assume: 'spd' })
  },
  vjp: (ct, [a, b], x, p) => {
    const z = solve(gram(a, p.ridge), ct, { assume: 'spd' })
    const r = sub(b, matmul(a, x))
    const az = matmul(a, z)
    return [sub(matmul(r, transpose(z)), matmul(az, transpose(x))), az]
  },
  showParams: (p) => `ridge=${p.ridge}`,
}

const gram = (a: Tensor, ridge: number): Tensor => {
  const n = a.shape[1]
  const g = matmul(transpose(a), a)
  return ridge === 0 ? g : add(g, mul(T.eye(n, n, a.dtype), ridge))
}

/**
 * Least squares with an optional ridge penalty: for `A` `[m, n]` and `B` `[m]` or
 * `[m, k]`, the `X` (`[n]` or `[n, k]`) that minimises `‖A X − B‖² + λ‖X‖²`.
 *
 * `X = (AᵀA + λI)⁻¹ AᵀB`
 *
 * It solves the normal equations `(AᵀA + λI) X = AᵀB` with Cholesky, in float64 whatever
 * the input dtype. `λ > 0` is what population-coding (NEF) decoders use: with activities
 * `A` of neurons sampled at `m` points, targets `X` and noise `σ`, the decoders are
 * `D = (AᵀA + mσ²I)⁻¹ AᵀX`, i.e. `lstsq(A, X, { ridge: m * σ ** 2 })` (Nengo's LstsqL2 and
 * `neuro.decoders` scale by the `m` sample points; the notes write `N`); the penalty keeps
 * them small and robust to noise, and makes the system well posed.
 *
 * With `λ = 0`, `A` must have full column rank: if `AᵀA + λI` is singular to working
 * precision (a Cholesky pivot `≤ n·ε·maxⱼ(AᵀA + λI)ⱼⱼ`, for instance when `m < n` or two
 * columns are equal), `lstsq` throws `DomainError` asking for `ridge > 0` rather than
 * falling back silently to a minimum-norm solution. Forming `AᵀA` squares the condition
 * number, so for ill-conditioned `A` and `λ = 0` expect about `cond(A)²·ε` relative error.
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // fit y = 1 + 2x through (0, 1), (1, 3), (2, 5)
 * const A = ops.tensor([[1, 0], [1, 1], [1, 2]], 'float64')
 * const y = ops.tensor([1, 3, 5], 'float64')
 * const [c, s] = ops.toFlat(ops.lstsq(A, y))
 * assert.ok(Math.abs(c - 1) < 1e-12 && Math.abs(s - 2) < 1e-12)
 * // ridge: minimise (x − 4)² + 1·x² → x = 2
 * assert.deepStrictEqual(ops.toArray(ops.lstsq(ops.tensor([[1]]), ops.tensor([4]), { ridge: 1 })), [2])
 * ```
 */
export const lstsq = (a: Tensor, b: Tensor, options: LstsqOptions = {}): Tensor => {
  const ridge = options.ridge ?? 0
  if (a.shape.length !== 2 || (b.shape.length !== 1 && b.shape.length !== 2) || b.shape[0] !== a.shape[0]) {
    return T.lstsq(concrete(a), concrete(b), options) // throws the tensor layer's error
  }
  if (b.shape.length === 1) return squeeze(call(lstsqPrim, [a, expandDims(b, 1)], { ridge }), 1)
  return call(lstsqPrim, [a, b], { ridge })
}

/** @internal Linear-algebra primitives for the table. */
export const linalgPrims = { matmul: matmulPrim, solve: solvePrim, cholesky: choleskyPrim, det: detPrim, lstsq: lstsqPrim }

/**
 * LU factorisation with partial pivoting of a square matrix: `P A = L U`.
 *
 * `A[perm[i], :] = (L U)[i, :]`, `det(A) = sign · Πᵢ Uᵢᵢ`
 *
 * At each step the row with the largest magnitude in the pivot column is swapped up, so
 * `|Lᵢⱼ| ≤ 1`. A singular matrix does not throw: `U` then has a zero on its diagonal.
 * Computed in float64; returns the input dtype.
 *
 * @category linalg
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { L, U, perm, sign } = ops.lu(ops.tensor([[1, 2], [2, 2]]))
 * assert.deepStrictEqual(perm, [1, 0])
 * assert.strictEqual(sign, -1)
 * assert.deepStrictEqual(ops.toArray(L), [[1, 0], [0.5, 1]])
 * assert.deepStrictEqual(ops.toArray(U), [[2, 2], [0, 1]])
 * ```
 */
export const lu = (a: Tensor): T.LUResult => T.lu(concrete(a))

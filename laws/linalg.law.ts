/**
 * Laws of the factorisations and solves:
 *
 * - solve(A, A x) = x                         (well-conditioned A; 'general' and 'spd')
 * - L = cholesky(A): L Lᵀ = A, L lower triangular with a positive diagonal (also batched)
 * - lu(A): A[perm] = L U = P A, L unit lower with |Lᵢⱼ| ≤ 1, U upper
 * - inv(A)·A = I = A·inv(A)
 * - det(AB) = det(A) det(B), det(A) = sign·Πᵢ Uᵢᵢ, det(Aᵀ) = det(A)
 * - X = lstsq(A, B, {ridge: λ}) satisfies (AᵀA + λI) X = AᵀB; for λ = 0 and full column
 *   rank, lstsq(A, A x) = x
 * - float32 inputs are computed in float64: f(float32 A) = fround(f(float64 A)) bitwise
 * - batched cholesky / inv / det = per-matrix results
 * - inputs are bitwise unchanged
 *
 * Well-conditioned test matrices are built, not filtered: A = P(R + (n+1)I) with R
 * uniform in [-1, 1] and P a random row permutation (strictly diagonally dominant before
 * the permutation, so ‖A‖ ≤ 2n+1 and ‖A⁻¹‖ ≤ 1, whatever fast-check draws), and SPD
 * matrices as A = MᵀM + nI. Absolute tolerances carry a 1e-300 floor because fast-check
 * also draws subnormal values, whose products have no relative precision left.
 */
import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { ops, type DType, type Tensor } from 'dendrite'
import { allClose, arbTensorOf, at, snapshot, tr, uniform } from './helpers.js'

// ---- helpers of this file ---------------------------------------------------------

/** Max-abs norm. */
const maxAbs = (t: Tensor): number => {
  let s = 0
  for (let i = 0; i < t.data.length; i++) s = Math.max(s, Math.abs(t.data[i]))
  return s
}


/** Stacks 2-D tensors into [B, m, n]. */
const stack = (ts: Tensor[]): Tensor => {
  const data = ts.flatMap((t) => Array.from(t.data as ArrayLike<number>))
  return ops.fromArray(data, [ts.length, ...ts[0].shape], ts[0].dtype)
}

const f64 = (t: Tensor): Tensor => ops.astype(t, 'float64')
const dim = (max = 5) => fc.integer({ min: 1, max })

/** P(R + (n+1)I): R uniform in [-1,1], P a random row permutation. Values exact in float32. */
const arbWellConditioned = (n: number, dtype: DType = 'float64') =>
  fc
    .tuple(
      fc.array(fc.float({ min: -1, max: 1, noNaN: true }).map((x) => x + 0), { minLength: n * n, maxLength: n * n }),
      fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    )
    .map(([r, perm]) => {
      const out = new Float64Array(n * n)
      for (let i = 0; i < n; i++) {
        const src = perm[i]
        for (let j = 0; j < n; j++) out[i * n + j] = r[src * n + j] + (src === j ? n + 1 : 0)
      }
      return ops.fromArray(out, [n, n], dtype)
    })

/** MᵀM + nI with M uniform in [-1, 1] (computed here in float64, exactly symmetric). */
const arbSPD = (n: number) =>
  fc.array(uniform(-1, 1), { minLength: n * n, maxLength: n * n }).map((m) => {
    const out = new Float64Array(n * n)
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0
        for (let p = 0; p < n; p++) s += m[p * n + i] * m[p * n + j]
        out[i * n + j] = s + (i === j ? n : 0)
        out[j * n + i] = out[i * n + j]
      }
    return ops.fromArray(out, [n, n], 'float64')
  })

/** Right-hand side [n] or [n, k]. */
const arbRhs = (n: number, dtype: DType = 'float64') =>
  fc.oneof(arbTensorOf([n], dtype), dim(3).chain((k) => arbTensorOf([n, k], dtype)))

/** `A x` for x [n] or [n, k]. */
const times = (a: Tensor, x: Tensor): Tensor => ops.matmul(a, x)

// ---- laws ---------------------------------------------------------------------------

describe('linalg laws', () => {
  // ‖A⁻¹‖ ≤ 1 and ‖A‖ ≤ 2n+1 ≤ 13, so x is recovered to ~cond·ε·|x| ≪ 1e-9·(1+|x|).
  test.prop([dim(6).chain((n) => fc.tuple(arbWellConditioned(n), arbRhs(n)))])(
    "solve(A, A x) = x (assume 'general', LU with pivoting)",
    ([a, x]) => {
      const y = ops.solve(a, times(a, x))
      expect(y.shape).toEqual(x.shape)
      allClose(y, x, { rtol: 1e-9, atol: 1e-9 * maxAbs(x) + 1e-300 })
    },
  )

  test.prop([dim(6).chain((n) => fc.tuple(arbSPD(n), arbRhs(n)))])("solve(A, A x) = x (assume 'spd') and agrees with 'general'", ([a, x]) => {
    const b = times(a, x)
    const y = ops.solve(a, b, { assume: 'spd' })
    allClose(y, x, { rtol: 1e-9, atol: 1e-9 * maxAbs(x) + 1e-300 })
    allClose(y, ops.solve(a, b), { rtol: 1e-9, atol: 1e-9 * maxAbs(x) + 1e-300 })
  })

  test.prop([fc.tuple(fc.array(dim(3), { maxLength: 2 }), dim(6)).chain(([batch, n]) =>
    fc.array(arbSPD(n), { minLength: ops.sizeOf(batch), maxLength: ops.sizeOf(batch) }).map((ms) =>
      ops.fromArray(ms.flatMap((m) => Array.from(m.data as ArrayLike<number>)), [...batch, n, n], 'float64'),
    ),
  )])('L = cholesky(A): L Lᵀ = A, L lower triangular, positive diagonal (batched)', (a) => {
    const L = ops.cholesky(a)
    expect(L.shape).toEqual(a.shape)
    const n = a.shape[a.shape.length - 1]
    for (let b = 0; b < L.data.length / (n * n); b++) {
      for (let i = 0; i < n; i++) {
        expect(L.data[b * n * n + i * n + i]).toBeGreaterThan(0)
        for (let j = i + 1; j < n; j++) expect(L.data[b * n * n + i * n + j]).toBe(0)
      }
    }
    // entries of A are ≤ 2n in size; 1e-9 relative to that
    allClose(ops.matmul(L, tr(L)), a, { rtol: 1e-9, atol: 1e-9 * maxAbs(a) + 1e-300 })
  })

  test.prop([dim(6).chain((n) => fc.oneof(arbWellConditioned(n), arbTensorOf([n, n], 'float64', -5, 5)))])(
    'lu(A): A[perm] = L U = P A, L unit lower with |L| ≤ 1, U upper',
    (a) => {
      const { L, U, P, perm, sign } = ops.lu(a)
      const n = a.shape[0]
      expect([...perm].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i))
      for (let i = 0; i < n; i++) {
        expect(L.data[i * n + i]).toBe(1)
        for (let j = 0; j < n; j++) {
          if (j > i) expect(L.data[i * n + j]).toBe(0)
          if (j < i) {
            expect(U.data[i * n + j]).toBe(0)
            expect(Math.abs(L.data[i * n + j])).toBeLessThanOrEqual(1)
          }
        }
      }
      const rows = ops.fromArray(perm.flatMap((p) => Array.from({ length: n }, (_, j) => a.data[p * n + j])), [n, n], 'float64')
      // backward stability of LU with partial pivoting: error ~ n·ε·‖L‖‖U‖
      const atol = 1e-9 * maxAbs(a)
      allClose(ops.matmul(L, U), rows, { rtol: 1e-9, atol })
      allClose(ops.matmul(P, a), rows, { rtol: 0, atol: 0 })
      // sign is det(P): the parity of the permutation
      let parity = 1
      const seen = new Array<boolean>(n).fill(false)
      for (let i = 0; i < n; i++) {
        if (seen[i]) continue
        let len = 0
        for (let j = i; !seen[j]; j = perm[j]) {
          seen[j] = true
          len++
        }
        if (len % 2 === 0) parity = -parity
      }
      expect(sign).toBe(parity)
    },
  )

  test.prop([dim(6).chain((n) => arbWellConditioned(n))])('inv(A)·A = I = A·inv(A)', (a) => {
    const n = a.shape[0]
    const ai = ops.inv(a)
    const I = ops.eye(n, n, 'float64')
    allClose(ops.matmul(ai, a), I, { rtol: 1e-9, atol: 1e-9 })
    allClose(ops.matmul(a, ai), I, { rtol: 1e-9, atol: 1e-9 })
  })

  // |det| ≥ 1 for these matrices (all singular values of R + (n+1)I are ≥ 1), and LU's
  // relative error in det is ~n·cond·ε, so rtol 1e-9 is ample.
  test.prop([dim(6).chain((n) => fc.tuple(arbWellConditioned(n), arbWellConditioned(n)))])(
    'det(AB) = det(A) det(B), det(Aᵀ) = det(A), det(A) = sign·Π Uᵢᵢ',
    ([a, b]) => {
      const da = ops.item(ops.det(a))
      const db = ops.item(ops.det(b))
      expect(ops.det(a).shape).toEqual([])
      allClose(ops.det(ops.matmul(a, b)), da * db, { rtol: 1e-9, atol: 0 })
      allClose(ops.det(tr(a)), da, { rtol: 1e-9, atol: 0 })
      const { U, sign } = ops.lu(a)
      let p = sign as number
      for (let i = 0; i < a.shape[0]; i++) p *= U.data[i * a.shape[0] + i]
      allClose(ops.det(a), p, { rtol: 1e-12, atol: 0 })
    },
  )

  test.prop([
    fc
      .tuple(dim(6), dim(5), uniform(0.01, 10))
      .chain(([m, n, ridge]) => fc.tuple(arbTensorOf([m, n], 'float64', -1, 1), arbRhs(m), fc.constant(ridge))),
  ])('X = lstsq(A, B, {ridge: λ}) satisfies (AᵀA + λI) X = AᵀB', ([a, b, ridge]) => {
    const x = ops.lstsq(a, b, { ridge })
    const n = a.shape[1]
    expect(x.shape).toEqual(b.shape.length === 1 ? [n] : [n, b.shape[1]])
    const at_ = tr(a)
    const g = ops.matmul(at_, a)
    const gl = ops.fromArray(Array.from(g.data as ArrayLike<number>, (v, i) => v + (i % (n + 1) === 0 ? ridge : 0)), [n, n], 'float64')
    const lhs = ops.matmul(gl, x)
    const rhs = ops.matmul(at_, b)
    // residual of a backward-stable solve: ~n·ε·‖G‖‖X‖ (G = AᵀA + λI); here
    // cond(G) ≤ (λ + m·n)/λ ≤ 3000, so a relative tolerance on top of that is also safe.
    // The 1e-300 floor: fast-check draws subnormal B, whose products have no relative precision.
    allClose(lhs, rhs, { rtol: 1e-9, atol: 1e-9 * (maxAbs(gl) * maxAbs(x) * n + maxAbs(rhs)) + 1e-300 })
  })

  // Tall A = [P(R + (n+1)I); S] has full column rank with σ_min ≥ 1, so cond(AᵀA) ≤ (3n+2)².
  test.prop([
    fc
      .tuple(dim(5), fc.integer({ min: 0, max: 4 }))
      .chain(([n, extra]) => fc.tuple(arbWellConditioned(n), arbTensorOf([extra, n], 'float64', -1, 1), arbRhs(n))),
  ])('lstsq(A, A x) = x for full column rank A and ridge 0', ([top, rest, x]) => {
    const n = top.shape[0]
    const a = ops.fromArray([...Array.from(top.data as ArrayLike<number>), ...Array.from(rest.data as ArrayLike<number>)], [n + rest.shape[0], n], 'float64')
    allClose(ops.lstsq(a, times(a, x)), x, { rtol: 1e-9, atol: 1e-9 * maxAbs(x) + 1e-300 })
  })

  test.prop([dim(5).chain((n) => fc.tuple(arbWellConditioned(n, 'float32'), arbRhs(n, 'float32'), arbSPD(n)))])(
    'float32 inputs are solved in float64: f(A₃₂) = fround(f(A₆₄)) bitwise',
    ([a, b, spd]) => {
      const s32 = ops.astype(spd, 'float32')
      const s64 = f64(s32)
      const cases: Array<[Tensor, Tensor]> = [
        [ops.solve(a, b), ops.solve(f64(a), f64(b))],
        [ops.inv(a), ops.inv(f64(a))],
        [ops.det(a), ops.det(f64(a))],
        [ops.cholesky(s32), ops.cholesky(s64)],
        [ops.solve(s32, b, { assume: 'spd' }), ops.solve(s64, f64(b), { assume: 'spd' })],
        [ops.lstsq(a, b, { ridge: 0.5 }), ops.lstsq(f64(a), f64(b), { ridge: 0.5 })],
      ]
      for (const [r32, r64] of cases) {
        expect(r32.dtype).toBe('float32')
        expect(Array.from(r32.data as ArrayLike<number>)).toEqual(Array.from(r64.data as ArrayLike<number>, Math.fround))
      }
    },
  )

  test.prop([fc.tuple(dim(3), dim(5)).chain(([nb, n]) => fc.tuple(fc.array(arbWellConditioned(n), { minLength: nb, maxLength: nb }), fc.array(arbSPD(n), { minLength: nb, maxLength: nb })))])(
    'batched cholesky, inv, det = per-matrix results',
    ([gs, ss]) => {
      const g = stack(gs)
      const s = stack(ss)
      const L = ops.cholesky(s)
      const I = ops.inv(g)
      const D = ops.det(g)
      expect(D.shape).toEqual([gs.length])
      gs.forEach((gi, b) => {
        allClose(at(L, b), ops.cholesky(ss[b]), { rtol: 0, atol: 0 })
        allClose(at(I, b), ops.inv(gi), { rtol: 0, atol: 0 })
        expect(D.data[b]).toBe(ops.item(ops.det(gi)))
      })
    },
  )

  test.prop([dim(4).chain((n) => fc.tuple(arbWellConditioned(n), arbSPD(n), arbRhs(n), arbTensorOf([n + 1, n], 'float64', -1, 1)))])(
    'inputs are bitwise unchanged',
    ([a, s, b, t]) => {
      const before = [a, s, b, t].map(snapshot)
      ops.solve(a, b)
      ops.solve(s, b, { assume: 'spd' })
      ops.cholesky(s)
      ops.lu(a)
      ops.inv(a)
      ops.det(a)
      ops.lstsq(a, b)
      ops.lstsq(t, ops.matmul(t, b), { ridge: 1 })
      expect([a, s, b, t].map(snapshot)).toEqual(before)
    },
  )
})

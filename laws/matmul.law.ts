/**
 * Laws of the matrix products `matmul`, `dot`, `outer`:
 *
 * - (AB)C = A(BC)                       (float64, error relative to ‖A‖‖B‖‖C‖)
 * - (AB)ᵀ = BᵀAᵀ
 * - A·I = A = I·A                       (exact, also with batch dimensions)
 * - matmul over a batch = loop of 2-D matmuls, one per batch index
 * - broadcasting batch dimensions = tiling them explicitly first
 * - float32 matmul = naive triple loop (error ≤ 1e-5·Σₚ|aᵢₚ||bₚⱼ|)
 * - 1-D promotion: v@M = ([v]@M)[0], M@v = (M@[v]ᵀ)[:,0], u@v = dot(u,v) = Σ uᵢvᵢ
 * - outer(u, v) = u[:,None] @ v[None,:]
 * - inputs are bitwise unchanged
 */
import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { bind, ops, primitives, type DType, type Tensor } from 'dendrite'
import { allClose, arbTensorOf, at, snapshot, tr } from './helpers.js'

// ---- small helpers of this file (independent of the library's layout ops) -------------

/** Frobenius norm, scaled by the largest entry so that tiny entries do not underflow. */
const norm = (t: Tensor): number => {
  let big = 0
  for (let i = 0; i < t.data.length; i++) big = Math.max(big, Math.abs(t.data[i]))
  if (big === 0) return 0
  let s = 0
  for (let i = 0; i < t.data.length; i++) s += (t.data[i] / big) ** 2
  return big * Math.sqrt(s)
}


/** Explicit broadcast of `t` to `shape` by index arithmetic (a copy). */
const tileTo = (t: Tensor, shape: readonly number[]): Tensor => {
  const r = shape.length
  const off = r - t.shape.length
  const size = ops.sizeOf(shape)
  const out = new Float64Array(size)
  for (let flat = 0; flat < size; flat++) {
    let rem = flat
    let src = 0
    let stride = 1
    const idx = new Array<number>(r)
    for (let d = r - 1; d >= 0; d--) {
      idx[d] = rem % shape[d]
      rem = Math.floor(rem / shape[d])
    }
    for (let d = r - 1; d >= off; d--) {
      const dim = t.shape[d - off]
      src += (dim === 1 ? 0 : idx[d]) * stride
      stride *= dim
    }
    out[flat] = t.data[src]
  }
  return ops.fromArray(out, shape, t.dtype)
}

const dim = (max = 5) => fc.integer({ min: 1, max })

// ---- laws ---------------------------------------------------------------------------

describe('matmul laws', () => {
  // The forward error of a computed product is bounded elementwise by γ·(|A||B||C|)ᵢⱼ,
  // not by the size of the result (entries of (AB)C can cancel to near 0), so a purely
  // relative tolerance would be wrong. (|A||B||C|)ᵢⱼ ≤ ‖A‖_F‖B‖_F‖C‖_F by Cauchy–Schwarz,
  // hence atol = 1e-9·‖A‖‖B‖‖C‖ is a safe bound that still catches any real error.
  // The 1e-300 floor: fast-check draws tiny values whose products underflow to subnormals
  // (or 0), where relative precision is lost.
  test.prop([
    fc.tuple(dim(), dim(), dim(), dim()).chain(([m, k, n, p]) =>
      fc.tuple(arbTensorOf([m, k]), arbTensorOf([k, n]), arbTensorOf([n, p])),
    ),
  ])('(AB)C = A(BC) in float64', ([a, b, c]) => {
    const atol = 1e-9 * norm(a) * norm(b) * norm(c) + 1e-300
    allClose(ops.matmul(ops.matmul(a, b), c), ops.matmul(a, ops.matmul(b, c)), { rtol: 1e-9, atol })
  })

  test.prop([
    fc.tuple(fc.array(dim(3), { maxLength: 2 }), dim(), dim(), dim()).chain(([batch, m, k, n]) =>
      fc.tuple(arbTensorOf([...batch, m, k]), arbTensorOf([...batch, k, n])),
    ),
  ])('(AB)ᵀ = BᵀAᵀ (with batch dimensions)', ([a, b]) => {
    const atol = 1e-9 * norm(a) * norm(b) + 1e-300 // floor: see above
    allClose(tr(ops.matmul(a, b)), ops.matmul(tr(b), tr(a)), { rtol: 1e-9, atol })
  })

  test.prop([
    fc.tuple(fc.array(dim(3), { maxLength: 2 }), dim(), dim(), dim(), fc.boolean(), fc.boolean(), fc.constantFrom<DType>('float32', 'float64')).chain(
      ([batch, m, k, n, ta, tb, dtype]) =>
        fc.tuple(arbTensorOf([...batch, ...(ta ? [k, m] : [m, k])], dtype), arbTensorOf([...batch, ...(tb ? [n, k] : [k, n])], dtype), fc.constant(ta), fc.constant(tb)),
    ),
  ])('the flagged matmul primitive (no transpose copy) = matmul of the explicit transposes', ([a, b, ta, tb]) => {
    const flagged = bind(primitives.matmul, [a, b], ta || tb ? { transA: ta, transB: tb } : null)
    const explicit = ops.matmul(ta ? tr(a) : a, tb ? tr(b) : b)
    // the same products in a different memory order: equal up to the summation order
    const atol = (a.dtype === 'float32' ? 1e-5 : 1e-12) * (norm(a) * norm(b) + 1e-300)
    allClose(flagged, explicit, { rtol: 0, atol })
  })

  test.prop([
    fc.tuple(fc.array(dim(3), { maxLength: 2 }), dim(6), dim(6), fc.constantFrom<DType>('float32', 'float64')).chain(
      ([batch, m, n, dtype]) => arbTensorOf([...batch, m, n], dtype),
    ),
  ])('A·I = A = I·A (exactly)', (a) => {
    const [m, n] = a.shape.slice(-2)
    const exact = { rtol: 0, atol: 0 }
    allClose(ops.matmul(a, ops.eye(n, n, a.dtype)), a, exact)
    allClose(ops.matmul(ops.eye(m, m, a.dtype), a), a, exact)
  })

  test.prop([
    fc
      .tuple(dim(4), dim(), dim(), dim(), fc.constantFrom<DType>('float32', 'float64'))
      .chain(([nb, m, k, n, dtype]) => fc.tuple(arbTensorOf([nb, m, k], dtype), arbTensorOf([nb, k, n], dtype))),
  ])('batched matmul = loop of single matmuls', ([a, b]) => {
    const c = ops.matmul(a, b)
    expect(c.shape).toEqual([a.shape[0], a.shape[1], b.shape[2]])
    expect(c.dtype).toBe(a.dtype)
    for (let i = 0; i < a.shape[0]; i++) allClose(at(c, i), ops.matmul(at(a, i), at(b, i)), { rtol: 0, atol: 0 })
  })

  // batch shapes: a target T of rank ≤ 3; each operand keeps a suffix of T with some
  // dimensions replaced by 1, so that the two always broadcast to T (or a suffix of it).
  const arbBatchPair = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }).chain((t) =>
    fc.tuple(
      fc.integer({ min: 0, max: t.length }),
      fc.array(fc.boolean(), { minLength: t.length, maxLength: t.length }),
      fc.integer({ min: 0, max: t.length }),
      fc.array(fc.boolean(), { minLength: t.length, maxLength: t.length }),
    ).map(([da, ones_a, db, ones_b]) => [
      t.slice(da).map((d, i) => (ones_a[da + i] ? 1 : d)),
      t.slice(db).map((d, i) => (ones_b[db + i] ? 1 : d)),
    ]),
  )
  test.prop([
    fc
      .tuple(arbBatchPair, dim(4), dim(4), dim(4), fc.constantFrom<DType>('float32', 'float64'))
      .chain(([[ba, bb], m, k, n, dtype]) => fc.tuple(arbTensorOf([...ba, m, k], dtype), arbTensorOf([...bb, k, n], dtype))),
  ])('broadcasting batch dims = tiling them explicitly', ([a, b]) => {
    const c = ops.matmul(a, b)
    const batch = ops.broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2))
    const [m, k] = a.shape.slice(-2)
    const n = b.shape[b.shape.length - 1]
    expect(c.shape).toEqual([...batch, m, n])
    const ta = tileTo(a, [...batch, m, k])
    const tb = tileTo(b, [...batch, k, n])
    allClose(c, ops.matmul(ta, tb), { rtol: 0, atol: 0 })
  })

  // k up to 300 crosses the kernel's 256-wide block of the shared dimension.
  test.prop([
    fc
      .tuple(dim(6), fc.oneof(dim(8), fc.integer({ min: 250, max: 300 })), dim(6))
      .chain(([m, k, n]) => fc.tuple(arbTensorOf([m, k], 'float32'), arbTensorOf([k, n], 'float32'))),
  ])('float32 matmul = naive triple loop (to 1e-5·Σ|a||b|)', ([a, b]) => {
    const [m, k] = a.shape
    const n = b.shape[1]
    const c = ops.matmul(a, b)
    expect(c.dtype).toBe('float32')
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0
        let mag = 0
        for (let p = 0; p < k; p++) {
          s += a.data[i * k + p] * b.data[p * n + j]
          mag += Math.abs(a.data[i * k + p] * b.data[p * n + j])
        }
        // float32 rounding of the result alone is 2⁻²⁴|c| ≤ 6e-8·Σ|a||b|; 1e-5 leaves room
        // for float32 accumulation in a faster kernel, and 1e-30 for all-zero rows.
        expect(Math.abs(c.data[i * n + j] - s)).toBeLessThanOrEqual(1e-5 * mag + 1e-30)
      }
    }
  })

  test.prop([
    fc.tuple(dim(), dim()).chain(([k, n]) => fc.tuple(arbTensorOf([k]), arbTensorOf([k, n]), arbTensorOf([n, k]), arbTensorOf([k]))),
  ])('1-D promotion: v@M, M@v and u@v', ([v, M, N, u]) => {
    const [k, n] = M.shape
    const vm = ops.matmul(v, M)
    expect(vm.shape).toEqual([n])
    allClose(vm, ops.fromArray(ops.matmul(ops.fromArray(v.data, [1, k], 'float64'), M).data, [n], 'float64'), { rtol: 0, atol: 0 })
    const nv = ops.matmul(N, v)
    expect(nv.shape).toEqual([n])
    allClose(nv, ops.fromArray(ops.matmul(N, ops.fromArray(v.data, [k, 1], 'float64')).data, [n], 'float64'), { rtol: 0, atol: 0 })
    const uv = ops.matmul(u, v)
    expect(uv.shape).toEqual([])
    let s = 0
    let mag = 0
    for (let i = 0; i < k; i++) {
      s += u.data[i] * v.data[i]
      mag += Math.abs(u.data[i] * v.data[i])
    }
    allClose(uv, s, { rtol: 0, atol: 1e-12 * mag + 1e-300 })
    allClose(ops.dot(u, v), s, { rtol: 0, atol: 1e-12 * mag + 1e-300 })
  })

  test.prop([
    fc.tuple(dim(), dim(), fc.constantFrom<DType>('float32', 'float64')).chain(([m, n, dtype]) =>
      fc.tuple(arbTensorOf([m], dtype), arbTensorOf([n], dtype)),
    ),
  ])('outer(u, v) = u[:,None] @ v[None,:]', ([u, v]) => {
    const [m, n] = [u.shape[0], v.shape[0]]
    const o = ops.outer(u, v)
    expect(o.dtype).toBe(u.dtype)
    allClose(o, ops.matmul(ops.fromArray(u.data, [m, 1], u.dtype), ops.fromArray(v.data, [1, n], v.dtype)), { rtol: 0, atol: 0 })
  })

  test.prop([
    fc.tuple(dim(3), dim(), dim(), dim(), fc.constantFrom<DType>('float32', 'float64')).chain(([nb, m, k, n, dtype]) =>
      fc.tuple(arbTensorOf([nb, m, k], dtype), arbTensorOf([k, n], dtype), arbTensorOf([k], dtype), arbTensorOf([k], dtype)),
    ),
  ])('inputs are bitwise unchanged', ([a, b, u, v]) => {
    const before = [a, b, u, v].map(snapshot)
    ops.matmul(a, b)
    ops.matmul(u, b)
    ops.dot(u, v)
    ops.outer(u, v)
    expect([a, b, u, v].map(snapshot)).toEqual(before)
  })
})

/**
 * Reference matrix-multiply loops: `C = A · B` for row-major `A: m×k`, `B: k×n`.
 *
 * Laws: `gemm` agrees with `gemmNaive` (the triple loop of the definition
 * `Cᵢⱼ = Σₚ Aᵢₚ Bₚⱼ`) up to floating-point reassociation.
 *
 * The blocked loop packs `B` transposed, then computes 4×4 tiles of `C` with sixteen
 * scalar accumulators, so each step of the inner loop does 16 multiply-adds for 8 loads;
 * the shared dimension is cut into blocks of `KC` so that the packed panels stay in cache.
 * One copy of the loop per dtype keeps each call site monomorphic for the JIT.
 *
 * @module
 */

const KC = 256

/** @internal The definition, for checking the blocked loop. */
export const gemmNaive = (
  a: Float32Array | Float64Array, aOff: number,
  b: Float32Array | Float64Array, bOff: number,
  c: Float32Array | Float64Array, cOff: number,
  m: number, k: number, n: number,
): void => {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let p = 0; p < k; p++) s += a[aOff + i * k + p] * b[bOff + p * n + j]
      c[cOff + i * n + j] = s
    }
  }
}

/** @internal Blocked float32 multiply; `c` must be zeroed. `bt` is scratch of size k·n. */
export const gemmF32 = (
  a: Float32Array, aOff: number,
  b: Float32Array, bOff: number,
  c: Float32Array, cOff: number,
  m: number, k: number, n: number,
  bt: Float32Array,
): void => {
  // pack Bᵀ: bt[j*k + p] = B[p, j]
  for (let p = 0; p < k; p++) {
    const row = bOff + p * n
    for (let j = 0; j < n; j++) bt[j * k + p] = b[row + j]
  }
  const m4 = m - (m % 4)
  const n4 = n - (n % 4)
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = Math.min(k, p0 + KC)
    for (let i = 0; i < m4; i += 4) {
      const a0 = aOff + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
      for (let j = 0; j < n4; j += 4) {
        const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0
        for (let p = p0; p < p1; p++) {
          const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p]
          const y0 = bt[b0 + p], y1 = bt[b1 + p], y2 = bt[b2 + p], y3 = bt[b3 + p]
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3
        }
        let r = cOff + i * n + j
        c[r] += c00; c[r + 1] += c01; c[r + 2] += c02; c[r + 3] += c03; r += n
        c[r] += c10; c[r + 1] += c11; c[r + 2] += c12; c[r + 3] += c13; r += n
        c[r] += c20; c[r + 1] += c21; c[r + 2] += c22; c[r + 3] += c23; r += n
        c[r] += c30; c[r + 1] += c31; c[r + 2] += c32; c[r + 3] += c33
      }
    }
    // edges: rows past m4 (all columns) and columns past n4 (rows below m4)
    for (let i = 0; i < m; i++) {
      const jStart = i < m4 ? n4 : 0
      const ai = aOff + i * k
      for (let j = jStart; j < n; j++) {
        const bj = j * k
        let s = 0
        for (let p = p0; p < p1; p++) s += a[ai + p] * bt[bj + p]
        c[cOff + i * n + j] += s
      }
    }
  }
}

/** @internal Blocked float64 multiply; the same loop as `gemmF32`, typed for float64. */
export const gemmF64 = (
  a: Float64Array, aOff: number,
  b: Float64Array, bOff: number,
  c: Float64Array, cOff: number,
  m: number, k: number, n: number,
  bt: Float64Array,
): void => {
  for (let p = 0; p < k; p++) {
    const row = bOff + p * n
    for (let j = 0; j < n; j++) bt[j * k + p] = b[row + j]
  }
  const m4 = m - (m % 4)
  const n4 = n - (n % 4)
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = Math.min(k, p0 + KC)
    for (let i = 0; i < m4; i += 4) {
      const a0 = aOff + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
      for (let j = 0; j < n4; j += 4) {
        const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0
        for (let p = p0; p < p1; p++) {
          const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p]
          const y0 = bt[b0 + p], y1 = bt[b1 + p], y2 = bt[b2 + p], y3 = bt[b3 + p]
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3
        }
        let r = cOff + i * n + j
        c[r] += c00; c[r + 1] += c01; c[r + 2] += c02; c[r + 3] += c03; r += n
        c[r] += c10; c[r + 1] += c11; c[r + 2] += c12; c[r + 3] += c13; r += n
        c[r] += c20; c[r + 1] += c21; c[r + 2] += c22; c[r + 3] += c23; r += n
        c[r] += c30; c[r + 1] += c31; c[r + 2] += c32; c[r + 3] += c33
      }
    }
    for (let i = 0; i < m; i++) {
      const jStart = i < m4 ? n4 : 0
      const ai = aOff + i * k
      for (let j = jStart; j < n; j++) {
        const bj = j * k
        let s = 0
        for (let p = p0; p < p1; p++) s += a[ai + p] * bt[bj + p]
        c[cOff + i * n + j] += s
      }
    }
  }
}

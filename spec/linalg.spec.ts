/**
 * Example-based behaviour of src/tensor/linalg.ts: closed-form values, shapes of NumPy's
 * 1-D promotion and batch broadcasting, and the error messages.
 */
import { describe, expect, test } from 'vitest'
import { DomainError, DTypeError, ShapeError, ops } from 'dendrite'
import { allClose } from '../laws/helpers.js'

const t64 = (xs: ops.NestedArray) => ops.tensor(xs, 'float64')

describe('matmul shapes (NumPy rules)', () => {
  const z = (s: number[]) => ops.zeros(s)
  test.each([
    [[2, 3], [3, 4], [2, 4]],
    [[3], [3, 4], [4]],
    [[2, 3], [3], [2]],
    [[3], [3], []],
    [[2, 1, 3, 4], [5, 4, 6], [2, 5, 3, 6]],
    [[4], [2, 4, 5], [2, 5]],
    [[2, 3, 4], [4], [2, 3]],
    [[1, 3, 4], [7, 4, 2], [7, 3, 2]],
    [[0, 3], [3, 2], [0, 2]],
    [[2, 0], [0, 3], [2, 3]],
    [[0, 2, 3], [3, 4], [0, 2, 4]],
  ])('%j @ %j → %j', (a, b, out) => {
    expect(ops.matmul(z(a), z(b)).shape).toEqual(out)
  })

  test('contracting an empty axis gives zeros', () => {
    expect(ops.toArray(ops.matmul(ops.zeros([2, 0]), ops.zeros([0, 3])))).toEqual([[0, 0, 0], [0, 0, 0]])
  })

  test('values: vector·matrix, matrix·vector, vector·vector', () => {
    const M = ops.tensor([[1, 2], [3, 4], [5, 6]])
    expect(ops.toArray(ops.matmul(ops.tensor([1, 0, -1]), M))).toEqual([-4, -4])
    expect(ops.toArray(ops.matmul(M, ops.tensor([1, -1])))).toEqual([-1, -1, -1])
    expect(ops.toArray(ops.matmul(ops.tensor([1, 2, 3]), ops.tensor([4, 5, 6])))).toBe(32)
  })

  test('a broadcast batch operand is reused for every batch item', () => {
    const a = ops.tensor([[[1, 0], [0, 1]], [[2, 0], [0, 2]]]) // [2,2,2]
    const b = ops.tensor([[1, 2], [3, 4]]) // [2,2]
    expect(ops.toArray(ops.matmul(a, b))).toEqual([[[1, 2], [3, 4]], [[2, 4], [6, 8]]])
  })

  test('keeps the dtype', () => {
    expect(ops.matmul(ops.eye(2, 2, 'float64'), ops.eye(2, 2, 'float64')).dtype).toBe('float64')
    expect(ops.matmul(ops.eye(2), ops.eye(2)).dtype).toBe('float32')
  })
})

describe('dot and outer', () => {
  test('dot of vectors is a scalar; of matrices it is matmul', () => {
    const d = ops.dot(ops.tensor([1, 2, 3]), ops.tensor([4, 5, 6]))
    expect(d.shape).toEqual([])
    expect(ops.item(d)).toBe(32)
    const a = ops.tensor([[1, 2], [3, 4]])
    expect(ops.toArray(ops.dot(a, a))).toEqual(ops.toArray(ops.matmul(a, a)))
    expect(ops.toArray(ops.dot(a, ops.tensor([1, 1])))).toEqual([3, 7])
  })
  test('outer', () => {
    expect(ops.toArray(ops.outer(ops.tensor([1, 2]), ops.tensor([3, 4, 5])))).toEqual([[3, 4, 5], [6, 8, 10]])
    expect(ops.outer(ops.zeros([0]), ops.zeros([3])).shape).toEqual([0, 3])
  })
})

describe('closed forms', () => {
  test('2×2 inverse: [[a,b],[c,d]]⁻¹ = [[d,−b],[−c,a]]/(ad − bc)', () => {
    allClose(ops.inv(t64([[4, 7], [2, 6]])), [[0.6, -0.7], [-0.2, 0.4]], { rtol: 1e-15, atol: 1e-15 })
    allClose(ops.inv(t64([[1, 2], [3, 4]])), [[-2, 1], [1.5, -0.5]], { rtol: 1e-15, atol: 1e-15 })
    expect(ops.inv(ops.tensor([[2, 0], [0, 4]])).dtype).toBe('float32')
  })

  test('det', () => {
    expect(ops.item(ops.det(t64([[1, 2], [3, 4]])))).toBe(-2)
    allClose(ops.det(t64([[6, 1, 1], [4, -2, 5], [2, 8, 7]])), -306, { rtol: 1e-14, atol: 0 })
    expect(ops.item(ops.det(ops.eye(4, 4, 'float64')))).toBe(1)
    expect(ops.item(ops.det(ops.zeros([0, 0])))).toBe(1)
    expect(ops.det(ops.zeros([3, 2, 2])).shape).toEqual([3])
  })

  test('det of a singular matrix is 0, not an error', () => {
    expect(Object.is(ops.item(ops.det(t64([[1, 2], [2, 4]]))), 0)).toBe(true)
    expect(ops.item(ops.det(ops.zeros([3, 3])))).toBe(0)
    // rounding leaves a tiny pivot for this one (NumPy gives ~6.7e-16 too)
    expect(Math.abs(ops.item(ops.det(t64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]))))).toBeLessThan(1e-12)
  })

  test('Cholesky of a known matrix', () => {
    const A = t64([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
    expect(ops.toArray(ops.cholesky(A))).toEqual([[2, 0, 0], [6, 1, 0], [-8, 5, 3]])
    // only the lower triangle is read
    const lowerOnly = t64([[4, 99, 99], [12, 37, 99], [-16, -43, 98]])
    expect(ops.toArray(ops.cholesky(lowerOnly))).toEqual([[2, 0, 0], [6, 1, 0], [-8, 5, 3]])
  })

  test('batched Cholesky', () => {
    const L = ops.cholesky(t64([[[4, 2], [2, 5]], [[1, 0], [0, 9]]]))
    expect(ops.toArray(L)).toEqual([[[2, 0], [1, 2]], [[1, 0], [0, 3]]])
  })

  test('LU with partial pivoting', () => {
    const { L, U, P, perm, sign } = ops.lu(t64([[0, 1], [2, 3]]))
    expect(perm).toEqual([1, 0])
    expect(sign).toBe(-1)
    expect(ops.toArray(L)).toEqual([[1, 0], [0, 1]])
    expect(ops.toArray(U)).toEqual([[2, 3], [0, 1]])
    expect(ops.toArray(P)).toEqual([[0, 1], [1, 0]])
    // a singular matrix factorises without error; U has a zero pivot
    expect(ops.toArray(ops.lu(t64([[1, 2], [2, 4]])).U)).toEqual([[2, 4], [0, 0]])
  })

  test('solve, vector and matrix right-hand sides, both methods', () => {
    const A = t64([[4, 2], [2, 5]])
    expect(ops.toArray(ops.solve(A, t64([8, 12])))).toEqual([1, 2])
    expect(ops.solve(A, t64([[8, 6], [12, 7]])).shape).toEqual([2, 2])
    allClose(ops.solve(A, t64([[8, 6], [12, 7]])), [[1, 1], [2, 1]], { rtol: 1e-15, atol: 1e-15 })
    allClose(ops.solve(A, t64([[8, 6], [12, 7]]), { assume: 'spd' }), [[1, 1], [2, 1]], { rtol: 1e-15, atol: 1e-15 })
    // needs a row swap: the (0,0) entry is 0
    expect(ops.toArray(ops.solve(t64([[0, 1], [1, 0]]), t64([3, 4])))).toEqual([4, 3])
    // a badly scaled but regular matrix is not called singular (the test is per column)
    expect(ops.toArray(ops.solve(t64([[1e-20, 0], [0, 1]]), t64([1e-20, 2])))).toEqual([1, 2])
  })

  test('lstsq: a line through three points, and ridge shrinkage', () => {
    const A = t64([[1, 0], [1, 1], [1, 2]])
    allClose(ops.lstsq(A, t64([1, 3, 5])), [1, 2], { rtol: 1e-12, atol: 1e-12 })
    // noisy points: y = 0, 1, 1 → least-squares line 1/6 + x/2
    allClose(ops.lstsq(A, t64([0, 1, 1])), [1 / 6, 1 / 2], { rtol: 1e-12, atol: 1e-12 })
    // A = I: X = B/(1 + λ)
    allClose(ops.lstsq(ops.eye(3, 3, 'float64'), t64([[2], [4], [6]]), { ridge: 1 }), [[1], [2], [3]], { rtol: 1e-15, atol: 0 })
    // a wide or rank-deficient A is fine with ridge > 0: min ‖x₁ + x₂ − 2‖² + ‖x‖² → x = [2/3, 2/3]
    allClose(ops.lstsq(t64([[1, 1]]), t64([2]), { ridge: 1 }), [2 / 3, 2 / 3], { rtol: 1e-15, atol: 0 })
  })

  test('lstsq as an NEF decoder: D = (AᵀA + Nσ²I)⁻¹AᵀX', () => {
    // two rectified-linear "neurons" a₁ = max(x,0), a₂ = max(−x,0), decoding x from them
    const xs = [-1, -0.5, 0, 0.5, 1]
    const A = t64(xs.map((x) => [Math.max(x, 0), Math.max(-x, 0)]))
    const X = t64(xs.map((x) => [x]))
    const sigma = 0.1
    const D = ops.lstsq(A, X, { ridge: 2 * sigma ** 2 })
    // AᵀA = diag(1.25, 1.25), AᵀX = [1.25, −1.25] → d = ±1.25/(1.25 + 0.02)
    allClose(D, [[1.25 / 1.27], [-1.25 / 1.27]], { rtol: 1e-14, atol: 0 })
  })

  test('float32 in, float32 out', () => {
    const A = ops.tensor([[4, 2], [2, 5]])
    for (const r of [ops.solve(A, ops.tensor([8, 12])), ops.cholesky(A), ops.inv(A), ops.det(A), ops.lstsq(A, ops.tensor([8, 12]))]) {
      expect(r.dtype).toBe('float32')
    }
  })
})

describe('errors', () => {
  const z = (s: number[], dtype: 'float32' | 'float64' = 'float32') => ops.zeros(s, dtype)
  const msg = (f: () => unknown): string => {
    try {
      f()
    } catch (e) {
      return (e as Error).message
    }
    throw new Error('did not throw')
  }

  test('matmul contraction mismatch', () => {
    expect(() => ops.matmul(z([2, 3]), z([4, 5]))).toThrow(ShapeError)
    expect(msg(() => ops.matmul(z([2, 3]), z([4, 5])))).toBe('matmul: cannot contract [2,3] with [4,5] (3 ≠ 4)')
    expect(msg(() => ops.matmul(z([3]), z([4])))).toBe('matmul: cannot contract [3] with [4] (3 ≠ 4)')
    expect(msg(() => ops.matmul(z([2, 2, 3]), z([2])))).toBe('matmul: cannot contract [2,2,3] with [2] (3 ≠ 2)')
  })

  test('matmul batch mismatch, scalars, dtypes', () => {
    expect(msg(() => ops.matmul(z([2, 3, 4]), z([3, 4, 5])))).toBe(
      'matmul: cannot broadcast batch dimensions [2] of [2,3,4] with [3] of [3,4,5] (batch axis -1: 2 ≠ 3)',
    )
    expect(() => ops.matmul(z([2, 3, 4]), z([3, 4, 5]))).toThrow(ShapeError)
    expect(() => ops.matmul(z([]), z([2]))).toThrow(/matmul: operands must have rank ≥ 1, got \[\] and \[2\]/)
    expect(() => ops.matmul(z([2, 2]), z([2, 2], 'float64'))).toThrow(DTypeError)
    expect(() => ops.matmul(z([2, 2]), z([2, 2], 'float64'))).toThrow(/^matmul: dtypes differ/)
  })

  test('dot and outer', () => {
    expect(msg(() => ops.dot(z([3]), z([4])))).toBe('dot: cannot contract [3] with [4] (3 ≠ 4)')
    expect(msg(() => ops.dot(z([2, 3]), z([4, 5])))).toBe('dot: cannot contract [2,3] with [4,5] (3 ≠ 4)')
    expect(() => ops.dot(z([2, 2, 2]), z([2]))).toThrow(/dot: needs vectors or matrices \(rank 1 or 2\), got \[2,2,2\] and \[2\]/)
    expect(() => ops.outer(z([2, 2]), z([2]))).toThrow(/outer: needs two vectors \(rank 1\), got \[2,2\] and \[2\]/)
  })

  test('cholesky: not positive definite names the pivot', () => {
    expect(() => ops.cholesky(ops.tensor([[1, 2], [2, 1]]))).toThrow(DomainError)
    expect(msg(() => ops.cholesky(t64([[1, 2], [2, 1]])))).toBe(
      'cholesky: matrix [2,2] is not symmetric positive definite: pivot 1 is -3 (must be > 0)',
    )
    expect(msg(() => ops.cholesky(t64([[[1, 0], [0, 1]], [[0, 0], [0, 1]]])))).toBe(
      'cholesky: matrix [2,2,2] is not symmetric positive definite in batch item 1: pivot 0 is 0 (must be > 0)',
    )
    expect(() => ops.cholesky(t64([[NaN]]))).toThrow(/pivot 0 is NaN/)
    expect(msg(() => ops.cholesky(z([2, 3])))).toBe('cholesky: needs a square matrix (or a batch of them, [..., n, n]), got [2,3]')
    expect(() => ops.cholesky(z([3]))).toThrow(ShapeError)
  })

  test('solve: singular, not SPD, shapes, options', () => {
    expect(() => ops.solve(t64([[1, 2], [2, 4]]), t64([1, 1]))).toThrow(DomainError)
    expect(msg(() => ops.solve(t64([[1, 2], [2, 4]]), t64([1, 1])))).toBe('solve: A [2,2] is singular to working precision: LU pivot 1 is 0')
    // singular in exact arithmetic, a rounding-sized pivot in floating point
    expect(() => ops.solve(t64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), t64([1, 1, 1]))).toThrow(/singular to working precision: LU pivot 2/)
    expect(msg(() => ops.solve(t64([[1, 2], [2, 1]]), t64([1, 1]), { assume: 'spd' }))).toBe(
      "solve: A [2,2] is not symmetric positive definite: Cholesky pivot 1 is -3 (must be > 0; use assume: 'general')",
    )
    expect(msg(() => ops.solve(z([3, 3]), z([4])))).toBe('solve: cannot solve A [3,3] with right-hand side [4] (3 ≠ 4)')
    expect(() => ops.solve(z([3, 3]), z([3, 1, 1]))).toThrow(/B must be \[3\] or \[3, k\]/)
    expect(() => ops.solve(z([2, 3]), z([2]))).toThrow(/solve: needs a square matrix \[n, n\], got \[2,3\]/)
    expect(() => ops.solve(z([2, 2]), z([2], 'float64'))).toThrow(DTypeError)
    expect(() => ops.solve(ops.eye(2), z([2]), { assume: 'lower' as never })).toThrow(/assume must be 'general' or 'spd'/)
  })

  test('inv: singular', () => {
    expect(() => ops.inv(t64([[1, 2], [2, 4]]))).toThrow(DomainError)
    expect(msg(() => ops.inv(t64([[[1, 0], [0, 1]], [[1, 2], [2, 4]]])))).toBe(
      'inv: matrix [2,2,2] is singular to working precision in batch item 1: LU pivot 1 is 0',
    )
    expect(() => ops.inv(z([2, 3]))).toThrow(ShapeError)
  })

  test('lstsq: rank deficiency throws unless ridge > 0', () => {
    expect(msg(() => ops.lstsq(z([2, 3]), z([2])))).toBe(
      'lstsq: A [2,3] has fewer rows than columns, so AᵀA is singular (rank ≤ 2 < 3); pass ridge > 0',
    )
    const dup = t64([[1, 1], [2, 2], [3, 3]]) // two equal columns
    expect(() => ops.lstsq(dup, t64([1, 2, 3]))).toThrow(DomainError)
    expect(() => ops.lstsq(dup, t64([1, 2, 3]))).toThrow(/lstsq: AᵀA \+ 0·I for A \[3,2\] is singular to working precision: Cholesky pivot 1 .*pass ridge > 0/)
    // nearly dependent columns (rank 1 up to rounding)
    const near = t64([[1, 1 / 3], [2, 2 / 3], [3, 1]])
    expect(() => ops.lstsq(near, t64([1, 2, 3]))).toThrow(DomainError)
    expect(ops.lstsq(dup, t64([1, 2, 3]), { ridge: 1e-3 }).shape).toEqual([2])
    expect(() => ops.lstsq(ops.eye(2), z([2]), { ridge: -1 })).toThrow(/lstsq: ridge must be a finite number ≥ 0, got -1/)
    expect(() => ops.lstsq(ops.eye(2), z([2]), { ridge: NaN })).toThrow(DomainError)
    expect(msg(() => ops.lstsq(z([3, 2]), z([2])))).toBe('lstsq: cannot solve least squares [3,2] with right-hand side [2] (3 ≠ 2)')
    expect(() => ops.lstsq(z([3]), z([3]))).toThrow(/lstsq: needs a matrix A \[m, n\], got \[3\]/)
  })

  test('lu and det need square matrices', () => {
    expect(() => ops.lu(z([2, 3]))).toThrow(/lu: needs a square matrix \[n, n\], got \[2,3\]/)
    expect(() => ops.det(z([2, 3]))).toThrow(/det: needs a square matrix/)
  })
})

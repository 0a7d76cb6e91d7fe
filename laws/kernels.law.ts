/**
 * Kernels: the blocked GEMM agrees with the defining triple loop on awkward shapes (1, 3,
 * 7, 17, 129, non-square, offsets), in both dtypes; every kernel leaves its inputs alone.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { kernels } from 'dendrite'
import { lcgFill } from './helpers.js'
import { gemmNaive } from '../src/kernels/matmul.js'

const dims = fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 17, 33, 129)

describe.each([
  ['float32', Float32Array, 1e-5],
  ['float64', Float64Array, 1e-12],
] as const)('reference matmul (%s)', (_, F, rtol) => {
  test.prop([dims, dims, dims, fc.nat(3), fc.nat(3), fc.integer()], { numRuns: 40 })(
    'blocked GEMM = triple loop',
    (m, k, n, aOff, bOff, seed) => {
      const a = lcgFill(aOff + m * k, seed, F)
      const b = lcgFill(bOff + k * n, seed + 1, F)
      const a0 = a.slice()
      const b0 = b.slice()
      const got = new F(m * n + 2).fill(NaN)
      kernels.reference.matmul(a, aOff, b, bOff, got, 1, m, k, n)
      const want = new Float64Array(m * n)
      gemmNaive(Float64Array.from(a), aOff, Float64Array.from(b), bOff, want, 0, m, k, n)
      // each entry is a sum of k products of numbers in [-1, 1]: bound the error by k
      for (let i = 0; i < m * n; i++) expect(Math.abs(got[i + 1] - want[i])).toBeLessThanOrEqual(rtol * k)
      expect(Number.isNaN(got[0]) && Number.isNaN(got[m * n + 1])).toBe(true)
      expect(a).toEqual(a0)
      expect(b).toEqual(b0)
    },
  )
})

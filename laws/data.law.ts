/**
 * Toy data set laws: shapes and dtypes; labels in `0 … K−1` and cycling `i mod K`;
 * determinism per key (same key → bitwise the same set, another key → another set);
 * `gaussianBlobs` class means lie within 6 standard errors (`std/√n_j`) of their centres
 * (each mean is exactly normal: 2e-9 per check, ≤ 1e-6 over the ≤ 1000 checks of a CI run;
 * at 5 s.e., 5.7e-7 per check, the union bound was ≈ 2e-4 per run);
 * `twoSpirals` points lie on their spiral's disc (`|x| ≤ 1` without noise) and the two
 * classes are each other's half turn; `functionRegression` without noise gives `y = f(x)`
 * with `x` in the domain.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { data, ops, type DType } from 'dendrite'
import { arb } from 'dendrite/testing'
import { bitsEqual } from './tree-helpers.js'

const dtypeArb = fc.constantFrom<DType>('float32', 'float64')
const labelsOk = (y: ops.Tensor, n: number, K: number): boolean =>
  y.shape.length === 1 && y.shape[0] === n && ops.toFlat(y).every((v, i) => v === i % K)

describe('data: toy sets', () => {
  test('xor(): the four points and their labels', () => {
    const { x, y } = data.xor()
    expect(ops.toArray(x)).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]])
    expect(ops.toFlat(y)).toEqual([0, 1, 1, 0])
  })

  test.prop([arb.key(), fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 0.3, noNaN: true }), dtypeArb])(
    'xor(k, n): shapes, labels = corner labels, points near their corner, deterministic',
    (k, n, noise, dtype) => {
      const a = data.xor(k, n, { noise, dtype })
      expect([a.x.shape, a.y.shape, a.x.dtype, a.y.dtype]).toEqual([[n, 2], [n], dtype, dtype])
      const xs = ops.toFlat(a.x)
      const ys = ops.toFlat(a.y)
      ys.forEach((label, i) => {
        const c = i % 4
        expect(label).toBe([0, 1, 1, 0][c])
        // 7 standard deviations: 2.6e-12 per coordinate, < 1e-7 over the ≤ 40000 coordinates
        // of a CI run (at 6, 2e-9 per coordinate, the run failed up to 8e-5 of the time)
        expect(Math.abs(xs[2 * i] - (c >> 1))).toBeLessThanOrEqual(7 * noise + 1e-6)
        expect(Math.abs(xs[2 * i + 1] - (c & 1))).toBeLessThanOrEqual(7 * noise + 1e-6)
      })
      const b = data.xor(k, n, { noise, dtype })
      expect(bitsEqual(a.x, b.x) && bitsEqual(a.y, b.y)).toBe(true)
    },
  )

  test.prop([arb.key(), arb.key(), fc.integer({ min: 2, max: 300 }), fc.double({ min: 0, max: 0.2, noNaN: true }), dtypeArb])(
    'twoSpirals: shapes, labels i mod 2, |x| ≤ 1 + noise bound, deterministic per key',
    (k, k2, n, noise, dtype) => {
      const a = data.twoSpirals(k, n, { noise, dtype })
      expect([a.x.shape, a.x.dtype]).toEqual([[n, 2], dtype])
      expect(labelsOk(a.y, n, 2)).toBe(true)
      const xs = ops.toFlat(a.x)
      for (let i = 0; i < n; i++) expect(Math.hypot(xs[2 * i], xs[2 * i + 1])).toBeLessThanOrEqual(1 + 9 * noise + 1e-6)
      const b = data.twoSpirals(k, n, { noise, dtype })
      expect(bitsEqual(a.x, b.x)).toBe(true)
      if (k.words[0] !== k2.words[0] || k.words[1] !== k2.words[1]) {
        expect(bitsEqual(a.x, data.twoSpirals(k2, n, { noise, dtype }).x)).toBe(false)
      }
    },
  )

  test.prop([arb.key(), fc.integer({ min: 1, max: 100 })])('twoSpirals without noise: class 1 is class 0 turned by π', (k, n) => {
    // the point of class c at position t: t·(cos θ, sin θ), θ = 2π·1.5·t + πc; so |x| = t and
    // the angle of class 1 minus 3πt is π more than that of class 0
    const { x, y } = data.twoSpirals(k, 2 * n, { dtype: 'float64' })
    const xs = ops.toFlat(x)
    ops.toFlat(y).forEach((c, i) => {
      const t = Math.hypot(xs[2 * i], xs[2 * i + 1])
      const ex = t * Math.cos(3 * Math.PI * t + Math.PI * c)
      const ey = t * Math.sin(3 * Math.PI * t + Math.PI * c)
      expect(Math.abs(xs[2 * i] - ex) + Math.abs(xs[2 * i + 1] - ey)).toBeLessThan(1e-9)
    })
  })

  test.prop(
    [
      arb.key(),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 20, max: 400 }),
      fc.double({ min: 0.1, max: 3, noNaN: true }),
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 20, maxLength: 20 }),
      dtypeArb,
    ],
    { numRuns: 50 },
  )('gaussianBlobs: shapes, labels i mod K, class means within 6 s.e. of their centres', (k, K, d, n, std, coords, dtype) => {
    const centers = Array.from({ length: K }, (_, j) => coords.slice(j * d, j * d + d))
    const b = data.gaussianBlobs(k, n, { centers, std, dtype })
    expect([b.x.shape, b.centers.shape, b.x.dtype]).toEqual([[n, d], [K, d], dtype])
    expect(labelsOk(b.y, n, K)).toBe(true)
    const xs = ops.toFlat(b.x)
    for (let j = 0; j < Math.min(K, n); j++) {
      const rows = Array.from({ length: n }, (_, i) => i).filter((i) => i % K === j)
      for (let a = 0; a < d; a++) {
        const mean = rows.reduce((s, i) => s + xs[i * d + a], 0) / rows.length
        expect(Math.abs(mean - centers[j][a])).toBeLessThanOrEqual((6 * std) / Math.sqrt(rows.length) + 1e-5)
      }
    }
    expect(bitsEqual(b.x, data.gaussianBlobs(k, n, { centers, std, dtype }).x)).toBe(true)
  })

  test.prop([arb.key(), fc.integer({ min: 1, max: 8 })])('gaussianBlobs with a count: K centres on the circle of radius 4', (k, K) => {
    const b = data.gaussianBlobs(k, 10, { centers: K, dtype: 'float64' })
    const cs = ops.toArray(b.centers) as number[][]
    expect(cs.length).toBe(K)
    cs.forEach(([cx, cy], j) => {
      expect(Math.hypot(cx, cy)).toBeCloseTo(4, 12)
      expect(Math.atan2(cy, cx)).toBeCloseTo(Math.atan2(Math.sin((2 * Math.PI * j) / K), Math.cos((2 * Math.PI * j) / K)), 12)
    })
  })

  test.prop([
    arb.key(),
    fc.integer({ min: 1, max: 200 }),
    fc.double({ min: -5, max: 5, noNaN: true }),
    fc.double({ min: 0.01, max: 5, noNaN: true }),
    dtypeArb,
  ])('functionRegression: x in [a, b], y = f(x) without noise, shapes [n,1], deterministic', (k, n, a, width, dtype) => {
    const f = (t: number): number => Math.sin(3 * t) + t * t
    const domain = [a, a + width] as const
    const r = data.functionRegression(k, n, f, { domain, dtype })
    expect([r.x.shape, r.y.shape, r.x.dtype]).toEqual([[n, 1], [n, 1], dtype])
    const xs = ops.toFlat(r.x)
    const ys = ops.toFlat(r.y)
    const round = dtype === 'float32' ? Math.fround : (v: number) => v
    xs.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(round(domain[0]))
      expect(t).toBeLessThanOrEqual(round(domain[1]))
      expect(ys[i]).toBe(round(f(t)))
    })
    const s = data.functionRegression(k, n, f, { domain, dtype, noise: 0.5 })
    expect(bitsEqual(s.x, r.x)).toBe(true) // the noise does not move the inputs
    expect(bitsEqual(s.y, data.functionRegression(k, n, f, { domain, dtype, noise: 0.5 }).y)).toBe(true)
  })
})

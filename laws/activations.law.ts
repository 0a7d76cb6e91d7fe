/**
 * Activations (nn): derivatives agree with finite differences (first and second order, both
 * modes) and with the closed forms of the notes; σ' ≤ 1/4 with equality only at 0;
 * sigmoidPrime = grad of sigmoid; softmax rows sum to 1 and ignore a constant shift;
 * logSoftmax = log ∘ softmax; the straight-through step has the step's value and derivative
 * 1 in reverse and forward mode; gelu matches x Φ(x) (reference erf) and its tanh form.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { grad, jvp, nn, ops } from 'dendrite'
import { allClose, arb, checkGrads } from 'dendrite/testing'

type F = (x: ops.Tensor) => ops.Tensor
const sum = (f: F) => (x: ops.Tensor) => ops.sum(f(x))
const num = (f: (v: number) => number) => (x: ops.Tensor): ops.Tensor => ops.fromArray(ops.toFlat(x).map(f), x.shape, x.dtype)
const sig = (v: number) => 1 / (1 + Math.exp(-v))
const phi = (v: number) => Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI)

/** erf by its Taylor series (for |x| ≤ 2.2: terms stay below 100, so about 1e−14 absolute). */
const erfTaylor = (x: number): number => {
  let term = x
  let s = x
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n
    const add = term / (2 * n + 1)
    s += add
    if (Math.abs(add) < 1e-17) break
  }
  return (2 / Math.sqrt(Math.PI)) * s
}
/** erfc by its continued fraction, evaluated backwards (for z ≥ 2). */
const erfcCF = (z: number): number => {
  let k = z
  for (let n = 200; n >= 1; n--) k = z + n / 2 / k
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * k)
}
const PhiRef = (v: number): number => {
  const z = v / Math.SQRT2
  if (Math.abs(v) <= 3) return 0.5 * (1 + erfTaylor(z))
  return v < 0 ? 0.5 * erfcCF(-z) : 1 - 0.5 * erfcCF(z)
}

/**
 * Each activation with its derivative in closed form and the domain where it is smooth
 * (`nonzero`: |x| ≥ 0.1, away from the kink at 0). `seam`: |x| where the implementation
 * switches between two approximations, whose values differ there within its accuracy.
 */
const table: ReadonlyArray<{ name: string; f: F; df: F; domain: 'real' | 'nonzero'; tol?: number; seam?: number }> = [
  { name: 'sigmoid', f: nn.sigmoid, df: num((v) => sig(v) * (1 - sig(v))), domain: 'real' },
  { name: 'logistic', f: nn.logistic, df: num((v) => sig(v) * (1 - sig(v))), domain: 'real' },
  { name: 'arctan', f: nn.arctan, df: num((v) => 1 / (1 + v * v)), domain: 'real' },
  { name: 'tanh', f: nn.tanh, df: num((v) => 1 - Math.tanh(v) ** 2), domain: 'real' },
  { name: 'softplus', f: nn.softplus, df: num(sig), domain: 'real' },
  { name: 'relu', f: nn.relu, df: num((v) => (v > 0 ? 1 : 0)), domain: 'nonzero' },
  { name: 'threshold', f: nn.threshold, df: num(() => 0), domain: 'nonzero' },
  { name: 'leakyRelu', f: nn.leakyRelu, df: num((v) => (v > 0 ? 1 : 0.01)), domain: 'nonzero' },
  { name: 'leakyRelu(0.3)', f: (x) => nn.leakyRelu(x, 0.3), df: num((v) => (v > 0 ? 1 : 0.3)), domain: 'nonzero' },
  { name: 'elu', f: nn.elu, df: num((v) => (v > 0 ? 1 : Math.exp(v))), domain: 'nonzero' },
  { name: 'elu(2)', f: (x) => nn.elu(x, 2), df: num((v) => (v > 0 ? 1 : 2 * Math.exp(v))), domain: 'nonzero' },
  { name: 'silu', f: nn.silu, df: num((v) => sig(v) * (1 + v * (1 - sig(v)))), domain: 'real' },
  // the erfc approximation has relative error < 1.2e−7; its derivative is as close to x φ + Φ.
  // Φ is a Taylor series for |x| < 1 and the erfc fit beyond: gelu jumps by about 5e−9 at
  // |x| = 1, which a finite difference of step 1e−6 across it reads as an error of 3e−3
  { name: 'gelu', f: nn.gelu, df: num((v) => PhiRef(v) + v * phi(v)), domain: 'real', tol: 2e-6, seam: 1 },
  {
    name: 'gelu (tanh)',
    f: (x) => nn.gelu(x, true),
    df: num((v) => {
      const c = Math.sqrt(2 / Math.PI)
      const u = c * (v + 0.044715 * v ** 3)
      const th = Math.tanh(u)
      return 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * c * (1 + 3 * 0.044715 * v * v)
    }),
    domain: 'real',
  },
]

describe('activations', () => {
  for (const { name, f, df, domain, tol, seam } of table) {
    // values within 1e−4 of a seam are moved 2e−4 outwards: a finite-difference step of
    // checkGrads reaches ε|t| ≤ 1e−6·6 (t normal), so no step crosses the seam (a value
    // within reach of it, drawn before this, failed about once in 10⁴ CI runs)
    const xs = arb.tensor({ minRank: 0, maxRank: 2, domain, min: -6, max: 6 })
      .map((x) => (seam === undefined ? x : num((v) => (Math.abs(Math.abs(v) - seam) < 1e-4 ? v + Math.sign(v) * 2e-4 : v))(x)))
    test.prop([xs], { numRuns: 20 })(`${name}: derivatives agree with finite differences (order 2, fwd and rev)`, (x) => {
      checkGrads(f, [x], { order: 2, atol: 1e-6, rtol: 1e-5 })
    })
    test.prop([xs])(`${name}: grad equals the closed-form derivative`, (x) => {
      allClose(grad(sum(f))(x), df(x), { rtol: tol ?? 1e-9, atol: tol ?? 1e-12 })
    })
  }

  test.prop([arb.tensor({ minRank: 1, maxRank: 2, min: -1e4, max: 1e4 }), arb.tensor({ minRank: 1, maxRank: 2, domain: 'nonzero', max: 50 })])(
    "σ'(z) ≤ 1/4 everywhere, = 1/4 at 0 and < 1/4 away from it",
    (z, away) => {
      expect(ops.toFlat(nn.sigmoidPrime(z)).every((v) => v >= 0 && v <= 0.25)).toBe(true)
      expect(ops.toFlat(nn.sigmoidPrime(away)).every((v) => v < 0.25)).toBe(true)
      expect(ops.item(nn.sigmoidPrime(ops.scalar(0, 'float64')))).toBe(0.25)
      expect(ops.item(grad(sum(nn.sigmoid))(ops.scalar(0, 'float64')))).toBe(0.25)
    },
  )

  test.prop([arb.tensor({ minRank: 0, maxRank: 3, min: -30, max: 30 })])('sigmoidPrime = grad of sigmoid; tanhPrime, reluPrime likewise', (z) => {
    allClose(nn.sigmoidPrime(z), grad(sum(nn.sigmoid))(z), { rtol: 1e-12, atol: 1e-15 })
    allClose(nn.tanhPrime(z), grad(sum(nn.tanh))(z), { rtol: 1e-12, atol: 1e-15 })
    allClose(nn.reluPrime(z), grad(sum(nn.relu))(z))
  })

  const withAxis = arb.tensor({ minRank: 1, maxRank: 3, min: -50, max: 50 }).chain((x) =>
    fc.tuple(fc.constant(x), fc.integer({ min: -x.shape.length, max: x.shape.length - 1 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
  )
  test.prop([withAxis])('softmax sums to 1 along its axis and is invariant to adding a constant', ([x, axis, c]) => {
    const s = nn.softmax(x, axis)
    expect(ops.toFlat(s).every((v) => v >= 0 && v <= 1)).toBe(true)
    allClose(ops.sum(s, axis), ops.onesLike(ops.sum(x, axis)), { rtol: 1e-12, atol: 1e-12 })
    allClose(nn.softmax(ops.add(x, c), axis), s, { rtol: 1e-9, atol: 1e-12 })
    // a different constant per slice, too
    const shift = ops.mul(ops.max(x, axis, true), 3)
    allClose(nn.softmax(ops.sub(x, shift), axis), s, { rtol: 1e-9, atol: 1e-12 })
  })

  test.prop([withAxis])('logSoftmax = log ∘ softmax', ([x, axis]) => {
    allClose(nn.logSoftmax(x, axis), ops.log(nn.softmax(x, axis)), { rtol: 1e-10, atol: 1e-10 })
  })

  test.prop([arb.tensor({ minRank: 0, maxRank: 3, domain: 'nonzero', max: 1e6 }), fc.constantFrom<'float32' | 'float64'>('float32', 'float64')])(
    'thresholdST: the value of the step, derivative 1 in reverse and forward mode',
    (x64, dtype) => {
      const x = ops.astype(x64, dtype)
      expect(ops.toFlat(nn.thresholdST(x))).toEqual(ops.toFlat(nn.threshold(x)))
      expect(ops.toFlat(nn.threshold(x))).toEqual(ops.toFlat(x).map((v) => (v > 0 ? 1 : 0)))
      expect(ops.toFlat(grad(sum(nn.thresholdST))(x)).every((v) => v === 1)).toBe(true)
      const t = ops.mul(ops.onesLike(x), 3)
      const [y, dy] = jvp(nn.thresholdST)([x], [t]) as [ops.Tensor, ops.Tensor]
      expect(ops.toFlat(y)).toEqual(ops.toFlat(nn.threshold(x)))
      expect(ops.toFlat(dy).every((v) => v === 3)).toBe(true)
      // and the plain step passes no gradient
      expect(ops.toFlat(grad(sum(nn.threshold))(x)).every((v) => v === 0)).toBe(true)
    },
  )

  test.prop([arb.tensor({ minRank: 1, maxRank: 2, min: -8, max: 8 })])('gelu = x Φ(x) (erfc to 1.2e−7); its tanh form within 1e−3', (x) => {
    const ref = num((v) => v * PhiRef(v))(x)
    // erfc to relative 1.2e−7: |Φ − Φ_ref| ≤ 1.2e−7·min(Φ, 1 − Φ) (+ rounding of 1 − ½erfc)
    const g = ops.toFlat(nn.gelu(x))
    ops.toFlat(x).forEach((v, i) => {
      const p = PhiRef(v)
      expect([v, Math.abs(g[i] - v * p)]).toEqual([v, expect.toSatisfy((e: number) => e <= Math.abs(v) * (1.3e-7 * Math.min(p, 1 - p) + 1e-15))])
    })
    allClose(nn.gelu(x, true), ref, { rtol: 0, atol: 1e-3 })
  })

  test.prop([arb.tensor({ minRank: 1, maxRank: 2, min: -10, max: 10 }), fc.double({ min: 0, max: 1, noNaN: true })])(
    'relu, leakyRelu, elu, silu and softplus match their definitions',
    (x, slope) => {
      allClose(nn.relu(x), ops.maximum(x, 0))
      allClose(nn.leakyRelu(x, slope), ops.maximum(x, ops.mul(x, slope)))
      allClose(nn.elu(x), num((v) => (v > 0 ? v : Math.expm1(v)))(x))
      allClose(nn.silu(x), num((v) => v * sig(v))(x), { rtol: 1e-12, atol: 1e-15 })
      allClose(nn.softplus(x), num((v) => Math.log1p(Math.exp(v)))(x), { rtol: 1e-12, atol: 1e-15 })
      expect(ops.toFlat(nn.argmax(x))).toEqual(ops.toFlat(ops.argmax(x, -1)))
    },
  )

  test('large inputs stay finite in value and gradient (float32)', () => {
    const x = ops.tensor([-1e4, -100, 100, 1e4])
    for (const { name, f } of table) {
      const y = ops.toFlat(f(x))
      const g = ops.toFlat(grad(sum(f))(x))
      expect([name, y.every(Number.isFinite), g.every(Number.isFinite)]).toEqual([name, true, true])
    }
  })
})

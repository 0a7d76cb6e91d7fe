/**
 * Laws of the PRNG: determinism (same key, same bits), independence of split and folded
 * keys, the supports of the samplers (uniform in [min, max), truncated normal in
 * [lower, upper], permutations are permutations) and their first two moments.
 *
 * Moment laws draw n = 20000 samples and accept a deviation of 6 standard errors:
 * - mean: s.e. = σ/√n;
 * - variance of a normal: s.e. ≈ σ²·√(2/(n−1));
 * - variance of a uniform on [a, b): Var(s²) = (μ₄ − σ⁴(n−3)/(n−1))/n with
 *   σ² = (b−a)²/12 and μ₄ = (b−a)⁴/80;
 * Bernoulli and categorical counts are checked against the exact binomial distribution
 * instead: each tail P(X ≤ c) and P(X ≥ c) must exceed 1e-9, about the two-sided level of
 * 6 s.e. The normal bound √(p(1−p)/n) is wrong for rare outcomes: with p = 1.3e-6 and
 * n = 5000 a single success (probability 0.65%) is 24 "standard errors" away.
 * A true sampler fails one check with probability ≤ 2e-9 (normal: 2.0e-9 two-sided; the
 * skewness of a sample variance or of a far-tail mean at n = 20000 at most doubles one
 * tail), and a CI run makes at most 300 such checks (20 runs of six laws, up to five
 * counts each): ≤ 1e-6 per run for the whole file. At 5 s.e. and 3e-7 (as before) the
 * same union bound came to ≈ 1.8e-4 per CI run, a large share of the suite's budget.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops, random, type DType, type Tensor } from 'dendrite'
import { normCdf, normPdf } from '../src/random/special.js'
import { snapshot, uniform } from './helpers.js'

const N = 20000
const moments = { numRuns: 20 }

const word = fc.integer({ min: 0, max: 0xffffffff })
const arbKey = fc.tuple(word, word).map(([a, b]) => random.wrapKeyData([a, b]))
const arbDType = fc.constantFrom<DType>('float32', 'float64')

const meanVar = (xs: ArrayLike<number>): { mean: number; variance: number } => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]
  const mean = s / xs.length
  let q = 0
  for (let i = 0; i < xs.length; i++) q += (xs[i] - mean) ** 2
  return { mean, variance: q / (xs.length - 1) }
}

const words = (t: Tensor): number[] => Array.from(t.data as ArrayLike<number>)

/** log k! for k ≤ n, as a running sum of logs (relative error far below what the tails need). */
const logFactorials = (n: number): Float64Array => {
  const lf = new Float64Array(n + 1)
  for (let k = 2; k <= n; k++) lf[k] = lf[k - 1] + Math.log(k)
  return lf
}
/** Draws of the categorical law: 2.5·N, so that 6 s.e. there are 3.8 s.e. at N (a 3% scale of the logits still shows). */
const N_CAT = 50000
const LOG_FACT = logFactorials(N_CAT)

/** The smaller tail of Binomial(n, p) at count c: min(P(X ≤ c), P(X ≥ c)), summed exactly. */
const binomialTail = (c: number, n: number, p: number): number => {
  if (p <= 0) return c === 0 ? 1 : 0
  if (p >= 1) return c === n ? 1 : 0
  const lp = Math.log(p)
  const lq = Math.log1p(-p)
  const pmf = (i: number): number => Math.exp(LOG_FACT[n] - LOG_FACT[i] - LOG_FACT[n - i] + i * lp + (n - i) * lq)
  let lower = 0
  for (let i = 0; i <= c; i++) lower += pmf(i)
  let upper = 0
  for (let i = c; i <= n; i++) upper += pmf(i)
  return Math.min(lower, upper)
}

/**
 * Asserts a count of c in n draws is plausible for a success probability anywhere in
 * [p − slack, p + slack] (slack: how exactly the sampler can realise p).
 */
const expectBinomial = (c: number, n: number, p: number, slack: number): void => {
  const tail = Math.max(binomialTail(c, n, Math.max(0, p - slack)), binomialTail(c, n, Math.min(1, p + slack)))
  expect(tail, `count ${c} of ${n} with p = ${p}`).toBeGreaterThan(1e-9)
}

describe('random: keys and bits', () => {
  test.prop([arbKey, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 })])(
    'same key → same bits; a shorter draw is a prefix of a longer one',
    (k, n, m) => {
      const a = random.randomBits(k, n)
      const b = random.randomBits(random.wrapKeyData([k.words[0], k.words[1]]), n)
      expect(Array.from(a)).toEqual(Array.from(b))
      const c = random.randomBits(k, Math.min(n, m))
      expect(Array.from(c)).toEqual(Array.from(a.slice(0, Math.min(n, m))))
      expect(words(random.normal(k, [n]))).toEqual(words(random.normal(k, [n])))
      expect(words(random.uniform(k, [n], { dtype: 'float64' }))).toEqual(words(random.uniform(k, [n], { dtype: 'float64' })))
    },
  )

  test.prop([fc.maxSafeInteger()])('key(seed) holds the 64-bit two’s complement of the seed', (seed) => {
    const [hi, lo] = random.key(seed).words
    const h = hi >= 2 ** 31 ? hi - 2 ** 32 : hi // the high word is signed in two's complement
    expect(h * 2 ** 32 + lo).toBe(seed)
    expect(Object.isFrozen(random.key(seed))).toBe(true)
    expect(Object.isFrozen(random.key(seed).words)).toBe(true)
  })

  test.prop([arbKey, fc.integer({ min: 2, max: 16 })])('split keys differ from each other and from the parent', (k, n) => {
    const kids = random.split(k, n)
    expect(kids.length).toBe(n)
    const ids = new Set([k, ...kids].map((c) => c.words.join(':')))
    expect(ids.size).toBe(n + 1)
    // ...and so do their streams.
    const streams = new Set(kids.map((c) => Array.from(random.randomBits(c, 4)).join(':')))
    streams.add(Array.from(random.randomBits(k, 4)).join(':'))
    expect(streams.size).toBe(n + 1)
    expect(random.split(k, n)).toEqual(kids)
  })

  test.prop([arbKey, fc.maxSafeInteger(), fc.maxSafeInteger()])('foldIn: different data give different keys', (k, d1, d2) => {
    const a = random.foldIn(k, d1)
    expect(a).toEqual(random.foldIn(k, d1))
    expect(a.words).not.toEqual(k.words)
    if (d1 !== d2) expect(a.words).not.toEqual(random.foldIn(k, d2).words)
  })

  test.prop([arbKey, fc.integer({ min: 0, max: 100 })])('float32 uniforms on [0, 1) are the top 23 bits of randomBits', (k, n) => {
    const bits = random.randomBits(k, n)
    const u = random.uniform(k, [n])
    expect(words(u)).toEqual(Array.from(bits, (b) => (b >>> 9) * 2 ** -23))
  })
})

describe('random: supports', () => {
  // Widths ≥ 1e-6 in float64, ≥ 0.125 in float32 (twice the float32 spacing at 1e6), so that
  // [min, max) always holds a value of the dtype.
  const bounds = arbDType.chain((dtype) =>
    fc.tuple(
      fc.constant(dtype),
      uniform(-1e6, 1e6),
      fc.double({ min: dtype === 'float32' ? 0.125 : 1e-6, max: 1e6, noNaN: true }),
    ),
  )
  test.prop([arbKey, bounds])('uniform lies in [min, max)', (k, [dtype, min, width]) => {
    const max = min + width
    const xs = words(random.uniform(k, [200], { min, max, dtype }))
    expect(xs.filter((x) => !(x >= min && x < max))).toEqual([])
  })

  test.prop([arbKey, uniform(-1e6, 1e6)])(
    'uniform never returns max, even when max is the next double after min',
    (k, min) => {
      const max = min + Math.max(Math.abs(min), 1) * 2 ** -52
      const xs = words(random.uniform(k, [64], { min, max, dtype: 'float64' }))
      expect(xs.filter((x) => !(x >= min && x < max))).toEqual([])
    },
  )

  const tnBounds = fc
    .tuple(uniform(-12, 12), fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.boolean(), fc.boolean())
    .map(([lower, width, openLo, openHi]) => ({
      lower: openLo ? -Infinity : lower,
      upper: openHi ? Infinity : lower + width,
    }))
  test.prop([arbKey, arbDType, tnBounds])('truncatedNormal lies in [lower, upper], and is finite', (k, dtype, b) => {
    const xs = words(random.truncatedNormal(k, [200], { ...b, dtype }))
    expect(xs.filter((x) => !(Number.isFinite(x) && x >= b.lower && x <= b.upper))).toEqual([])
  })

  test.prop([arbKey, arbDType])('normal is always finite', (k, dtype) => {
    expect(words(random.normal(k, [2000], { dtype })).every(Number.isFinite)).toBe(true)
  })

  test.prop([arbKey, fc.integer({ min: 0, max: 300 })])('permutation is a permutation of 0 … n−1, and deterministic', (k, n) => {
    const p = words(random.permutation(k, n))
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
    expect(words(random.permutation(k, n, { dtype: 'float64' }))).toEqual(p)
  })

  const arbT = fc
    .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
    .chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: ops.sizeOf(shape), maxLength: ops.sizeOf(shape) }),
        fc.integer({ min: -shape.length, max: shape.length - 1 }),
      ),
    )
  test.prop([arbKey, arbT])('shuffle permutes slices along the axis (multiset of slices kept), deterministically', (k, [shape, xs, axis]) => {
    const t = ops.fromArray(xs, shape, 'float64')
    const before = snapshot(t)
    const s = random.shuffle(k, t, axis)
    expect(snapshot(t)).toEqual(before)
    expect(s.shape).toEqual(t.shape)
    expect(words(random.shuffle(k, t, axis))).toEqual(words(s))
    // The slices of s along the axis are those of t, reordered by permutation(k, n).
    const ax = axis < 0 ? axis + shape.length : axis
    const n = shape[ax]
    const inner = ops.sizeOf(shape.slice(ax + 1))
    const outer = ops.sizeOf(shape.slice(0, ax))
    const sliceOf = (u: Tensor, i: number): string =>
      Array.from({ length: outer }, (_, o) => words(u).slice((o * n + i) * inner, (o * n + i + 1) * inner).join(',')).join(';')
    const perm = words(random.permutation(k, n))
    const got = Array.from({ length: n }, (_, i) => sliceOf(s, i))
    const want = Array.from({ length: n }, (_, i) => sliceOf(t, i))
    expect(got).toEqual(perm.map((j) => want[j]))
    expect([...got].sort()).toEqual([...want].sort())
  })
})

describe('random: moments (n = 20000, 6 standard errors)', () => {
  test.prop([arbKey, arbDType, uniform(-100, 100), uniform(0.01, 100)], moments)(
    'uniform: mean (a+b)/2 and variance (b−a)²/12',
    (k, dtype, a, w) => {
      const b = a + w
      const { mean, variance } = meanVar(random.uniform(k, [N], { min: a, max: b, dtype }).data as ArrayLike<number>)
      const s2 = (w * w) / 12
      const mu4 = w ** 4 / 80
      expect(Math.abs(mean - (a + b) / 2)).toBeLessThanOrEqual(6 * Math.sqrt(s2 / N))
      const seVar = Math.sqrt((mu4 - (s2 * s2 * (N - 3)) / (N - 1)) / N)
      expect(Math.abs(variance - s2)).toBeLessThanOrEqual(6 * seVar)
    },
  )

  test.prop([arbKey, arbDType, uniform(-100, 100), uniform(0.01, 100)], moments)(
    'normal: mean μ and variance σ²',
    (k, dtype, mu, sigma) => {
      const { mean, variance } = meanVar(random.normal(k, [N], { mean: mu, std: sigma, dtype }).data as ArrayLike<number>)
      expect(Math.abs(mean - mu)).toBeLessThanOrEqual(6 * (sigma / Math.sqrt(N)))
      expect(Math.abs(variance - sigma * sigma)).toBeLessThanOrEqual(6 * sigma * sigma * Math.sqrt(2 / (N - 1)))
    },
  )

  test.prop([arbKey, tnBoundsFinite(), arbDType], moments)(
    'truncatedNormal: the mean of a truncated normal, (φ(a) − φ(b))/(Φ(b) − Φ(a))',
    (k, [a, b], dtype) => {
      // Closed forms of the truncated standard normal's mean and variance.
      const flip = a > 0 // compute Φ differences on the accurate (negative) side
      const [lo, hi] = flip ? [-b, -a] : [a, b]
      const z = normCdf(hi) - normCdf(lo)
      const m0 = (normPdf(lo) - normPdf(hi)) / z
      const v = 1 + (lo * normPdf(lo) - hi * normPdf(hi)) / z - m0 * m0
      const mu = flip ? -m0 : m0
      const { mean } = meanVar(random.truncatedNormal(k, [N], { lower: a, upper: b, dtype }).data as ArrayLike<number>)
      // + 1e-6: float32 rounding of the samples (relative 6e-8 of values up to ~15).
      expect(Math.abs(mean - mu)).toBeLessThanOrEqual(6 * Math.sqrt(v / N) + 1e-6)
    },
  )

  test.prop([arbKey, uniform(0, 1)], moments)('bernoulli: mean p', (k, p) => {
    const xs = Array.from(random.bernoulli(k, p, [N]).data as ArrayLike<number>)
    expect(xs.every((x) => x === 0 || x === 1)).toBe(true)
    // Slack 2⁻³²: a 32-bit uniform realises p only to within 2⁻³². The exact binomial tail
    // also covers p near 0 or 1 (p = 0.999998 once gave one zero in 20000).
    expectBinomial(xs.reduce((c, x) => c + x, 0), N, p, 2 ** -32)
  })

  test.prop([arbKey, fc.array(uniform(0, 1), { minLength: 1, maxLength: 4 })], moments)(
    'bernoulli with a tensor of probabilities: each column has mean p_j',
    (k, ps) => {
      const p = ops.tensor(ps, 'float64')
      const before = snapshot(p)
      const xs = random.bernoulli(k, p, [5000, ps.length]).data as ArrayLike<number>
      expect(snapshot(p)).toEqual(before)
      ps.forEach((pj, j) => {
        let s = 0
        for (let i = 0; i < 5000; i++) s += xs[i * ps.length + j]
        expectBinomial(s, 5000, pj, 2 ** -32)
      })
    },
  )

  test.prop([arbKey, fc.array(uniform(-3, 3), { minLength: 1, maxLength: 5 }), arbDType], moments)(
    'categorical: frequencies are softmax(logits)',
    (k, ls, dtype) => {
      const logits = ops.tensor(ls, dtype)
      const before = snapshot(logits)
      const c = random.categorical(k, logits, { shape: [N_CAT] })
      expect(snapshot(logits)).toEqual(before)
      // Probabilities from the logits as stored in the dtype.
      const stored = words(logits)
      const lse = Math.log(stored.reduce((s, l) => s + Math.exp(l), 0))
      const counts = new Array<number>(ls.length).fill(0)
      for (const j of words(c)) counts[j]++
      stored.forEach((l, j) => {
        const pj = Math.min(1, Math.exp(l - lse))
        expectBinomial(counts[j], N_CAT, pj, 1e-9)
      })
    },
  )
})

/** Finite truncation bounds a < b, including far tails such as [6, 7] and [−9, −8]. */
function tnBoundsFinite() {
  return fc
    .tuple(uniform(-9, 9), uniform(0.05, 6))
    .map(([a, w]) => [a, a + w] as const)
}

/**
 * Example-based tests of `random`: the Threefry-2x32 known-answer vectors, agreement with
 * JAX on published values, golden values of this implementation (regression checks), the
 * special functions behind the normal samplers, edge cases and error messages.
 */
import { describe, expect, it } from 'vitest'
import { DomainError, DTypeError, ShapeError, ops, random } from 'dendrite'
import { threefry2x32 } from '../src/random/threefry.js'
import { erfc, ndtri, normCdf } from '../src/random/special.js'
import { snapshot } from '../laws/helpers.js'

const tf = (k0: number, k1: number, c0: number, c1: number): number[] => {
  const out = new Uint32Array(2)
  threefry2x32(k0, k1, c0, c1, out, 0)
  return Array.from(out)
}

describe('threefry2x32 (20 rounds)', () => {
  // Random123 examples/kat_vectors ("threefry2x32 20 ctr ctr key key → out out"); the last
  // one is also the vector of JAX's threefry_2x32 test.
  it('matches the Random123 known-answer vectors', () => {
    expect(tf(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3)).toEqual([0xc4923a9c, 0x483df7a0])
    expect(tf(0, 0, 0, 0)).toEqual([0x6b200159, 0x99ba4efe])
    expect(tf(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)).toEqual([0x1cb996fc, 0xbb002be7])
  })
})

describe('agreement with JAX (jax_threefry_partitionable, the default since JAX 0.5)', () => {
  it('key(seed) splits the seed into 32-bit words', () => {
    expect(random.key(0).words).toEqual([0, 0])
    expect(random.key(42).words).toEqual([0, 42])
  })

  it('uniform(key(0)) and uniform(split(key(0))[1]) are the values printed in the jax.random docs', () => {
    // https://docs.jax.dev/en/latest/jax.random.html: 0.947667 and 0.00729382.
    const k = random.key(0)
    expect(ops.item(random.uniform(k, []))).toBe(0.9476670026779175)
    expect(ops.item(random.uniform(random.split(k)[1], []))).toBe(0.007293820381164551)
  })
})

describe('golden values of this implementation (regression)', () => {
  const k = random.key(0)
  it('split and foldIn', () => {
    expect(random.split(k).map((c) => c.words)).toEqual([
      [1797259609, 2579123966],
      [928981903, 3453687069],
    ])
    expect(random.foldIn(k, 1).words).toEqual([928981903, 3453687069])
  })

  it('randomBits', () => {
    expect(Array.from(random.randomBits(k, 4))).toEqual([4070199207, 4202968722, 1427181096, 2012915765])
  })

  it('the first uniforms of key(0)', () => {
    expect(ops.toFlat(random.uniform(k, [5]))).toEqual([
      0.9476670026779175, 0.9785798788070679, 0.33229148387908936, 0.46866846084594727, 0.569888710975647,
    ])
    expect(ops.toFlat(random.uniform(k, [3], { dtype: 'float64' }))).toEqual([0.41845711171638644, 0.21629545460551136, 0.9653214611189975])
  })

  it('normals, truncated normals and a permutation', () => {
    const z = ops.toFlat(random.normal(k, [4], { dtype: 'float64' }))
    expect(z.map((x) => +x.toPrecision(12))).toEqual([-0.20584213948, -0.784765776447, 1.81608667267, 0.187844012894])
    const t = ops.toFlat(random.truncatedNormal(k, [4], { dtype: 'float64' }))
    expect(t.map((x) => +x.toPrecision(12))).toEqual([-0.196351992367, -0.741470565139, 1.59059133273, 0.179202729696])
    expect(ops.toFlat(random.permutation(k, 10))).toEqual([8, 2, 4, 1, 5, 3, 9, 0, 6, 7])
  })
})

describe('special functions', () => {
  it('erfc agrees with reference values to a few ulps', () => {
    const ref: ReadonlyArray<readonly [number, number]> = [
      [0.1, 0.8875370839817152],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.8427007929497148],
    ]
    for (const [x, e] of ref) expect(Math.abs(erfc(x) - e) / e).toBeLessThan(1e-15)
    expect(erfc(0)).toBe(1)
    expect(erfc(Infinity)).toBe(0)
    expect(erfc(-Infinity)).toBe(2)
  })

  it('ndtri inverts Φ', () => {
    expect(ndtri(0.5)).toBe(0)
    expect(Math.abs(ndtri(0.975) - 1.959963984540054)).toBeLessThan(1e-14)
    expect(Math.abs(ndtri(1e-10) + 6.361340902404056)).toBeLessThan(1e-13)
    for (const p of [1e-300, 1e-100, 1e-20, 1e-5, 0.01, 0.2, 0.4999]) {
      expect(Math.abs(normCdf(ndtri(p)) / p - 1)).toBeLessThan(1e-12)
      const q = 1 - p // ndtri(1 − p) = −ndtri(p), with p rounded as 1 − q
      expect(ndtri(q)).toBe(-ndtri(1 - q))
    }
    expect(ndtri(0)).toBe(-Infinity)
    expect(ndtri(1)).toBe(Infinity)
  })
})

describe('edge cases', () => {
  const k = random.key(3)
  it('uniform never returns max, even when rounding would reach it', () => {
    const next32 = 1 + 2 ** -23
    expect(ops.toFlat(random.uniform(k, [100], { min: 1, max: next32 }))).toEqual(new Array(100).fill(1))
    expect(ops.toFlat(random.uniform(k, [100], { min: 2 ** 52, max: 2 ** 52 + 1, dtype: 'float64' }))).toEqual(new Array(100).fill(2 ** 52))
    // Bounds that are not float32 values: results stay inside [0.1, 0.2).
    expect(ops.toFlat(random.uniform(k, [1000], { min: 0.1, max: 0.2 })).every((x) => x >= 0.1 && x < 0.2)).toBe(true)
  })

  it('truncatedNormal samples far tails and narrow intervals inside the bounds', () => {
    for (const [lower, upper] of [
      [6, 7],
      [40, 41],
      [-Infinity, -39],
      [1, 1 + 1e-15],
      [-1e-300, 1e-300],
    ] as const) {
      const xs = ops.toFlat(random.truncatedNormal(k, [200], { lower, upper, dtype: 'float64' }))
      expect(xs.every((x) => x >= lower && x <= upper)).toBe(true)
    }
    // The mean of N(0,1) restricted to [6, ∞) is φ(6)/Q(6) ≈ 6.1585 (a standard error of ~0.009).
    const tail = ops.toFlat(random.truncatedNormal(k, [2000], { lower: 6, upper: Infinity, dtype: 'float64' }))
    expect(Math.abs(tail.reduce((s, x) => s + x, 0) / tail.length - 6.1585)).toBeLessThan(0.03)
  })

  it('shapes: empty and scalar draws', () => {
    expect(random.uniform(k, [0, 3]).shape).toEqual([0, 3])
    expect(random.normal(k, []).shape).toEqual([])
    expect(random.split(k, 0)).toEqual([])
    expect(random.randomBits(k, 0).length).toBe(0)
    expect(ops.toFlat(random.permutation(k, 0))).toEqual([])
    expect(ops.toFlat(random.permutation(k, 1))).toEqual([0])
  })

  it('bernoulli: p = 0 and p = 1 are certain; a tensor p broadcasts', () => {
    expect(ops.toFlat(random.bernoulli(k, 0, [500])).every((x) => x === 0)).toBe(true)
    expect(ops.toFlat(random.bernoulli(k, 1, [500])).every((x) => x === 1)).toBe(true)
    const p = ops.tensor([[0], [1]], 'float64')
    const b = random.bernoulli(k, p, [2, 3])
    expect(b.dtype).toBe('float64')
    expect(ops.toArray(b)).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ])
  })

  it('categorical along a non-last axis, with -Infinity logits', () => {
    const logits = ops.tensor([
      [-Infinity, 0],
      [0, -Infinity],
      [-Infinity, -Infinity],
    ])
    expect(ops.toFlat(random.categorical(k, logits, { axis: 0 }))).toEqual([1, 0])
  })

  it('keys are frozen; inputs are left alone', () => {
    const kk = random.key(9)
    expect(Object.isFrozen(kk) && Object.isFrozen(kk.words)).toBe(true)
    expect(Object.isFrozen(random.split(kk))).toBe(true)
    const t = ops.tensor([
      [1, 2],
      [3, 4],
    ])
    const before = snapshot(t)
    random.shuffle(kk, t, 1)
    random.categorical(kk, t)
    random.bernoulli(kk, ops.tensor([0.5]), [4])
    expect(snapshot(t)).toEqual(before)
    expect(kk.words).toEqual([0, 9])
  })
})

describe('errors', () => {
  const k = random.key(0)
  const throwsFrom = (f: () => unknown, cls: new (...a: never[]) => Error, op: string, text?: RegExp): void => {
    let err: unknown
    try {
      f()
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(cls)
    expect((err as Error).message.startsWith(`${op}: `)).toBe(true)
    if (text) expect((err as Error).message).toMatch(text)
  }

  it('bad seeds, counts and keys', () => {
    throwsFrom(() => random.key(0.5), DomainError, 'key', /seed/)
    throwsFrom(() => random.key(NaN), DomainError, 'key')
    throwsFrom(() => random.key(2 ** 53), DomainError, 'key')
    throwsFrom(() => random.key('1' as never), DomainError, 'key')
    throwsFrom(() => random.split(k, -1), DomainError, 'split')
    throwsFrom(() => random.split(k, 1.5), DomainError, 'split')
    throwsFrom(() => random.split([0, 0] as never), DomainError, 'split', /PRNG key/)
    throwsFrom(() => random.foldIn(k, 0.5), DomainError, 'foldIn')
    throwsFrom(() => random.randomBits(k, -1), DomainError, 'randomBits')
    throwsFrom(() => random.randomBits(k, 2 ** 31 + 1), DomainError, 'randomBits')
    throwsFrom(() => random.wrapKeyData([2 ** 32, 0]), DomainError, 'wrapKeyData')
    throwsFrom(() => random.uniform(ops.zeros([2]) as never, [2]), DomainError, 'uniform', /tensor of shape \[2\]/)
  })

  it('bad shapes and dtypes', () => {
    throwsFrom(() => random.uniform(k, [2, -1]), ShapeError, 'uniform', /\[2,-1\]/)
    throwsFrom(() => random.normal(k, [1.5]), ShapeError, 'normal')
    throwsFrom(() => random.uniform(k, [2], { dtype: 'int32' as never }), DTypeError, 'uniform')
    throwsFrom(() => random.normal(k, [2 ** 16, 2 ** 16]), DomainError, 'normal', /more than 2\^31/)
  })

  it('bad distribution parameters', () => {
    throwsFrom(() => random.uniform(k, [2], { min: 1, max: 1 }), DomainError, 'uniform', /min < max/)
    throwsFrom(() => random.uniform(k, [2], { min: 0, max: Infinity }), DomainError, 'uniform')
    throwsFrom(() => random.uniform(k, [2], { min: 1 + 2 ** -30, max: 1 + 2 ** -29 }), DomainError, 'uniform', /float32/)
    throwsFrom(() => random.normal(k, [2], { std: -1 }), DomainError, 'normal', /std/)
    throwsFrom(() => random.normal(k, [2], { mean: NaN }), DomainError, 'normal', /mean/)
    throwsFrom(() => random.normal(k, [2], { std: 1e38 }), DomainError, 'normal', /overflow/)
    throwsFrom(() => random.truncatedNormal(k, [2], { lower: 1, upper: 1 }), DomainError, 'truncatedNormal')
    throwsFrom(() => random.truncatedNormal(k, [2], { lower: NaN }), DomainError, 'truncatedNormal')
    throwsFrom(() => random.bernoulli(k, 1.5), DomainError, 'bernoulli', /\[0, 1\]/)
    throwsFrom(() => random.bernoulli(k, ops.tensor([0.5, 2])), DomainError, 'bernoulli', /p\[1\]/)
    throwsFrom(() => random.bernoulli(k, ops.tensor([0.5, 0.5]), [3]), ShapeError, 'bernoulli', /\[2\].*\[3\]/)
  })

  it('categorical, permutation and shuffle', () => {
    const logits = ops.zeros([2, 3])
    throwsFrom(() => random.categorical(k, logits, { axis: 2 }), ShapeError, 'categorical', /axis 2/)
    throwsFrom(() => random.categorical(k, ops.zeros([2, 0])), ShapeError, 'categorical', /no categories/)
    throwsFrom(() => random.categorical(k, ops.tensor([0, NaN])), DomainError, 'categorical', /NaN/)
    throwsFrom(() => random.categorical(k, logits, { shape: [3] }), ShapeError, 'categorical', /\[2\].*\[3\]/)
    throwsFrom(() => random.categorical(k, ops.scalar(0)), ShapeError, 'categorical')
    throwsFrom(() => random.permutation(k, -1), DomainError, 'permutation')
    throwsFrom(() => random.permutation(k, 2 ** 24 + 1), DomainError, 'permutation')
    throwsFrom(() => random.shuffle(k, ops.scalar(1)), ShapeError, 'shuffle', /scalar/)
    throwsFrom(() => random.shuffle(k, logits, -3), ShapeError, 'shuffle', /axis -3/)
  })
})

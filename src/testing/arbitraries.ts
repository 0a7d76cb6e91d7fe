/**
 * fast-check arbitraries for dendrite values: shapes, broadcast-compatible shape pairs,
 * tensors over a domain, well-conditioned SPD matrices, probability-simplex rows, one-hot
 * labels, parameter trees shaped like a model's, and PRNG keys.
 *
 * Shrinking goes to smaller shapes (dimensions towards their minimum) and simpler values
 * (towards 0, or the domain's nearest point to 0).
 *
 * Laws: every `spd` matrix has a Cholesky factor; every `simplex` row sums to 1 with
 * non-negative entries; every `oneHot` row has exactly one 1.
 *
 * @module
 */
import fc from 'fast-check'
import { key as makeKey, type Key } from '../random/index.js'
import { sizeOf, type Shape } from '../tensor/Shape.js'
import { fromArray, type DType, type Tensor } from '../tensor/Tensor.js'
import { flatten, unflatten, type Tree } from '../tree/index.js'
import * as T from '../tensor/index-internal.js'

/**
 * Options of `shape`.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export interface ShapeOptions {
  /** Fewest axes (default 0). */
  readonly minRank?: number
  /** Most axes (default 3). */
  readonly maxRank?: number
  /** Smallest dimension (default 1). */
  readonly minDim?: number
  /** Largest dimension (default 4). */
  readonly maxDim?: number
}

/**
 * Shapes: ranks and dimensions within bounds; shrinks to fewer axes and smaller dimensions.
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { arb } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * for (const s of fc.sample(arb.shape({ minRank: 1, maxRank: 2, maxDim: 3 }), 20)) {
 *   assert.ok(s.length >= 1 && s.length <= 2 && s.every((d) => d >= 1 && d <= 3))
 * }
 * ```
 */
export const shape = (o: ShapeOptions = {}): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: o.minDim ?? 1, max: o.maxDim ?? 4 }), { minLength: o.minRank ?? 0, maxLength: o.maxRank ?? 3 })

/**
 * Pairs of shapes that broadcast together (NumPy rules): a common shape with some leading
 * axes dropped and some axes set to 1 on either side.
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { ops } from 'dendrite'
 * import { arb } from 'dendrite/testing'
 * for (const [a, b] of fc.sample(arb.broadcastPair(), 20)) ops.broadcastShapes(a, b) // never throws
 * ```
 */
export const broadcastPair = (o: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> => {
  const side = (base: number[]) =>
    fc.tuple(fc.nat(base.length), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }))
      .map(([drop, ones]) => base.map((d, i) => (ones[i] ? 1 : d)).slice(drop))
  return shape({ minDim: 1, ...o }).chain((base) => fc.tuple(side(base), side(base)))
}

/**
 * Where tensor values are drawn from: `'real'` ([min, max], default [−10, 10]),
 * `'positive'` ((0, max], default (0, 10]), `'unit'` ([0, 1]), `'nonzero'`
 * (|x| ∈ [0.1, max]).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export type Domain = 'real' | 'positive' | 'unit' | 'nonzero'

/**
 * Options of `tensor` and `values`.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export interface TensorOptions extends ShapeOptions {
  /** A fixed shape (otherwise drawn with the shape options). */
  readonly shape?: Shape
  /** Element type (default `'float64'`). */
  readonly dtype?: DType
  /** Value domain (default `'real'`). */
  readonly domain?: Domain
  /** Smallest value, for `'real'` (default −10). */
  readonly min?: number
  /** Largest value (default 10; 1 for `'unit'`). */
  readonly max?: number
  /**
   * Also draw, one time in five, the edge cases fast-check's `double` favours (0, −0,
   * subnormals, the bounds) — for laws about the arithmetic itself. Default false.
   */
  readonly edgeCases?: boolean
}

const STEPS = 2 ** 24

/** Reals on a fine grid of [lo, hi], shrinking towards the point of the interval nearest 0. */
const real = (lo: number, hi: number): fc.Arbitrary<number> => {
  const scale = Math.max(Math.abs(lo), Math.abs(hi), 1e-300) / STEPS
  return fc.integer({ min: Math.ceil(lo / scale), max: Math.floor(hi / scale) }).map((n) => n * scale)
}

/**
 * Scalars of a domain (see `Domain`), as plain numbers; they shrink towards simple values.
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { arb } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * assert.ok(fc.sample(arb.value({ domain: 'positive' }), 50).every((x) => x > 0))
 * ```
 */
export const value = (o: TensorOptions = {}): fc.Arbitrary<number> => {
  const max = o.max ?? (o.domain === 'unit' ? 1 : 10)
  switch (o.domain ?? 'real') {
    case 'real': {
      const min = o.min ?? -10
      if (!o.edgeCases) return real(min, max)
      const edge = o.dtype === 'float32'
        ? fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true, noDefaultInfinity: true })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
      return fc.oneof({ weight: 4, arbitrary: real(min, max) }, { weight: 1, arbitrary: edge.map((x) => x + 0) })
    }
    case 'unit':
      return real(0, Math.min(max, 1))
    case 'positive':
      return real(max / STEPS, max)
    case 'nonzero':
      return fc.tuple(real(0.1, max), fc.boolean()).map(([x, neg]) => (neg ? -x : x))
  }
}

/**
 * Tensors of a fixed or drawn shape, with values from a domain. Values are rounded to the
 * dtype.
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { arb } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const [t] = fc.sample(arb.tensor({ shape: [2, 3], domain: 'unit', dtype: 'float32' }), 1)
 * assert.deepStrictEqual([t.shape, t.dtype], [[2, 3], 'float32'])
 * ```
 */
export const tensor = (o: TensorOptions = {}): fc.Arbitrary<Tensor> => {
  const s = o.shape !== undefined ? fc.constant([...o.shape]) : shape(o)
  return s.chain((sh) =>
    fc.array(value(o), { minLength: sizeOf(sh), maxLength: sizeOf(sh) }).map((xs) => fromArray(xs, sh, o.dtype ?? 'float64')),
  )
}

/**
 * Symmetric positive-definite `n × n` matrices with condition number at most about
 * `maxCondition` (default 100): `Q diag(λ) Qᵀ` with `Q` orthogonal (from a QR of a random
 * matrix) and eigenvalues in `[1, maxCondition]`.
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { ops } from 'dendrite'
 * import { arb } from 'dendrite/testing'
 * for (const a of fc.sample(arb.spd(3), 10)) ops.cholesky(a) // never throws
 * ```
 */
export const spd = (n: number, o: { readonly dtype?: DType; readonly maxCondition?: number } = {}): fc.Arbitrary<Tensor> =>
  fc.tuple(
    fc.array(real(-1, 1), { minLength: n * n, maxLength: n * n }),
    fc.array(real(1, o.maxCondition ?? 100), { minLength: n, maxLength: n }),
  ).map(([m, eig]) => {
    // Gram–Schmidt on (M + 3I) columns gives an orthogonal Q
    const a = m.map((v, i) => v + (i % (n + 1) === 0 ? 3 : 0))
    const q = new Float64Array(n * n)
    for (let j = 0; j < n; j++) {
      const col = Array.from({ length: n }, (_, i) => a[i * n + j])
      for (let k = 0; k < j; k++) {
        let dot = 0
        for (let i = 0; i < n; i++) dot += q[i * n + k] * col[i]
        for (let i = 0; i < n; i++) col[i] -= dot * q[i * n + k]
      }
      const norm = Math.hypot(...col) || 1
      for (let i = 0; i < n; i++) q[i * n + j] = col[i] / norm
    }
    const out = new Float64Array(n * n)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0
        for (let k = 0; k < n; k++) s += q[i * n + k] * eig[k] * q[j * n + k]
        out[i * n + j] = s
        out[j * n + i] = s
      }
    }
    return fromArray(out, [n, n], o.dtype ?? 'float64')
  })

/**
 * Rows on the probability simplex: `rows × k` (or `[k]` without `rows`) with non-negative
 * entries summing to 1 along the last axis.
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { ops } from 'dendrite'
 * import { arb } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const [p] = fc.sample(arb.simplex(4, 2), 1)
 * assert.ok(ops.toFlat(ops.sum(p, 1)).every((s) => Math.abs(s - 1) < 1e-12))
 * ```
 */
export const simplex = (k: number, rows?: number, dtype: DType = 'float64'): fc.Arbitrary<Tensor> => {
  const r = rows ?? 1
  return fc.array(real(0, 1), { minLength: r * k, maxLength: r * k }).map((w) => {
    const out = new Float64Array(r * k)
    for (let i = 0; i < r; i++) {
      let s = 0
      for (let j = 0; j < k; j++) s += w[i * k + j] + 1e-3
      for (let j = 0; j < k; j++) out[i * k + j] = (w[i * k + j] + 1e-3) / s
    }
    return fromArray(out, rows === undefined ? [k] : [r, k], dtype)
  })
}

/**
 * A draw of `oneHot`: integer labels and their one-hot rows.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export interface OneHotSample {
  /** The labels, integers in [0, classes). */
  readonly labels: number[]
  /** Shape [n, classes]: row i is 1 at labels[i], 0 elsewhere. */
  readonly oneHot: Tensor
}

/**
 * One-hot label rows: `n × classes` with exactly one 1 per row (and the integer labels).
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { ops } from 'dendrite'
 * import { arb } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const [{ labels, oneHot }] = fc.sample(arb.oneHot(5, 3), 1)
 * assert.deepStrictEqual(ops.toFlat(ops.argmax(oneHot, 1)), labels)
 * ```
 */
export const oneHot = (n: number, classes: number, dtype: DType = 'float64'): fc.Arbitrary<OneHotSample> =>
  fc.array(fc.nat(classes - 1), { minLength: n, maxLength: n }).map((labels) => ({ labels, oneHot: T.oneHot(labels, classes, dtype) }))

/**
 * Trees shaped like a given one (for example a model's `init` output): same structure,
 * leaf shapes and dtypes, new values from the domain.
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { ops, tree } from 'dendrite'
 * import { arb } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const like = { w: ops.zeros([2, 3]), b: ops.zeros([3]) }
 * const [p] = fc.sample(arb.treeLike(like, { min: -1, max: 1 }), 1)
 * assert.ok(tree.structureEquals(p, like))
 * ```
 */
export const treeLike = <A extends Tree>(like: A, o: TensorOptions = {}): fc.Arbitrary<A> => {
  const { leaves: ls, treedef } = flatten(like)
  if (ls.length === 0) return fc.constant(like)
  return fc.tuple(...ls.map((l) => tensor({ ...o, shape: l.shape, dtype: l.dtype }))).map((xs) => unflatten(treedef, xs) as A)
}

/**
 * PRNG keys (from 32-bit seeds; shrinks towards `key(0)`).
 *
 * @category arbitraries
 * @since 0.1.0
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { random } from 'dendrite'
 * import { arb } from 'dendrite/testing'
 * import * as assert from 'node:assert'
 * const [k] = fc.sample(arb.key(), 1)
 * assert.deepStrictEqual(random.uniform(k, [2]), random.uniform(k, [2]))
 * ```
 */
export const key = (): fc.Arbitrary<Key> => fc.nat().map((s) => makeKey(s))


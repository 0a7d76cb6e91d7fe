/**
 * Splittable, counter-based pseudo-random numbers, as in JAX. A {@link Key} is an immutable
 * pair of uint32 words; every random value is a pure function of a key, computed with the
 * Threefry-2x32 block function (20 rounds), so the same key gives the same bits on every
 * machine. There is no hidden state and no `Math.random`.
 *
 * Bit layout (that of JAX with `jax_threefry_partitionable`, the default since JAX 0.5;
 * `T(k, c)` is Threefry-2x32 of the counter pair `c` under key `k`, and `hi(i)`, `lo(i)` are
 * the high and low 32-bit words of a 64-bit integer):
 * - `key(seed).words = (hi(seed), lo(seed))` (64-bit two's complement for negative seeds);
 * - `split(k, n)[i].words = T(k, (0, i))`;
 * - `foldIn(k, d).words = T(k, (hi(d), lo(d)))`, so, as in JAX, `foldIn(k, i) = split(k, n)[i]`;
 * - `randomBits(k, n)[i] = y₀ ⊕ y₁` where `(y₀, y₁) = T(k, (hi(i), lo(i)))`;
 * - 52-bit draws (float64 uniforms, normals, Gumbel noise) use `y₀·2²⁰ + ⌊y₁/2¹²⌋`;
 * - element `i` of a sampled tensor (row-major) uses counter `i` (categorical: `i·K + k`).
 *
 * Hence `uniform(k, shape)` in float32 on [0, 1) equals JAX's `jax.random.uniform(k, shape)`
 * bit for bit, e.g. `uniform(key(0), [])` is `0.947667`.
 *
 * Laws:
 * - determinism: `randomBits(k, n)` depends on `k` and `n` only, and
 *   `randomBits(k, n)[0..m) = randomBits(k, m)` for `m ≤ n` (counter mode);
 * - `T(0x13198a2e 03707344, 0x243f6a88 85a308d3) = 0xc4923a9c 483df7a0` (Random123 test vector);
 * - `split(k, n)[i] ≠ split(k, n)[j]` for `i ≠ j`, and `≠ k` (with overwhelming probability);
 * - `min ≤ uniform(k, s, {min, max}) < max`; `lower ≤ truncatedNormal(k, s, {lower, upper}) ≤ upper`;
 * - `E[uniform] = (min+max)/2`, `Var[uniform] = (max−min)²/12`; `E[normal] = mean`,
 *   `Var[normal] = std²`; `E[bernoulli(p)] = p`; `P(categorical = j) = softmax(logits)_j`;
 * - `sort(permutation(k, n)) = [0, …, n−1]`; `shuffle(k, arange(n)) = permutation(k, n)`.
 *
 * A key should be used once: to draw several things, `split` it first.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import { broadcastShapes, broadcastStrides, checkShape, normAxis, shapeEquals, sizeOf, stridesOf, type Shape } from '../tensor/Shape.js'
import { alloc, checkDType, make, raw, isTensor, type DType, type Tensor } from '../tensor/Tensor.js'
import { hiWord, loWord, threefry2x32 } from './threefry.js'
import { ndtri, normCdf } from './special.js'

/**
 * A PRNG key: an immutable (frozen) pair of uint32 words, the key of Threefry-2x32.
 * Make one with `key(seed)`, derive more with `split` and `foldIn`; never reuse one key
 * for two unrelated draws.
 *
 * @category model
 * @since 0.1.0
 */
export interface Key {
  /** Tag that marks the value as a dendrite PRNG key. */
  readonly kind: 'dendrite.key'
  /** The two uint32 words `[hi, lo]`, as in JAX's `key_data`. */
  readonly words: readonly [number, number]
}

/** Most words one call may draw (and most elements a sampled tensor may have). */
const MAX_WORDS = 2 ** 31
const TWO32 = 4294967296
const TWO_M23 = 2 ** -23
const TWO_M32 = 2 ** -32
const TWO_M52 = 2 ** -52
/** Largest finite float32. */
const FLT_MAX = 3.4028234663852886e38

const makeKey = (w0: number, w1: number): Key =>
  Object.freeze({ kind: 'dendrite.key' as const, words: Object.freeze([w0 >>> 0, w1 >>> 0] as const) })

const isWord = (w: unknown): w is number => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w < TWO32

/**
 * Is this value a PRNG key? A structural check: `kind` is `'dendrite.key'` and `words` is
 * a pair of uint32 integers.
 *
 * @category guards
 * @since 0.1.0
 * @example
 * ```ts
 * import { random } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.ok(random.isKey(random.key(0)))
 * assert.ok(!random.isKey([0, 0]))
 * ```
 */
export const isKey = (u: unknown): u is Key => {
  if (typeof u !== 'object' || u === null) return false
  const k = u as { kind?: unknown; words?: unknown }
  return k.kind === 'dendrite.key' && Array.isArray(k.words) && k.words.length === 2 && isWord(k.words[0]) && isWord(k.words[1])
}

const checkKey = (op: string, k: unknown): Key => {
  if (!isKey(k)) throw new DomainError(op, `expected a PRNG key (from random.key, split or foldIn), got ${describe(k)}`)
  return k
}

const describe = (u: unknown): string => {
  if (isTensor(u)) return `a tensor of shape ${showShape(u.shape)}`
  if (Array.isArray(u)) return `an array of length ${u.length}`
  if (typeof u === 'number') return String(u)
  return u === null ? 'null' : typeof u
}

const checkSafeInteger = (op: string, name: string, x: unknown): number => {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
    throw new DomainError(op, `${name} must be an integer with |${name}| ≤ 2^53 − 1, got ${String(x)}`)
  }
  return x
}

const checkCount = (op: string, name: string, n: unknown, max: number): number => {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new DomainError(op, `${name} must be an integer in [0, ${max}], got ${String(n)}`)
  }
  return n
}

/** High and low words of a safe integer as a 64-bit two's-complement value. */
const words64 = (x: number): [number, number] => {
  const hi = Math.floor(x / TWO32)
  return [hi >>> 0, (x - hi * TWO32) >>> 0]
}

/**
 * Makes a PRNG key from an integer seed, as JAX's `jax.random.key(seed)`: the seed, taken as
 * a 64-bit two's-complement integer, is split into its high and low 32-bit words. Seeds must
 * be safe integers (`|seed| ≤ 2⁵³ − 1`); anything else throws `DomainError`.
 *
 * `key(seed).words = [⌊seed / 2³²⌋ mod 2³², seed mod 2³²]`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { random } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(random.key(42).words, [0, 42])
 * assert.deepStrictEqual(random.key(2 ** 32 + 5).words, [1, 5])
 * assert.deepStrictEqual(random.key(-1).words, [4294967295, 4294967295])
 * assert.throws(() => random.key(0.5))
 * ```
 */
export const key = (seed: number): Key => {
  const s = checkSafeInteger('key', 'seed', seed)
  const [hi, lo] = words64(s)
  return makeKey(hi, lo)
}

/**
 * Makes a PRNG key from its two uint32 words (JAX's `wrap_key_data`), e.g. to restore a
 * saved key. Words outside [0, 2³²) throw `DomainError`.
 *
 * `wrapKeyData(k.words) = k`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const k = random.split(random.key(7))[1]
 * assert.deepStrictEqual(random.wrapKeyData(k.words), k)
 * assert.throws(() => random.wrapKeyData([-1, 0]))
 * ```
 */
export const wrapKeyData = (words: readonly [number, number]): Key => {
  if (!Array.isArray(words) || words.length !== 2 || !isWord(words[0]) || !isWord(words[1])) {
    throw new DomainError('wrapKeyData', `key data must be two integers in [0, 2^32), got ${JSON.stringify(words)}`)
  }
  return makeKey(words[0], words[1])
}

/**
 * Splits a key into `n` new keys (default 2), independent of each other and of the parent,
 * as JAX's `jax.random.split`. Use one child for the current draw and keep another to split
 * again.
 *
 * `split(k, n)[i].words = threefry2x32(k, (0, i))`
 *
 * @category keys
 * @since 0.1.0
 * @example
 * ```ts
 * import { random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [a, b] = random.split(random.key(0))
 * assert.deepStrictEqual(a.words, [1797259609, 2579123966])
 * assert.deepStrictEqual(b.words, [928981903, 3453687069])
 * assert.strictEqual(random.split(random.key(0), 5).length, 5)
 * ```
 */
export const split = (k: Key, n = 2): ReadonlyArray<Key> => {
  const kk = checkKey('split', k)
  const m = checkCount('split', 'n', n, MAX_WORDS)
  const [k0, k1] = kk.words
  const out = new Uint32Array(2)
  const keys = new Array<Key>(m)
  for (let i = 0; i < m; i++) {
    threefry2x32(k0, k1, hiWord(i), loWord(i), out, 0)
    keys[i] = makeKey(out[0], out[1])
  }
  return Object.freeze(keys)
}

/**
 * Derives a new key from a key and an integer, as JAX's `jax.random.fold_in`: handy to get
 * a distinct key per step or per example without threading splits. Different data give
 * independent keys. The integer (a safe integer, two's complement if negative) is the
 * Threefry counter; for `0 ≤ data < 2³²` this is exactly JAX's result, and
 * `foldIn(k, i) = split(k, n)[i]`, so do not mix the two on one key.
 *
 * `foldIn(k, d).words = threefry2x32(k, (⌊d / 2³²⌋, d mod 2³²))`
 *
 * @category keys
 * @since 0.1.0
 * @example
 * ```ts
 * import { random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const k = random.key(0)
 * assert.notDeepStrictEqual(random.foldIn(k, 1).words, random.foldIn(k, 2).words)
 * assert.deepStrictEqual(random.foldIn(k, 1), random.split(k)[1])
 * ```
 */
export const foldIn = (k: Key, data: number): Key => {
  const kk = checkKey('foldIn', k)
  const d = checkSafeInteger('foldIn', 'data', data)
  const [hi, lo] = words64(d)
  const out = new Uint32Array(2)
  threefry2x32(kk.words[0], kk.words[1], hi, lo, out, 0)
  return makeKey(out[0], out[1])
}

/**
 * `n` random uint32 words from a key, by Threefry-2x32 in counter mode over the counters
 * `0 … n−1`: word `i` is the XOR of the two output words of block `(0, i)`, as JAX's
 * `jax.random.bits(k, (n,), 'uint32')`. A longer draw extends a shorter one (the first `m`
 * words do not depend on `n`). At most 2³¹ words per call.
 *
 * `randomBits(k, n)[i] = y₀ ⊕ y₁ where (y₀, y₁) = threefry2x32(k, (0, i))`
 *
 * @category samplers
 * @since 0.1.0
 * @example
 * ```ts
 * import { random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const k = random.key(1)
 * const bits = random.randomBits(k, 4)
 * assert.strictEqual(bits.length, 4)
 * assert.deepStrictEqual(Array.from(random.randomBits(k, 2)), Array.from(bits.slice(0, 2)))
 * ```
 */
export const randomBits = (k: Key, n: number): Uint32Array => {
  const kk = checkKey('randomBits', k)
  const m = checkCount('randomBits', 'n', n, MAX_WORDS)
  return bits32(kk, m)
}

/** Words `0 … n−1` of the key's 32-bit stream (arguments already checked). */
const bits32 = (k: Key, n: number): Uint32Array => {
  const [k0, k1] = k.words
  const out = new Uint32Array(n)
  const y = new Uint32Array(2)
  for (let i = 0; i < n; i++) {
    threefry2x32(k0, k1, 0, i, y, 0) // i < 2³¹: the high counter word is 0
    out[i] = (y[0] ^ y[1]) >>> 0
  }
  return out
}

/** Integers in [0, 2⁵²) from counters `0 … n−1`: the top 52 bits of `y₀·2³² + y₁`. */
const bits52 = (k: Key, n: number): Float64Array => {
  const [k0, k1] = k.words
  const out = new Float64Array(n)
  const y = new Uint32Array(2)
  for (let i = 0; i < n; i++) {
    threefry2x32(k0, k1, 0, i, y, 0) // i < 2³¹: the high counter word is 0
    out[i] = y[0] * 1048576 + (y[1] >>> 12)
  }
  return out
}

/** Open uniforms on (0, 1): `(j + ½)·2⁻⁵²` for 52-bit `j`, so in [2⁻⁵³, 1 − 2⁻⁵³]. */
const openUniforms = (k: Key, n: number): Float64Array => {
  const u = bits52(k, n)
  for (let i = 0; i < n; i++) u[i] = (u[i] + 0.5) * TWO_M52
  return u
}

/** The next representable value below `x` (finite or +∞) in the dtype, by its bit pattern. */
const nextDown = (x: number, dtype: DType): number => {
  if (x === 0) return dtype === 'float32' ? -1.401298464324817e-45 : -Number.MIN_VALUE
  if (dtype === 'float32') {
    const f = new Float32Array([x])
    const u = new Uint32Array(f.buffer)
    u[0] = x > 0 ? u[0] - 1 : u[0] + 1
    return f[0]
  }
  const f = new Float64Array([x])
  const u = new BigUint64Array(f.buffer)
  u[0] = x > 0 ? u[0] - 1n : u[0] + 1n
  return f[0]
}

/** The largest dtype value ≤ x. */
const roundDown = (x: number, dtype: DType): number => {
  if (dtype === 'float64') return x
  const f = Math.fround(x)
  return f > x ? nextDown(f, dtype) : f
}

/** The smallest dtype value ≥ x. */
const roundUp = (x: number, dtype: DType): number => -roundDown(-x, dtype)

/** Rounds a double to the dtype. */
const toDType = (x: number, dtype: DType): number => (dtype === 'float32' ? Math.fround(x) : x)

const checkSampleShape = (op: string, shape: Shape): number => {
  if (!Array.isArray(shape)) throw new ShapeError(op, `shape must be an array of dimensions, got ${describe(shape)}`)
  checkShape(op, shape)
  const n = sizeOf(shape)
  if (n > MAX_WORDS) throw new DomainError(op, `shape ${showShape(shape)} has ${n} elements, more than 2^31`, [shape])
  return n
}

const checkFinite = (op: string, name: string, x: unknown): number => {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new DomainError(op, `${name} must be a finite number, got ${String(x)}`)
  return x
}

/**
 * Options of `uniform`.
 *
 * @category samplers
 * @since 0.1.0
 */
export interface UniformOptions {
  /** Lower bound, included (default 0). */
  readonly min?: number
  /** Upper bound, excluded (default 1). */
  readonly max?: number
  /** Element type of the result (default `'float32'`). */
  readonly dtype?: DType
}

/**
 * Uniform samples on `[min, max)`. A float32 sample takes 23 random mantissa bits,
 * `u = ⌊bits/2⁹⌋·2⁻²³`, exactly as JAX (so on [0, 1) the values equal JAX's); a float64
 * sample takes 52 bits from the two words of its block, `u = j·2⁻⁵²`. Then
 * `min + u·(max − min)` is computed in float64, rounded to the dtype and kept within
 * `[min, max)`: `max` is never returned. Bounds must be finite with `min < max` and some
 * dtype value in between (else `DomainError`).
 *
 * `uniform(k, s, {min, max}) = min + u·(max − min), u ∈ [0, 1)`
 *
 * @category samplers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(ops.item(random.uniform(random.key(0), [])), 0.9476670026779175)
 * const u = random.uniform(random.key(1), [2, 3], { min: -2, max: 2, dtype: 'float64' })
 * assert.deepStrictEqual(u.shape, [2, 3])
 * assert.ok(ops.toFlat(u).every((x) => x >= -2 && x < 2))
 * ```
 */
export const uniform = (k: Key, shape: Shape, opts: UniformOptions = {}): Tensor => {
  const op = 'uniform'
  const kk = checkKey(op, k)
  const n = checkSampleShape(op, shape)
  const dtype = checkDType(op, opts.dtype ?? 'float32')
  const min = checkFinite(op, 'min', opts.min ?? 0)
  const max = checkFinite(op, 'max', opts.max ?? 1)
  const lo = roundUp(min, dtype)
  const hiRounded = roundDown(max, dtype)
  const top = hiRounded < max ? hiRounded : nextDown(hiRounded, dtype)
  if (!(min < max) || !(lo <= top) || !Number.isFinite(max - min)) {
    throw new DomainError(op, `need finite min < max with a ${dtype} value in [min, max), got min ${min}, max ${max}`, [shape])
  }
  const width = max - min
  const out = alloc(dtype, n)
  if (dtype === 'float32') {
    const bits = bits32(kk, n)
    for (let i = 0; i < n; i++) {
      const v = Math.fround(min + (bits[i] >>> 9) * TWO_M23 * width)
      out[i] = v > top ? top : v < lo ? lo : v
    }
  } else {
    const j = bits52(kk, n)
    for (let i = 0; i < n; i++) {
      const v = min + j[i] * TWO_M52 * width
      out[i] = v > top ? top : v < lo ? lo : v
    }
  }
  return make(dtype, shape, out)
}

/**
 * Options of `normal`.
 *
 * @category samplers
 * @since 0.1.0
 */
export interface NormalOptions {
  /** Mean of the distribution (default 0). */
  readonly mean?: number
  /** Standard deviation, ≥ 0 (default 1). */
  readonly std?: number
  /** Element type of the result (default `'float32'`). */
  readonly dtype?: DType
}

/**
 * Normal (Gaussian) samples by the inverse CDF: `z = Φ⁻¹(u)` with `u = (j + ½)·2⁻⁵²` from 52
 * random bits, so `u ∈ [2⁻⁵³, 1 − 2⁻⁵³]`, `|z| ≤ 8.3`, and the result is always finite (no
 * `log 0`). `Φ⁻¹` is Acklam's approximation polished by a Halley step on an FDLIBM `erfc`
 * (relative error ~1e-15). The result is `mean + std·z`, rounded to the dtype; `mean` and
 * `std` must be finite, `std ≥ 0`, and `|mean| + 9·std` must fit the dtype.
 *
 * `normal(k, s, {mean, std}) = mean + std·Φ⁻¹(u), u ~ U(0, 1)`
 *
 * @category samplers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const z = random.normal(random.key(0), [1000], { mean: 3, std: 2, dtype: 'float64' })
 * const xs = ops.toFlat(z)
 * const m = xs.reduce((a, b) => a + b, 0) / xs.length
 * assert.ok(Math.abs(m - 3) < 0.5)
 * assert.ok(xs.every(Number.isFinite))
 * ```
 */
export const normal = (k: Key, shape: Shape, opts: NormalOptions = {}): Tensor => {
  const op = 'normal'
  const kk = checkKey(op, k)
  const n = checkSampleShape(op, shape)
  const dtype = checkDType(op, opts.dtype ?? 'float32')
  const mean = checkFinite(op, 'mean', opts.mean ?? 0)
  const std = checkFinite(op, 'std', opts.std ?? 1)
  if (std < 0) throw new DomainError(op, `std must be ≥ 0, got ${std}`, [shape])
  const limit = dtype === 'float32' ? FLT_MAX : Number.MAX_VALUE
  if (!(Math.abs(mean) + 9 * std <= limit)) {
    throw new DomainError(op, `mean ${mean} and std ${std} overflow ${dtype} (need |mean| + 9·std ≤ ${limit})`, [shape])
  }
  const u = openUniforms(kk, n)
  const out = alloc(dtype, n)
  for (let i = 0; i < n; i++) out[i] = mean + std * ndtri(u[i])
  return make(dtype, shape, out)
}

/**
 * Options of `truncatedNormal`.
 *
 * @category samplers
 * @since 0.1.0
 */
export interface TruncatedNormalOptions {
  /** Lower bound, included; may be `-Infinity` (default −2). */
  readonly lower?: number
  /** Upper bound, included; may be `Infinity` (default 2). */
  readonly upper?: number
  /** Element type of the result (default `'float32'`). */
  readonly dtype?: DType
}

/** Largest x < 0 with Φ(x) comfortably normal (Φ(−37.5) ≈ 4.6e−308). */
const TAIL_CUT = -37.5

/**
 * One standard normal restricted to [a, b] (a < b, a ≤ 0 or b ≤ 0 after mirroring) from an
 * open uniform u, by the inverse CDF on [Φ(a), Φ(b)].
 */
const truncLower = (a: number, b: number, pa: number, pb: number, u: number): number => {
  if (b < TAIL_CUT || !(pb - pa > 0)) {
    // Far tail (Φ underflows) or an interval too narrow for Φ to resolve: inside [a, b] the
    // density ∝ e^{−x²/2} is close to e^{−c·(x' − c)} in x' = −x, c = −b (an exponential of
    // rate c), or flat when c ≤ 1. Both are within O(1/c²) of the truth.
    const c = -b
    const d = -a
    if (c > 1) {
      const e = -Math.expm1(-c * (d - c))
      return -(c - Math.log1p(-u * e) / c)
    }
    return a + u * (b - a)
  }
  let p = pa + u * (pb - pa)
  if (p <= 0) p = Number.MIN_VALUE
  if (p >= 1) p = 1 - 2 ** -53
  return ndtri(p)
}

/**
 * Samples of a standard normal restricted to `[lower, upper]` (defaults −2 and 2, as the
 * usual weight initialisers), by the inverse CDF: `x = Φ⁻¹(Φ(lower) + u·(Φ(upper) − Φ(lower)))`
 * with an open 52-bit uniform `u`. An interval on the positive side is mirrored to the
 * negative side, where `Φ` keeps full relative accuracy, so far tails such as `[6, 7]` are
 * sampled correctly; beyond `Φ`'s underflow (bounds past ±37.5) an exponential tail
 * approximation is used. Results are clamped to the bounds rounded inward to the dtype.
 * Bounds may be infinite; `lower < upper` is required, with a dtype value in between.
 *
 * `truncatedNormal(k, s, {lower, upper}) = Φ⁻¹(Φ(lower) + u·(Φ(upper) − Φ(lower)))`
 *
 * @category samplers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = random.truncatedNormal(random.key(0), [500], { lower: -1, upper: 0.5 })
 * assert.ok(ops.toFlat(t).every((x) => x >= -1 && x <= 0.5))
 * const tail = random.truncatedNormal(random.key(1), [100], { lower: 6, upper: Infinity, dtype: 'float64' })
 * assert.ok(ops.toFlat(tail).every((x) => x >= 6 && x < 9))
 * ```
 */
export const truncatedNormal = (k: Key, shape: Shape, opts: TruncatedNormalOptions = {}): Tensor => {
  const op = 'truncatedNormal'
  const kk = checkKey(op, k)
  const n = checkSampleShape(op, shape)
  const dtype = checkDType(op, opts.dtype ?? 'float32')
  const lower = opts.lower ?? -2
  const upper = opts.upper ?? 2
  if (typeof lower !== 'number' || typeof upper !== 'number' || !(lower < upper) || lower === Infinity || upper === -Infinity) {
    throw new DomainError(op, `need lower < upper (infinite bounds allowed), got lower ${String(lower)}, upper ${String(upper)}`, [shape])
  }
  const lo = roundUp(lower, dtype)
  const hi = roundDown(upper, dtype)
  if (!(lo <= hi)) throw new DomainError(op, `no ${dtype} value lies in [${lower}, ${upper}]`, [shape])
  const flip = lower > 0
  const a = flip ? -upper : lower
  const b = flip ? -lower : upper
  const pa = normCdf(a)
  const pb = normCdf(b)
  const u = openUniforms(kk, n)
  const out = alloc(dtype, n)
  for (let i = 0; i < n; i++) {
    let x = truncLower(a, b, pa, pb, u[i])
    x = x < a ? a : x > b ? b : x
    const v = toDType(flip ? -x : x, dtype)
    out[i] = v < lo ? lo : v > hi ? hi : v
  }
  return make(dtype, shape, out)
}

/** Maps each flat index of `target` to the flat index of `src` broadcast to it. */
const broadcastIndex = (src: Shape, target: Shape): Float64Array => {
  const n = sizeOf(target)
  const bs = broadcastStrides(src, target)
  const ts = stridesOf(target)
  const map = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let rem = i
    let off = 0
    for (let d = 0; d < target.length; d++) {
      const q = Math.floor(rem / ts[d])
      rem -= q * ts[d]
      off += q * bs[d]
    }
    map[i] = off
  }
  return map
}

/** Checks that `src` broadcasts to exactly `target`. */
const checkBroadcastsTo = (op: string, src: Shape, target: Shape, what: string): void => {
  const b = broadcastShapes(src, target, op)
  if (!shapeEquals(b, target)) {
    throw new ShapeError(op, `${what} ${showShape(src)} does not broadcast to shape ${showShape(target)}`, [src, target])
  }
}

/**
 * Options of `bernoulli`.
 *
 * @category samplers
 * @since 0.1.0
 */
export interface BernoulliOptions {
  /** Element type of the result (default: the dtype of `p` if a tensor, else `'float32'`). */
  readonly dtype?: DType
}

/**
 * Bernoulli samples: 1 with probability `p`, else 0. `p` is a number in [0, 1] or a tensor of
 * probabilities, broadcast to `shape` (default: `p`'s shape, or `[]`). Each sample compares
 * a full 32-bit uniform, `u = bits·2⁻³²`, with `p`: `p = 0` never gives 1, `p = 1` always.
 *
 * `bernoulli(k, p, s)ᵢ = [u_i < p_i]`
 *
 * @category samplers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const b = random.bernoulli(random.key(0), 0.5, [8])
 * assert.ok(ops.toFlat(b).every((x) => x === 0 || x === 1))
 * const sure = random.bernoulli(random.key(0), ops.tensor([0, 1]), [3, 2])
 * assert.deepStrictEqual(ops.toArray(sure), [[0, 1], [0, 1], [0, 1]])
 * ```
 */
export const bernoulli = (k: Key, p: number | Tensor, shape?: Shape, opts: BernoulliOptions = {}): Tensor => {
  const op = 'bernoulli'
  const kk = checkKey(op, k)
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new DomainError(op, `p must be in [0, 1], got ${p}`)
    const s = shape ?? []
    const n = checkSampleShape(op, s)
    const dtype = checkDType(op, opts.dtype ?? 'float32')
    const bits = bits32(kk, n)
    const out = alloc(dtype, n)
    for (let i = 0; i < n; i++) out[i] = bits[i] * TWO_M32 < p ? 1 : 0
    return make(dtype, s, out)
  }
  if (!isTensor(p)) throw new DomainError(op, `p must be a number or a tensor, got ${describe(p)}`)
  const s = shape ?? p.shape
  const n = checkSampleShape(op, s)
  checkBroadcastsTo(op, p.shape, s, 'p of shape')
  const dtype = checkDType(op, opts.dtype ?? p.dtype)
  const pd = raw(p)
  for (let i = 0; i < pd.length; i++) {
    if (!(pd[i] >= 0 && pd[i] <= 1)) throw new DomainError(op, `p[${i}] = ${pd[i]} is not in [0, 1]`, [p.shape])
  }
  const map = broadcastIndex(p.shape, s)
  const bits = bits32(kk, n)
  const out = alloc(dtype, n)
  for (let i = 0; i < n; i++) out[i] = bits[i] * TWO_M32 < pd[map[i]] ? 1 : 0
  return make(dtype, s, out)
}

/**
 * Options of `categorical`.
 *
 * @category samplers
 * @since 0.1.0
 */
export interface CategoricalOptions {
  /** The axis of `logits` that indexes the categories (default −1). */
  readonly axis?: number
  /**
   * Shape of the result; the batch shape of `logits` (its shape without `axis`) must
   * broadcast to it. Default: the batch shape.
   */
  readonly shape?: Shape
}

/**
 * Samples category indices from unnormalised log-probabilities by the Gumbel-max trick:
 * `argmax_j (logits_j + g_j)` with `g_j = −log(−log u_j)` and open 52-bit uniforms `u_j`, so
 * the noise is always finite (in [−3.6, 36.8]); `P(result = j) = softmax(logits)_j`, and no
 * exponential of the logits is ever taken. `−∞` logits are never chosen (unless all are);
 * NaN logits throw `DomainError`. Indices are returned as a tensor of the logits' dtype.
 *
 * `categorical(k, logits) = argmax_j (logits_j − log(−log u_j))`
 *
 * @category samplers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const logits = ops.tensor([[0, -Infinity, 0], [-Infinity, 5, -Infinity]])
 * const c = random.categorical(random.key(0), logits)
 * assert.deepStrictEqual(c.shape, [2])
 * assert.ok([0, 2].includes(ops.get(c, 0)))
 * assert.strictEqual(ops.get(c, 1), 1)
 * assert.deepStrictEqual(random.categorical(random.key(0), logits, { shape: [4, 2] }).shape, [4, 2])
 * ```
 */
export const categorical = (k: Key, logits: Tensor, opts: CategoricalOptions = {}): Tensor => {
  const op = 'categorical'
  const kk = checkKey(op, k)
  if (!isTensor(logits)) throw new DomainError(op, `logits must be a tensor, got ${describe(logits)}`)
  const rank = logits.shape.length
  if (rank === 0) throw new ShapeError(op, `logits must have at least one axis, got shape []`, [logits.shape])
  const ax = normAxis(op, opts.axis ?? -1, rank, logits.shape)
  const K = logits.shape[ax]
  if (K === 0) throw new ShapeError(op, `no categories: axis ${ax} of logits ${showShape(logits.shape)} has length 0`, [logits.shape], ax)
  const batch = logits.shape.filter((_, d) => d !== ax)
  const outShape = opts.shape ?? batch
  const n = checkSampleShape(op, outShape)
  checkBroadcastsTo(op, batch, outShape, 'batch shape of logits')
  if (n * K > MAX_WORDS) throw new DomainError(op, `${n}×${K} draws exceed 2^31`, [logits.shape, outShape])
  if (logits.dtype === 'float32' && K > 2 ** 24) {
    throw new DomainError(op, `${K} categories cannot be indexed exactly in float32; use float64 logits`, [logits.shape], ax)
  }
  const ld = raw(logits)
  for (let i = 0; i < ld.length; i++) {
    if (Number.isNaN(ld[i])) throw new DomainError(op, `logits[${i}] is NaN`, [logits.shape])
  }
  // Offset in logits of the first category of each batch element.
  const strides = stridesOf(logits.shape)
  const bStrides = stridesOf(batch)
  const nb = sizeOf(batch)
  const base = new Float64Array(nb)
  for (let b = 0; b < nb; b++) {
    let rem = b
    let off = 0
    for (let d = 0, bd = 0; d < rank; d++) {
      if (d === ax) continue
      const q = Math.floor(rem / bStrides[bd])
      rem -= q * bStrides[bd]
      off += q * strides[d]
      bd++
    }
    base[b] = off
  }
  const map = broadcastIndex(batch, outShape)
  const step = strides[ax]
  const u = openUniforms(kk, n * K)
  const out = alloc(logits.dtype, n)
  for (let i = 0; i < n; i++) {
    const o = base[map[i]]
    let best = 0
    let bestVal = -Infinity
    for (let j = 0; j < K; j++) {
      const v = ld[o + j * step] - Math.log(-Math.log(u[i * K + j]))
      if (v > bestVal) {
        bestVal = v
        best = j
      }
    }
    out[i] = best
  }
  return make(logits.dtype, outShape, out)
}

/**
 * Fisher–Yates shuffle of `0 … n−1` driven by the key's 32-bit stream (word `j` is
 * `randomBits(k, ∞)[j]`): position `i` (from `n−1` down to 1) swaps with a uniform
 * `j ∈ [0, i]`, drawn without bias by rejecting words ≥ `2³² − (2³² mod (i+1))`.
 */
const shuffledIndices = (k: Key, n: number): Float64Array => {
  const idx = new Float64Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  const [k0, k1] = k.words
  const y = new Uint32Array(2)
  let counter = 0
  const nextWord = (): number => {
    threefry2x32(k0, k1, hiWord(counter), loWord(counter), y, 0)
    counter++
    return (y[0] ^ y[1]) >>> 0
  }
  for (let i = n - 1; i > 0; i--) {
    const m = i + 1
    const limit = TWO32 - (TWO32 % m)
    let w = nextWord()
    while (w >= limit) w = nextWord()
    const j = w % m
    const t = idx[i]
    idx[i] = idx[j]
    idx[j] = t
  }
  return idx
}

/**
 * Options of `permutation`.
 *
 * @category samplers
 * @since 0.1.0
 */
export interface PermutationOptions {
  /** Element type of the result (default `'float32'`, exact up to n = 2²⁴). */
  readonly dtype?: DType
}

/**
 * A uniformly random permutation of `0 … n−1`, by a Fisher–Yates shuffle whose swaps are
 * drawn without bias (rejection sampling on 32-bit words). `n` must be an integer in
 * [0, 2²⁴] for float32 and [0, 2³¹] for float64.
 *
 * `sort(permutation(k, n)) = [0, 1, …, n−1]`
 *
 * @category samplers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const p = ops.toFlat(random.permutation(random.key(0), 5))
 * assert.deepStrictEqual([...p].sort((a, b) => a - b), [0, 1, 2, 3, 4])
 * ```
 */
export const permutation = (k: Key, n: number, opts: PermutationOptions = {}): Tensor => {
  const op = 'permutation'
  const kk = checkKey(op, k)
  const dtype = checkDType(op, opts.dtype ?? 'float32')
  const m = checkCount(op, 'n', n, dtype === 'float32' ? 2 ** 24 : MAX_WORDS)
  const idx = shuffledIndices(kk, m)
  const out = alloc(dtype, m)
  out.set(idx)
  return make(dtype, [m], out)
}

/**
 * Shuffles the slices of `t` along `axis` (default 0) by a random permutation: the result's
 * slice `i` is `t`'s slice `perm[i]` with `perm = permutation(k, t.shape[axis])`. The input is
 * not changed; shape and dtype are kept.
 *
 * `shuffle(k, t, axis)[…, i, …] = t[…, permutation(k, n)[i], …]`
 *
 * @category samplers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = ops.tensor([[1, 2], [3, 4], [5, 6]])
 * const s = random.shuffle(random.key(0), t)
 * const rows = (ops.toArray(s) as number[][]).map((r) => r.join()).sort()
 * assert.deepStrictEqual(rows, ['1,2', '3,4', '5,6'])
 * assert.deepStrictEqual(ops.toFlat(random.shuffle(random.key(0), ops.arange(5))), ops.toFlat(random.permutation(random.key(0), 5)))
 * ```
 */
export const shuffle = (k: Key, t: Tensor, axis = 0): Tensor => {
  const op = 'shuffle'
  const kk = checkKey(op, k)
  if (!isTensor(t)) throw new DomainError(op, `expected a tensor, got ${describe(t)}`)
  if (t.shape.length === 0) throw new ShapeError(op, `cannot shuffle a scalar (shape [])`, [t.shape])
  const ax = normAxis(op, axis, t.shape.length, t.shape)
  const len = t.shape[ax]
  const outer = sizeOf(t.shape.slice(0, ax))
  const inner = sizeOf(t.shape.slice(ax + 1))
  const perm = shuffledIndices(kk, len)
  const src = raw(t)
  const out = alloc(t.dtype, src.length)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < len; i++) {
      const from = (o * len + perm[i]) * inner
      const to = (o * len + i) * inner
      for (let e = 0; e < inner; e++) out[to + e] = src[from + e]
    }
  }
  return make(t.dtype, t.shape, out)
}

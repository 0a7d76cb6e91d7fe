/**
 * Saving and loading parameter trees (model parameters, optimiser states, or a bundle
 * `{ params, optState }`: all are trees of tensors), as JSON text or as a compact binary
 * file. Loading is decoding input from outside: it returns `Either<DecodeError, Tree>`, and
 * with `like` (the tree the caller expects, e.g. fresh parameters from `init`) it also
 * checks the structure, dtypes and shapes, naming the first path that differs.
 *
 * JSON: `saveJSON(t) = io.toJSON(t)` (the `TreeCodec` form, data as base64, lossless).
 *
 * Binary (version 1), all integers little-endian:
 * ```
 * bytes 0–3    magic "DNDR"
 * bytes 4–7    uint32 version (1)
 * bytes 8–11   uint32 H, the length of the header
 * bytes 12…    the header: UTF-8 JSON, padded with spaces so that 12 + H is a multiple of 8
 * then         the data section: each tensor's elements as little-endian float32/float64,
 *              each starting at an offset (from the start of the data section) that is a
 *              multiple of 8, zero bytes in between and after the last tensor up to the
 *              next multiple of 8 (so the file's length is a multiple of 8)
 * ```
 * The header is `{ "structure": S, "tensors": [{ "path", "dtype", "shape", "offset" }…],
 * "dataBytes": N }` where `S` is the tree with each tensor written `"tensor"`, `undefined`
 * written `"undefined"`, and arrays, records and `null` as themselves; `tensors` lists the
 * leaves depth-first (record keys sorted, as `tree.flatten`), with their paths.
 * A reader checks everything before allocating: the magic, the version, that the header
 * and every tensor lie inside the file, that offsets are aligned, ascending and do not
 * overlap, that `N` is the exact size of the data section, that the paths match the
 * structure; so nothing larger than the file is ever allocated.
 *
 * Laws:
 * - `loadJSON(saveJSON(t)) = right(t)` and `fromBinary(toBinary(t)) = right(t)`, bit for
 *   bit (NaN payloads, ±Infinity, −0), `undefined` read back as `null` (but as `undefined`
 *   where `like` has `undefined`);
 * - `loadJSON(s, like)` is `right(t)` only if `tree.structureEquals(t, like)`; otherwise
 *   `left(e)` where `e.message` names the first path (depth-first, keys sorted) that differs;
 * - `fromBinary(b)` of any bytes is `left(DecodeError)` or `right(t)` with every leaf a
 *   well-formed tensor.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { DecodeError, showShape } from '../errors.js'
import { alloc, make, type DType, type Tensor } from '../tensor/Tensor.js'
import { flatten, unflatten, type Tree } from '../tree/index.js'
import { describe, freezeRecord, joinPath, kindOf, notATree, showPath, sortedKeys } from '../tree/internal.js'
import { fillFromLE, leBytes } from './base64.js'
import { fromJSON, toJSON } from './index.js'

// ---------------------------------------------------------------------------------------
// Checking a loaded tree against the expected one

const nodeName = (u: unknown): string => {
  switch (kindOf(u)) {
    case 'leaf':
      return 'a tensor'
    case 'array':
      return `an array`
    case 'record':
      return 'a record'
    case 'null':
    case 'undefined':
      return 'nothing (null)'
    default:
      return describe(u)
  }
}

/** The first difference between a loaded tree and the expected one, depth-first, keys sorted. */
const firstMismatch = (op: string, got: Tree, like: Tree, path: string): string | undefined => {
  const kl = kindOf(like)
  if (kl === undefined) throw notATree(op, like, path)
  const kg = kindOf(got)
  const empty = (k: string | undefined): boolean => k === 'null' || k === 'undefined'
  if (empty(kl) && empty(kg)) return undefined
  const where = showPath(path)
  if (kl !== kg) return `${where}: ${nodeName(got)} in the file, ${nodeName(like)} expected`
  switch (kl) {
    case 'leaf': {
      const g = got as Tensor
      const l = like as Tensor
      if (g.dtype !== l.dtype) return `${where}: dtype ${g.dtype} in the file, ${l.dtype} expected`
      if (showShape(g.shape) !== showShape(l.shape)) {
        return `${where}: shape ${showShape(g.shape)} in the file, ${showShape(l.shape)} expected`
      }
      return undefined
    }
    case 'array': {
      const g = got as ReadonlyArray<Tree>
      const l = like as ReadonlyArray<Tree>
      for (let i = 0; i < Math.min(g.length, l.length); i++) {
        const m = firstMismatch(op, g[i], l[i], joinPath(path, i))
        if (m !== undefined) return m
      }
      if (g.length < l.length) return `missing key ${joinPath(path, g.length)} (the file has ${g.length} elements, ${l.length} expected)`
      if (g.length > l.length) return `unexpected key ${joinPath(path, l.length)} (the file has ${g.length} elements, ${l.length} expected)`
      return undefined
    }
    default: {
      const g = got as { readonly [k: string]: Tree }
      const l = like as { readonly [k: string]: Tree }
      const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)
      const keys = [...new Set([...sortedKeys(g), ...sortedKeys(l)])].sort()
      for (const k of keys) {
        if (!has(g, k)) return `missing key ${joinPath(path, k)}`
        if (!has(l, k)) return `unexpected key ${joinPath(path, k)}`
        const m = firstMismatch(op, g[k], l[k], joinPath(path, k))
        if (m !== undefined) return m
      }
      return undefined
    }
  }
}

/** Checks a loaded tree against `like`; on success returns it in `like`'s structure. */
const conform = <A extends Tree>(op: string, got: Tree, like: A | undefined): E.Either<DecodeError, A> => {
  if (like === undefined) return E.right(got as A)
  const m = firstMismatch(op, got, like, '')
  if (m !== undefined) return E.left(new DecodeError(op, `${m} (the file does not match the expected tree)`))
  return E.right(unflatten<A>(flatten(like).treedef, flatten(got).leaves))
}

// ---------------------------------------------------------------------------------------
// JSON

/**
 * Writes a tree as JSON text: the `io.TreeCodec` form with data as base64, so every value
 * (NaN, ±Infinity, −0) survives. Same as `io.toJSON(tree)`.
 *
 * `loadJSON(saveJSON(t)) = right(t)`
 *
 * @category save and load
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const json = io.saveJSON({ w: ops.tensor([1, 2]), b: ops.tensor([0]) })
 * const back = io.loadJSONOrThrow(json)
 * assert.deepStrictEqual(ops.toArray((back as { w: ops.Tensor }).w), [1, 2])
 * ```
 */
export const saveJSON = (tree: Tree): string => toJSON(tree)

/**
 * Reads a tree saved with `saveJSON` (or any `io.TreeCodec` JSON). With `like`, the tree
 * must have `like`'s structure, dtypes and shapes; the `DecodeError` names the first path
 * that differs (`layers/2/w: shape [128,10] in the file, [128,12] expected`,
 * `missing key layers/3`), and the result takes `like`'s structure (and static type).
 *
 * @category save and load
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const json = io.saveJSON({ layers: [{ w: ops.zeros([2, 3]) }] })
 * assert.ok(io.loadJSON(json, { layers: [{ w: ops.ones([2, 3]) }] })._tag === 'Right')
 * const r = io.loadJSON(json, { layers: [{ w: ops.zeros([2, 4]) }] })
 * assert.ok(r._tag === 'Left')
 * assert.strictEqual(r.left.message, 'loadJSON: layers/0/w: shape [2,3] in the file, [2,4] expected (the file does not match the expected tree)')
 * ```
 */
export const loadJSON = <A extends Tree = Tree>(json: string, like?: A): E.Either<DecodeError, A> => {
  const op = 'loadJSON'
  const r = fromJSON(json)
  if (E.isLeft(r)) return E.left(new DecodeError(op, r.left.message.replace(/^fromJSON: /, '')))
  return conform(op, r.right, like)
}

/**
 * `loadJSON`, returning the tree or throwing its `DecodeError`.
 *
 * @category save and load
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops, DecodeError } from 'dendrite'
 * import * as assert from 'node:assert'
 * const like = { w: ops.zeros([2]) }
 * const p = io.loadJSONOrThrow(io.saveJSON({ w: ops.tensor([3, 4]) }), like)
 * assert.deepStrictEqual(ops.toArray(p.w), [3, 4])
 * assert.throws(() => io.loadJSONOrThrow(io.saveJSON({}), like), /missing key w/)
 * assert.throws(() => io.loadJSONOrThrow('{', like), DecodeError)
 * ```
 */
export const loadJSONOrThrow = <A extends Tree = Tree>(json: string, like?: A): A => {
  const r = loadJSON(json, like)
  if (E.isLeft(r)) throw r.left
  return r.right
}

// ---------------------------------------------------------------------------------------
// Binary

const MAGIC = [0x44, 0x4e, 0x44, 0x52] // "DNDR"
const VERSION = 1
const PREFIX = 12
const ALIGN = 8
const MAX_ELEMENTS = 2 ** 31
const MAX_DEPTH = 512

const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN
const bytesPer = (dtype: DType): number => (dtype === 'float64' ? 8 : 4)

type Structure = 'tensor' | 'undefined' | null | ReadonlyArray<Structure> | { readonly [k: string]: Structure }

interface TensorEntry {
  readonly path: string
  readonly dtype: DType
  readonly shape: ReadonlyArray<number>
  readonly offset: number
}

/**
 * Writes a tree as a compact binary file (format in the module comment): a small JSON
 * header describing the structure, paths, dtypes, shapes and byte offsets, then the raw
 * little-endian elements, 8-byte aligned.
 *
 * `fromBinary(toBinary(t)) = right(t)` (bit for bit)
 *
 * @category save and load
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const bytes = io.toBinary({ w: ops.tensor([1, 2, 3], 'float64') })
 * assert.strictEqual(new TextDecoder().decode(bytes.subarray(0, 4)), 'DNDR')
 * assert.strictEqual(bytes.length % 8, 0)
 * const back = io.fromBinaryOrThrow(bytes, { w: ops.zeros([3], 'float64') })
 * assert.deepStrictEqual(ops.toArray(back.w), [1, 2, 3])
 * ```
 */
export const toBinary = (tree: Tree): Uint8Array => {
  const op = 'toBinary'
  const { leaves } = flatten(tree)
  const entries: TensorEntry[] = []
  let end = 0
  let next = 0
  const structureOf = (u: unknown, path: string): Structure => {
    switch (kindOf(u)) {
      case 'leaf': {
        const x = leaves[next++]
        const offset = align(end)
        entries.push({ path, dtype: x.dtype, shape: [...x.shape], offset })
        end = offset + x.data.length * bytesPer(x.dtype)
        return 'tensor'
      }
      case 'null':
        return null
      case 'undefined':
        return 'undefined'
      case 'array':
        return (u as ReadonlyArray<unknown>).map((c, i) => structureOf(c, joinPath(path, i)))
      case 'record': {
        const r = u as { readonly [k: string]: unknown }
        return Object.fromEntries(sortedKeys(r).map((k) => [k, structureOf(r[k], joinPath(path, k))]))
      }
      default:
        throw notATree(op, u, path)
    }
  }
  const structure = structureOf(tree, '')
  const dataBytes = align(end)
  const text = new TextEncoder().encode(JSON.stringify({ structure, tensors: entries, dataBytes }))
  const dataStart = align(PREFIX + text.length)
  const out = new Uint8Array(dataStart + dataBytes)
  out.set(MAGIC, 0)
  const view = new DataView(out.buffer)
  view.setUint32(4, VERSION, true)
  view.setUint32(8, dataStart - PREFIX, true)
  out.set(text, PREFIX)
  out.fill(0x20, PREFIX + text.length, dataStart)
  leaves.forEach((x, i) => out.set(leBytes(x.data as unknown as Float32Array | Float64Array), dataStart + entries[i].offset))
  return out
}

/** Reads and checks a binary file; throws `DecodeError` at the first fault. */
const readBinary = (op: string, bytes: Uint8Array): Tree => {
  const fail = (msg: string): never => {
    throw new DecodeError(op, msg)
  }
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${describe(bytes)}`)
  if (bytes.length < PREFIX) fail(`truncated: the file has ${bytes.length} bytes, a dendrite file has at least ${PREFIX}`)
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    fail(`not a dendrite binary file (it does not start with "DNDR")`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint32(4, true)
  if (version !== VERSION) fail(`unsupported version ${version} (this reader knows version ${VERSION})`)
  const headerLength = view.getUint32(8, true)
  if (headerLength > bytes.length - PREFIX) {
    fail(`truncated: the header claims ${headerLength} bytes, the file has ${bytes.length - PREFIX} after the prefix`)
  }
  const dataStart = PREFIX + headerLength
  if (dataStart % ALIGN !== 0) fail(`header: length ${headerLength} does not end on an 8-byte boundary`)
  let header: unknown
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, dataStart)))
  } catch (e) {
    fail(`header: not UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail(`header: expected an object, got ${describe(header)}`)
  const h = header as { structure?: unknown; tensors?: unknown; dataBytes?: unknown }
  const dataBytes = bytes.length - dataStart
  if (h.dataBytes !== dataBytes) {
    fail(
      typeof h.dataBytes === 'number' && Number.isInteger(h.dataBytes) && h.dataBytes > dataBytes
        ? `truncated: the header claims ${h.dataBytes} bytes of data, the file has ${dataBytes}`
        : `header/dataBytes: expected ${dataBytes} (the size of the data section), got ${describe(h.dataBytes)}`,
    )
  }
  if (!Array.isArray(h.tensors)) fail(`header/tensors: expected an array, got ${describe(h.tensors)}`)
  const entries = h.tensors as unknown[]

  // Pass 1: check the structure and every entry, allocating nothing proportional to the data.
  const plan: Array<{ dtype: DType; shape: number[]; offset: number; size: number }> = []
  let end = 0
  const checkEntry = (path: string): void => {
    const i = plan.length
    const where = `header/tensors/${i}`
    if (i >= entries.length) fail(`header/tensors: ${entries.length} entries, but the structure has a tensor at ${showPath(path)} too`)
    const e = entries[i]
    if (typeof e !== 'object' || e === null || Array.isArray(e)) fail(`${where}: expected an object, got ${describe(e)}`)
    const { path: p, dtype, shape, offset } = e as { path?: unknown; dtype?: unknown; shape?: unknown; offset?: unknown }
    if (p !== path) fail(`${where}/path: expected ${JSON.stringify(path)} (from the structure), got ${describe(p)}`)
    if (dtype !== 'float32' && dtype !== 'float64') fail(`${where}/dtype: unknown dtype ${describe(dtype)} (expected 'float32' or 'float64')`)
    if (!Array.isArray(shape)) fail(`${where}/shape: expected an array of non-negative integers, got ${describe(shape)}`)
    const dims = shape as unknown[]
    let size = 1
    dims.forEach((d, j) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_ELEMENTS) {
        fail(`${where}/shape/${j}: expected a non-negative integer at most 2^31, got ${describe(d)}`)
      }
      size *= d as number
    })
    if (size > MAX_ELEMENTS) fail(`${where}/shape: ${size} elements, more than the limit of 2^31`)
    const bytesNeeded = size * bytesPer(dtype as DType)
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset % ALIGN !== 0) {
      fail(`${where}/offset: expected a non-negative multiple of 8, got ${describe(offset)}`)
    }
    const off = offset as number
    if (off < end) fail(`${where}/offset: ${off} overlaps the previous tensor (which ends at ${end})`)
    if (off + bytesNeeded > dataBytes) {
      fail(`truncated: ${path} (${showShape(dims as number[])} ${dtype as string}) needs bytes ${off}…${off + bytesNeeded} of the data section, which has ${dataBytes}`)
    }
    end = off + bytesNeeded
    plan.push({ dtype: dtype as DType, shape: dims as number[], offset: off, size })
  }
  const checkStructure = (s: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) fail(`header/structure: nested more than ${MAX_DEPTH} levels deep`)
    if (s === 'tensor') checkEntry(path)
    else if (s === null || s === 'undefined') return
    else if (Array.isArray(s)) s.forEach((c, i) => checkStructure(c, joinPath(path, i), depth + 1))
    else if (typeof s === 'object') {
      for (const k of sortedKeys(s)) checkStructure((s as Record<string, unknown>)[k], joinPath(path, k), depth + 1)
    } else fail(`header/structure: at ${showPath(path)}, expected "tensor", "undefined", null, an array or a record, got ${describe(s)}`)
  }
  checkStructure(h.structure, '', 0)
  if (plan.length !== entries.length) fail(`header/tensors: ${entries.length} entries, the structure has ${plan.length} tensors`)

  // Pass 2: build (every size checked against the file above).
  let next = 0
  const build = (s: Structure): Tree => {
    if (s === 'tensor') {
      const { dtype, shape, offset, size } = plan[next++]
      const out = alloc(dtype, size)
      const start = dataStart + offset
      fillFromLE(out, bytes.subarray(start, start + size * bytesPer(dtype)))
      return make(dtype, shape, out)
    }
    if (s === null) return null
    if (s === 'undefined') return undefined
    if (Array.isArray(s)) return Object.freeze(s.map(build))
    const r = s as { readonly [k: string]: Structure }
    return freezeRecord(sortedKeys(r).map((k) => [k, build(r[k])] as const))
  }
  return build(h.structure as Structure)
}

/**
 * Reads a tree written by `toBinary`. Truncated, corrupted or foreign files give a
 * `DecodeError` saying what is wrong (checked before anything is allocated, so a file
 * never makes the reader allocate more than its own size). With `like`, the tree must
 * have `like`'s structure, dtypes and shapes, as in `loadJSON`.
 *
 * @category save and load
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const bytes = io.toBinary([ops.tensor([1.5, -0]), null])
 * const r = io.fromBinary(bytes)
 * assert.ok(r._tag === 'Right')
 * const cut = io.fromBinary(bytes.subarray(0, bytes.length - 4))
 * assert.ok(cut._tag === 'Left' && /truncated/.test(cut.left.message))
 * const other = io.fromBinary(bytes, [ops.zeros([2]), ops.zeros([1])])
 * assert.ok(other._tag === 'Left' && /^fromBinary: 1: nothing \(null\) in the file, a tensor expected/.test(other.left.message))
 * ```
 */
export const fromBinary = <A extends Tree = Tree>(bytes: Uint8Array, like?: A): E.Either<DecodeError, A> => {
  const op = 'fromBinary'
  let t: Tree
  try {
    t = readBinary(op, bytes)
  } catch (e) {
    if (e instanceof DecodeError) return E.left(e)
    if (e instanceof RangeError) return E.left(new DecodeError(op, `cannot read the file: ${e.message}`))
    throw e
  }
  return conform(op, t, like)
}

/**
 * `fromBinary`, returning the tree or throwing its `DecodeError`.
 *
 * @category save and load
 * @since 0.1.0
 * @example
 * ```ts
 * import { io, ops, DecodeError } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.throws(() => io.fromBinaryOrThrow(new Uint8Array(16)), DecodeError)
 * const t = io.fromBinaryOrThrow(io.toBinary({ b: ops.ones([2]) }), { b: ops.zeros([2]) })
 * assert.deepStrictEqual(ops.toArray(t.b), [1, 1])
 * ```
 */
export const fromBinaryOrThrow = <A extends Tree = Tree>(bytes: Uint8Array, like?: A): A => {
  const r = fromBinary(bytes, like)
  if (E.isLeft(r)) throw r.left
  return r.right
}

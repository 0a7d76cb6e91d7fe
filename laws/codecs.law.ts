/**
 * Codec laws: decode ∘ encode = id, bit for bit (NaN payloads, ±Infinity, −0 included),
 * through JSON text, for tensors of both dtypes and for random trees, in both data forms;
 * corrupted inputs (a field dropped or altered, a wrong length, a bad dimension, bad
 * base64, a bad dtype, huge dimensions) are rejected with Left and a message naming the
 * path; arbitrary JSON values never decode into a malformed tensor or tree.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { DecodeError, io, ops, tree } from 'dendrite'
import { arbBitsTensor, arbSpecialTensor, arbTree, bitsEqual, nodesOf, pathOf, setAt, treeEq } from './tree-helpers.js'

const viaJSON = (u: unknown): unknown => JSON.parse(JSON.stringify(u))
const arrayTensor = io.tensorCodec({ data: 'array' })
const arrayTree = io.treeCodec({ data: 'array' })

/** Every Right holds a well-formed tensor: a known dtype, integer shape, `size(shape)` elements. */
const wellFormed = (x: unknown): boolean =>
  ops.isTensor(x) && x.data.length === ops.sizeOf(x.shape) && Object.isFrozen(x) && x.shape.every((d) => Number.isInteger(d) && d >= 0)

/** Corruptions of a tensor's JSON form; each yields something that is not a valid tensor. */
type Json = { dtype: unknown; shape: unknown; data: unknown }
const corruptions: Array<[string, (j: Json, r: number) => unknown]> = [
  ['drop dtype', ({ shape, data }) => ({ shape, data })],
  ['drop shape', ({ dtype, data }) => ({ dtype, data })],
  ['drop data', ({ dtype, shape }) => ({ dtype, shape })],
  ['unknown dtype', (j, r) => ({ ...j, dtype: ['int8', 'float16', 'Float32', '', 32, null][r % 6] })],
  ['negative dim', (j, r) => ({ ...j, shape: [...(j.shape as number[]), -1 - (r % 3)] })],
  ['fractional dim', (j) => ({ ...j, shape: [...(j.shape as number[]), 1.5] })],
  ['non-number dim', (j, r) => ({ ...j, shape: [...(j.shape as number[]), ['2', null, true, [2]][r % 4]] })],
  ['shape not an array', (j) => ({ ...j, shape: 4 })],
  ['huge dims', (j, r) => ({ ...j, shape: [[65536, 65536], [2 ** 31 + 1], [2 ** 40, 2 ** 40], [1e300, 1e300]][r % 4] })],
  ['data not array or base64', (j, r) => ({ ...j, data: [7, 'AAAA', null, {}][r % 4] })],
  ['one element more', (j) => ({ ...j, data: Array.isArray(j.data) ? [...j.data, 0] : { base64: `${(j.data as { base64: string }).base64}AAAA` } })],
  ['one element less', (j) => {
    const size = ops.sizeOf(j.shape as number[])
    return Array.isArray(j.data) ? { ...j, data: size > 0 ? j.data.slice(1) : [0] } : { ...j, data: { base64: size > 0 ? (j.data as { base64: string }).base64.slice(8) : 'AAAAAAAA' } }
  }],
  ['bad element', (j, r) => {
    const size = ops.sizeOf(j.shape as number[])
    const bad = [null, '1', NaN, Infinity, -Infinity, true, [1]][r % 7]
    return { ...j, shape: size > 0 ? j.shape : [1], data: Array.from({ length: Math.max(size, 1) }, (_, i) => (i === r % Math.max(size, 1) ? bad : 0)) }
  }],
  ['float32 overflow', (j) => ({ dtype: 'float32', shape: [2], data: [0, 1e39] })],
  ['bad base64 character', (j, r) => ({ ...j, shape: [2], dtype: 'float32', data: { base64: ['AAAAAAAAAA!=', 'AAAA AAAAAA=', 'AAAAAAAAA-_=', 'AAAAAAAA\nAA='][r % 4] } })],
  ['base64 length not a multiple of 4', (j) => ({ ...j, shape: [2], dtype: 'float32', data: { base64: 'AAAAAAAAAAA' } })],
  ['non-canonical base64 padding', (j) => ({ ...j, shape: [1], dtype: 'float32', data: { base64: 'AAAAAB==' } })],
  ['base64 not a string', (j) => ({ ...j, data: { base64: 12 } })],
  // Last, because in a tree `null` is a valid (empty) subtree.
  ['not an object', (_j, r) => [null, 3, 'tensor', [1, 2]][r % 4]],
]
const treeCorruptions = corruptions.length - 1

describe('codecs', () => {
  test.prop([arbBitsTensor()])('TensorCodec: decode ∘ encode = id, bitwise, through JSON text', (x) => {
    const json = viaJSON(io.encode(io.TensorCodec, x))
    const r = io.decode(io.TensorCodec, json)
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') {
      expect(wellFormed(r.right)).toBe(true)
      expect(bitsEqual(r.right, x)).toBe(true)
    }
  })

  test.prop([fc.oneof(arbSpecialTensor, arbBitsTensor())])('array form: lossless too (falls back to base64 for NaN, ±Infinity, −0)', (x) => {
    const json = viaJSON(io.encode(arrayTensor, x)) as { data: unknown }
    const back = io.decodeOrThrow(io.TensorCodec, json)
    expect(bitsEqual(back, x)).toBe(true)
    const plain = Array.from(x.data as ArrayLike<number>).every((v) => Number.isFinite(v) && !Object.is(v, -0))
    expect(Array.isArray(json.data)).toBe(plain)
  })

  test.prop([arbTree({ leaf: arbBitsTensor() })])('TreeCodec and toJSON/fromJSON: decode ∘ encode = id, bitwise', (t) => {
    for (const text of [io.toJSON(t), io.toJSON(t, { data: 'array' }), JSON.stringify(io.encode(arrayTree, t))]) {
      const r = io.fromJSON(text)
      expect(r._tag).toBe('Right')
      if (r._tag === 'Right') {
        expect(treeEq(r.right, t, bitsEqual)).toBe(true)
        expect(tree.isTree(r.right) && tree.leaves(r.right).every(wellFormed)).toBe(true)
      }
    }
  })

  test.prop([arbTree({ leaf: arbBitsTensor(), withUndefined: true })])('TreeCodec writes undefined as null', (t) => {
    const back = io.decodeOrThrow(io.TreeCodec, viaJSON(io.encode(io.TreeCodec, t)))
    expect(treeEq(back, t, bitsEqual, true)).toBe(true)
  })

  test.prop([arbBitsTensor(), fc.integer({ min: 0, max: corruptions.length - 1 }), fc.nat(), fc.boolean()])(
    'corrupted tensors are rejected with Left, never decoded into a malformed tensor',
    (x, k, r, asArray) => {
      const json = viaJSON(io.encode(asArray ? arrayTensor : io.TensorCodec, x)) as Json
      const [, corrupt] = corruptions[k]
      const bad = corrupt(json, r)
      const res = io.decode(io.TensorCodec, bad)
      if (res._tag === 'Right') expect(wellFormed(res.right)).toBe(true)
      expect(res._tag).toBe('Left')
      if (res._tag === 'Left') {
        expect(res.left).toBeInstanceOf(DecodeError)
        expect(res.left.op).toBe('decode')
        expect(res.left.message).toMatch(/^decode: (\(root\)|dtype|shape|data)/)
      }
    },
  )

  test.prop([
    arbTree({ leaf: arbBitsTensor() }).chain((t) => {
      const leafNodes = nodesOf(t).filter(({ node }) => ops.isTensor(node))
      return fc.tuple(fc.constant(t), fc.integer({ min: 0, max: Math.max(leafNodes.length - 1, 0) }))
    }),
    fc.integer({ min: 0, max: treeCorruptions - 1 }),
    fc.nat(),
  ])('a corrupted leaf of a tree is rejected with its path in the message', ([t, i], k, r) => {
    // Encode, then corrupt the i-th tensor (or the whole tree when it has none).
    const json = viaJSON(io.encode(io.TreeCodec, t))
    const leafKeys = nodesOf(t).filter(({ node }) => ops.isTensor(node)).map(({ keys }) => keys)
    const keys = leafKeys.length > 0 ? leafKeys[i] : []
    const escaped = keys.map((s) => (typeof s === 'string' && /^\\*(dtype|shape|data)$/.test(s) ? `\\${s}` : s))
    const target = leafKeys.length > 0 ? nodesOf(json).find(({ keys: ks }) => pathOf(ks) === pathOf(escaped))!.node : { dtype: 'float32', shape: [], data: [0] }
    const bad = setAt(json, escaped, corruptions[k][1](target as Json, r))
    const res = io.decode(io.TreeCodec, bad)
    expect(res._tag).toBe('Left')
    if (res._tag === 'Left') {
      const prefix = escaped.length === 0 ? '' : `${pathOf(escaped)}`
      expect(res.left.message.startsWith(`decode: ${prefix}`)).toBe(true)
    }
  })

  test.prop([fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3 })])(
    'arbitrary values decode to Left or to a well-formed tensor / tree',
    (j, a) => {
      for (const u of [j, a]) {
        const rt = io.decode(io.TensorCodec, u)
        if (rt._tag === 'Right') expect(wellFormed(rt.right)).toBe(true)
        const rr = io.decode(io.TreeCodec, u)
        if (rr._tag === 'Right') expect(tree.isTree(rr.right) && tree.leaves(rr.right).every(wellFormed)).toBe(true)
      }
    },
  )

  test.prop([
    fc.array(fc.integer({ min: 2 ** 11, max: 2 ** 20 }), { minLength: 3, maxLength: 5 }), // ≥ 2^33 elements
    fc.constantFrom('float32', 'float64'),
    fc.constantFrom<unknown>([], { base64: '' }, { base64: 'AAAA' }),
  ])('shapes above 2^31 elements are rejected (before allocating), whatever the data', (shape, dtype, data) => {
    const res = io.decode(io.TensorCodec, { dtype, shape, data })
    expect(res._tag).toBe('Left')
    if (res._tag === 'Left') expect(res.left.message).toMatch(/^decode: shape: .* more than the limit of 2\^31/)
  })
})

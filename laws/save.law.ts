/**
 * Save/load laws: `load ∘ save = id`, bit for bit (NaN payloads, ±Infinity, −0), for JSON
 * and binary, both dtypes, random trees (with and without `like`); a `like` that differs
 * from the saved tree at one node is reported at exactly that node's path (the first
 * difference, depth-first, keys sorted); truncated binary files are rejected; random
 * corruption of a binary file never yields a malformed tree (Left, or every leaf a
 * well-formed tensor), and never throws; each check of the binary reader (magic, version,
 * header length, data size, tensor bounds, entry count, alignment, overlap, paths, structure)
 * rejects a hand-written file that breaks only that rule.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { io, ops, tree, type DType } from 'dendrite'
import { arb } from 'dendrite/testing'
import { arbBitsTensor, arbTree, bitsEqual, nodesOf, pathOf, setAt, treeEq } from './tree-helpers.js'

const bitsTree = arbTree({ leaf: arbBitsTensor(), withUndefined: true })

/** Every leaf a well-formed tensor: isTensor, `size(shape)` elements, frozen. */
const wellFormed = (t: unknown): boolean => {
  if (t === null || t === undefined) return true
  if (ops.isTensor(t)) return t.data.length === ops.sizeOf(t.shape) && Object.isFrozen(t)
  if (typeof t !== 'object') return false
  return Object.values(t as object).every(wellFormed)
}

/** A model-like tree (as `init` returns), for `arb.treeLike`. */
const modelLike = (dtype: DType) => ({
  layers: [
    { w: ops.zeros([3, 4], dtype), b: ops.zeros([4], dtype) },
    null,
    { w: ops.zeros([4, 2], dtype), b: ops.zeros([2], dtype) },
  ],
  step: ops.zeros([], dtype),
})

describe('save and load', () => {
  test.prop([bitsTree])('loadJSON ∘ saveJSON = id (bitwise; undefined read back as null)', (t) => {
    const r = io.loadJSON(io.saveJSON(t))
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') expect(treeEq(r.right, t, bitsEqual, true)).toBe(true)
  })

  test.prop([bitsTree])('fromBinary ∘ toBinary = id (bitwise; undefined read back as null), 8-byte aligned', (t) => {
    const bytes = io.toBinary(t)
    expect(bytes.length % 8).toBe(0)
    const r = io.fromBinary(bytes)
    expect(r._tag).toBe('Right')
    if (r._tag === 'Right') {
      expect(treeEq(r.right, t, bitsEqual, true)).toBe(true)
      expect(wellFormed(r.right)).toBe(true)
    }
    // also from a view at an odd offset of a larger buffer
    const shifted = new Uint8Array(bytes.length + 3)
    shifted.set(bytes, 3)
    const r2 = io.fromBinary(shifted.subarray(3))
    expect(r2._tag === 'Right' && treeEq(r2.right, t, bitsEqual, true)).toBe(true)
  })

  test.prop([fc.constantFrom<DType>('float32', 'float64').chain((d) => arb.treeLike(modelLike(d), { dtype: d, edgeCases: true }))])(
    'with like = the model tree: both formats give the tree back, bitwise, in like’s structure',
    (p) => {
      const like = tree.map(p, (x) => ops.zerosLike(x))
      for (const r of [io.loadJSON(io.saveJSON(p), like), io.fromBinary(io.toBinary(p), like)]) {
        expect(r._tag).toBe('Right')
        if (r._tag === 'Right') expect(treeEq(r.right, p, bitsEqual)).toBe(true)
      }
    },
  )

  test.prop([bitsTree, fc.nat(), fc.nat()])(
    'a like that differs at one node is reported at that node’s path (or at the missing/extra key)',
    (t, pick, how) => {
      const nodes = nodesOf(t)
      const { keys, node } = nodes[pick % nodes.length]
      // replace the node with something of another kind or shape
      const changes: unknown[] = ops.isTensor(node)
        ? [ops.zeros([...node.shape, 1], node.dtype), ops.zeros(node.shape, node.dtype === 'float32' ? 'float64' : 'float32'), null, [node]]
        : node === null || node === undefined
          ? [ops.zeros([1]), [ops.zeros([1])], { a: ops.zeros([1]) }]
          : Array.isArray(node)
            ? [[...node, ops.zeros([2])], node.length > 0 ? node.slice(0, -1) : null, { a: null }]
            : [{ ...(node as object), zz: ops.zeros([1]) }, null, [null]]
      const change = changes[how % changes.length]
      const like = setAt(t, keys, change) as tree.Tree
      const path = pathOf(keys)
      for (const r of [io.loadJSON(io.saveJSON(t), like), io.fromBinary(io.toBinary(t), like)]) {
        expect(r._tag).toBe('Left')
        if (r._tag === 'Left') {
          const msg = r.left.message.replace(/^(loadJSON|fromBinary): /, '')
          const where = path === '' ? '(root)' : path
          const isRec = (u: unknown): boolean => typeof u === 'object' && u !== null && !Array.isArray(u) && !ops.isTensor(u)
          const expected =
            Array.isArray(node) && Array.isArray(change)
              ? change.length > node.length
                ? `missing key ${pathOf([...keys, node.length])}`
                : `unexpected key ${pathOf([...keys, change.length])}`
              : isRec(node) && isRec(change)
                ? `missing key ${pathOf([...keys, 'zz'])}`
                : `${where}: `
          expect(msg.startsWith(expected), `${msg} should start with ${expected}`).toBe(true)
        }
      }
    },
  )

  // trees with at least two leaves (a record `{ a, b: t }` around a random tree)
  const twoLeaves = fc.tuple(arbBitsTensor(), bitsTree, arbBitsTensor()).map(([a, t, z]) => ({ a, t, z }))
  test.prop([twoLeaves, fc.nat(), fc.nat()])('with two differing leaves, the message names the first (depth-first, keys sorted)', (t, p1, p2) => {
    const leaves = nodesOf(t).filter((x) => ops.isTensor(x.node))
    const i = p1 % (leaves.length - 1)
    const j = i + 1 + (p2 % (leaves.length - 1 - i))
    const grow = (x: unknown) => ops.zeros([...(x as ops.Tensor).shape, 2], (x as ops.Tensor).dtype)
    const like = setAt(setAt(t, leaves[i].keys, grow(leaves[i].node)), leaves[j].keys, grow(leaves[j].node)) as tree.Tree
    const first = pathOf(leaves[i].keys) || '(root)'
    for (const r of [io.loadJSON(io.saveJSON(t), like), io.fromBinary(io.toBinary(t), like)]) {
      expect(r._tag === 'Left' && r.left.message.replace(/^\w+: /, '').startsWith(`${first}: shape `)).toBe(true)
    }
  })

  test.prop([bitsTree, fc.nat()])('a truncated binary file is rejected (Left, never a tree)', (t, cut) => {
    const bytes = io.toBinary(t)
    const r = io.fromBinary(bytes.subarray(0, cut % bytes.length))
    expect(r._tag).toBe('Left')
  })

  test.prop([bitsTree, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat()])(
    'random corruption never yields a malformed tree (Left, or every leaf well-formed)',
    (t, flips, cut) => {
      const bytes = io.toBinary(t).slice()
      // bias the corruption towards the header, where the structure lives
      const headerEnd = 12 + new DataView(bytes.buffer).getUint32(8, true)
      for (const [pos, x] of flips) {
        const i = pos % 2 === 0 ? pos % Math.min(headerEnd, bytes.length) : pos % bytes.length
        bytes[i] ^= x
      }
      const input = cut % 5 === 0 ? bytes.subarray(0, cut % (bytes.length + 1)) : bytes
      const r = io.fromBinary(input)
      if (r._tag === 'Right') expect(wellFormed(r.right)).toBe(true)
      else expect(r.left.message.startsWith('fromBinary: ')).toBe(true)
    },
  )
})

/** A binary file with a hand-written header (for the reader's individual checks). */
const craft = (header: object, dataBytes: number, version = 1): Uint8Array => {
  let text = JSON.stringify(header)
  while ((12 + text.length) % 8 !== 0) text += ' '
  const out = new Uint8Array(12 + text.length + dataBytes)
  out.set([0x44, 0x4e, 0x44, 0x52])
  new DataView(out.buffer).setUint32(4, version, true)
  new DataView(out.buffer).setUint32(8, text.length, true)
  out.set(new TextEncoder().encode(text), 12)
  return out
}
const leftWith = (r: { _tag: string; left?: { message: string } }, re: RegExp): void => {
  expect(r._tag).toBe('Left')
  expect(r.left?.message).toMatch(re)
}

describe('fromBinary rejects each kind of bad header', () => {
  const ok = { structure: { w: 'tensor' }, tensors: [{ path: 'w', dtype: 'float32', shape: [2], offset: 0 }], dataBytes: 8 }
  test('a well-formed crafted file reads', () => {
    expect(io.fromBinary(craft(ok, 8))._tag).toBe('Right')
  })
  test('magic, version, header length', () => {
    const b = craft(ok, 8)
    leftWith(io.fromBinary(b.map((x, i) => (i === 0 ? 0x45 : x))), /not a dendrite binary file/)
    leftWith(io.fromBinary(craft(ok, 8, 2)), /unsupported version 2/)
    const long = b.slice()
    new DataView(long.buffer).setUint32(8, 2 ** 31, true)
    leftWith(io.fromBinary(long), /truncated: the header claims 2147483648 bytes/)
    leftWith(io.fromBinary(b.subarray(0, 11)), /truncated/)
  })
  test('dataBytes must be the size of the data section (trailing bytes too)', () => {
    leftWith(io.fromBinary(craft({ ...ok, dataBytes: 8 }, 16)), /header\/dataBytes: expected 16/)
  })
  test('a tensor reaching past the data section, before allocating it', () => {
    leftWith(io.fromBinary(craft({ ...ok, tensors: [{ ...ok.tensors[0], shape: [4] }] }, 8)), /truncated: w .* needs bytes 0…16 of the data section, which has 8/)
    leftWith(io.fromBinary(craft({ ...ok, tensors: [{ ...ok.tensors[0], shape: [65536, 65536] }] }, 8)), /more than the limit|needs bytes/)
  })
  test('entries and structure must agree; offsets aligned and ascending; paths match', () => {
    const two = { ...ok, tensors: [ok.tensors[0], { ...ok.tensors[0], offset: 8 }], dataBytes: 16 }
    leftWith(io.fromBinary(craft(two, 16)), /header\/tensors: 2 entries, the structure has 1 tensors/)
    leftWith(io.fromBinary(craft({ ...ok, structure: { w: 'tensor', x: 'tensor' } }, 8)), /1 entries, but the structure has a tensor at x/)
    leftWith(io.fromBinary(craft({ ...ok, tensors: [{ ...ok.tensors[0], offset: 4 }], dataBytes: 16 }, 16)), /offset: expected a non-negative multiple of 8/)
    const overlap = { structure: ['tensor', 'tensor'], tensors: [{ path: '0', dtype: 'float64', shape: [2], offset: 0 }, { path: '1', dtype: 'float64', shape: [1], offset: 8 }], dataBytes: 24 }
    leftWith(io.fromBinary(craft(overlap, 24)), /overlaps the previous tensor/)
    leftWith(io.fromBinary(craft({ ...ok, tensors: [{ ...ok.tensors[0], path: 'v' }] }, 8)), /path: expected "w"/)
    leftWith(io.fromBinary(craft({ ...ok, structure: { w: 'tnsor' } }, 8)), /header\/structure: at w/)
  })
})

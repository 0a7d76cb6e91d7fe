/**
 * Tree laws: unflatten∘flatten = id, map with the identity is the identity, map fusion,
 * leaves commute with map, reduce folds the leaves, zipWith of mismatched structures
 * throws ShapeError naming the first differing path, structureEquals is reflexive and
 * blind to values but not to shapes, dtypes or structure. Results are frozen and inputs
 * are left alone.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops, ShapeError, tree, type Tensor } from 'dendrite'
import { arbTree, bitsEqual, bytesOf, deepFrozen, nodesOf, pathOf, setAt, treeEq } from './tree-helpers.js'

const t0 = arbTree({ withUndefined: true })
const same = (x: Tensor, y: Tensor) => x === y

/** A few leaf functions (affine maps), chosen by index so that failures print small. */
const fns: Array<(x: Tensor) => Tensor> = [
  (x) => ops.fromArray(Array.from(x.data, (v) => -v), x.shape, x.dtype),
  (x) => ops.fromArray(Array.from(x.data, (v) => 2 * v + 1), x.shape, x.dtype),
  (x) => ops.fromArray(Array.from(x.data, (v) => v * v), x.shape, x.dtype),
  (x) => ops.astype(x, x.dtype === 'float32' ? 'float64' : 'float32'),
]
const arbFn = fc.integer({ min: 0, max: fns.length - 1 })

/** A bitwise snapshot of a whole tree (structure and leaf bytes), to check inputs are unchanged. */
const snap = (t: unknown): unknown =>
  nodesOf(t).map(({ keys, node }) => [
    pathOf(keys),
    node === null ? 'null' : node === undefined ? 'undefined' : ops.isTensor(node) ? [node.dtype, [...node.shape], Array.from(bytesOf(node))] : Array.isArray(node) ? `array ${node.length}` : 'record',
  ])

describe('tree', () => {
  test.prop([t0])('unflatten ∘ flatten = id; flatten(unflatten(d, ls)) = (ls, d)', (t) => {
    const before = snap(t)
    const { leaves, treedef } = tree.flatten(t)
    const back = tree.unflatten(treedef, leaves)
    expect(treeEq(back, t, same)).toBe(true)
    expect(deepFrozen(back)).toBe(true)
    expect(treedef.size).toBe(leaves.length)
    const again = tree.flatten(back)
    expect(again.treedef).toEqual(treedef)
    expect(again.leaves.every((l, i) => l === leaves[i])).toBe(true)
    expect(snap(t)).toEqual(before)
  })

  test.prop([t0])('leaves and paths: depth-first, keys sorted, matching each other', (t) => {
    // Independent enumeration of the leaves with their paths.
    const expected = nodesOf(t).filter(({ node }) => ops.isTensor(node))
    const ls = tree.leaves(t)
    const ps = tree.paths(t)
    expect(ls.length).toBe(expected.length)
    expect(ls.every((l, i) => l === expected[i].node)).toBe(true)
    expect(ps).toEqual(expected.map(({ keys }) => pathOf(keys)))
    expect(new Set(ps).size).toBe(ps.length)
    expect(Object.isFrozen(ls) && Object.isFrozen(ps)).toBe(true)
  })

  test.prop([t0])('map(t, x => x) = t, and f sees each leaf with its path, in leaves order', (t) => {
    const before = snap(t)
    const seen: Array<[Tensor, string]> = []
    const m = tree.map(t, (x, p) => (seen.push([x, p]), x))
    expect(treeEq(m, t, same)).toBe(true)
    expect(deepFrozen(m)).toBe(true)
    expect(seen.map(([x]) => x)).toEqual(tree.leaves(t))
    expect(seen.map(([, p]) => p)).toEqual(tree.paths(t))
    expect(snap(t)).toEqual(before)
  })

  test.prop([t0, arbFn, arbFn])('map fusion: map(map(t, f), g) = map(t, g ∘ f)', (t, i, j) => {
    const [f, g] = [fns[i], fns[j]]
    const lhs = tree.map(tree.map(t, f), g)
    const rhs = tree.map(t, (x) => g(f(x)))
    expect(treeEq(lhs, rhs, bitsEqual)).toBe(true)
  })

  test.prop([t0, arbFn])('leaves(map(t, f)) = leaves(t).map(f)', (t, i) => {
    const f = fns[i]
    const lhs = tree.leaves(tree.map(t, f))
    const rhs = tree.leaves(t).map(f)
    expect(lhs.length).toBe(rhs.length)
    expect(lhs.every((x, k) => bitsEqual(x, rhs[k]))).toBe(true)
  })

  test.prop([t0])('reduce(t, f, z) = leaves(t).reduce(f, z), with paths', (t) => {
    const f = (acc: string, x: Tensor, p: string) => `${acc}|${p}:${x.dtype}[${x.shape.join(',')}]`
    const ls = tree.leaves(t)
    const ps = tree.paths(t)
    expect(tree.reduce(t, f, '')).toBe(ls.reduce((acc, x, k) => f(acc, x, ps[k]), ''))
  })

  test.prop([t0])('zipWith on equal structures is map over the paired leaves', (t) => {
    const u = tree.map(t, fns[1])
    const seen: Array<[Tensor, Tensor, string]> = []
    const z = tree.zipWith((a, b, p) => (seen.push([a, b, p]), b), t, u)
    expect(treeEq(z, u, same)).toBe(true)
    expect(seen.map(([a]) => a)).toEqual(tree.leaves(t))
    expect(seen.map(([, b]) => b)).toEqual(tree.leaves(u))
    expect(seen.map(([, , p]) => p)).toEqual(tree.paths(t))
    const z3 = tree.zipWith((a, _b, c) => c, t, u, t)
    expect(treeEq(z3, t, same)).toBe(true)
  })

  test.prop([t0.chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 0, max: nodesOf(t).length - 1 }))), fc.boolean()])(
    'zipWith of different structures throws ShapeError naming the first differing path',
    ([t, k], swap) => {
      // Change the structure at one node: a leaf becomes null, an empty subtree a tensor, an
      // array gets one more element, a record one more key.
      const { keys, node } = nodesOf(t)[k]
      let changed: unknown
      let where = keys
      if (ops.isTensor(node)) changed = null
      else if (node === null || node === undefined) changed = ops.zeros([1])
      else if (Array.isArray(node)) changed = [...node, null]
      else {
        changed = Object.fromEntries([...Object.entries(node as object), ['zz!', null]])
        where = [...keys, 'zz!']
      }
      const u = setAt(t, keys, changed) as tree.Tree
      const [a, b] = swap ? [u, t] : [t, u]
      const path = where.length === 0 ? '(root)' : pathOf(where)
      expect(() => tree.zipWith((x) => x, a, b)).toThrow(ShapeError)
      expect(() => tree.zipWith((x) => x, a, b)).toThrow(`differ at ${path}:`)
      expect(tree.structureEquals(a, b)).toBe(false)
    },
  )

  test.prop([t0, arbFn])('structureEquals: reflexive, blind to values, sensitive to shape and dtype', (t, i) => {
    expect(tree.structureEquals(t, t)).toBe(true)
    expect(tree.structureEquals(t, tree.map(t, fns[0]))).toBe(true)
    const changesLeaves = tree.leaves(t).length > 0 && (i === 3 /* astype */)
    expect(tree.structureEquals(t, tree.map(t, fns[i]))).toBe(!changesLeaves)
    const reshaped = tree.map(t, (x) => ops.fromArray(Array.from(x.data), [1, ...x.shape], x.dtype))
    expect(tree.structureEquals(t, reshaped)).toBe(tree.leaves(t).length === 0)
  })

  test.prop([t0, fc.integer({ min: 1, max: 2 })])('unflatten checks the number of leaves', (t, d) => {
    const { leaves, treedef } = tree.flatten(t)
    const more = [...leaves, ...Array.from({ length: d }, () => ops.zeros([1]))]
    expect(() => tree.unflatten(treedef, more)).toThrow(ShapeError)
    if (leaves.length > 0) expect(() => tree.unflatten(treedef, leaves.slice(1))).toThrow(ShapeError)
  })
})

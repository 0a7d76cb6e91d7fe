/**
 * Example-based tests of `tree`: traversal order and paths, empty subtrees, frozen
 * results, the exact error messages (non-tree values, cycles, structure mismatches, leaf
 * counts) and the static types the mapped functions keep.
 */
import { describe, expect, test } from 'vitest'
import { DomainError, ops, ShapeError, tree, type Tensor } from 'dendrite'

const [a, b, c] = [ops.scalar(1), ops.tensor([1, 2]), ops.zeros([2, 2], 'float64')]
const neg = (x: Tensor) => ops.fromArray(Array.from(x.data, (v) => -v), x.shape, x.dtype)

describe('tree traversal', () => {
  test('leaves are depth-first with record keys sorted; paths escape / and ~', () => {
    const t = { z: a, m: [b, null, { k: c }], 'x/y': a, '~t': b, 10: c, 9: a }
    expect(tree.paths(t)).toEqual(['10', '9', 'm/0', 'm/2/k', 'x~1y', 'z', '~0t'])
    expect(tree.leaves(t)).toEqual([c, a, b, c, a, a, b])
  })

  test('a single tensor is a tree with one leaf at the path ""', () => {
    expect(tree.leaves(a)).toEqual([a])
    expect(tree.paths(a)).toEqual([''])
    expect(tree.map(a, (x, p) => (expect(p).toBe(''), neg(x))).data[0]).toBe(-1)
    const { treedef } = tree.flatten(a)
    expect(treedef).toEqual({ kind: 'leaf', keys: [], children: [], size: 1 })
  })

  test('null and undefined are empty subtrees, kept by map and flatten', () => {
    const t = { p: null, q: undefined, r: [undefined, null, a] }
    const m = tree.map(t, neg)
    expect(m.p).toBeNull()
    expect('q' in m && m.q === undefined).toBe(true)
    expect(m.r[0]).toBeUndefined()
    expect(m.r[1]).toBeNull()
    expect(tree.leaves(t)).toEqual([a])
    const { leaves, treedef } = tree.flatten(t)
    expect(treedef.children.map((d) => d.kind)).toEqual(['null', 'undefined', 'array'])
    const back = tree.unflatten<typeof t>(treedef, leaves)
    expect(Object.keys(back)).toEqual(['p', 'q', 'r'])
    expect(back.r[2]).toBe(a)
    expect(tree.leaves(null)).toEqual([])
    expect(tree.reduce(undefined, (n: number) => n + 1, 0)).toBe(0)
  })

  test('results are frozen and inputs untouched; records keep __proto__ as an own key', () => {
    const t = JSON.parse('{"__proto__": null, "w": null}') as Record<string, null>
    const withLeaf = { ...t, w: a }
    Object.defineProperty(withLeaf, '__proto__', { value: [b], enumerable: true, configurable: true, writable: true })
    const m = tree.map(withLeaf as tree.Tree, neg) as Record<string, unknown>
    expect(Object.keys(m).sort()).toEqual(['__proto__', 'w'])
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype)
    expect(Object.isFrozen(m) && Object.isFrozen(m.__proto__)).toBe(true)
    expect(tree.paths(withLeaf as tree.Tree)).toEqual(['__proto__/0', 'w'])
    expect(Object.isFrozen(withLeaf)).toBe(false)
    expect(withLeaf.w).toBe(a)
  })

  test('null-prototype records are records', () => {
    const r = Object.assign(Object.create(null) as Record<string, Tensor>, { w: a })
    expect(tree.isTree(r)).toBe(true)
    expect(tree.paths(r)).toEqual(['w'])
  })

  test('reduce folds in leaves order with paths', () => {
    const t = { w: c, b: [b] }
    expect(tree.reduce(t, (acc: string[], x, p) => [...acc, `${p}:${x.shape.join('x')}`], [])).toEqual(['b/0:2', 'w:2x2'])
  })
})

describe('tree errors', () => {
  test('numbers, strings, maps, typed arrays and class instances are not trees', () => {
    expect(() => tree.map({ w: a, lr: 0.5 } as never, neg)).toThrow(DomainError)
    expect(() => tree.map({ w: a, lr: 0.5 } as never, neg)).toThrow(
      'tree.map: expected a tensor, an array, a plain record, null or undefined at lr, got number 0.5',
    )
    expect(() => tree.leaves([a, 'x'] as never)).toThrow('tree.leaves: expected a tensor, an array, a plain record, null or undefined at 1, got string "x"')
    expect(() => tree.leaves({ m: new Map() } as never)).toThrow(/at m, got Map/)
    expect(() => tree.leaves(new Float32Array(2) as never)).toThrow(/at \(root\), got Float32Array/)
    expect(() => tree.flatten({ d: new Date(0) } as never)).toThrow(/at d, got Date/)
    // an object that looks like a tensor but is not one is read as a record, and its
    // fields are not trees
    expect(() => tree.leaves({ w: { dtype: 'float32', shape: [2], data: [1, 2] } } as never)).toThrow(/at w\/data\/0, got number 1/)
    expect(tree.isTree({ w: a, lr: 0.5 })).toBe(false)
    expect(tree.isTree(3)).toBe(false)
  })

  test('cycles are reported, shared subtrees are fine', () => {
    const shared = { w: a }
    expect(tree.leaves({ x: shared, y: shared })).toEqual([a, a])
    const cyc: Record<string, unknown> = { w: a }
    cyc.self = [cyc]
    expect(() => tree.leaves(cyc as never)).toThrow('tree.leaves: the tree has a cycle at self/0')
    expect(() => tree.map(cyc as never, neg)).toThrow(/cycle at self\/0/)
    expect(tree.isTree(cyc)).toBe(false)
  })

  test('map and zipWith check that f returns tensors', () => {
    expect(() => tree.map({ w: a }, () => 3 as never)).toThrow('tree.map: the function returned number 3 at w, expected a tensor')
    expect(() => tree.zipWith(() => null as never, [a], [b])).toThrow('tree.zipWith: the function returned null at 0, expected a tensor')
  })

  test('zipWith names the first differing path', () => {
    const p = { layers: [{ weight: a, bias: a }, { weight: a, bias: a }, { weight: a, bias: a }] }
    const q = { layers: [{ weight: a, bias: a }, { weight: a, bias: a }, { weight: null, bias: a }] }
    const id = (x: Tensor) => x
    expect(() => tree.zipWith(id, p, q)).toThrow(ShapeError)
    expect(() => tree.zipWith(id, p, q)).toThrow('tree.zipWith: structures of tree 0 and tree 1 differ at layers/2/weight: a tensor vs null')
    expect(() => tree.zipWith(id, p, p, q)).toThrow('structures of tree 0 and tree 2 differ at layers/2/weight')
    expect(() => tree.zipWith(id, { a, b: a }, { a, c: a })).toThrow(
      'differ at b: key "b" is missing from the second tree (a record with keys [a,b] vs a record with keys [a,c])',
    )
    expect(() => tree.zipWith(id, { a }, { a, b: a })).toThrow('differ at b: key "b" is missing from the first tree')
    expect(() => tree.zipWith(id, { l: [a, a] }, { l: [a] })).toThrow('differ at l: an array of length 2 vs an array of length 1')
    expect(() => tree.zipWith(id, a, [a])).toThrow('differ at (root): a tensor vs an array of length 1')
    // leaf shapes may differ: zipWith only needs the structure
    expect(tree.leaves(tree.zipWith((_x, y) => y, [a], [c]))).toEqual([c])
  })

  test('unflatten checks the leaf count and the leaves', () => {
    const { treedef } = tree.flatten({ w: a, b: [a, a] })
    expect(() => tree.unflatten(treedef, [a, a])).toThrow('tree.unflatten: the structure expects 3 leaves, got 2')
    expect(() => tree.unflatten(treedef, [a, a, 1 as never])).toThrow('tree.unflatten: leaf 2 is number 1, expected a tensor')
  })
})

describe('tree types', () => {
  test('map, zipWith and unflatten keep the static type', () => {
    type Params = { readonly w: Tensor; readonly layers: readonly [Tensor, { readonly b: Tensor }] }
    const p: Params = { w: a, layers: [b, { b: c }] }
    const m: Params = tree.map(p, neg)
    const z: Params = tree.zipWith((x, y, path) => (path === 'w' ? x : y), p, m)
    const u: Params = tree.unflatten<Params>(tree.flatten(p).treedef, tree.leaves(m))
    expect(ops.toArray(m.layers[1].b)).toEqual([[-0, -0], [-0, -0]])
    expect(z.w).toBe(a)
    expect(u.layers[0]).toBe(m.layers[0])
    expect(tree.structureEquals(p, u)).toBe(true)
  })
})

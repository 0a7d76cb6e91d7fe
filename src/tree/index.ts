/**
 * Parameter trees: nested readonly records, arrays and tuples whose leaves are tensors.
 * `null` and `undefined` are empty subtrees (they hold no leaf and are kept as they are);
 * numbers, strings, `Map`s, typed arrays and class instances are not tree nodes and make
 * every function here throw `DomainError` naming the path. A record is a plain object
 * (prototype `Object.prototype` or `null`); its keys are visited in sorted order, so every
 * traversal is deterministic. Paths are keys joined with `/` (`layers/2/weight`; the root
 * is `''`), keys escaped as in JSON Pointer (`~` → `~0`, `/` → `~1`).
 *
 * Laws:
 * - `unflatten(flatten(t).treedef, flatten(t).leaves) = t`;
 * - `map(t, x => x) = t` and `map(map(t, f), g) = map(t, x => g(f(x)))`;
 * - `leaves(map(t, f)) = leaves(t).map(f)`;
 * - `zipWith(f, a, b)` is defined iff `a` and `b` have the same structure
 *   (otherwise `ShapeError` naming the first path where they differ);
 * - `reduce(t, f, z) = leaves(t).reduce(f, z)`;
 * - `structureEquals(t, t)`, and `structureEquals(t, map(t, f))` when `f` keeps shapes and dtypes.
 *
 * Nothing is mutated; every array and record returned is frozen.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import { isTensor, type Tensor } from '../tensor/Tensor.js'
import { buildTree, describe, freezeRecord, joinPath, kindOf, notATree, showPath, sortedKeys, type Kind } from './internal.js'

/**
 * A parameter tree: a tensor (a leaf), `null` or `undefined` (an empty subtree), an array or
 * tuple of trees, or a record of trees. Declare record types with `type`, not `interface`
 * (TypeScript gives object type aliases, not interfaces, the index signature this needs).
 *
 * @category model
 * @since 0.1.0
 */
export type Tree = Tensor | null | undefined | ReadonlyArray<Tree> | { readonly [key: string]: Tree }

/**
 * The structure of a tree without its leaves, as returned by `flatten`: plain, frozen,
 * JSON-friendly data.
 *
 * @category model
 * @since 0.1.0
 */
export interface TreeDef {
  /** The node's kind: a tensor leaf, an empty subtree, an array or a record. */
  readonly kind: 'leaf' | 'null' | 'undefined' | 'array' | 'record'
  /** The keys of a record node, sorted; `[]` for other kinds. */
  readonly keys: ReadonlyArray<string>
  /** The children (array elements, or record values in the order of `keys`). */
  readonly children: ReadonlyArray<TreeDef>
  /** The number of leaves in this subtree. */
  readonly size: number
}

/**
 * The result of `flatten`: the leaves in depth-first order and the structure.
 *
 * @category model
 * @since 0.1.0
 */
export interface Flattened {
  /** The leaves, depth-first, record keys in sorted order. */
  readonly leaves: ReadonlyArray<Tensor>
  /** The structure, to rebuild the tree with `unflatten`. */
  readonly treedef: TreeDef
}

/**
 * One tensor per position of a tuple of trees: the leaf arguments `zipWith` passes to its
 * function for the trees after the first.
 *
 * @category model
 * @since 0.1.0
 */
export type LeavesOf<R extends ReadonlyArray<unknown>> = { [K in keyof R]: Tensor }

// ---------------------------------------------------------------------------------------
// Internal traversal

type Visit = (leaf: Tensor, path: string) => Tensor

/**
 * Rebuilds a tree with each leaf replaced by `visit(leaf, path)`, visiting leaves
 * depth-first, keys sorted. Throws on non-tree values and on cycles.
 */
const rebuild = (op: string, t: unknown, visit: Visit): Tree => {
  const onPath = new Set<object>()
  const go = (u: unknown, path: string): Tree => {
    const kind = kindOf(u)
    switch (kind) {
      case 'null':
        return null
      case 'undefined':
        return undefined
      case 'leaf': {
        const r = visit(u as Tensor, path)
        if (!isTensor(r)) {
          throw new DomainError(op, `the function returned ${describe(r)} at ${showPath(path)}, expected a tensor`)
        }
        return r
      }
      case 'array':
      case 'record': {
        const o = u as object
        if (onPath.has(o)) throw new DomainError(op, `the tree has a cycle at ${showPath(path)}`)
        onPath.add(o)
        let out: Tree
        if (kind === 'array') {
          const a = u as ReadonlyArray<unknown>
          const xs = new Array<Tree>(a.length)
          for (let i = 0; i < a.length; i++) xs[i] = go(a[i], joinPath(path, i))
          out = Object.freeze(xs)
        } else {
          const r = u as { readonly [k: string]: unknown }
          out = freezeRecord(sortedKeys(r).map((k) => [k, go(r[k], joinPath(path, k))] as const))
        }
        onPath.delete(o)
        return out
      }
      default:
        throw notATree(op, u, path)
    }
  }
  return go(t, '')
}

// Nodes of a structure, frozen. `keys` and `children` are fresh arrays from the caller,
// frozen in place; the childless nodes are shared (they are immutable): an optimiser step
// flattens its trees several times, and building these was about a third of a small step
// (a 2-16-1 MLP with Adam: 112 µs, of which 13% in this constructor alone).
const node = (kind: Kind, keys: string[], children: TreeDef[]): TreeDef => {
  let size = 0
  for (const c of children) size += c.size
  return Object.freeze({ kind, keys: Object.freeze(keys), children: Object.freeze(children), size })
}
const NO_KEYS: ReadonlyArray<string> = Object.freeze([])
const NO_CHILDREN: ReadonlyArray<TreeDef> = Object.freeze([])
const LEAF_DEF: TreeDef = Object.freeze({ kind: 'leaf', keys: NO_KEYS, children: NO_CHILDREN, size: 1 })
const NULL_DEF: TreeDef = Object.freeze({ kind: 'null', keys: NO_KEYS, children: NO_CHILDREN, size: 0 })
const UNDEFINED_DEF: TreeDef = Object.freeze({ kind: 'undefined', keys: NO_KEYS, children: NO_CHILDREN, size: 0 })

/** The structure of a tree, its leaves and their paths, in one depth-first pass. */
const flattenWithPaths = (op: string, t: unknown): { leaves: Tensor[]; paths: string[]; treedef: TreeDef } => {
  const leaves: Tensor[] = []
  const paths: string[] = []
  const onPath = new Set<object>()
  const go = (u: unknown, path: string): TreeDef => {
    const kind = kindOf(u)
    switch (kind) {
      case 'null':
        return NULL_DEF
      case 'undefined':
        return UNDEFINED_DEF
      case 'leaf':
        leaves.push(u as Tensor)
        paths.push(path)
        return LEAF_DEF
      case 'array':
      case 'record': {
        const o = u as object
        if (onPath.has(o)) throw new DomainError(op, `the tree has a cycle at ${showPath(path)}`)
        onPath.add(o)
        let def: TreeDef
        if (kind === 'array') {
          const a = u as ReadonlyArray<unknown>
          def = node('array', [], a.map((x, i) => go(x, joinPath(path, i))))
        } else {
          const r = u as { readonly [k: string]: unknown }
          const keys = sortedKeys(r)
          def = node('record', keys, keys.map((k) => go(r[k], joinPath(path, k))))
        }
        onPath.delete(o)
        return def
      }
      default:
        throw notATree(op, u, path)
    }
  }
  const treedef = go(t, '')
  return { leaves, paths, treedef }
}

const showNode = (d: TreeDef): string => {
  switch (d.kind) {
    case 'leaf':
      return 'a tensor'
    case 'array':
      return `an array of length ${d.children.length}`
    case 'record':
      return `a record with keys [${d.keys.join(',')}]`
    default:
      return d.kind
  }
}

/** The first place (depth-first, keys sorted) where two structures differ, or undefined. */
const firstMismatch = (a: TreeDef, b: TreeDef, path: string): { path: string; detail: string } | undefined => {
  if (a.kind !== b.kind) return { path, detail: `${showNode(a)} vs ${showNode(b)}` }
  if (a.kind === 'array' && a.children.length !== b.children.length) {
    return { path, detail: `${showNode(a)} vs ${showNode(b)}` }
  }
  if (a.kind === 'record') {
    // Report the first key (in sorted order) that one record has and the other lacks.
    const n = Math.max(a.keys.length, b.keys.length)
    for (let i = 0; i < n; i++) {
      if (a.keys[i] !== b.keys[i]) {
        const ka = a.keys[i]
        const kb = b.keys[i]
        const missing = kb === undefined || (ka !== undefined && ka < kb) ? { key: ka, in: 'second' } : { key: kb, in: 'first' }
        return {
          path: joinPath(path, missing.key),
          detail: `key ${JSON.stringify(missing.key)} is missing from the ${missing.in} tree (${showNode(a)} vs ${showNode(b)})`,
        }
      }
    }
  }
  for (let i = 0; i < a.children.length; i++) {
    const key = a.kind === 'record' ? a.keys[i] : i
    const m = firstMismatch(a.children[i], b.children[i], joinPath(path, key))
    if (m !== undefined) return m
  }
  return undefined
}

// ---------------------------------------------------------------------------------------
// Public API

/**
 * Is this value a tree? A deep check: every node is a tensor, `null`, `undefined`, an array
 * or a plain record, with no cycles.
 *
 * @category guards
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.ok(tree.isTree({ w: ops.zeros([2, 2]), b: [ops.zeros([2]), null] }))
 * assert.ok(!tree.isTree({ w: ops.zeros([2]), lr: 0.5 }))
 * ```
 */
export const isTree = (u: unknown): u is Tree => {
  try {
    flattenWithPaths('tree.isTree', u)
    return true
  } catch (e) {
    if (e instanceof DomainError) return false
    throw e
  }
}

/**
 * Applies a function to every leaf, keeping the structure. `f` gets the leaf and its path
 * and is called in `leaves` order. The static type of the tree is kept (`map<T>(t: T, f): T`):
 * `f` is expected to return tensors of the shapes the caller's type implies.
 *
 * `map(t, f) = unflatten(treedef(t), leaves(t).map(f))`
 *
 * @category combinators
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const params = { w: ops.tensor([[1, 2]]), b: ops.tensor([3]) }
 * const doubled = tree.map(params, (x) => ops.fromArray(Array.from(x.data, (v) => 2 * v), x.shape))
 * assert.deepStrictEqual(ops.toArray(doubled.w), [[2, 4]])
 * const seen: string[] = []
 * tree.map({ layers: [params, null] }, (x, path) => (seen.push(path), x))
 * assert.deepStrictEqual(seen, ['layers/0/b', 'layers/0/w'])
 * ```
 */
export const map = <T extends Tree>(t: T, f: (leaf: Tensor, path: string) => Tensor): T =>
  rebuild('tree.map', t, f) as T

/**
 * Combines several trees of the same structure leaf by leaf: `f` gets the leaves at one
 * position (one per tree, in argument order) and then their path. The function comes
 * first, then the trees, as in JAX's `tree_map(f, tree, *rest)`. Structures must match
 * (kinds, array lengths, record keys; leaf shapes may differ), else `ShapeError` naming the
 * first path (depth-first, keys sorted) where they differ. The result has the structure
 * (and static type) of the first tree.
 *
 * `leaves(zipWith(f, a, b))[i] = f(leaves(a)[i], leaves(b)[i], paths(a)[i])`
 *
 * @category combinators
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const p = { w: ops.tensor([1, 2]), b: ops.tensor([3]) }
 * const g = { w: ops.tensor([4, 6]), b: ops.tensor([2]) }
 * const step = tree.zipWith((x, dx) => ops.fromArray(x.data.map((v, i) => v - 0.5 * dx.data[i]), x.shape), p, g)
 * assert.deepStrictEqual(ops.toArray(step.w), [-1, -1])
 * assert.throws(() => tree.zipWith((x) => x, { layers: [p] }, { layers: [{ w: p.w }] }), /layers\/0\/b/)
 * ```
 */
export const zipWith = <T extends Tree, R extends ReadonlyArray<Tree>>(
  f: (...args: [Tensor, ...LeavesOf<R>, string]) => Tensor,
  first: T,
  ...rest: R
): T => {
  const op = 'tree.zipWith'
  const a = flattenWithPaths(op, first)
  const others = rest.map((r) => flattenWithPaths(op, r))
  others.forEach((o, j) => {
    const m = firstMismatch(a.treedef, o.treedef, '')
    if (m !== undefined) {
      throw new ShapeError(op, `structures of tree 0 and tree ${j + 1} differ at ${showPath(m.path)}: ${m.detail}`)
    }
  })
  const call = f as (...args: ReadonlyArray<Tensor | string>) => Tensor
  const out = a.leaves.map((leaf, i) => {
    const r = call(leaf, ...others.map((o) => o.leaves[i]), a.paths[i])
    if (!isTensor(r)) throw new DomainError(op, `the function returned ${describe(r)} at ${showPath(a.paths[i])}, expected a tensor`)
    return r
  })
  return buildTree(a.treedef, out) as T
}

/**
 * The leaves of a tree, depth-first, record keys in sorted order (a frozen array).
 *
 * @category destructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [a, b, c] = [ops.scalar(1), ops.scalar(2), ops.scalar(3)]
 * assert.deepStrictEqual(tree.leaves({ z: a, y: [b, null, { x: c }] }), [b, c, a])
 * ```
 */
export const leaves = (t: Tree): ReadonlyArray<Tensor> => Object.freeze(flattenWithPaths('tree.leaves', t).leaves)

/**
 * The paths of the leaves, in `leaves` order: keys and indices joined with `/` (`''` for a
 * tree that is a single tensor).
 *
 * @category destructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const t = { layers: [{ weight: ops.zeros([2, 2]), bias: ops.zeros([2]) }], scale: ops.scalar(1) }
 * assert.deepStrictEqual(tree.paths(t), ['layers/0/bias', 'layers/0/weight', 'scale'])
 * ```
 */
export const paths = (t: Tree): ReadonlyArray<string> => Object.freeze(flattenWithPaths('tree.paths', t).paths)

/**
 * Splits a tree into its leaves (as `leaves`) and its structure, a plain `TreeDef`.
 *
 * `unflatten(flatten(t).treedef, flatten(t).leaves) = t`
 *
 * @category destructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { leaves, treedef } = tree.flatten({ b: ops.zeros([2]), a: [ops.zeros([3]), null] })
 * assert.deepStrictEqual(leaves.map((x) => x.shape), [[3], [2]])
 * assert.strictEqual(treedef.kind, 'record')
 * assert.deepStrictEqual(treedef.keys, ['a', 'b'])
 * assert.strictEqual(treedef.size, 2)
 * ```
 */
export const flatten = (t: Tree): Flattened => {
  const { leaves: ls, treedef } = flattenWithPaths('tree.flatten', t)
  return Object.freeze({ leaves: Object.freeze(ls), treedef })
}


/**
 * Rebuilds a tree from a structure and leaves (the inverse of `flatten`). The number of
 * leaves must be `treedef.size`, else `ShapeError`; each leaf must be a tensor. The type
 * parameter lets the caller state the tree's static type (it is not checked).
 *
 * `flatten(unflatten(d, ls)) = { leaves: ls, treedef: d }`
 *
 * @category constructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { treedef } = tree.flatten({ w: ops.zeros([2]), b: ops.zeros([1]) })
 * const t = tree.unflatten<{ w: ops.Tensor; b: ops.Tensor }>(treedef, [ops.ones([1]), ops.ones([2])])
 * assert.deepStrictEqual(ops.toArray(t.w), [1, 1])
 * assert.throws(() => tree.unflatten(treedef, [ops.ones([1])]), /expects 2 leaves, got 1/)
 * ```
 */
export const unflatten = <T extends Tree = Tree>(treedef: TreeDef, leaves: ReadonlyArray<Tensor>): T => {
  const op = 'tree.unflatten'
  if (leaves.length !== treedef.size) {
    throw new ShapeError(op, `the structure expects ${treedef.size} leaves, got ${leaves.length}`, leaves.filter(isTensor).map((l) => l.shape))
  }
  leaves.forEach((l, i) => {
    if (!isTensor(l)) throw new DomainError(op, `leaf ${i} is ${describe(l)}, expected a tensor`)
  })
  return buildTree(treedef, leaves) as T
}

/**
 * Folds the leaves, depth-first, keys sorted: `f` gets the accumulator, the leaf and its path.
 *
 * `reduce(t, f, z) = f(…f(f(z, l₀), l₁)…, lₙ₋₁)` with `lᵢ = leaves(t)[i]`
 *
 * @category destructors
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const params = { w: ops.zeros([3, 4]), b: ops.zeros([4]) }
 * assert.strictEqual(tree.reduce(params, (n, x) => n + x.data.length, 0), 16)
 * ```
 */
export const reduce = <A>(t: Tree, f: (acc: A, leaf: Tensor, path: string) => A, init: A): A => {
  const { leaves: ls, paths: ps } = flattenWithPaths('tree.reduce', t)
  let acc = init
  for (let i = 0; i < ls.length; i++) acc = f(acc, ls[i], ps[i])
  return acc
}

/**
 * Do two trees have the same structure (kinds, array lengths, record keys) and, at each
 * leaf, the same shape and dtype? Values are not compared.
 *
 * @category guards
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, tree } from 'dendrite'
 * import * as assert from 'node:assert'
 * const a = { w: ops.zeros([2, 3]), b: [ops.zeros([3])] }
 * assert.ok(tree.structureEquals(a, { w: ops.ones([2, 3]), b: [ops.full([3], 7)] }))
 * assert.ok(!tree.structureEquals(a, { w: ops.zeros([3, 2]), b: [ops.zeros([3])] }))
 * assert.ok(!tree.structureEquals(a, { w: ops.zeros([2, 3]), b: [ops.zeros([3], 'float64')] }))
 * ```
 */
export const structureEquals = (a: Tree, b: Tree): boolean => {
  const op = 'tree.structureEquals'
  const fa = flattenWithPaths(op, a)
  const fb = flattenWithPaths(op, b)
  if (firstMismatch(fa.treedef, fb.treedef, '') !== undefined) return false
  return fa.leaves.every((x, i) => {
    const y = fb.leaves[i]
    return x.dtype === y.dtype && showShape(x.shape) === showShape(y.shape)
  })
}

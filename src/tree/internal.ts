/**
 * Internal helpers of the `tree` and `io` namespaces: telling the node kinds of a tree
 * apart, and writing paths. Not public API (nothing here is re-exported).
 *
 * Laws: `unescapeKey(escapeKey(k)) = k`; `escapeKey(k)` contains no `/`, so a path
 * `escapeKey(k₀)/…/escapeKey(kₙ)` splits back into its keys unambiguously.
 *
 * @module
 */
import { DomainError } from '../errors.js'
import { isTensor, type Tensor } from '../tensor/Tensor.js'
import type { Tree, TreeDef } from './index.js'

/** @internal The kind of a tree node. */
export type Kind = 'leaf' | 'null' | 'undefined' | 'array' | 'record'

/** @internal A plain record: an object whose prototype is `Object.prototype` or `null`. */
export const isPlainRecord = (u: unknown): u is { readonly [k: string]: unknown } => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/** @internal The kind of a node, or `undefined` when the value is not a tree node. */
export const kindOf = (u: unknown): Kind | undefined => {
  if (u === null) return 'null'
  if (u === undefined) return 'undefined'
  if (Array.isArray(u)) return 'array'
  if (isTensor(u)) return 'leaf'
  if (isPlainRecord(u)) return 'record'
  return undefined
}

/** @internal A short description of a value for messages: `number 3`, `string`, `Map`. */
export const describe = (u: unknown): string => {
  if (u === null) return 'null'
  if (typeof u === 'number' || typeof u === 'boolean' || typeof u === 'bigint') return `${typeof u} ${String(u)}`
  if (typeof u === 'string') return u.length <= 20 ? `string ${JSON.stringify(u)}` : 'string'
  if (typeof u !== 'object') return typeof u
  if (Array.isArray(u)) return `array of length ${u.length}`
  const proto = Object.getPrototypeOf(u)
  const name = proto?.constructor?.name
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'object'
}

/** @internal Escapes a record key for a path, as JSON Pointer does: `~` → `~0`, `/` → `~1`. */
export const escapeKey = (k: string): string =>
  k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k

/** @internal Inverse of `escapeKey`. */
export const unescapeKey = (k: string): string =>
  k.includes('~') ? k.replace(/~1/g, '/').replace(/~0/g, '~') : k

/** @internal Appends a key (or index) to a path: `join('a/0', 'b') = 'a/0/b'`, `join('', 'a') = 'a'`. */
export const joinPath = (path: string, key: string | number): string => {
  const k = typeof key === 'number' ? String(key) : escapeKey(key)
  return path === '' ? k : `${path}/${k}`
}

/** @internal A path for messages: the root is written `(root)`. */
export const showPath = (path: string): string => (path === '' ? '(root)' : path)

/** @internal Own enumerable string keys of a record, sorted (code-unit order). */
export const sortedKeys = (r: object): string[] => Object.keys(r).sort()

/** @internal The error thrown when a value is not a tree. */
export const notATree = (op: string, u: unknown, path: string): DomainError =>
  new DomainError(
    op,
    `expected a tensor, an array, a plain record, null or undefined at ${showPath(path)}, got ${describe(u)}`,
  )

/** @internal Makes a frozen record from entries (safe for keys such as `__proto__`). */
export const freezeRecord = <A>(entries: ReadonlyArray<readonly [string, A]>): { readonly [k: string]: A } =>
  Object.freeze(Object.fromEntries(entries))

/**
 * @internal Builds a tree from a structure and exactly `def.size` leaves, in `flatten`
 * order (callers check the count). Shared by `tree.unflatten`/`zipWith` and the ODE
 * integrators, which rebuild the state once per stage.
 */
export const buildTree = (def: TreeDef, ls: ReadonlyArray<Tensor>): Tree => {
  if (def.kind === 'leaf') return ls[0]
  let next = 0
  const go = (d: TreeDef): Tree => {
    switch (d.kind) {
      case 'leaf':
        return ls[next++]
      case 'null':
        return null
      case 'undefined':
        return undefined
      case 'array':
        return Object.freeze(d.children.map(go))
      case 'record':
        return freezeRecord(d.keys.map((k, i) => [k, go(d.children[i])] as const))
    }
  }
  return go(def)
}

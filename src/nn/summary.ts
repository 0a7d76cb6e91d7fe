/**
 * Looking at a model: parameter counts, a printable summary table, and per-layer gradient
 * norms (notes §9: vanishing and exploding gradients).
 *
 * Laws:
 * - `paramCount(t) = Σ_{leaves ℓ} size(ℓ)`; `paramCount(null) = 0`;
 * - `layerGradNorms(g)[i].norm = √(Σ_{leaves ℓ of entry i} Σ ℓ²)`, so
 *   `Σ_i norm_i² = ‖g‖²` (the squared global norm).
 *
 * @module
 */
import { DomainError, showShape } from '../errors.js'
import { key as makeKey, type Key } from '../random/index.js'
import type { Shape } from '../tensor/Shape.js'
import { leaves, type Tree } from '../tree/index.js'
import type { Layer } from './Layer.js'
import type { Combinator } from './layers.js'

/**
 * The number of scalars in a parameter tree.
 *
 * `paramCount(t) = Σ_leaves size`
 *
 * @category diagnostics
 * @since 0.1.0
 * @example
 * ```ts
 * import { nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const { params } = nn.serial(nn.dense(128), nn.relu, nn.dense(10)).init(random.key(0), [-1, 784])
 * assert.strictEqual(nn.paramCount(params), 784 * 128 + 128 + 128 * 10 + 10)
 * ```
 */
export const paramCount = (params: Tree): number => leaves(params).reduce((n, l) => n + l.data.length, 0)

const isSerial = (l: unknown): l is Combinator => (l as Combinator).kind === 'serial' && Array.isArray((l as Combinator).layers)

/**
 * A printable table of a model for an input shape: one row per layer of a `serial`
 * model (one row for any other layer) with its output shape and parameter count, then the
 * total. Runs `init` (with `key`, default `random.key(0)`) to find shapes and sizes.
 *
 * `total = paramCount(model.init(key, inShape).params)`
 *
 * @category diagnostics
 * @since 0.1.0
 * @example
 * ```ts
 * import { nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = nn.summary(nn.serial(nn.dense(4), nn.relu, nn.dense(2)), [-1, 3])
 * assert.ok(s.includes('dense(4)') && s.includes('[-1,2]'))
 * assert.match(s, /Total params: 26$/)
 * ```
 */
export const summary = (model: Layer<any>, inShape: Shape, key: Key = makeKey(0)): string => {
  if (typeof model !== 'object' || model === null || typeof model.init !== 'function') {
    throw new DomainError('summary', `expected a layer, got ${String(model)}`)
  }
  const rows: Array<readonly [string, string, string]> = []
  let total = 0
  if (isSerial(model)) {
    // the same keys and shapes as serial's init
    const { params } = model.init(key, inShape)
    let s = inShape
    model.layers.forEach((l, i) => {
      const out = l.init(makeKey(0), s).outShape
      const n = paramCount((params as ReadonlyArray<Tree>)[i])
      total += n
      rows.push([l.name, showShape(out), String(n)])
      s = out
    })
  } else {
    const r = model.init(key, inShape)
    total = paramCount(r.params)
    rows.push([model.name, showShape(r.outShape), String(total)])
  }
  const header = ['Layer', 'Output shape', 'Params'] as const
  const w0 = Math.max(header[0].length, ...rows.map((r) => r[0].length))
  const w1 = Math.max(header[1].length, ...rows.map((r) => r[1].length))
  const w2 = Math.max(header[2].length, ...rows.map((r) => r[2].length))
  const line = (r: readonly [string, string, string]): string => `${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2].padStart(w2)}`
  const rule = '-'.repeat(w0 + w1 + w2 + 4)
  return [line(header), rule, ...rows.map(line), rule, `Total params: ${total}`].join('\n')
}

/**
 * The L2 norm of one top-level entry of a gradient tree.
 *
 * @category diagnostics
 * @since 0.1.0
 */
export interface GradNorm {
  /** The entry's path: its index in a `serial` model's parameter array, or its record key. */
  readonly path: string
  /** `√(Σ g²)` over all leaves of the entry. */
  readonly norm: number
  /** How many scalars the entry has. */
  readonly size: number
}

/**
 * Per-layer gradient norms: for each top-level entry of a gradient tree (each layer of a
 * `serial` model; entries without parameters are skipped) the L2 norm of all its leaves.
 * Printed after a few steps of training, they show vanishing gradients (norms shrinking
 * towards the input layers, e.g. by up to a factor `σ' ≤ 1/4` per logistic layer) or
 * exploding ones (growing towards the input). Needs concrete gradients (call it outside
 * `grad`).
 *
 * `norm_i = ‖g_i‖₂`, `Σ_i norm_i² = ‖g‖₂²`
 *
 * @category diagnostics
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * const g = [{ w: ops.tensor([[3, 4]]), b: ops.tensor([0]) }, null, { w: ops.tensor([[1]]) }]
 * assert.deepStrictEqual(nn.layerGradNorms(g), [{ path: '0', norm: 5, size: 3 }, { path: '2', norm: 1, size: 1 }])
 * ```
 */
export const layerGradNorms = (grads: Tree): ReadonlyArray<GradNorm> => {
  const entries: ReadonlyArray<readonly [string, Tree]> =
    grads === null || grads === undefined
      ? []
      : Array.isArray(grads)
        ? grads.map((g, i) => [String(i), g] as const)
        : 'dtype' in (grads as object) && 'data' in (grads as object)
          ? [['', grads]]
          : Object.keys(grads).sort().map((k) => [k, (grads as { readonly [k: string]: Tree })[k]] as const)
  const out: GradNorm[] = []
  for (const [path, g] of entries) {
    const ls = leaves(g)
    if (ls.length === 0) continue
    let ss = 0
    let size = 0
    for (const l of ls) {
      const d = l.data
      size += d.length
      for (let i = 0; i < d.length; i++) ss += d[i] * d[i]
    }
    out.push(Object.freeze({ path, norm: Math.sqrt(ss), size }))
  }
  return Object.freeze(out)
}

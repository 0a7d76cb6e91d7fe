/**
 * Layers and combinators implementing the `Layer` contract (`Layer.ts`): `init(key, inShape)`
 * makes the parameters (a tree) and reports the output shape (`-1` for the batch axis);
 * `apply(params, x, ctx)` computes the output. A plain function `Tensor → Tensor` (an
 * activation) is accepted wherever a layer is.
 *
 * Laws:
 * - `apply(init(k, s).params, x).shape = init(k, s).outShape` with the batch axis filled in;
 * - `init(k, s)` depends only on `k` and `s`;
 * - `dense(u).apply({w, b}, x) = x W + b` (row vectors; equivalently `[x, 1] [W; b]`);
 * - `serial(f, g).apply([p, q], x) = g.apply(q, f.apply(p, x))`;
 * - `residual(f).apply(p, x) = x + f.apply(p, x)`;
 * - `fanOut(f, g).apply([p, q], x) = concat([f(p, x), g(q, x)], −1)`;
 * - `parallel(f, g).apply([p, q], [x₁ | x₂]) = concat([f(p, x₁), g(q, x₂)], −1)`;
 * - `dropout(r)` in evaluation is the identity; in training `E[dropout(x)] = x` and a
 *   fraction `r` of the entries is zero (on average).
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import * as ops from '../ops/index.js'
import { bernoulli, split, type Key } from '../random/index.js'
import type { Shape } from '../tensor/Shape.js'
import type { DType, Tensor } from '../tensor/Tensor.js'
import type { Tree } from '../tree/index.js'
import type { Activation } from './activations.js'
import { glorotUniform, zeros, type Initializer } from './initializers.js'
import type { ApplyContext, InitResult, Layer } from './Layer.js'

/**
 * Anything that can stand where a layer is: a `Layer` (of any parameter type) or a plain
 * activation function `Tensor → Tensor` (a layer with no parameters).
 *
 * @category layers
 * @since 0.1.0
 */
export type LayerLike = Layer<any> | Activation // any: Layer<P> is invariant in P, so a mixed list needs it (as optim's chain)

/**
 * The parameters of a `dense` layer: the kernel `w` of shape `[in, units]` and the bias `b`
 * of shape `[units]` (absent with `useBias: false`).
 *
 * @category layers
 * @since 0.1.0
 */
export type DenseParams = {
  /** Kernel, shape `[in, units]`. */
  readonly w: Tensor
  /** Bias, shape `[units]` (absent when `useBias` is false). */
  readonly b?: Tensor
}

/**
 * Options of `dense`.
 *
 * @category layers
 * @since 0.1.0
 */
export interface DenseOptions {
  /** Kernel initialiser (default `glorotUniform`). */
  readonly kernelInit?: Initializer
  /** Bias initialiser (default `zeros`). */
  readonly biasInit?: Initializer
  /** Whether to add a bias (default true). */
  readonly useBias?: boolean
  /** Parameter dtype (default `'float32'`); inputs must have the same dtype. */
  readonly dtype?: DType
}

/**
 * A combinator that holds sub-layers: `serial`, `fanOut` and `parallel` return one,
 * so `summary` can list the parts.
 *
 * @category layers
 * @since 0.1.0
 */
export interface Combinator extends Layer<ReadonlyArray<Tree>> {
  /** Which combinator this is. */
  readonly kind: 'serial' | 'fanOut' | 'parallel'
  /** The sub-layers, in order (activations wrapped as layers). */
  readonly layers: ReadonlyArray<Layer<any>>
}

const product = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

const checkInShape = (op: string, s: Shape): void => {
  if (!Array.isArray(s) || !s.every((d, i) => Number.isInteger(d) && (d >= 0 || (d === -1 && i === 0)))) {
    throw new ShapeError(op, `input shape must be sizes with -1 only for the batch axis (the first), got ${showShape(s as Shape)}`, [s])
  }
}

const checkKey = (op: string, k: unknown): Key => {
  if (typeof k !== 'object' || k === null || (k as Key).kind !== 'dendrite.key') {
    throw new DomainError(op, 'init needs a PRNG key (random.key(n))')
  }
  return k as Key
}

/**
 * Wraps an activation function as a layer without parameters (output shape = input
 * shape). `serial` and the other combinators do this for any plain function they get.
 *
 * `activation(f).apply(null, x) = f(x)`
 *
 * @category layers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const l = nn.activation(nn.relu)
 * assert.strictEqual(l.name, 'relu')
 * assert.deepStrictEqual(l.init(random.key(0), [-1, 3]), { params: null, outShape: [-1, 3] })
 * assert.deepStrictEqual(ops.toArray(l.apply(null, ops.tensor([[-1, 0, 2]]))), [[0, 0, 2]])
 * ```
 */
export const activation = (f: Activation, name?: string): Layer<null> => {
  if (typeof f !== 'function') throw new DomainError('activation', `expected a function Tensor → Tensor, got ${typeof f}`)
  return Object.freeze({
    name: name ?? (f.name || 'activation'),
    init: (_key: Key, inShape: Shape): InitResult<null> => ({ params: null, outShape: inShape }),
    apply: (_params: null, x: Tensor): Tensor => f(x),
  })
}

/**
 * Turns a layer-like value into a layer (functions become `activation(f)`).
 *
 * `toLayer(f) = activation(f)`, `toLayer(l) = l`
 *
 * @category layers
 * @since 0.1.0
 * @example
 * ```ts
 * import { nn } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(nn.toLayer(nn.tanh).name, 'tanh')
 * ```
 */
export const toLayer = (l: LayerLike): Layer<any> => {
  if (typeof l === 'function') return activation(l)
  if (typeof l !== 'object' || l === null || typeof l.init !== 'function' || typeof l.apply !== 'function') {
    throw new DomainError('toLayer', `expected a layer {name, init, apply} or a function Tensor → Tensor, got ${String(l)}`)
  }
  return l
}

/**
 * A fully connected (affine) layer on the last axis, with row vectors: `y = x W + b`,
 * `W: [in, units]`, `b: [units]`. Leading axes are batch axes. The notes' view of the
 * bias as an extra input is the same map: append a constant 1 to `x` and the row `b` to
 * `W`, then `[x, 1] [W; b] = x W + b`.
 *
 * `dense(u).apply({w, b}, x) = x W + b`
 *
 * @category layers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const layer = nn.dense(2)
 * const { params, outShape } = layer.init(random.key(0), [-1, 3])
 * assert.deepStrictEqual([params.w.shape, params.b?.shape, outShape], [[3, 2], [2], [-1, 2]])
 * const w = ops.tensor([[1, 0], [0, 1], [1, 1]])
 * const y = layer.apply({ w, b: ops.tensor([10, 20]) }, ops.tensor([[1, 2, 3]]))
 * assert.deepStrictEqual(ops.toArray(y), [[14, 25]])
 * ```
 */
export const dense = (units: number, options: DenseOptions = {}): Layer<DenseParams> => {
  const op = 'dense'
  if (!(Number.isInteger(units) && units > 0)) throw new DomainError(op, `units must be a positive integer, got ${units}`)
  const kernelInit = options.kernelInit ?? glorotUniform
  const biasInit = options.biasInit ?? zeros
  const useBias = options.useBias ?? true
  const dtype = options.dtype ?? 'float32'
  return Object.freeze({
    name: `dense(${units})`,
    init: (key: Key, inShape: Shape): InitResult<DenseParams> => {
      checkKey(op, key)
      checkInShape(op, inShape)
      if (inShape.length === 0 || !(inShape[inShape.length - 1] > 0)) {
        throw new ShapeError(op, `needs a known, positive last axis (the features), got input shape ${showShape(inShape)}`, [inShape], -1)
      }
      const fanIn = inShape[inShape.length - 1]
      const [kw, kb] = split(key, 2)
      const w = kernelInit(kw, [fanIn, units], dtype)
      const params: DenseParams = useBias ? Object.freeze({ w, b: biasInit(kb, [units], dtype) }) : Object.freeze({ w })
      return { params, outShape: [...inShape.slice(0, -1), units] }
    },
    apply: (params: DenseParams, x: Tensor): Tensor => {
      const w = params?.w
      if (w === undefined) throw new DomainError(op, 'params must be {w, b} from dense(...).init')
      const xw = ops.matmul(x, w)
      return params.b === undefined ? xw : ops.add(xw, params.b)
    },
  })
}

/**
 * Inverted dropout: in training (`ctx.training`), zeroes each entry with probability
 * `rate` and scales the rest by `1/(1 − rate)`, so the expectation is unchanged; in
 * evaluation, the identity. Training needs `ctx.key` (a fresh key per step).
 *
 * `dropout(x) = x ⊙ m / (1 − rate)`, `m ~ Bernoulli(1 − rate)`; `E[dropout(x)] = x`
 *
 * @category layers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const d = nn.dropout(0.5)
 * const x = ops.ones([1, 8])
 * assert.strictEqual(d.apply(null, x), x) // evaluation
 * const y = ops.toFlat(d.apply(null, x, { training: true, key: random.key(0) }))
 * assert.ok(y.every((v) => v === 0 || v === 2))
 * ```
 */
export const dropout = (rate: number): Layer<null> => {
  const op = 'dropout'
  if (!(rate >= 0 && rate < 1)) throw new DomainError(op, `rate must be in [0, 1), got ${rate}`)
  return Object.freeze({
    name: `dropout(${rate})`,
    init: (_key: Key, inShape: Shape): InitResult<null> => ({ params: null, outShape: inShape }),
    apply: (_params: null, x: Tensor, ctx: ApplyContext = {}): Tensor => {
      if (!ctx.training || rate === 0) return x
      if (ctx.key === undefined) throw new DomainError(op, 'training mode needs a PRNG key: apply(params, x, { training: true, key })')
      const mask = bernoulli(ctx.key, 1 - rate, x.shape, { dtype: x.dtype })
      return ops.mul(x, ops.mul(mask, 1 / (1 - rate)))
    },
  })
}

/**
 * Flattens every axis but the first (the batch axis) into one.
 *
 * `flatten()(x).shape = [B, Π rest]`
 *
 * @category layers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const f = nn.flatten()
 * assert.deepStrictEqual(f.init(random.key(0), [-1, 1, 28, 28]).outShape, [-1, 784])
 * assert.deepStrictEqual(f.apply(null, ops.zeros([5, 2, 3])).shape, [5, 6])
 * ```
 */
export const flatten = (): Layer<null> =>
  Object.freeze({
    name: 'flatten',
    init: (_key: Key, inShape: Shape): InitResult<null> => {
      checkInShape('flatten', inShape)
      if (inShape.length === 0) throw new ShapeError('flatten', 'needs a batch axis, got a scalar shape []', [inShape])
      return { params: null, outShape: [inShape[0], product(inShape.slice(1))] }
    },
    apply: (_params: null, x: Tensor): Tensor => {
      if (x.shape.length === 0) throw new ShapeError('flatten', 'needs a batch axis, got a scalar', [x.shape])
      return ops.reshape(x, [x.shape[0], product(x.shape.slice(1))])
    },
  })

/**
 * Reshapes every example (all axes but the batch axis) to `shape`; one entry may be `-1`
 * (inferred).
 *
 * `reshape(s)(x).shape = [B, ...s]`
 *
 * @category layers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const r = nn.reshape([1, 28, -1])
 * assert.deepStrictEqual(r.init(random.key(0), [-1, 784]).outShape, [-1, 1, 28, 28])
 * assert.deepStrictEqual(r.apply(null, ops.zeros([3, 784])).shape, [3, 1, 28, 28])
 * ```
 */
export const reshape = (shape: Shape): Layer<null> => {
  const op = 'reshape'
  const unknown = shape.filter((d) => d === -1).length
  if (unknown > 1 || !shape.every((d) => Number.isInteger(d) && (d >= 0 || d === -1))) {
    throw new ShapeError(op, `target shape must be sizes with at most one -1, got ${showShape(shape)}`, [shape])
  }
  const resolve = (size: number, inShape: Shape): Shape => {
    const known = product(shape.filter((d) => d !== -1))
    const missing = unknown === 1 ? (known === 0 ? -1 : size / known) : size
    if ((unknown === 1 && !Number.isInteger(missing)) || (unknown === 0 && known !== size)) {
      throw new ShapeError(op, `cannot reshape examples of shape ${showShape(inShape)} (size ${size}) to ${showShape(shape)}`, [inShape, shape])
    }
    return shape.map((d) => (d === -1 ? missing : d))
  }
  return Object.freeze({
    name: `reshape(${showShape(shape)})`,
    init: (_key: Key, inShape: Shape): InitResult<null> => {
      checkInShape(op, inShape)
      if (inShape.length === 0) throw new ShapeError(op, 'needs a batch axis, got a scalar shape []', [inShape])
      return { params: null, outShape: [inShape[0], ...resolve(product(inShape.slice(1)), inShape.slice(1))] }
    },
    apply: (_params: null, x: Tensor): Tensor => {
      if (x.shape.length === 0) throw new ShapeError(op, 'needs a batch axis, got a scalar', [x.shape])
      return ops.reshape(x, [x.shape[0], ...resolve(product(x.shape.slice(1)), x.shape.slice(1))])
    },
  })
}

const keysFor = (k: Key | undefined, n: number): ReadonlyArray<Key | undefined> =>
  k === undefined || n === 0 ? new Array<undefined>(n).fill(undefined) : split(k, n)

const checkParams = (op: string, params: ReadonlyArray<Tree>, n: number): void => {
  if (!Array.isArray(params) || params.length !== n) {
    throw new DomainError(op, `params must be an array of ${n} entries (one per layer, from init), got ${Array.isArray(params) ? `${params.length} entries` : String(params)}`)
  }
}

const initAll = (
  op: string,
  ls: ReadonlyArray<Layer<any>>,
  key: Key,
  shapes: (i: number, prev: Shape | undefined) => Shape,
): { readonly params: ReadonlyArray<Tree>; readonly outShapes: ReadonlyArray<Shape>; readonly state?: ReadonlyArray<Tree> } => {
  checkKey(op, key)
  const keys = keysFor(key, ls.length) as ReadonlyArray<Key>
  const params: Tree[] = []
  const outShapes: Shape[] = []
  const states: Tree[] = []
  let anyState = false
  ls.forEach((l, i) => {
    const r = l.init(keys[i], shapes(i, outShapes[i - 1]))
    params.push(r.params)
    outShapes.push(r.outShape)
    states.push(r.state)
    if (r.state !== undefined) anyState = true
  })
  return { params: Object.freeze(params), outShapes, ...(anyState ? { state: Object.freeze(states) } : {}) }
}

/**
 * Composes layers in order (as JAX's `stax.serial`). Parameters are an array with one
 * entry per layer (`null` for layers without parameters); `ctx.key` is split into one key
 * per layer.
 *
 * `serial(f₁, …, f_n).apply([p₁, …, p_n], x) = f_n(p_n, … f₁(p₁, x))`
 *
 * @category combinators
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const model = nn.serial(nn.dense(4), nn.relu, nn.dense(2))
 * const { params, outShape } = model.init(random.key(0), [-1, 3])
 * assert.deepStrictEqual([params.length, params[1], outShape], [3, null, [-1, 2]])
 * assert.deepStrictEqual(model.apply(params, ops.zeros([5, 3])).shape, [5, 2])
 * ```
 */
export const serial = (...layers: ReadonlyArray<LayerLike>): Combinator => {
  const op = 'serial'
  const ls = Object.freeze(layers.map(toLayer))
  return Object.freeze({
    kind: 'serial' as const,
    layers: ls,
    name: `serial(${ls.map((l) => l.name).join(', ')})`,
    init: (key: Key, inShape: Shape): InitResult<ReadonlyArray<Tree>> => {
      const r = initAll(op, ls, key, (i, prev) => (i === 0 ? inShape : (prev as Shape)))
      return { params: r.params, outShape: r.outShapes[ls.length - 1] ?? inShape, ...(r.state ? { state: r.state } : {}) }
    },
    apply: (params: ReadonlyArray<Tree>, x: Tensor, ctx: ApplyContext = {}): Tensor => {
      checkParams(op, params, ls.length)
      const keys = keysFor(ctx.key, ls.length)
      return ls.reduce((h, l, i) => l.apply(params[i], h, { ...ctx, key: keys[i] }), x)
    },
  })
}

const concatShapes = (op: string, shapes: ReadonlyArray<Shape>): Shape => {
  const first = shapes[0]
  for (const s of shapes) {
    if (s.length !== first.length || s.length === 0 || s.slice(0, -1).some((d, i) => d !== first[i])) {
      throw new ShapeError(op, `branch outputs must agree on all axes but the last, got ${shapes.map((t) => showShape(t)).join(', ')}`, shapes, -1)
    }
  }
  return [...first.slice(0, -1), shapes.reduce((a, s) => a + s[s.length - 1], 0)]
}

/**
 * Applies every layer to the same input and concatenates their outputs along the last
 * axis (a layer with several heads). Parameters: one entry per layer.
 *
 * `fanOut(f, g).apply([p, q], x) = concat([f(p, x), g(q, x)], −1)`
 *
 * @category combinators
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const heads = nn.fanOut(nn.dense(2), nn.dense(3))
 * const { params, outShape } = heads.init(random.key(0), [-1, 4])
 * assert.deepStrictEqual(outShape, [-1, 5])
 * assert.deepStrictEqual(heads.apply(params, ops.ones([7, 4])).shape, [7, 5])
 * ```
 */
export const fanOut = (...layers: ReadonlyArray<LayerLike>): Combinator => {
  const op = 'fanOut'
  if (layers.length === 0) throw new DomainError(op, 'needs at least one layer')
  const ls = Object.freeze(layers.map(toLayer))
  return Object.freeze({
    kind: 'fanOut' as const,
    layers: ls,
    name: `fanOut(${ls.map((l) => l.name).join(', ')})`,
    init: (key: Key, inShape: Shape): InitResult<ReadonlyArray<Tree>> => {
      const r = initAll(op, ls, key, () => inShape)
      return { params: r.params, outShape: concatShapes(op, r.outShapes), ...(r.state ? { state: r.state } : {}) }
    },
    apply: (params: ReadonlyArray<Tree>, x: Tensor, ctx: ApplyContext = {}): Tensor => {
      checkParams(op, params, ls.length)
      const keys = keysFor(ctx.key, ls.length)
      return ops.concat(ls.map((l, i) => l.apply(params[i], x, { ...ctx, key: keys[i] })), -1)
    },
  })
}

/**
 * Splits the last axis of the input into as many equal parts as there are layers, applies
 * layer `i` to part `i`, and concatenates the outputs along the last axis (a block-diagonal
 * network; JAX's `stax.parallel` takes a tuple instead, which the one-tensor layer contract
 * cannot carry). The last axis must be divisible by the number of layers.
 *
 * `parallel(f, g).apply([p, q], [x₁ | x₂]) = [f(p, x₁) | g(q, x₂)]`
 *
 * @category combinators
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const both = nn.parallel(nn.relu, nn.dense(1))
 * const { params, outShape } = both.init(random.key(0), [-1, 4])
 * assert.deepStrictEqual(outShape, [-1, 3])
 * const y = both.apply(params, ops.tensor([[-1, 2, 0, 0]]))
 * assert.deepStrictEqual(ops.toArray(y), [[0, 2, 0]])
 * ```
 */
export const parallel = (...layers: ReadonlyArray<LayerLike>): Combinator => {
  const op = 'parallel'
  if (layers.length === 0) throw new DomainError(op, 'needs at least one layer')
  const ls = Object.freeze(layers.map(toLayer))
  const n = ls.length
  const partShape = (s: Shape): Shape => {
    const last = s[s.length - 1]
    if (s.length === 0 || !(last >= 0) || last % n !== 0) {
      throw new ShapeError(op, `the last axis of ${showShape(s)} must split into ${n} equal parts`, [s], -1)
    }
    return [...s.slice(0, -1), last / n]
  }
  return Object.freeze({
    kind: 'parallel' as const,
    layers: ls,
    name: `parallel(${ls.map((l) => l.name).join(', ')})`,
    init: (key: Key, inShape: Shape): InitResult<ReadonlyArray<Tree>> => {
      checkInShape(op, inShape)
      const part = partShape(inShape)
      const r = initAll(op, ls, key, () => part)
      return { params: r.params, outShape: concatShapes(op, r.outShapes), ...(r.state ? { state: r.state } : {}) }
    },
    apply: (params: ReadonlyArray<Tree>, x: Tensor, ctx: ApplyContext = {}): Tensor => {
      checkParams(op, params, n)
      partShape(x.shape)
      const keys = keysFor(ctx.key, n)
      const parts = ops.split(x, n, -1)
      return ops.concat(ls.map((l, i) => l.apply(params[i], parts[i], { ...ctx, key: keys[i] })), -1)
    },
  })
}

/**
 * A residual (skip) connection: `x + f(x)`. The layer's output shape must equal its input
 * shape. Parameters are those of the wrapped layer.
 *
 * `residual(f).apply(p, x) = x + f.apply(p, x)`
 *
 * @category combinators
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, nn, random } from 'dendrite'
 * import * as assert from 'node:assert'
 * const block = nn.residual(nn.serial(nn.dense(3), nn.relu))
 * const { params } = block.init(random.key(0), [-1, 3])
 * const zero = [{ w: ops.zeros([3, 3]), b: ops.zeros([3]) }, null]
 * assert.deepStrictEqual(ops.toArray(block.apply(zero, ops.tensor([[1, 2, 3]]))), [[1, 2, 3]])
 * assert.deepStrictEqual(block.apply(params, ops.ones([2, 3])).shape, [2, 3])
 * ```
 */
export const residual = <P extends Tree = any>(layer: Layer<P> | Activation): Layer<P> => {
  const op = 'residual'
  const l = toLayer(layer) as Layer<P>
  return Object.freeze({
    name: `residual(${l.name})`,
    init: (key: Key, inShape: Shape): InitResult<P> => {
      const r = l.init(key, inShape)
      if (r.outShape.length !== inShape.length || r.outShape.some((d, i) => d !== inShape[i])) {
        throw new ShapeError(op, `the layer must keep the shape: input ${showShape(inShape)}, output ${showShape(r.outShape)}`, [inShape, r.outShape])
      }
      return r
    },
    apply: (params: P, x: Tensor, ctx: ApplyContext = {}): Tensor => ops.add(x, l.apply(params, x, ctx)),
  })
}

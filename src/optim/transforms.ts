/**
 * Optimisers as pure gradient transformations (as optax): `init(params)` makes a state,
 * `update(grads, state, params)` returns updates and the next state, and
 * `applyUpdates(params, updates)` ADDS the updates to the parameters, so a descent step's
 * updates carry the minus sign: `sgd(η)` returns `−η g`.
 *
 * States are parameter trees (records of tensors; step counts are float64 scalar tensors
 * named `count`, the number of updates made so far), so `io` can save and load them.
 * Schedules are evaluated at `count` (0 for the first update). Every update is written with
 * `ops`, so it differentiates (for meta-learning); adam alone also has a one-loop-per-leaf
 * path for plain tensors (it would otherwise cost a third of an MLP step), checked against
 * the ops path by a law.
 *
 * Laws (`w` parameters, `g` gradients, `t` the step count, one `update` then `applyUpdates`):
 * - `sgd(η)`: `w ← w − η g`; with `η = 0` the parameters are unchanged;
 * - `momentum(η, β)` (heavy ball): `v ← β v + g`, `w ← w − η v`, `v₀ = 0`;
 * - `nesterov(η, β)`: `v ← β v + g`, `w ← w − η (g + β v)`;
 * - `rmsprop(η, {decay: ρ, eps: ε})`: `s ← ρ s + (1 − ρ) g²`, `w ← w − η g / (√s + ε)`;
 * - `adam(η, {b1, b2, eps})`: `m ← b₁ m + (1 − b₁) g`, `v ← b₂ v + (1 − b₂) g²`,
 *   `w ← w − η m̂ / (√v̂ + ε)` with `m̂ = m / (1 − b₁ᵗ⁺¹)`, `v̂ = v / (1 − b₂ᵗ⁺¹)`; so the
 *   first step is `−η g / (|g| + ε) ≈ −η sign(g)`;
 * - `adamw(η, {weightDecay: λ})`: adam's step minus `η λ w` (decoupled decay);
 * - `weightDecay(λ)`: `g ↦ g + λ w` (L2 regularisation of `½ λ ‖w‖²`);
 * - `clipByGlobalNorm(c)`: `g ↦ g · min(1, c / ‖g‖)`, `‖g‖² = Σ_leaves Σ g²`;
 * - `chain(a, b).update(g) = b.update(a.update(g))` (states side by side, in order).
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import { traceOf } from '../ad/core.js'
import * as ops from '../ops/index.js'
import { alloc, make, type Tensor } from '../tensor/Tensor.js'
import * as tree from '../tree/index.js'
import type { Tree } from '../tree/index.js'
import type { Optimizer } from './Optimizer.js'
import { showRate, toSchedule, type LearningRate } from './schedules.js'

/**
 * The state of an optimiser that needs only the step count.
 *
 * @category optimisers
 * @since 0.1.0
 */
export type CountState = {
  /** The number of updates made so far (a float64 scalar). */
  readonly count: Tensor
}

/**
 * The state of `momentum` and `nesterov`.
 *
 * @category optimisers
 * @since 0.1.0
 */
export type MomentumState = {
  /** The number of updates made so far (a float64 scalar). */
  readonly count: Tensor
  /** The velocity `v`, shaped like the parameters. */
  readonly velocity: Tree
}

/**
 * The state of `rmsprop`.
 *
 * @category optimisers
 * @since 0.1.0
 */
export type RmspropState = {
  /** The number of updates made so far (a float64 scalar). */
  readonly count: Tensor
  /** The running mean of squared gradients, shaped like the parameters. */
  readonly nu: Tree
}

/**
 * The state of `adam` and `adamw`.
 *
 * @category optimisers
 * @since 0.1.0
 */
export type AdamState = {
  /** The number of updates made so far (a float64 scalar). */
  readonly count: Tensor
  /** The first moment (running mean of gradients), shaped like the parameters. */
  readonly mu: Tree
  /** The second moment (running mean of squared gradients), shaped like the parameters. */
  readonly nu: Tree
}

/**
 * The state of a stateless transformation (`weightDecay`, `clipByGlobalNorm`).
 *
 * @category optimisers
 * @since 0.1.0
 */
export type EmptyState = null

/**
 * The state type of an optimiser.
 *
 * @category optimisers
 * @since 0.1.0
 */
export type StateOf<O> = O extends Optimizer<infer S> ? S : never

// ---------------------------------------------------------------------------------------
// Helpers

const counter = (n: number): Tensor => ops.scalar(n, 'float64')
const countOf = (op: string, s: { readonly count?: Tensor } | null | undefined): number => {
  if (s === null || typeof s !== 'object' || s.count === undefined) {
    throw new DomainError(op, 'the optimiser state has no step count: pass the state that init (or the previous update) returned')
  }
  return ops.item(s.count)
}
const zerosLike = (params: Tree): Tree => tree.map(params, (x) => ops.zerosLike(x))
const scale = <P extends Tree>(t: P, c: number): P => tree.map(t, (x) => ops.mul(x, c))
const needParams = <P>(op: string, params: P | undefined): P => {
  if (params === undefined) throw new DomainError(op, 'needs the parameters: call update(grads, state, params)')
  return params
}
const checkRate = (op: string, name: string, v: number, lo: number, hi: number): number => {
  if (typeof v !== 'number' || !(v >= lo && v <= hi)) throw new DomainError(op, `${name} must be in [${lo}, ${hi}], got ${String(v)}`)
  return v
}
const freeze = <A extends object>(a: A): A => Object.freeze(a)

/**
 * Adds updates to parameters, leaf by leaf (each update is cast to its parameter's dtype).
 * Structures must match (`ShapeError` naming the first differing path otherwise).
 *
 * `applyUpdates(w, u) = w + u`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const w = { a: ops.tensor([1, 2]) }
 * assert.deepStrictEqual(ops.toArray(optim.applyUpdates(w, { a: ops.tensor([0.5, -1]) }).a), [1.5, 1])
 * ```
 */
export const applyUpdates = <P extends Tree>(params: P, updates: Tree): P =>
  tree.zipWith((w, u) => ops.add(w, u.dtype === w.dtype ? u : ops.astype(u, w.dtype)), params, updates)

/**
 * Stochastic gradient descent: the update is the gradient times minus the learning rate
 * (a number or a schedule of the step count).
 *
 * `u = −η(t) g`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.sgd(0.5)
 * const w = { a: ops.tensor([1, 2]) }
 * const [u] = opt.update({ a: ops.tensor([2, -4]) }, opt.init(w), w)
 * assert.deepStrictEqual(ops.toArray(optim.applyUpdates(w, u).a), [0, 4])
 * ```
 */
export const sgd = (lr: LearningRate): Optimizer<CountState> => {
  const op = 'sgd'
  const eta = toSchedule(op, lr)
  return freeze({
    name: `sgd(${showRate(lr)})`,
    init: () => freeze({ count: counter(0) }),
    update: <P extends Tree>(grads: P, state: CountState): readonly [P, CountState] => {
      const t = countOf(op, state)
      return [scale(grads, -eta(t)), freeze({ count: counter(t + 1) })] as const
    },
  })
}

/**
 * Plain gradient descent: the same optimiser as `sgd` (the name the course notes use).
 *
 * `u = −η(t) g`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.gradientDescent(0.25)
 * const [u] = opt.update(ops.tensor([4]), opt.init(ops.tensor([0])))
 * assert.deepStrictEqual(ops.toArray(u), [-1])
 * ```
 */
export const gradientDescent = sgd

const momentumLike = (op: string, lr: LearningRate, beta: number, lookahead: boolean): Optimizer<MomentumState> => {
  const eta = toSchedule(op, lr)
  checkRate(op, 'beta', beta, 0, 1)
  return freeze({
    name: `${op}(${showRate(lr)}, ${beta})`,
    init: (params: Tree) => freeze({ count: counter(0), velocity: zerosLike(params) }),
    update: <P extends Tree>(grads: P, state: MomentumState): readonly [P, MomentumState] => {
      const t = countOf(op, state)
      const e = eta(t)
      const velocity = tree.zipWith((g, v) => ops.add(ops.mul(v, beta), g), grads, state.velocity)
      const updates = lookahead
        ? tree.zipWith((g, v) => ops.mul(ops.add(g, ops.mul(v, beta)), -e), grads, velocity)
        : scale(velocity, -e)
      return [updates, freeze({ count: counter(t + 1), velocity })] as const
    },
  })
}

/**
 * Gradient descent with momentum, exactly as in the course notes: the velocity
 * accumulates gradients and the step follows the velocity. This is the "heavy ball" form
 * that PyTorch's `SGD(momentum=β)` uses (without dampening); optax's `sgd(momentum=β)`
 * is the same.
 *
 * `v ← β v + ∇E,  w ← w − η v  (v₀ = 0)`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.momentum(1, 0.5)
 * const g = ops.tensor([2])
 * const [u1, s1] = opt.update(g, opt.init(g))
 * const [u2] = opt.update(g, s1)
 * assert.deepStrictEqual([ops.toArray(u1), ops.toArray(u2)], [[-2], [-3]]) // v = 2, then 0.5·2 + 2
 * ```
 */
export const momentum = (lr: LearningRate, beta = 0.9): Optimizer<MomentumState> => momentumLike('momentum', lr, beta, false)

/**
 * Nesterov momentum in the form PyTorch (`SGD(nesterov=True)`) and optax use: the step
 * looks ahead along the updated velocity.
 *
 * `v ← β v + g,  w ← w − η (g + β v)`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.nesterov(1, 0.5)
 * const g = ops.tensor([2])
 * const [u1] = opt.update(g, opt.init(g))
 * assert.deepStrictEqual(ops.toArray(u1), [-3]) // v = 2, step 2 + 0.5·2
 * ```
 */
export const nesterov = (lr: LearningRate, beta = 0.9): Optimizer<MomentumState> => momentumLike('nesterov', lr, beta, true)

/**
 * Options of `rmsprop`.
 *
 * @category optimisers
 * @since 0.1.0
 */
export interface RmspropOptions {
  /** The decay `ρ` of the running mean of squared gradients (default 0.9). */
  readonly decay?: number
  /** Added to the root mean square for stability (default 1e-8). */
  readonly eps?: number
}

/**
 * RMSprop (Hinton): divide the gradient by a running root mean square of its recent
 * values (`s₀ = 0`, no bias correction, as PyTorch and optax).
 *
 * `s ← ρ s + (1 − ρ) g²,  w ← w − η g / (√s + ε)`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.rmsprop(0.1, { decay: 0.75, eps: 0 })
 * const g = ops.tensor([-3], 'float64')
 * const [u] = opt.update(g, opt.init(g))
 * assert.deepStrictEqual(ops.toArray(u), [0.2]) // s = 0.25·9, step 0.1·3/1.5
 * ```
 */
export const rmsprop = (lr: LearningRate, options: RmspropOptions = {}): Optimizer<RmspropState> => {
  const op = 'rmsprop'
  const eta = toSchedule(op, lr)
  const decay = checkRate(op, 'decay', options.decay ?? 0.9, 0, 1)
  const eps = checkRate(op, 'eps', options.eps ?? 1e-8, 0, Infinity)
  return freeze({
    name: `rmsprop(${showRate(lr)})`,
    init: (params: Tree) => freeze({ count: counter(0), nu: zerosLike(params) }),
    update: <P extends Tree>(grads: P, state: RmspropState): readonly [P, RmspropState] => {
      const t = countOf(op, state)
      const e = eta(t)
      const nu = tree.zipWith((g, s) => ops.add(ops.mul(s, decay), ops.mul(ops.square(g), 1 - decay)), grads, state.nu)
      const updates = tree.zipWith((g, s) => ops.mul(ops.div(g, ops.add(ops.sqrt(s), eps)), -e), grads, nu)
      return [updates, freeze({ count: counter(t + 1), nu })] as const
    },
  })
}

/**
 * Options of `adam`.
 *
 * @category optimisers
 * @since 0.1.0
 */
export interface AdamOptions {
  /** Decay of the first moment (default 0.9). */
  readonly b1?: number
  /** Decay of the second moment (default 0.999). */
  readonly b2?: number
  /** Added to the root of the second moment for stability (default 1e-8). */
  readonly eps?: number
}

/**
 * Options of `adamw`: adam's, plus the decoupled weight decay.
 *
 * @category optimisers
 * @since 0.1.0
 */
export interface AdamWOptions extends AdamOptions {
  /** The decoupled weight decay `λ` (default 0.01, applied to every leaf). */
  readonly weightDecay?: number
}

/** True when no leaf of the tree is a tracer (a transformation's value). */
const untraced = (t: Tree): boolean => tree.leaves(t).every((x) => traceOf(x) === undefined)

/** Adam on one plain leaf: `[update, m', v']`, the same formulas as the ops path. */
const adamLeaf = (
  g: Tensor, m: Tensor, v: Tensor, w: Tensor,
  h: { b1: number; b2: number; eps: number; c1: number; c2: number; e: number; wd: number },
): [Tensor, Tensor, Tensor] => {
  const same = (a: Tensor): boolean => a.dtype === g.dtype && a.shape.length === g.shape.length && a.shape.every((d, i) => d === g.shape[i])
  if (!same(m) || !same(v) || !same(w)) {
    throw new ShapeError('adam', `gradient ${g.dtype} ${showShape(g.shape)} does not match the state or parameters (${[m, v, w].map((a) => `${a.dtype} ${showShape(a.shape)}`).join(', ')})`, [g.shape, m.shape, v.shape, w.shape])
  }
  const n = g.data.length
  const [u, m2, v2] = [alloc(g.dtype, n), alloc(g.dtype, n), alloc(g.dtype, n)]
  const { b1, b2, eps, c1, c2, e, wd } = h
  for (let i = 0; i < n; i++) {
    const gi = g.data[i]
    const mi = (m2[i] = b1 * m.data[i] + (1 - b1) * gi)
    const vi = (v2[i] = b2 * v.data[i] + (1 - b2) * gi * gi)
    u[i] = -e * ((mi / c1) / (Math.sqrt(vi / c2) + eps) + (wd === 0 ? 0 : wd * w.data[i]))
  }
  return [make(g.dtype, g.shape, u), make(g.dtype, g.shape, m2), make(g.dtype, g.shape, v2)]
}

const adamLike = (op: string, lr: LearningRate, options: AdamWOptions, decoupled: boolean): Optimizer<AdamState> => {
  const eta = toSchedule(op, lr)
  const b1 = checkRate(op, 'b1', options.b1 ?? 0.9, 0, 1)
  const b2 = checkRate(op, 'b2', options.b2 ?? 0.999, 0, 1)
  const eps = checkRate(op, 'eps', options.eps ?? 1e-8, 0, Infinity)
  const wd = decoupled ? checkRate(op, 'weightDecay', options.weightDecay ?? 0.01, 0, Infinity) : 0
  return freeze({
    name: decoupled ? `adamw(${showRate(lr)}, ${wd})` : `adam(${showRate(lr)})`,
    init: (params: Tree) => freeze({ count: counter(0), mu: zerosLike(params), nu: zerosLike(params) }),
    update: <P extends Tree>(grads: P, state: AdamState, params?: P): readonly [P, AdamState] => {
      const t = countOf(op, state)
      const e = eta(t)
      const c1 = 1 - b1 ** (t + 1)
      const c2 = 1 - b2 ** (t + 1)
      const w = decoupled ? needParams(op, params) : grads
      if ([grads, state.mu, state.nu, w].every(untraced)) {
        // plain tensors: one loop per leaf (a third of an MLP step's time otherwise goes to
        // adam's nine temporaries); tracers take the ops path below, which differentiates
        const ms: Tensor[] = []
        const vs: Tensor[] = []
        const updates = tree.zipWith((g, m, v, wl) => {
          const [u, m2, v2] = adamLeaf(g, m, v, wl, { b1, b2, eps, c1, c2, e, wd })
          ms.push(m2)
          vs.push(v2)
          return u
        }, grads, state.mu as P, state.nu as P, w)
        const def = tree.flatten(grads).treedef
        return [updates, freeze({ count: counter(t + 1), mu: tree.unflatten(def, ms), nu: tree.unflatten(def, vs) })] as const
      }
      const mu = tree.zipWith((g, m) => ops.add(ops.mul(m, b1), ops.mul(g, 1 - b1)), grads, state.mu)
      const nu = tree.zipWith((g, v) => ops.add(ops.mul(v, b2), ops.mul(ops.square(g), 1 - b2)), grads, state.nu)
      const step = tree.zipWith((_g, m, v) => ops.div(ops.div(m, c1), ops.add(ops.sqrt(ops.div(v, c2)), eps)), grads, mu, nu)
      const updates = decoupled
        ? tree.zipWith((s, wl) => ops.mul(ops.add(s, ops.mul(wl, wd)), -e), step, w)
        : scale(step, -e)
      return [updates, freeze({ count: counter(t + 1), mu, nu })] as const
    },
  })
}

/**
 * Adam (Kingma and Ba 2015) with bias correction. The first step moves every coordinate by
 * about `η` against the sign of its gradient.
 *
 * `m ← b₁m + (1−b₁)g,  v ← b₂v + (1−b₂)g²,  w ← w − η m̂ / (√v̂ + ε),  m̂ = m/(1−b₁ᵗ),  v̂ = v/(1−b₂ᵗ)`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.adam(0.5, { eps: 0 })
 * const g = ops.tensor([-8, 0.25])
 * const [u] = opt.update(g, opt.init(g))
 * assert.deepStrictEqual(ops.toArray(u), [0.5, -0.5])
 * ```
 */
export const adam = (lr: LearningRate, options: AdamOptions = {}): Optimizer<AdamState> => adamLike('adam', lr, options, false)

/**
 * AdamW (Loshchilov and Hutter 2019): adam with weight decay decoupled from the gradient,
 * scaled by the learning rate as in PyTorch and optax. Needs the parameters in `update`.
 *
 * `w ← w − η (m̂ / (√v̂ + ε) + λ w)`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.adamw(0.5, { eps: 0, weightDecay: 0.25 })
 * const w = ops.tensor([2])
 * const [u] = opt.update(ops.tensor([-8]), opt.init(w), w)
 * assert.deepStrictEqual(ops.toArray(u), [0.25]) // 0.5 from adam, −0.5·0.25·2 from the decay
 * ```
 */
export const adamw = (lr: LearningRate, options: AdamWOptions = {}): Optimizer<AdamState> => adamLike('adamw', lr, options, true)

/**
 * L2 weight decay as a gradient transformation: adds `λ w` to the gradient (the gradient
 * of `½ λ ‖w‖²`). Chain it before an optimiser; needs the parameters in `update`.
 *
 * `g ↦ g + λ w`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.chain(optim.weightDecay(0.5), optim.sgd(1))
 * const w = ops.tensor([2])
 * const [u] = opt.update(ops.tensor([1]), opt.init(w), w)
 * assert.deepStrictEqual(ops.toArray(u), [-2])
 * ```
 */
export const weightDecay = (lambda: number): Optimizer<EmptyState> => {
  const op = 'weightDecay'
  checkRate(op, 'lambda', lambda, 0, Infinity)
  return freeze({
    name: `weightDecay(${lambda})`,
    init: () => null,
    update: <P extends Tree>(grads: P, state: EmptyState, params?: P): readonly [P, EmptyState] =>
      [tree.zipWith((g, w) => ops.add(g, ops.mul(w, lambda)), grads, needParams(op, params)), state] as const,
  })
}

/**
 * The global L2 norm of a tree: the norm of all its leaves' elements together, computed
 * in float64.
 *
 * `‖g‖ = √(Σ_leaves Σᵢ gᵢ²)`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.strictEqual(optim.globalNorm({ a: ops.tensor([3]), b: [ops.tensor([[4]])] }), 5)
 * ```
 */
export const globalNorm = (t: Tree): number => {
  let s = 0
  for (const leaf of tree.leaves(t)) {
    const d = leaf.data
    for (let i = 0; i < d.length; i++) s += d[i] * d[i]
  }
  return Math.sqrt(s)
}

/**
 * Clips gradients by their global norm: when `‖g‖ > maxNorm` every leaf is scaled by
 * `maxNorm / ‖g‖`; otherwise the gradients are returned unchanged.
 *
 * `g ↦ g · min(1, c / ‖g‖)`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const clip = optim.clipByGlobalNorm(1)
 * const [u] = clip.update({ a: ops.tensor([3]), b: ops.tensor([4]) }, clip.init(null))
 * assert.deepStrictEqual([ops.toArray(u.a), ops.toArray(u.b)], [[0.6000000238418579], [0.800000011920929]])
 * ```
 */
export const clipByGlobalNorm = (maxNorm: number): Optimizer<EmptyState> => {
  const op = 'clipByGlobalNorm'
  checkRate(op, 'maxNorm', maxNorm, 0, Infinity)
  return freeze({
    name: `clipByGlobalNorm(${maxNorm})`,
    init: () => null,
    update: <P extends Tree>(grads: P, state: EmptyState): readonly [P, EmptyState] => {
      const n = globalNorm(grads)
      return [n > maxNorm ? scale(grads, maxNorm / n) : grads, state] as const
    },
  })
}

/**
 * Composes gradient transformations left to right: the updates of each are the gradients
 * of the next; the state is the array of their states, in order.
 *
 * `chain(a, b).update(g, [sa, sb], w) = b.update(a.update(g, sa, w).updates, sb, w)`
 *
 * @category optimisers
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, optim } from 'dendrite'
 * import * as assert from 'node:assert'
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.sgd(0.5))
 * const w = ops.tensor([0, 0])
 * const [u, s] = opt.update(ops.tensor([6, 8]), opt.init(w), w)
 * assert.deepStrictEqual(ops.toArray(u), [-0.30000001192092896, -0.4000000059604645])
 * assert.strictEqual(opt.name, 'chain(clipByGlobalNorm(1), sgd(0.5))')
 * assert.strictEqual(s.length, 2)
 * ```
 */
export const chain = <Os extends ReadonlyArray<Optimizer<any>>>(
  ...transforms: Os
): Optimizer<{ readonly [K in keyof Os]: StateOf<Os[K]> }> => {
  type S = { readonly [K in keyof Os]: StateOf<Os[K]> }
  return freeze({
    name: `chain(${transforms.map((t) => t.name).join(', ')})`,
    init: (params: Tree) => Object.freeze(transforms.map((t) => t.init(params))) as unknown as S,
    update: <P extends Tree>(grads: P, state: S, params?: P): readonly [P, S] => {
      const states = state as unknown as ReadonlyArray<unknown>
      if (!Array.isArray(states) || states.length !== transforms.length) {
        throw new DomainError('chain', `expected an array of ${transforms.length} states (one per transformation)`)
      }
      let u = grads
      const next = transforms.map((t, i) => {
        const [u2, s2] = t.update(u, states[i], params)
        u = u2
        return s2
      })
      return [u, Object.freeze(next) as unknown as S] as const
    },
  })
}

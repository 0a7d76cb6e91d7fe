/**
 * Transformations of functions: forward mode (`jvp`, `jacfwd`, `linearize`), reverse mode
 * (`vjp`, `grad`, `valueAndGrad`, `jacrev`), their compositions (`hessian`, `hvp`),
 * custom rules (`customJvp`, `customVjp`), the differentiable loop `scan`, and the
 * expression graph (`trace`, `evalGraph`, `toDot`, `graphToString`).
 *
 * Inputs and outputs may be parameter trees (nested records, arrays, tuples of tensors).
 * Transformations nest to any order; each opens its own level, so
 * `d/dx [x · (d/dy (x + y))|_{y=1}] = 1` (no perturbation confusion).
 *
 * Laws:
 * - `grad(f)(x) · v = jvp(f)([x], [v])[1]` (forward = reverse);
 * - `jacfwd(f)(x) = jacrev(f)(x)`; `hessian(f)(x)` is symmetric;
 * - `hvp(f)(x, v) = hessian(f)(x) · v`;
 * - `evalGraph(trace(f)(...xs), ...xs) = f(...xs)`;
 * - `scan(f, c, xs)` equals the unrolled loop, in value and in gradient.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import * as ops from '../ops/index.js'
import type { Tensor } from '../tensor/Tensor.js'
import { flatten, unflatten, type Tree } from '../tree/index.js'
// Transformations sit above `ops`: they build basis vectors, stack Jacobian columns and
// accumulate cotangents with differentiable operations, so that they nest. (`ad/core`,
// which `ops` builds on, knows nothing of `ops`.)
import {
  backward, bind, inputNode, isZero, makeTracer, popLevel, pushLevel, traceOf, zero,
  type GraphAtom, type GraphEqn, type Primitive, type TapeNode, type Zero,
} from './core.js'

/**
 * Any function a transformation accepts: arguments and result are trees of tensors.
 *
 * @category transformations
 * @since 0.1.0
 */
export type AnyFn = (...args: any[]) => any

const materialize = (t: Tensor | Zero, like: Tensor): Tensor => (isZero(t) ? ops.zeros(like.shape, like.dtype) : t)

const leavesOf = (op: string, t: unknown, what: string): ReturnType<typeof flatten> => {
  try {
    return flatten(t as Tree)
  } catch (e) {
    throw new DomainError(op, `${what} is not a tree of tensors: ${(e as Error).message}`)
  }
}

const checkSameStructure = (op: string, a: ReadonlyArray<Tensor>, b: ReadonlyArray<Tensor>, what: string): void => {
  if (a.length !== b.length) throw new ShapeError(op, `${what}: ${b.length} tangent leaves for ${a.length} primal leaves`)
  a.forEach((x, i) => {
    if (x.shape.length !== b[i].shape.length || x.shape.some((d, k) => d !== b[i].shape[k])) {
      throw new ShapeError(op, `${what}: leaf ${i} has shape ${showShape(x.shape)} but its tangent ${showShape(b[i].shape)}`, [x.shape, b[i].shape])
    }
  })
}

// ---------------------------------------------------------------------------------------
// forward mode

/**
 * Forward mode: the value of `f` at `primals` and its directional derivative along
 * `tangents` (one tangent tree per argument, shaped like it).
 *
 * `jvp(f)(x, t) = [f(x), J_f(x) t]`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, jvp } from 'dendrite'
 * import * as assert from 'node:assert'
 * const f = (x: ops.Tensor) => ops.mul(x, ops.sin(x))
 * const [y, dy] = jvp(f)([ops.scalar(0, 'float64')], [ops.scalar(1, 'float64')])
 * assert.strictEqual(ops.item(y), 0)
 * assert.strictEqual(ops.item(dy), 0) // d/dx x sin x = sin x + x cos x = 0 at 0
 * ```
 */
export const jvp = <F extends AnyFn>(f: F) => (primals: ReadonlyArray<Tree>, tangents: ReadonlyArray<Tree>): [ReturnType<F>, ReturnType<F>] => {
  if (primals.length !== tangents.length) {
    throw new ShapeError('jvp', `${primals.length} primal arguments but ${tangents.length} tangent arguments`)
  }
  const level = pushLevel('jvp')
  try {
    const args = primals.map((p, i) => {
      const fp = leavesOf('jvp', p, `argument ${i}`)
      const ft = leavesOf('jvp', tangents[i], `tangent ${i}`)
      checkSameStructure('jvp', fp.leaves, ft.leaves, `argument ${i}`)
      return unflatten(fp.treedef, fp.leaves.map((x, k) => makeTracer({ kind: 'jvp', level, primal: x, tangent: ops.astype(ft.leaves[k], x.dtype) })))
    })
    const out = f(...args)
    const fo = leavesOf('jvp', out, 'the result')
    const ys: Tensor[] = []
    const ts: Tensor[] = []
    for (const l of fo.leaves) {
      const info = traceOf(l)
      if (info !== undefined && info.level === level && info.kind === 'jvp') {
        ys.push(info.primal)
        ts.push(materialize(info.tangent, info.primal))
      } else {
        ys.push(l)
        ts.push(ops.zeros(l.shape, l.dtype))
      }
    }
    return [unflatten(fo.treedef, ys) as ReturnType<F>, unflatten(fo.treedef, ts) as ReturnType<F>]
  } finally {
    popLevel(level)
  }
}

/**
 * The value of `f` and its linear map `t ↦ J_f(x) t` (each call of the map evaluates the
 * forward mode again; there is no partial evaluation).
 *
 * `linearize(f)(x) = [f(x), t ↦ J_f(x) t]`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, linearize } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [y, lin] = linearize((x: ops.Tensor) => ops.square(x))(ops.scalar(3, 'float64'))
 * assert.strictEqual(ops.item(y), 9)
 * assert.strictEqual(ops.item(lin(ops.scalar(1, 'float64'))), 6)
 * ```
 */
export const linearize = <F extends AnyFn>(f: F) => (...primals: Parameters<F>): [ReturnType<F>, (...tangents: Parameters<F>) => ReturnType<F>] => {
  const [y] = jvp(f)(primals, primals.map((p) => zerosTree(p)))
  return [y, (...tangents) => jvp(f)(primals, tangents)[1]]
}

const zerosTree = (t: Tree): Tree => {
  const { leaves, treedef } = flatten(t)
  return unflatten(treedef, leaves.map((l) => ops.zeros(l.shape, l.dtype)))
}

// ---------------------------------------------------------------------------------------
// reverse mode

/**
 * Reverse mode: the value of `f` and its pullback, which maps a cotangent of the output
 * (shaped like it) to one cotangent per argument (shaped like each). The pullback is a
 * pure function and may be called many times.
 *
 * `vjp(f)(x) = [f(x), c ↦ J_f(x)ᵀ c]`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, vjp } from 'dendrite'
 * import * as assert from 'node:assert'
 * const [y, pullback] = vjp((a: ops.Tensor, b: ops.Tensor) => ops.mul(a, b))(ops.tensor([2, 3]), ops.tensor([5, 7]))
 * assert.deepStrictEqual(ops.toArray(y), [10, 21])
 * const [ga, gb] = pullback(ops.tensor([1, 1]))
 * assert.deepStrictEqual([ops.toArray(ga), ops.toArray(gb)], [[5, 7], [2, 3]])
 * ```
 */
export const vjp = <F extends AnyFn>(f: F) => (...primals: Parameters<F>): [ReturnType<F>, (cotangent: ReturnType<F>) => Parameters<F>] => {
  const level = pushLevel('vjp')
  const inputs: Array<{ treedef: ReturnType<typeof flatten>['treedef']; nodes: TapeNode[]; leaves: ReadonlyArray<Tensor> }> = []
  let out: unknown
  try {
    const args = primals.map((p, i) => {
      const fp = leavesOf('vjp', p, `argument ${i}`)
      const nodes = fp.leaves.map((x) => inputNode(x))
      inputs.push({ treedef: fp.treedef, nodes, leaves: fp.leaves })
      return unflatten(fp.treedef, fp.leaves.map((x, k) => makeTracer({ kind: 'vjp', level, primal: x, node: nodes[k] })))
    })
    out = f(...args)
  } finally {
    popLevel(level)
  }
  const fo = leavesOf('vjp', out, 'the result')
  const outInfo = fo.leaves.map((l) => {
    const info = traceOf(l)
    return info !== undefined && info.level === level && info.kind === 'vjp' ? info : undefined
  })
  const ys = fo.leaves.map((l, i) => outInfo[i]?.primal ?? l)
  const pullback = (cotangent: ReturnType<F>): Parameters<F> => {
    const fc = leavesOf('vjp', cotangent, 'the cotangent')
    checkSameStructure('vjp', ys, fc.leaves, 'the cotangent')
    const seeds: Array<readonly [TapeNode, Tensor]> = []
    fc.leaves.forEach((c, i) => {
      const info = outInfo[i]
      if (info !== undefined) seeds.push([info.node, ops.astype(c, ys[i].dtype)])
    })
    const allNodes = inputs.flatMap((inp) => inp.nodes)
    const gs = backward(seeds, allNodes, ops.add)
    let k = 0
    return inputs.map((inp) => unflatten(inp.treedef, inp.leaves.map((x) => materialize(gs[k++], x)))) as Parameters<F>
  }
  return [unflatten(fo.treedef, ys) as ReturnType<F>, pullback]
}

/**
 * Options of `grad` and `valueAndGrad`.
 *
 * @category transformations
 * @since 0.1.0
 */
export interface GradOptions {
  /** Which argument(s) to differentiate with respect to (default 0). */
  readonly argnums?: number | ReadonlyArray<number>
  /** `f` returns `[value, aux]`; `aux` is passed through, not differentiated. */
  readonly hasAux?: boolean
}

const scalarOut = (op: string, y: unknown): Tensor => {
  const t = y as Tensor
  if (!ops.isTensor(t) || t.data.length !== 1) {
    const shape = ops.isTensor(t) ? showShape(t.shape) : typeof y
    throw new ShapeError(op, `the function must return a one-element tensor (a scalar loss), got ${shape}`)
  }
  return t
}

/** Strips this level's tracers from an aux tree after the level is closed. */
const stripAux = (aux: unknown): unknown => {
  if (aux === undefined || aux === null) return aux
  try {
    const { leaves, treedef } = flatten(aux as Tree)
    return unflatten(treedef, leaves.map((l) => {
      let cur = l
      for (let info = traceOf(cur); info !== undefined && !info.level.active; info = traceOf(cur)) cur = info.primal
      return cur
    }))
  } catch {
    return aux
  }
}

/**
 * The value and the gradient of a scalar function with respect to the chosen arguments
 * (`argnums`, default 0; an array gives a tuple of gradients). With `hasAux`, `f` returns
 * `[value, aux]` and the result is `[[value, aux], grads]`.
 *
 * `valueAndGrad(f)(x) = [f(x), ∇f(x)]`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, valueAndGrad } from 'dendrite'
 * import * as assert from 'node:assert'
 * const loss = (w: { a: ops.Tensor }, x: ops.Tensor) => ops.sum(ops.square(ops.mul(w.a, x)))
 * const [v, g] = valueAndGrad(loss)({ a: ops.tensor([1, 2]) }, ops.tensor([3, 1]))
 * assert.strictEqual(ops.item(v), 13)
 * assert.deepStrictEqual(ops.toArray(g.a), [18, 4])
 * ```
 */
export const valueAndGrad = <F extends AnyFn>(f: F, options: GradOptions = {}) =>
  (...args: Parameters<F>): [any, any] => {
    const argnums = options.argnums ?? 0
    const nums = typeof argnums === 'number' ? [argnums] : [...argnums]
    for (const n of nums) {
      if (!Number.isInteger(n) || n < 0 || n >= args.length) {
        throw new DomainError('grad', `argnums ${n} is out of range for a call with ${args.length} arguments`)
      }
    }
    let aux: unknown
    const g = (...diffArgs: Tree[]): Tensor => {
      const full = [...args]
      nums.forEach((n, i) => {
        full[n] = diffArgs[i]
      })
      const r = f(...full)
      if (options.hasAux) {
        if (!Array.isArray(r) || r.length !== 2) throw new DomainError('grad', 'with hasAux the function must return [value, aux]')
        aux = r[1]
        return scalarOut('grad', r[0])
      }
      return scalarOut('grad', r)
    }
    const [y, pullback] = vjp(g)(...nums.map((n) => args[n]))
    const gs = pullback(ops.onesLike(y) as never) as Tree[]
    const grads = typeof argnums === 'number' ? gs[0] : gs
    const value = options.hasAux ? [y, stripAux(aux)] : y
    return [value, grads]
  }

/**
 * The gradient of a scalar function with respect to the chosen arguments (`argnums`,
 * default 0), shaped like them. See `valueAndGrad` for the options.
 *
 * `grad(f)(x) = ∇f(x) = J_f(x)ᵀ 1`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, grad } from 'dendrite'
 * import * as assert from 'node:assert'
 * const g = grad((x: ops.Tensor) => ops.sum(ops.square(x)))(ops.tensor([1, 2, 3]))
 * assert.deepStrictEqual(ops.toArray(g), [2, 4, 6])
 * // second derivative of x³ at 2 is 12
 * const d2 = grad(grad((x: ops.Tensor) => ops.pow(x, 3)))(ops.scalar(2, 'float64'))
 * assert.strictEqual(ops.item(d2), 12)
 * ```
 */
export const grad = <F extends AnyFn>(f: F, options: GradOptions = {}) => (...args: Parameters<F>): any => {
  const [value, g] = valueAndGrad(f, options)(...args)
  return options.hasAux ? [g, value[1]] : g
}

// ---------------------------------------------------------------------------------------
// Jacobians

const basis = (x: Tensor, i: number): Tensor => {
  const e = new Array<number>(x.data.length).fill(0)
  e[i] = 1
  return ops.fromArray(e, x.shape, x.dtype)
}

const oneTensor = (op: string, t: unknown, what: string): Tensor => {
  if (!ops.isTensor(t as Tensor)) throw new DomainError(op, `${what} must be one tensor (use trees with jvp/vjp)`)
  return t as Tensor
}

/**
 * The Jacobian by forward mode (one `jvp` per input element): for `f` from one tensor to
 * one tensor, a tensor of shape `f(x).shape ++ x.shape`.
 *
 * `jacfwd(f)(x)[i, j] = ∂f(x)ᵢ / ∂xⱼ`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, jacfwd } from 'dendrite'
 * import * as assert from 'node:assert'
 * const J = jacfwd((x: ops.Tensor) => ops.mul(x, ops.tensor([2, 3])))(ops.tensor([1, 1]))
 * assert.deepStrictEqual(ops.toArray(J), [[2, 0], [0, 3]])
 * ```
 */
export const jacfwd = (f: (x: Tensor) => Tensor) => (x: Tensor): Tensor => {
  oneTensor('jacfwd', x, 'the argument')
  const y = oneTensor('jacfwd', f(x), 'the result')
  if (x.data.length === 0) return ops.zeros([...y.shape, ...x.shape], y.dtype)
  const cols = Array.from({ length: x.data.length }, (_, i) => jvp(f)([x], [basis(x, i)])[1] as Tensor)
  return ops.reshape(ops.stack(cols, -1), [...y.shape, ...x.shape])
}

/**
 * The Jacobian by reverse mode (one pullback per output element): for `f` from one
 * tensor to one tensor, a tensor of shape `f(x).shape ++ x.shape`.
 *
 * `jacrev(f)(x)[i, j] = ∂f(x)ᵢ / ∂xⱼ`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, jacrev } from 'dendrite'
 * import * as assert from 'node:assert'
 * const J = jacrev((x: ops.Tensor) => ops.sum(ops.square(x), 0, true))(ops.tensor([1, 2]))
 * assert.deepStrictEqual(ops.toArray(J), [[2, 4]])
 * ```
 */
export const jacrev = (f: (x: Tensor) => Tensor) => (x: Tensor): Tensor => {
  oneTensor('jacrev', x, 'the argument')
  const [y, pullback] = vjp(f)(x)
  oneTensor('jacrev', y, 'the result')
  if (y.data.length === 0) return ops.zeros([...y.shape, ...x.shape], x.dtype)
  const rows = Array.from({ length: y.data.length }, (_, j) => pullback(basis(y, j))[0])
  return ops.reshape(ops.stack(rows, 0), [...y.shape, ...x.shape])
}

/**
 * The Hessian of a scalar function, forward over reverse: `jacfwd(jacrev(f))`, of shape
 * `x.shape ++ x.shape`.
 *
 * `hessian(f)(x)[i, j] = ∂²f / ∂xᵢ∂xⱼ`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, hessian } from 'dendrite'
 * import * as assert from 'node:assert'
 * const f = (x: ops.Tensor) => ops.mul(ops.slice(x, [0]), ops.square(ops.slice(x, [1])))
 * const H = hessian(f)(ops.tensor([1, 2], 'float64'))
 * assert.deepStrictEqual(ops.toArray(H), [[0, 4], [4, 2]])
 * ```
 */
export const hessian = (f: (x: Tensor) => Tensor) => (x: Tensor): Tensor => jacfwd(jacrev(f))(x)

/**
 * Hessian-vector product, forward over reverse: the directional derivative of the
 * gradient, without forming the Hessian.
 *
 * `hvp(f)(x, v) = ∇²f(x) v`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, hvp } from 'dendrite'
 * import * as assert from 'node:assert'
 * const f = (x: ops.Tensor) => ops.sum(ops.pow(x, 3))
 * const hv = hvp(f)(ops.tensor([1, 2], 'float64'), ops.tensor([1, 0], 'float64'))
 * assert.deepStrictEqual(ops.toArray(hv), [6, 0])
 * ```
 */
export const hvp = (f: (x: Tensor) => Tensor) => (x: Tensor, v: Tensor): Tensor =>
  jvp((y: Tensor) => grad(f)(y) as Tensor)([x], [v])[1]

// ---------------------------------------------------------------------------------------
// custom rules

/**
 * A function with a custom forward rule (for a stable or cheaper derivative, or a
 * straight-through estimator). `rule(primals, tangents)` returns the output tangent,
 * written with differentiable `ops`. Reverse mode derives the cotangent from the rule, one
 * forward evaluation per input element (so keep custom-JVP inputs small, or use
 * `customVjp` for reverse mode).
 *
 * `jvp(customJvp(f, r))(x, t) = [f(x), r(x, t)]`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, customJvp, grad } from 'dendrite'
 * import * as assert from 'node:assert'
 * // a step function whose derivative is taken to be 1 (straight-through)
 * const step = customJvp((x: ops.Tensor) => ops.greater(x, 0), (_, [t]) => t)
 * assert.deepStrictEqual(ops.toArray(grad((x: ops.Tensor) => ops.sum(step(x)))(ops.tensor([-1, 2]))), [1, 1])
 * ```
 */
export const customJvp = (
  f: (...xs: Tensor[]) => Tensor,
  rule: (primals: ReadonlyArray<Tensor>, tangents: ReadonlyArray<Tensor>) => Tensor,
): ((...xs: Tensor[]) => Tensor) => {
  const prim: Primitive<null> = {
    name: `customJvp(${f.name || 'f'})`,
    impl: (xs) => f(...xs),
    jvp: (xs, ts) => rule(xs, ts.map((t, i) => materialize(t, xs[i]))),
    vjp: (ct, xs) =>
      xs.map((x, i) => {
        if (x.data.length === 0) return zero
        const parts = Array.from({ length: x.data.length }, (_, j) => {
          const ts = xs.map((z, k) => (k === i ? basis(x, j) : ops.zeros(z.shape, z.dtype)))
          return ops.sum(ops.mul(ct, rule(xs, ts)))
        })
        return ops.reshape(ops.stack(parts, 0), x.shape)
      }),
  }
  return (...xs: Tensor[]) => bind(prim, xs, null)
}

/**
 * A function with a custom reverse rule. `fwd(...xs)` returns `[value, residuals]`;
 * `bwd(residuals, cotangent)` returns one cotangent per input. Forward mode
 * differentiates `f` itself. `fwd` runs again in the backward pass.
 *
 * `vjp(customVjp(f, fwd, bwd))(x)[1](c) = bwd(fwd(x)[1], c)`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, customVjp, grad } from 'dendrite'
 * import * as assert from 'node:assert'
 * // gradient clipping inside the backward pass
 * const clipGrad = customVjp(
 *   (x: ops.Tensor) => x,
 *   (x: ops.Tensor) => [x, null],
 *   (_res, ct) => [ops.clip(ct, -1, 1)],
 * )
 * const g = grad((x: ops.Tensor) => ops.sum(ops.mul(clipGrad(x), 10)))(ops.tensor([1, 2]))
 * assert.deepStrictEqual(ops.toArray(g), [1, 1])
 * ```
 */
export const customVjp = <R>(
  f: (...xs: Tensor[]) => Tensor,
  fwd: (...xs: Tensor[]) => readonly [Tensor, R],
  bwd: (residuals: R, cotangent: Tensor) => ReadonlyArray<Tensor>,
): ((...xs: Tensor[]) => Tensor) => {
  const prim: Primitive<null> = {
    name: `customVjp(${f.name || 'f'})`,
    impl: (xs) => f(...xs),
    jvp: (xs, ts) => jvp(f)(xs, ts.map((t, i) => materialize(t, xs[i])))[1],
    vjp: (ct, xs) => {
      const [, res] = fwd(...xs)
      const gs = bwd(res, ct)
      if (gs.length !== xs.length) throw new ShapeError(prim.name, `bwd returned ${gs.length} cotangents for ${xs.length} inputs`)
      return gs
    },
  }
  return (...xs: Tensor[]) => bind(prim, xs, null)
}

// ---------------------------------------------------------------------------------------
// scan

/**
 * A differentiable loop over the leading axis of `xs` (a tree of tensors sharing that
 * axis): `f(carry, x_t) → [carry, y_t]`, returning the final carry and the `y_t` stacked
 * along a new leading axis. Gradients flow through every step (backpropagation through
 * time). With no `xs`, pass `{ length }`; `reverse` walks from the end.
 *
 * `scan(f, c₀, xs) = [c_T, [y₁ … y_T]]`, `[c_t, y_t] = f(c_{t−1}, x_t)`
 *
 * @category transformations
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, scan } from 'dendrite'
 * import * as assert from 'node:assert'
 * // running sum
 * const [total, partial] = scan((c: ops.Tensor, x: ops.Tensor) => {
 *   const s = ops.add(c, x)
 *   return [s, s]
 * }, ops.scalar(0), ops.tensor([1, 2, 3]))
 * assert.strictEqual(ops.item(total), 6)
 * assert.deepStrictEqual(ops.toArray(partial as ops.Tensor), [1, 3, 6])
 * ```
 */
export const scan = <C extends Tree, X extends Tree, Y extends Tree>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X,
  options: { readonly length?: number; readonly reverse?: boolean } = {},
): [C, Y] => {
  const fx = xs === null || xs === undefined ? undefined : flatten(xs)
  const lens = fx === undefined ? [] : fx.leaves.map((l) => l.shape[0])
  const n = options.length ?? lens[0]
  if (n === undefined) throw new DomainError('scan', 'without xs, give options.length')
  if (fx !== undefined && fx.leaves.some((l) => l.shape.length === 0 || l.shape[0] !== n)) {
    throw new ShapeError('scan', `every leaf of xs needs the leading length ${n}, got ${fx.leaves.map((l) => showShape(l.shape)).join(', ')}`, fx.leaves.map((l) => l.shape), 0)
  }
  let carry = init
  const ys: Array<ReturnType<typeof flatten>> = []
  for (let s = 0; s < n; s++) {
    const t = options.reverse ? n - 1 - s : s
    const x = (fx === undefined ? xs : unflatten(fx.treedef, fx.leaves.map((l) => ops.slice(l, [t])))) as X
    const [c, y] = f(carry, x)
    carry = c
    ys.push(flatten(y as Tree))
  }
  if (options.reverse) ys.reverse()
  if (ys.length === 0 || ys[0].leaves.length === 0) return [carry, (ys[0] ? unflatten(ys[0].treedef, []) : null) as Y]
  const stacked = ys[0].leaves.map((_, k) => ops.stack(ys.map((y) => y.leaves[k]), 0))
  return [carry, unflatten(ys[0].treedef, stacked) as Y]
}

// ---------------------------------------------------------------------------------------
// expression graph

/**
 * A variable of an expression graph: its id, type, and the equation that created it
 * (`'input'` for an argument).
 *
 * @category graph
 * @since 0.1.0
 */
export interface GraphVar {
  /** Variable number, `v0`, `v1`, … */
  readonly id: number
  /** Shape of the value. */
  readonly shape: ReadonlyArray<number>
  /** Dtype of the value. */
  readonly dtype: Tensor['dtype']
  /** Index of the equation that created it, or `'input'`. */
  readonly createdBy: number | 'input'
}

/**
 * The expression graph of a function: its inputs, the primitive applications in order
 * (each creating one variable), and the outputs.
 *
 * @category graph
 * @since 0.1.0
 */
export interface Graph {
  /** Input variables, one per leaf of the arguments. */
  readonly inputs: ReadonlyArray<GraphVar>
  /** Every variable, by id. */
  readonly vars: ReadonlyArray<GraphVar>
  /** Primitive applications in evaluation order. */
  readonly equations: ReadonlyArray<GraphEqn>
  /** Outputs: variables or constants, one per leaf of the result. */
  readonly outputs: ReadonlyArray<GraphAtom>
}

/**
 * Traces a function into its expression graph: every primitive applied to values that
 * depend on the arguments becomes an equation; everything else is a constant.
 *
 * @category graph
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, trace, graphToString } from 'dendrite'
 * import * as assert from 'node:assert'
 * const g = trace((x: ops.Tensor) => ops.sum(ops.mul(x, x)))(ops.tensor([1, 2]))
 * assert.deepStrictEqual(g.equations.map((e) => e.prim.name), ['mul', 'sum'])
 * assert.ok(graphToString(g).includes('v1 = mul v0 v0'))
 * ```
 */
export const trace = <F extends AnyFn>(f: F) => (...args: Parameters<F>): Graph => {
  const level = pushLevel('graph')
  try {
    const inputs: GraphVar[] = []
    const traced = args.map((a, i) => {
      const fa = leavesOf('trace', a, `argument ${i}`)
      return unflatten(fa.treedef, fa.leaves.map((x) => {
        const id = level.nextVar++
        inputs.push({ id, shape: x.shape, dtype: x.dtype, createdBy: 'input' })
        return makeTracer({ kind: 'graph', level, primal: x, id })
      }))
    })
    const out = f(...traced)
    const fo = leavesOf('trace', out, 'the result')
    const outputs: GraphAtom[] = fo.leaves.map((l) => {
      const info = traceOf(l)
      return info !== undefined && info.level === level && info.kind === 'graph' ? { kind: 'var', id: info.id } : { kind: 'const', value: l }
    })
    const vars: GraphVar[] = [...inputs]
    level.eqns.forEach((e, k) => vars.push({ id: e.out, shape: e.shape, dtype: e.dtype, createdBy: k }))
    vars.sort((a, b) => a.id - b.id)
    return Object.freeze({ inputs, vars, equations: [...level.eqns], outputs })
  } finally {
    popLevel(level)
  }
}

/**
 * Evaluates a graph on new inputs (one tensor per input variable, in order). Evaluation
 * binds the same primitives, so it can itself be differentiated.
 *
 * `evalGraph(trace(f)(x), x) = f(x)` (flattened)
 *
 * @category graph
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, trace, evalGraph } from 'dendrite'
 * import * as assert from 'node:assert'
 * const g = trace((x: ops.Tensor) => ops.exp(ops.neg(x)))(ops.tensor([0]))
 * const [y] = evalGraph(g, ops.tensor([0, 1], 'float64'))
 * assert.deepStrictEqual(ops.toArray(y), [1, Math.exp(-1)])
 * ```
 */
export const evalGraph = (g: Graph, ...inputs: Tensor[]): Tensor[] => {
  if (inputs.length !== g.inputs.length) {
    throw new ShapeError('evalGraph', `the graph has ${g.inputs.length} inputs, got ${inputs.length}`)
  }
  const env = new Map<number, Tensor>()
  g.inputs.forEach((v, i) => env.set(v.id, inputs[i]))
  const read = (a: GraphAtom): Tensor => (a.kind === 'const' ? a.value : (env.get(a.id) as Tensor))
  for (const e of g.equations) env.set(e.out, bind(e.prim, e.inputs.map(read), e.params))
  return g.outputs.map(read)
}

const typeOf = (v: { shape: ReadonlyArray<number>; dtype: string }): string => `${v.dtype === 'float32' ? 'f32' : 'f64'}[${v.shape.join(',')}]`
const atomText = (a: GraphAtom): string => (a.kind === 'var' ? `v${a.id}` : a.value.data.length === 1 ? `${a.value.data[0]}` : `const:${typeOf(a.value)}`)
const paramText = (e: GraphEqn): string => {
  const s = e.prim.showParams?.(e.params)
  return s === undefined || s === '' ? '' : `[${s}]`
}

/**
 * A readable listing of a graph: one line per equation, `v3 = mul v1 v2  : f32[2,3]`.
 *
 * @category graph
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, trace, graphToString } from 'dendrite'
 * import * as assert from 'node:assert'
 * const text = graphToString(trace((x: ops.Tensor) => ops.tanh(x))(ops.zeros([2])))
 * assert.ok(text.startsWith('graph(v0: f32[2])'))
 * ```
 */
export const graphToString = (g: Graph): string => {
  const lines = [`graph(${g.inputs.map((v) => `v${v.id}: ${typeOf(v)}`).join(', ')}) {`]
  for (const e of g.equations) {
    const lhs = `  v${e.out} = ${e.prim.name}${paramText(e)} ${e.inputs.map(atomText).join(' ')}`
    lines.push(`${lhs.padEnd(48)} : ${typeOf(e)}`)
  }
  lines.push(`  return ${g.outputs.map(atomText).join(', ')}`, '}')
  return lines.join('\n')
}

/**
 * The graph in Graphviz DOT: a box per variable (with its type), an ellipse per
 * primitive application, edges in the direction of evaluation.
 *
 * @category graph
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, trace, toDot } from 'dendrite'
 * import * as assert from 'node:assert'
 * const dot = toDot(trace((x: ops.Tensor) => ops.sum(ops.exp(x)))(ops.zeros([3])))
 * assert.ok(dot.startsWith('digraph'))
 * assert.ok(dot.includes('label="exp"'))
 * ```
 */
export const toDot = (g: Graph): string => {
  const out: string[] = ['digraph dendrite {', '  rankdir=LR;', '  node [fontname="Helvetica"];']
  for (const v of g.vars) {
    const role = v.createdBy === 'input' ? ', style=filled, fillcolor="#e8f0ff"' : ''
    out.push(`  v${v.id} [shape=box, label="v${v.id}: ${typeOf(v)}"${role}];`)
  }
  g.equations.forEach((e, k) => {
    out.push(`  op${k} [shape=ellipse, label="${e.prim.name}${paramText(e).replace(/"/g, '\\"')}"];`)
    e.inputs.forEach((a, j) => {
      if (a.kind === 'var') out.push(`  v${a.id} -> op${k};`)
      else {
        out.push(`  c${k}_${j} [shape=plaintext, label="${atomText(a)}"];`, `  c${k}_${j} -> op${k};`)
      }
    })
    out.push(`  op${k} -> v${e.out};`)
  })
  g.outputs.forEach((a, i) => {
    out.push(`  out${i} [shape=doublecircle, label="out${i}"];`)
    if (a.kind === 'var') out.push(`  v${a.id} -> out${i};`)
  })
  out.push('}')
  return out.join('\n')
}

/**
 * Fixed-step ODE integrators for `dy/dt = f(t, y)`, where the state `y` is a tensor or any
 * tree of tensors (records, arrays): forward Euler and the classical fourth-order
 * Runge–Kutta method. Every step is built from `ops`, so a whole integration can sit inside
 * `grad`, `jvp` or `vjp` (differentiate the final state with respect to `y₀` or to
 * parameters that `f` closes over).
 *
 * Laws (checked in `laws/ode.law.ts`):
 * - Euler: `y_{k+1} = y_k + h f(t_k, y_k)`, global error `O(h)`;
 * - RK4: `y_{k+1} = y_k + h/6 (k₁ + 2k₂ + 2k₃ + k₄)` with `k₁ = f(t, y)`,
 *   `k₂ = f(t + h/2, y + h/2 k₁)`, `k₃ = f(t + h/2, y + h/2 k₂)`, `k₄ = f(t + h, y + h k₃)`;
 *   on `y′ = λy` one step multiplies by `1 + z + z²/2 + z³/6 + z⁴/24` (`z = λh`), so the
 *   global error is `O(h⁴)`: halving `h` divides it by about 16;
 * - over trees the integrators act leaf by leaf:
 *   `odeint(f, {a, b}).y.a = odeint(f_a, a).y` when `f` does not couple the leaves;
 * - `odeint(f, y₀, {steps: 0}).y = [y₀]`, and the trajectory's last state is the result of
 *   `steps` calls of the step function;
 * - differentiable: for `y′ = λy`, `∂y(T)/∂y₀ = e^{λT}` and `∂y(T)/∂λ = T y₀ e^{λT}` up to
 *   the discretisation error.
 *
 * @module
 */
import { DomainError, ShapeError, showShape } from '../errors.js'
import * as ops from '../ops/index.js'
import { isTensor, type Tensor } from '../tensor/Tensor.js'
import { flatten, unflatten, type Tree, type TreeDef } from '../tree/index.js'
import { buildTree } from '../tree/internal.js'

/**
 * The right-hand side of `dy/dt = f(t, y)`: the time (a number) and the state (a tensor or
 * a tree of tensors), to the derivative, a tree of the same structure and shapes.
 *
 * @category ode
 * @since 0.2.0
 */
export type VectorField<Y extends Tree> = (t: number, y: Y) => Y

/**
 * The fixed-step methods of `odeint`: forward Euler (order 1) or classical Runge–Kutta
 * (order 4).
 *
 * @category ode
 * @since 0.2.0
 */
export type OdeMethod = 'euler' | 'rk4'

/**
 * Options of `odeint`.
 *
 * @category ode
 * @since 0.2.0
 */
export interface OdeintOptions {
  /** Start time (default 0). */
  readonly t0?: number
  /** Step size `h`, a positive finite number. */
  readonly dt: number
  /** Number of steps (a non-negative integer); the end time is `t0 + steps·dt`. */
  readonly steps: number
  /** The method (default `'rk4'`). */
  readonly method?: OdeMethod
  /**
   * Keep every `every`-th state (default 1, every state): the trajectory holds steps
   * `0, every, 2·every, …` up to `steps`.
   */
  readonly every?: number
}

/**
 * A trajectory: the recorded times and states, each state leaf stacked along a new
 * leading axis (as `jax.experimental.ode.odeint`: `y.leaf[i]` is the leaf at `t[i]`).
 *
 * @category ode
 * @since 0.2.0
 */
export interface Trajectory<Y extends Tree> {
  /** Times `t0 + i·every·dt`, a rank-1 tensor of the dtype of the state's first leaf (float64 when it has none). */
  readonly t: Tensor
  /** The states, with the structure of `y₀` and each leaf of shape `[t.length, ...leaf.shape]`. */
  readonly y: Y
}

const checkFinite = (op: string, name: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DomainError(op, `${name} must be a finite number, got ${String(v)}`)
  return v
}

const checkDt = (op: string, dt: unknown): number => {
  if (typeof dt !== 'number' || !Number.isFinite(dt) || !(dt > 0)) {
    throw new DomainError(op, `dt must be a positive finite number, got ${String(dt)}`)
  }
  return dt
}

// The integrators work on the state's leaves (flattened once); the vector field sees the
// tree rebuilt from them. `tree.flatten`/`zipWith` in the inner loop cost more than the
// arithmetic for small states, hence a structure-directed walk (tree/internal's buildTree).


const showAt = (path: string): string => (path === '' ? '(root)' : path)

/**
 * The leaves of the vector field's value `k`, which must have the structure `def` and, leaf
 * by leaf, the shapes of the state `ys`; else `ShapeError` naming the path.
 */
const leavesOf = (op: string, def: TreeDef, ys: ReadonlyArray<Tensor>, k: unknown): Tensor[] => {
  const out: Tensor[] = []
  const go = (d: TreeDef, u: unknown, path: string): void => {
    const bad = (what: string): never => {
      throw new ShapeError(op, `the vector field returned ${what} at ${showAt(path)}, where the state has ${d.kind === 'leaf' ? 'a tensor' : d.kind === 'record' ? `a record with keys [${d.keys.join(',')}]` : d.kind === 'array' ? `an array of length ${d.children.length}` : d.kind}`)
    }
    switch (d.kind) {
      case 'leaf': {
        if (!isTensor(u)) return bad(u === null || u === undefined ? String(u) : Array.isArray(u) ? 'an array' : typeof u === 'object' ? 'a record' : typeof u)
        const y = ys[out.length]
        if (u.shape.length !== y.shape.length || u.shape.some((n, i) => n !== y.shape[i])) {
          throw new ShapeError(op, `the vector field returned shape ${showShape(u.shape)} for the state's ${showShape(y.shape)} at ${showAt(path)}`, [y.shape, u.shape])
        }
        out.push(u)
        return
      }
      case 'null':
      case 'undefined':
        if (u !== null && u !== undefined) bad('a value')
        return
      case 'array': {
        if (!Array.isArray(u) || u.length !== d.children.length) return bad(Array.isArray(u) ? `an array of length ${u.length}` : 'something else')
        d.children.forEach((c, i) => go(c, u[i], path === '' ? String(i) : `${path}/${i}`))
        return
      }
      case 'record': {
        if (typeof u !== 'object' || u === null || Array.isArray(u) || isTensor(u)) return bad('something else')
        const r = u as { readonly [k: string]: unknown }
        const keys = Object.keys(r)
        if (keys.length !== d.keys.length || !d.keys.every((k) => Object.prototype.hasOwnProperty.call(r, k))) {
          return bad(`a record with keys [${keys.sort().join(',')}]`)
        }
        d.children.forEach((c, i) => go(c, r[d.keys[i]], path === '' ? d.keys[i] : `${path}/${d.keys[i]}`))
        return
      }
    }
  }
  go(def, k, '')
  return out
}

/** A step on leaves: the state's structure, the vector field, time, leaves, step size. */
type LeafStep = <Y extends Tree>(op: string, def: TreeDef, f: VectorField<Y>, t: number, ys: ReadonlyArray<Tensor>, dt: number) => Tensor[]

const evalField = <Y extends Tree>(op: string, def: TreeDef, f: VectorField<Y>, t: number, ys: ReadonlyArray<Tensor>): Tensor[] =>
  leavesOf(op, def, ys, f(t, buildTree(def, ys) as Y))

/** `y + c·k`, leaf by leaf. */
const axpy = (ys: ReadonlyArray<Tensor>, c: number, ks: ReadonlyArray<Tensor>): Tensor[] => ys.map((y, i) => ops.add(y, ops.mul(ks[i], c)))

const eulerLeaves: LeafStep = (op, def, f, t, ys, dt) => axpy(ys, dt, evalField(op, def, f, t, ys))

const rk4Leaves: LeafStep = (op, def, f, t, ys, dt) => {
  const k1 = evalField(op, def, f, t, ys)
  const k2 = evalField(op, def, f, t + dt / 2, axpy(ys, dt / 2, k1))
  const k3 = evalField(op, def, f, t + dt / 2, axpy(ys, dt / 2, k2))
  const k4 = evalField(op, def, f, t + dt, axpy(ys, dt, k3))
  // y + h/6 (k₁ + k₄) + h/3 (k₂ + k₃)
  return ys.map((y, i) => ops.add(y, ops.add(ops.mul(ops.add(k1[i], k4[i]), dt / 6), ops.mul(ops.add(k2[i], k3[i]), dt / 3))))
}

/** Runs one step on a tree state. */
const stepTree = <Y extends Tree>(op: string, step: LeafStep, f: VectorField<Y>, t: number, y: Y, dt: number): Y => {
  if (typeof f !== 'function') throw new DomainError(op, `f must be a function (t, y) => dy/dt, got ${typeof f}`)
  checkFinite(op, 't', t)
  checkDt(op, dt)
  const { leaves: ys, treedef } = flatten(y)
  return buildTree(treedef, step(op, treedef, f, t, ys, dt)) as Y
}

/**
 * One forward-Euler step of `dy/dt = f(t, y)`, leaf by leaf over a tree state.
 *
 * `y(t + h) ≈ y + h f(t, y)`
 *
 * @category ode
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // y' = -y from y = 1: one step of h = 0.1 gives 0.9
 * const y = neuro.eulerStep((_t, y: ops.Tensor) => ops.neg(y), 0, ops.scalar(1, 'float64'), 0.1)
 * assert.ok(Math.abs(ops.item(y) - 0.9) < 1e-15)
 * ```
 */
export const eulerStep = <Y extends Tree>(f: VectorField<Y>, t: number, y: Y, dt: number): Y =>
  stepTree('eulerStep', eulerLeaves, f, t, y, dt)

/**
 * One step of the classical fourth-order Runge–Kutta method, leaf by leaf over a tree
 * state.
 *
 * `y(t + h) ≈ y + h/6 (k₁ + 2k₂ + 2k₃ + k₄)`, `k₁ = f(t, y)`, `k₂ = f(t + h/2, y + h/2 k₁)`,
 * `k₃ = f(t + h/2, y + h/2 k₂)`, `k₄ = f(t + h, y + h k₃)`
 *
 * @category ode
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // y' = -y: one step multiplies by 1 - h + h²/2 - h³/6 + h⁴/24
 * const h = 0.1
 * const y = neuro.rk4Step((_t, y: ops.Tensor) => ops.neg(y), 0, ops.scalar(1, 'float64'), h)
 * assert.ok(Math.abs(ops.item(y) - (1 - h + h ** 2 / 2 - h ** 3 / 6 + h ** 4 / 24)) < 1e-15)
 * // a tree state: position and velocity of an oscillator x'' = -x
 * const s = neuro.rk4Step((_t, s: { x: ops.Tensor; v: ops.Tensor }) => ({ x: s.v, v: ops.neg(s.x) }), 0,
 *   { x: ops.scalar(1, 'float64'), v: ops.scalar(0, 'float64') }, h)
 * assert.ok(Math.abs(ops.item(s.x) - Math.cos(h)) < 1e-6)
 * ```
 */
export const rk4Step = <Y extends Tree>(f: VectorField<Y>, t: number, y: Y, dt: number): Y =>
  stepTree('rk4Step', rk4Leaves, f, t, y, dt)

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0

/**
 * Integrates `dy/dt = f(t, y)` from `y(t0) = y₀` with `steps` fixed steps of size `dt`
 * (Euler or RK4) and returns the trajectory: the times and the states, each leaf stacked
 * along a new leading axis. Pure and differentiable (built from `ops`); `f` receives the
 * time as a number.
 *
 * `t_i = t0 + i·dt`, `y_{i+1} = step(f, t_i, y_i, dt)`
 *
 * @category ode
 * @since 0.2.0
 * @example
 * ```ts
 * import { grad, neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * // exponential decay y' = -2y, y(0) = 1, over [0, 1]
 * const f = (_t: number, y: ops.Tensor) => ops.mul(y, -2)
 * const { t, y } = neuro.odeint(f, ops.scalar(1, 'float64'), { dt: 0.01, steps: 100 })
 * assert.deepStrictEqual(y.shape, [101])
 * assert.ok(Math.abs(ops.item(ops.slice(t, [100])) - 1) < 1e-12)
 * assert.ok(Math.abs(ops.item(ops.slice(y, [100])) - Math.exp(-2)) < 1e-9)
 * // differentiable: d y(1) / d y0 = e^{-2}
 * const final = (y0: ops.Tensor) => ops.slice(neuro.odeint(f, y0, { dt: 0.01, steps: 100 }).y, [100])
 * assert.ok(Math.abs(ops.item(grad(final)(ops.scalar(3, 'float64'))) - Math.exp(-2)) < 1e-9)
 * assert.throws(() => neuro.odeint(f, ops.scalar(1), { dt: 0, steps: 10 }), /odeint: dt must be a positive/)
 * ```
 */
export const odeint = <Y extends Tree>(f: VectorField<Y>, y0: Y, options: OdeintOptions): Trajectory<Y> => {
  const op = 'odeint'
  if (typeof f !== 'function') throw new DomainError(op, `f must be a function (t, y) => dy/dt, got ${typeof f}`)
  const { t0 = 0, dt, steps, method = 'rk4', every = 1 } = options ?? ({} as OdeintOptions)
  checkFinite(op, 't0', t0)
  checkDt(op, dt)
  if (!isNonNegInt(steps)) throw new DomainError(op, `steps must be a non-negative integer, got ${String(steps)}`)
  if (!isNonNegInt(every) || every === 0) throw new DomainError(op, `every must be a positive integer, got ${String(every)}`)
  if (method !== 'euler' && method !== 'rk4') throw new DomainError(op, `method must be 'euler' or 'rk4', got ${JSON.stringify(method)}`)
  const step = method === 'euler' ? eulerLeaves : rk4Leaves
  const first = flatten(y0)
  const def = first.treedef
  const dtype = first.leaves[0]?.dtype ?? 'float64'
  const kept: Array<ReadonlyArray<Tensor>> = [first.leaves]
  const times: number[] = [t0]
  let ys: ReadonlyArray<Tensor> = first.leaves
  for (let i = 0; i < steps; i++) {
    ys = step(op, def, f, t0 + i * dt, ys, dt)
    if ((i + 1) % every === 0) {
      kept.push(ys)
      times.push(t0 + (i + 1) * dt)
    }
  }
  const stacked = first.leaves.map((_, j) => ops.stack(kept.map((ls) => ls[j]), 0))
  return Object.freeze({ t: ops.tensor(times, dtype), y: unflatten<Y>(first.treedef, stacked) })
}

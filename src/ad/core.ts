/**
 * The core of automatic differentiation: primitives, tracers, interpreters and `bind`.
 *
 * A primitive is a record holding its value (`impl`, on plain tensors), its forward rule
 * (`jvp`) and its reverse rule (`vjp`), both written with other primitives through the
 * differentiable `ops`, so rules are themselves differentiable and derivatives of any
 * order come from the same table.
 *
 * `bind(prim, inputs, params)` hands the call to the innermost active interpreter among
 * its inputs' tracers: plain evaluation when there is none; forward mode (dual numbers:
 * primal and tangent); reverse mode (record a node on an immutable tape); or graph
 * tracing (record an equation). Each transformation opens a new level, so tracers of
 * different transformations never mix (no perturbation confusion).
 *
 * A tracer is itself a `Tensor`: its `dtype`, `shape` and `data` are those of its
 * concrete primal, so code that only reads values (printing, `item`) works on it
 * unchanged; only the differentiable operations see the extra structure.
 *
 * Laws (checked for every primitive of the table in `laws/`):
 * - `jvp(f)(x, t) ≈ (f(x + εt) − f(x − εt)) / 2ε`;
 * - `⟨jvp(f)(x, t), c⟩ = ⟨t, vjp(f)(x)(c)⟩`;
 * - `jvp` is linear in the tangent.
 *
 * @module
 */
import { ShapeError, showShape } from '../errors.js'
import { zeros as zerosT } from '../tensor/Tensor.js'
import type { Tensor } from '../tensor/Tensor.js'

/**
 * A symbolic zero: the tangent or cotangent of a value that does not depend on the
 * differentiated input. Never materialised as an array during propagation.
 *
 * @category differentiation
 * @since 0.1.0
 */
export interface Zero {
  /** Marks the symbolic zero. */
  readonly kind: 'dendrite.zero'
}

/** @internal The one symbolic zero. */
export const zero: Zero = Object.freeze({ kind: 'dendrite.zero' as const })

/** @internal Is this the symbolic zero? */
export const isZero = (u: unknown): u is Zero => u === zero

/**
 * A primitive operation: one record with its value and its derivative rules. Rules are
 * written with differentiable operations, so they can be differentiated again.
 *
 * - `impl(xs, p)`: the value on plain tensors;
 * - `jvp(xs, ts, y, p)`: the output tangent from the input tangents (`zero` for inputs
 *   that carry none; at least one is not zero); `y` is the already-computed output;
 * - `vjp(ct, xs, y, p, needs)`: one cotangent (or `zero`) per input, from the output
 *   cotangent; `needs[i]` is false when input `i` is a constant, whose cotangent the rule
 *   may skip (return `zero`).
 *
 * @category differentiation
 * @since 0.1.0
 */
export interface Primitive<P = unknown> {
  /** Name shown in graphs and errors. */
  readonly name: string
  /** The value on plain tensors. */
  readonly impl: (xs: ReadonlyArray<Tensor>, p: P) => Tensor
  /** Forward rule: tangent of the output. */
  readonly jvp: (xs: ReadonlyArray<Tensor>, ts: ReadonlyArray<Tensor | Zero>, y: Tensor, p: P) => Tensor | Zero
  /** Reverse rule: cotangent of each input (`needs[i]` false: input i is a constant). */
  readonly vjp: (ct: Tensor, xs: ReadonlyArray<Tensor>, y: Tensor, p: P, needs: ReadonlyArray<boolean>) => ReadonlyArray<Tensor | Zero>
  /** How inputs are described in a graph listing (default `x0, x1, …`). */
  readonly showParams?: (p: P) => string
}

// ---------------------------------------------------------------------------------------
// tracers and levels

const TRACE = Symbol.for('dendrite.trace')

/** @internal A node of a reverse-mode tape. */
export interface TapeNode {
  readonly id: number
  readonly prim: Primitive<unknown> | undefined // undefined: an input of the transformation
  readonly params: unknown
  readonly primals: ReadonlyArray<Tensor>
  readonly parents: ReadonlyArray<TapeNode | undefined>
  readonly out: Tensor
}

/**
 * One equation of an expression graph: a primitive applied to atoms, creating the
 * variable `out`.
 *
 * @category graph
 * @since 0.1.0
 */
export interface GraphEqn {
  /** The primitive applied. */
  readonly prim: Primitive<unknown>
  /** Its static parameters (axes, shapes, …). */
  readonly params: unknown
  /** Its inputs. */
  readonly inputs: ReadonlyArray<GraphAtom>
  /** Id of the variable it creates. */
  readonly out: number
  /** Shape of that variable. */
  readonly shape: ReadonlyArray<number>
  /** Dtype of that variable. */
  readonly dtype: Tensor['dtype']
}

/**
 * An input of a graph equation (or a graph output): a variable by id, or a constant tensor.
 *
 * @category graph
 * @since 0.1.0
 */
export type GraphAtom = GraphVarRef | GraphConst

/**
 * A reference to a graph variable.
 *
 * @category graph
 * @since 0.1.0
 */
export interface GraphVarRef {
  /** Marks a variable. */
  readonly kind: 'var'
  /** The variable's id. */
  readonly id: number
}

/**
 * A constant input of a graph equation (a value that does not depend on the arguments).
 *
 * @category graph
 * @since 0.1.0
 */
export interface GraphConst {
  /** Marks a constant. */
  readonly kind: 'const'
  /** The constant's value. */
  readonly value: Tensor
}

/** @internal What a tracer carries, by the kind of its level. */
export type TraceInfo =
  | { readonly kind: 'jvp'; readonly level: Level; readonly primal: Tensor; readonly tangent: Tensor | Zero }
  | { readonly kind: 'vjp'; readonly level: Level; readonly primal: Tensor; readonly node: TapeNode }
  | { readonly kind: 'graph'; readonly level: Level; readonly primal: Tensor; readonly id: number }

/** @internal A level of the interpreter stack. */
export interface Level {
  readonly depth: number
  readonly kind: 'jvp' | 'vjp' | 'graph'
  /** Equations recorded so far (graph levels only). */
  readonly eqns: GraphEqn[]
  /** Next variable id (graph levels only). */
  nextVar: number
  /** True while the level is on the stack. */
  active: boolean
}

// The interpreter stack. Module state, but never visible: every transformation pushes a
// level and pops it before returning, also when the function throws.
const stack: Level[] = []
let nodeCounter = 0

/** @internal Opens a new level. */
export const pushLevel = (kind: Level['kind']): Level => {
  const level: Level = { depth: stack.length + 1, kind, eqns: [], nextVar: 0, active: true }
  stack.push(level)
  return level
}

/** @internal Closes the innermost level (must be `level`). */
export const popLevel = (level: Level): void => {
  const top = stack.pop()
  level.active = false
  if (top !== level) throw new Error('dendrite internal error: interpreter levels popped out of order')
}

/** @internal The trace info of a tracer, or undefined for a plain tensor. */
export const traceOf = (t: Tensor): TraceInfo | undefined => (t as { [TRACE]?: TraceInfo })[TRACE]

/** @internal Wraps a value as a tracer of a level. */
export const makeTracer = (info: TraceInfo): Tensor => {
  const p = info.primal
  const t = { dtype: p.dtype, shape: p.shape, data: p.data }
  Object.defineProperty(t, TRACE, { value: info, enumerable: false })
  return Object.freeze(t)
}

/**
 * Removes every level of tracing: the concrete tensor behind a tracer (or the tensor
 * itself).
 *
 * @category differentiation
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, grad, concrete } from 'dendrite'
 * import * as assert from 'node:assert'
 * grad((x: ops.Tensor) => {
 *   assert.ok(ops.isTensor(concrete(x)))
 *   return ops.sum(x)
 * })(ops.tensor([1, 2]))
 * ```
 */
export const concrete = (t: Tensor): Tensor => {
  let cur = t
  for (let info = traceOf(cur); info !== undefined; info = traceOf(cur)) cur = info.primal
  return cur
}

/** @internal Drops tracers of levels that are no longer active (leaked tracers). */
const live = (t: Tensor): Tensor => {
  let cur = t
  for (let info = traceOf(cur); info !== undefined && !info.level.active; info = traceOf(cur)) cur = info.primal
  return cur
}

/** @internal Is any level active? */
export const tracing = (): boolean => stack.length > 0

// ---------------------------------------------------------------------------------------
// bind

const checkOut = (prim: Primitive<unknown>, y: Tensor, what: string, ref: Tensor): void => {
  if (y.shape.length !== ref.shape.length || y.shape.some((d, i) => d !== ref.shape[i])) {
    throw new ShapeError(prim.name, `${what} has shape ${showShape(y.shape)}, expected ${showShape(ref.shape)} (a rule of this primitive is wrong)`, [y.shape, ref.shape])
  }
}

/**
 * Applies a primitive: evaluates it on plain tensors, or hands it to the innermost
 * interpreter among the inputs' tracers.
 *
 * @category differentiation
 * @since 0.1.0
 * @example
 * ```ts
 * import { ops, bind, type Primitive } from 'dendrite'
 * import * as assert from 'node:assert'
 * // a primitive of our own: doubling, with its two rules
 * const double: Primitive<null> = {
 *   name: 'double',
 *   impl: ([x]) => ops.mul(x, 2),
 *   jvp: (_, [t]) => ops.mul(t as ops.Tensor, 2),
 *   vjp: (ct) => [ops.mul(ct, 2)],
 * }
 * assert.deepStrictEqual(ops.toArray(bind(double, [ops.tensor([1, 2])], null)), [2, 4])
 * ```
 */
export const bind = <P>(prim: Primitive<P>, inputs: ReadonlyArray<Tensor>, params: P): Tensor => {
  const p = prim as Primitive<unknown>
  if (stack.length === 0) return p.impl(inputs.map(concrete), params)
  const xs = inputs.map(live)
  let top: Level | undefined
  for (const x of xs) {
    const info = traceOf(x)
    if (info !== undefined && (top === undefined || info.level.depth > top.depth)) top = info.level
  }
  if (top === undefined) return p.impl(xs, params)
  const level = top
  const infos = xs.map((x) => {
    const info = traceOf(x)
    return info !== undefined && info.level === level ? info : undefined
  })
  const primals = xs.map((x, i) => infos[i]?.primal ?? x)
  const y = bind(p, primals, params)
  switch (level.kind) {
    case 'jvp': {
      const ts = infos.map((info) => (info?.kind === 'jvp' ? info.tangent : zero))
      if (ts.every(isZero)) return y
      const t = p.jvp(primals, ts, y, params)
      if (isZero(t)) return y
      checkOut(p, t, 'the tangent', y)
      return makeTracer({ kind: 'jvp', level, primal: y, tangent: t })
    }
    case 'vjp': {
      const parents = infos.map((info) => (info?.kind === 'vjp' ? info.node : undefined))
      const node: TapeNode = { id: ++nodeCounter, prim: p, params, primals, parents, out: y }
      return makeTracer({ kind: 'vjp', level, primal: y, node })
    }
    case 'graph': {
      const atoms: GraphAtom[] = xs.map((x, i) => {
        const info = infos[i]
        return info?.kind === 'graph' ? { kind: 'var', id: info.id } : { kind: 'const', value: concrete(x) }
      })
      const id = level.nextVar++
      level.eqns.push({ prim: p, params, inputs: atoms, out: id, shape: y.shape, dtype: y.dtype })
      return makeTracer({ kind: 'graph', level, primal: y, id })
    }
  }
}

// ---------------------------------------------------------------------------------------
// reverse-mode helpers

/** @internal A fresh input node of a reverse level. */
export const inputNode = (x: Tensor): TapeNode => ({ id: ++nodeCounter, prim: undefined, params: undefined, primals: [], parents: [], out: x })

/** @internal Zeros like a tensor (concrete, of the primal's shape and dtype). */
export const zerosLikeValue = (x: Tensor): Tensor => zerosT(x.shape, x.dtype)

/**
 * @internal Runs a tape backwards from output nodes with their cotangents; returns the
 * accumulated cotangent of each requested node (symbolic zero when none reached it).
 */
export const backward = (
  seeds: ReadonlyArray<readonly [TapeNode, Tensor]>,
  wanted: ReadonlyArray<TapeNode>,
  add: (a: Tensor, b: Tensor) => Tensor,
): Array<Tensor | Zero> => {
  const cts = new Map<number, Tensor>()
  const nodes = new Map<number, TapeNode>()
  const keep = new Set(wanted.map((n) => n.id))
  const acc = (n: TapeNode, ct: Tensor): void => {
    const prev = cts.get(n.id)
    cts.set(n.id, prev === undefined ? ct : add(prev, ct))
  }
  // collect every node reachable from the seeds
  const todo = seeds.map(([n]) => n)
  while (todo.length > 0) {
    const n = todo.pop() as TapeNode
    if (nodes.has(n.id)) continue
    nodes.set(n.id, n)
    for (const q of n.parents) if (q !== undefined && !nodes.has(q.id)) todo.push(q)
  }
  for (const [n, ct] of seeds) acc(n, ct)
  // ids grow with creation, so decreasing id is a reverse topological order
  const order = [...nodes.values()].sort((a, b) => b.id - a.id)
  for (const n of order) {
    const ct = cts.get(n.id)
    if (ct === undefined || n.prim === undefined) continue
    const gs = n.prim.vjp(ct, n.primals, n.out, n.params, n.parents.map((q) => q !== undefined))
    gs.forEach((g, i) => {
      const parent = n.parents[i]
      if (parent === undefined || isZero(g)) return
      checkOut(n.prim as Primitive<unknown>, g, `the cotangent of input ${i}`, n.primals[i])
      acc(parent, g)
    })
    if (!keep.has(n.id)) cts.delete(n.id)
  }
  return wanted.map((n) => cts.get(n.id) ?? zero)
}

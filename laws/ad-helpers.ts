/** Shared helpers of the differentiation laws: random tangents, inner products, FD. */
import fc from 'fast-check'
import { uniform } from './helpers.js'
import { bind, jvp, ops, primitives, vjp, type PrimitiveName, type Tensor } from 'dendrite'
import { cases, type Case } from './ad-cases.js'

export const names = Object.keys(primitives) as PrimitiveName[]

/** The primitive applied to its inputs at the top level. */
export const applyPrim = (name: PrimitiveName, params: unknown) => (...xs: Tensor[]): Tensor => bind(primitives[name], xs, params)

/** Tangents for the inputs: random values of each shape, zero for constant inputs. */
export const tangentsFor = (c: Case, xs: ReadonlyArray<Tensor>) =>
  fc.tuple(...xs.map((x, i) =>
    c.constInputs?.includes(i)
      ? fc.constant(ops.zeros(x.shape, 'float64'))
      : fc.array(uniform(-1, 1), { minLength: x.data.length, maxLength: x.data.length }).map((v) => ops.fromArray(v, x.shape, 'float64')),
  ))

/** A case with its tangents and an output cotangent. */
export const drawWith = (name: PrimitiveName) => {
  const c = cases[name]
  return c.draw.chain(({ xs, params }) => {
    const y = applyPrim(name, params)(...xs)
    return fc.tuple(
      fc.constant({ xs, params }),
      tangentsFor(c, xs),
      tangentsFor(c, xs),
      fc.array(uniform(-1, 1), { minLength: y.data.length, maxLength: y.data.length }).map((v) => ops.fromArray(v, y.shape, 'float64')),
    )
  })
}

export const inner = (a: Tensor, b: Tensor): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i]
  return s
}
export const absInner = (a: Tensor, b: Tensor): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] * b.data[i])
  return s
}

/** Central finite difference of f along the tangents: (f(x + εt) − f(x − εt)) / 2ε. */
export const centralFD = (f: (...xs: Tensor[]) => Tensor, xs: ReadonlyArray<Tensor>, ts: ReadonlyArray<Tensor>, eps = 1e-6): Tensor => {
  const plus = f(...xs.map((x, i) => ops.add(x, ops.mul(ts[i], eps))))
  const minus = f(...xs.map((x, i) => ops.sub(x, ops.mul(ts[i], eps))))
  return ops.div(ops.sub(plus, minus), 2 * eps)
}

export const jvpOf = (f: (...xs: Tensor[]) => Tensor, xs: ReadonlyArray<Tensor>, ts: ReadonlyArray<Tensor>): Tensor =>
  jvp(f)(xs, ts)[1] as Tensor

export const vjpOf = (f: (...xs: Tensor[]) => Tensor, xs: ReadonlyArray<Tensor>, c: Tensor): Tensor[] =>
  vjp(f)(...xs)[1](c) as Tensor[]

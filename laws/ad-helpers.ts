/** Shared helpers of the differentiation laws: random tangents, inner products, FD. */
import fc from 'fast-check'
import { uniform } from './helpers.js'
import { bind, jvp, ops, primitives, type PrimitiveName, type Tensor } from 'dendrite'
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

/**
 * The primitive as a function of its variable inputs only (constant inputs such as labels
 * and conditions held fixed), and those variables.
 */
export const overVariables = (c: Case, f: (...xs: Tensor[]) => Tensor, xs: ReadonlyArray<Tensor>): [(...vs: Tensor[]) => Tensor, Tensor[]] => {
  const isConst = (i: number): boolean => c.constInputs?.includes(i) ?? false
  const vars = xs.filter((_, i) => !isConst(i))
  const g = (...vs: Tensor[]): Tensor => {
    let k = 0
    return f(...xs.map((x, i) => (isConst(i) ? x : vs[k++])))
  }
  return [g, vars]
}

export const jvpOf = (f: (...xs: Tensor[]) => Tensor, xs: ReadonlyArray<Tensor>, ts: ReadonlyArray<Tensor>): Tensor =>
  jvp(f)(xs, ts)[1] as Tensor

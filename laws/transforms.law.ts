/**
 * Laws of the transformations themselves: grad(sum) is ones; stopGradient blocks at every
 * order; custom rules are the ones used; scan agrees with the unrolled loop in value and
 * gradient; a traced graph evaluates to the function's value (and differentiates the same);
 * the derivative table of the notes holds for the tensor AD (first and second order).
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import {
  customJvp, customVjp, evalGraph, grad, jvp, ops, scan, stopGradient, trace, valueAndGrad, vjp, type Tensor,
} from 'dendrite'
import { allClose, arbShape, arbTensorOf, uniform } from './helpers.js'

const vec = (n: number, min = -2, max = 2) => fc.array(uniform(min, max), { minLength: n, maxLength: n }).map((v) => ops.fromArray(v, [n], 'float64'))
const any = arbShape({ minRank: 0, maxRank: 3 }).chain((s) => arbTensorOf(s, 'float64', -3, 3))
const s = (x: number) => ops.scalar(x, 'float64')
const d = (f: (x: Tensor) => Tensor) => (x: number): number => ops.item(grad(f)(s(x)) as Tensor)
const d2 = (f: (x: Tensor) => Tensor) => (x: number): number => ops.item(grad(grad(f))(s(x)) as Tensor)
const close = (a: number, b: number, tol = 1e-9): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * (1 + Math.abs(b)))

describe('transformations', () => {
  test.prop([any])('grad(sum)(x) = ones; grad(mean)(x) = 1/n', (x) => {
    expect(ops.toFlat(grad(ops.sum)(x) as Tensor).every((v) => v === 1)).toBe(true)
    if (x.data.length > 0) allClose(grad(ops.mean)(x) as Tensor, ops.fullLike(x, 1 / x.data.length), { rtol: 1e-15, atol: 0 })
  })

  test.prop([vec(3)])('stopGradient blocks first and second derivatives', (x) => {
    const f = (y: Tensor) => ops.sum(ops.mul(ops.sin(y), ops.stopGradient(ops.exp(y))))
    allClose(grad(f)(x) as Tensor, ops.mul(ops.cos(x), ops.exp(x)), { rtol: 1e-12, atol: 1e-12 })
    const g = (y: Tensor) => ops.sum(ops.square(stopGradient(y)))
    expect(ops.toFlat(grad(g)(x) as Tensor).every((v) => v === 0)).toBe(true)
    const [, t] = jvp(g)([x], [ops.onesLike(x)])
    expect(ops.item(t as Tensor)).toBe(0)
  })

  test.prop([vec(3)])('custom rules are the ones used, in both modes', (x) => {
    // the true derivative of sin is cos; the custom rule says 7
    const fake = customJvp((y: Tensor) => ops.sin(y), (_, [t]) => ops.mul(t, 7))
    allClose(grad((y: Tensor) => ops.sum(fake(y)))(x) as Tensor, ops.fullLike(x, 7), { rtol: 0, atol: 0 })
    allClose(jvp(fake)([x], [ops.onesLike(x)])[1] as Tensor, ops.fullLike(x, 7), { rtol: 0, atol: 0 })
    const rev = customVjp((y: Tensor) => ops.sin(y), (y: Tensor) => [ops.sin(y), y] as const, (_y, ct) => [ops.mul(ct, -1)])
    allClose(grad((y: Tensor) => ops.sum(rev(y)))(x) as Tensor, ops.fullLike(x, -1), { rtol: 0, atol: 0 })
    // forward mode of a customVjp function differentiates the function itself
    allClose(jvp(rev)([x], [ops.onesLike(x)])[1] as Tensor, ops.cos(x), { rtol: 1e-12, atol: 1e-12 })
  })

  test.prop([vec(2), fc.integer({ min: 1, max: 6 }).chain((n) => fc.array(uniform(-1, 1), { minLength: 2 * n, maxLength: 2 * n }).map((v) => ops.fromArray(v, [n, 2], 'float64'))), vec(4, -1, 1)])(
    'scan = unrolled loop, in value and in gradient (an RNN cell)',
    (h0, xs, wv) => {
      const viaScan = (w: Tensor) => {
        const Wl = ops.reshape(w, [2, 2])
        const [hT, hs] = scan((h: Tensor, x: Tensor) => {
          const h2 = ops.tanh(ops.add(ops.matmul(Wl, h), x))
          return [h2, h2] as const
        }, h0, xs)
        return ops.add(ops.sum(hT), ops.mean(hs as Tensor))
      }
      const unrolled = (w: Tensor) => {
        const Wl = ops.reshape(w, [2, 2])
        let h = h0
        const hs: Tensor[] = []
        for (const x of ops.unstack(xs)) {
          h = ops.tanh(ops.add(ops.matmul(Wl, h), x))
          hs.push(h)
        }
        return ops.add(ops.sum(h), ops.mean(ops.stack(hs)))
      }
      const [v1, g1] = valueAndGrad(viaScan)(wv)
      const [v2, g2] = valueAndGrad(unrolled)(wv)
      allClose(v1, v2, { rtol: 1e-15, atol: 0 })
      allClose(g1, g2, { rtol: 1e-12, atol: 1e-14 })
    },
  )

  test.prop([vec(3), vec(3)])('a traced graph evaluates to the function, and differentiates the same', (x, y) => {
    const f = (a: Tensor, b: Tensor) => ops.sum(ops.mul(ops.softmax(ops.mul(a, b)), ops.tanh(a)))
    const g = trace(f)(x, y)
    expect(g.inputs.length).toBe(2)
    expect(g.equations.length).toBeGreaterThan(3)
    // every variable points to the equation that created it
    for (const v of g.vars) if (v.createdBy !== 'input') expect(g.equations[v.createdBy].out).toBe(v.id)
    allClose(evalGraph(g, x, y)[0], f(x, y), { rtol: 0, atol: 0 })
    const x2 = ops.add(x, 0.5)
    allClose(evalGraph(g, x2, y)[0], f(x2, y), { rtol: 1e-15, atol: 0 })
    allClose(grad((a: Tensor) => evalGraph(g, a, y)[0])(x) as Tensor, grad((a: Tensor) => f(a, y))(x) as Tensor, { rtol: 1e-15, atol: 0 })
  })

  test.prop([vec(3), vec(3)])('vjp with trees: cotangents shaped like the arguments', (x, y) => {
    const f = (p: { a: Tensor; b: readonly [Tensor] }, z: Tensor) => ({ out: ops.mul(ops.mul(p.a, p.b[0]), z) })
    const [out, pullback] = vjp(f)({ a: x, b: [y] }, x)
    const [gp, gz] = pullback({ out: ops.onesLike(out.out) })
    allClose(gp.a, ops.mul(y, x), { rtol: 1e-15, atol: 0 })
    allClose(gp.b[0], ops.mul(x, x), { rtol: 1e-15, atol: 0 })
    allClose(gz, ops.mul(x, y), { rtol: 1e-15, atol: 0 })
  })
})

describe('the derivative table of the notes, by the tensor AD', () => {
  const pos = uniform(0.2, 3)
  const real = uniform(-2, 2)
  const n = fc.integer({ min: -3, max: 4 })
  test.prop([pos, n])('d/dx xⁿ = n xⁿ⁻¹ and d²/dx² xⁿ = n(n−1)xⁿ⁻²', (x, k) => {
    close(d((y) => ops.pow(y, k))(x), k * x ** (k - 1))
    close(d2((y) => ops.pow(y, k))(x), k * (k - 1) * x ** (k - 2), 1e-8)
  })
  test.prop([real])('d sin = cos, d cos = −sin, d tan = 1 + tan², sin″ = −sin', (x) => {
    close(d(ops.sin)(x), Math.cos(x))
    close(d(ops.cos)(x), -Math.sin(x))
    close(d(ops.tan)(x / 2), 1 + Math.tan(x / 2) ** 2)
    close(d2(ops.sin)(x), -Math.sin(x))
  })
  test.prop([pos, pos])('d ln x = 1/x, d aˣ = aˣ ln a, d eˣ = eˣ, and log identities', (x, a) => {
    close(d(ops.log)(x), 1 / x)
    close(d((y) => ops.pow(s(a), y))(x), a ** x * Math.log(a))
    close(d(ops.exp)(x), Math.exp(x))
    // ln(a x) = ln a + ln x, so both sides have derivative 1/x
    close(d((y) => ops.log(ops.mul(y, a)))(x), 1 / x)
    close(d((y) => ops.log(ops.pow(y, 3)))(x), 3 / x)
  })
  test.prop([real, real])('product, quotient and chain rules', (x, c) => {
    close(d((y) => ops.mul(ops.sin(y), ops.exp(y)))(x), Math.cos(x) * Math.exp(x) + Math.sin(x) * Math.exp(x))
    close(d((y) => ops.div(ops.sin(y), ops.add(ops.square(y), 1)))(x), (Math.cos(x) * (x * x + 1) - Math.sin(x) * 2 * x) / (x * x + 1) ** 2)
    close(d((y) => ops.sin(ops.mul(ops.square(y), c)))(x), Math.cos(c * x * x) * 2 * c * x)
    close(d(ops.sigmoid)(x), (1 / (1 + Math.exp(-x))) * (1 - 1 / (1 + Math.exp(-x))))
  })
  test.prop([real])('no perturbation confusion: d/dx [x · d/dy (x + y)|y=1] = 1', (x) => {
    const f = (a: Tensor) => ops.mul(a, grad((b: Tensor) => ops.add(a, b))(s(1)) as Tensor)
    close(d(f)(x), 1)
    // and nested forward modes
    const g = (a: Tensor) => ops.mul(a, jvp((b: Tensor) => ops.mul(a, b))([s(1)], [s(1)])[1] as Tensor)
    close(ops.item(jvp(g)([s(x)], [s(1)])[1] as Tensor), 2 * x)
  })
})

/**
 * The derivative table of the notes, checked on forward-mode dual numbers (`scalar`):
 * each elementary rule against its closed form, the product, quotient and chain rules, log
 * identities, second and higher derivatives by nesting duals, central finite differences on
 * random compositions, the field laws of duals, and agreement with the tensor AD (`grad`).
 *
 * Inputs stay inside each function's domain through the arbitraries' bounds.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { grad, ops, scalar } from 'dendrite'
import type { Tensor } from 'dendrite'
import { allClose, arbValue } from './helpers.js'

const N = scalar.ElementaryNumber
const D = scalar.ElementaryDual
type Scalar = scalar.Scalar
type Elementary<A> = scalar.Elementary<A>

const f64 = { rtol: 1e-9, atol: 1e-9 }
const near = (actual: number, expected: number, tol: { rtol: number; atol: number } = f64): void =>
  allClose([actual], [expected], tol)
const evalN = (f: Scalar) => f(N)

// ---------------------------------------------------------------------------------------
// the table: first derivatives against closed forms

interface Rule {
  readonly name: string
  readonly f: Scalar
  readonly df: (x: number) => number
  readonly lo: number
  readonly hi: number
}
const sig = (x: number) => 1 / (1 + Math.exp(-x))
const table: ReadonlyArray<Rule> = [
  { name: 'eˣ', f: (F) => F.exp, df: Math.exp, lo: -20, hi: 20 },
  { name: 'eˣ − 1', f: (F) => F.expm1, df: Math.exp, lo: -20, hi: 20 },
  { name: 'ln x', f: (F) => F.log, df: (x) => 1 / x, lo: 1e-3, hi: 1e3 },
  { name: 'ln(1 + x)', f: (F) => F.log1p, df: (x) => 1 / (1 + x), lo: -0.99, hi: 1e3 },
  { name: '√x', f: (F) => F.sqrt, df: (x) => 1 / (2 * Math.sqrt(x)), lo: 1e-3, hi: 1e3 },
  { name: 'sin', f: (F) => F.sin, df: Math.cos, lo: -10, hi: 10 },
  { name: 'cos', f: (F) => F.cos, df: (x) => -Math.sin(x), lo: -10, hi: 10 },
  { name: 'tan', f: (F) => F.tan, df: (x) => 1 + Math.tan(x) ** 2, lo: -1.5, hi: 1.5 },
  { name: 'asin', f: (F) => F.asin, df: (x) => 1 / Math.sqrt(1 - x * x), lo: -0.99, hi: 0.99 },
  { name: 'acos', f: (F) => F.acos, df: (x) => -1 / Math.sqrt(1 - x * x), lo: -0.99, hi: 0.99 },
  { name: 'atan', f: (F) => F.atan, df: (x) => 1 / (1 + x * x), lo: -100, hi: 100 },
  { name: 'sinh', f: (F) => F.sinh, df: Math.cosh, lo: -20, hi: 20 },
  { name: 'cosh', f: (F) => F.cosh, df: Math.sinh, lo: -20, hi: 20 },
  { name: 'tanh', f: (F) => F.tanh, df: (x) => 1 - Math.tanh(x) ** 2, lo: -20, hi: 20 },
  { name: 'sigmoid', f: (F) => F.sigmoid, df: (x) => sig(x) * (1 - sig(x)), lo: -30, hi: 30 },
  { name: 'softplus', f: (F) => F.softplus, df: sig, lo: -30, hi: 30 },
  { name: '|x|', f: (F) => F.abs, df: Math.sign, lo: -10, hi: 10 },
  { name: 'sign', f: (F) => F.sign, df: () => 0, lo: -10, hi: 10 },
  { name: 'x (identity)', f: () => (x) => x, df: () => 1, lo: -10, hi: 10 },
  { name: 'c (constant)', f: (F) => () => F.fromNumber(3), df: () => 0, lo: -10, hi: 10 },
]

describe('derivative table', () => {
  describe.each(table)('d $name', (r) => {
    test.prop([arbValue('float64', r.lo, r.hi)])('matches the closed form; the primal is the number value', (x) => {
      const y = r.f(D)(scalar.variable(x))
      expect(y.re).toBe(evalN(r.f)(x))
      near(y.eps, r.df(x))
      // the tangent is linear: seeding with t scales the derivative by t
      near(r.f(D)(scalar.dual(x, 3)).eps, 3 * r.df(x))
    })
  })

  const nonZero = fc.tuple(arbValue('float64', 0.1, 5), fc.boolean()).map(([x, neg]) => (neg ? -x : x))
  test.prop([fc.integer({ min: -5, max: 7 }), nonZero])('d xⁿ = n xⁿ⁻¹ (integer n, x ≠ 0 of either sign)', (n, x) => {
    near(scalar.derivative((F) => (t) => F.pow(t, n))(x), n * x ** (n - 1))
  })

  test.prop([arbValue('float64', -4, 4), arbValue('float64', 1e-2, 10)])('d xʳ = r xʳ⁻¹ (real r, x > 0)', (r, x) => {
    near(scalar.derivative((F) => (t) => F.pow(t, r))(x), r * x ** (r - 1))
  })

  test.prop([arbValue('float64', -5, 5)])('d x⁰ = 0, also at x = 0', (x) => {
    expect(scalar.derivative((F) => (t) => F.pow(t, 0))(x)).toBe(0)
    expect(scalar.derivative((F) => (t) => F.pow(t, 0))(0)).toBe(0)
  })

  test.prop([arbValue('float64', 0.1, 10), arbValue('float64', -5, 5)])('d aˣ = aˣ ln a', (a, x) => {
    near(scalar.derivative((F) => (t) => F.expBase(a, t))(x), a ** x * Math.log(a))
  })
})

// ---------------------------------------------------------------------------------------
// random compositions: an expression language whose every function is smooth on all of ℝ

type Un = 'sin' | 'cos' | 'tanh' | 'atan' | 'sigmoid' | 'softplus' | 'exp' | 'log' | 'sqrt' | 'pow' | 'tan' | 'log1p'
  | 'expm1' | 'asin' | 'acos' | 'sinh' | 'cosh' | 'expBase'
type Expr =
  | { readonly op: 'x' }
  | { readonly op: 'c'; readonly c: number }
  | { readonly op: Un; readonly a: Expr; readonly n: number }
  | { readonly op: '+' | '-' | '*' | '/'; readonly a: Expr; readonly b: Expr }

const unaries: ReadonlyArray<Un> = [
  'sin', 'cos', 'tanh', 'atan', 'sigmoid', 'softplus', 'exp', 'log', 'sqrt', 'pow', 'tan', 'log1p', 'expm1', 'asin',
  'acos', 'sinh', 'cosh', 'expBase',
]

// each unary is applied to an argument squashed into its domain: `u = tanh a ∈ (−1, 1)`,
// `1 + a² ≥ 1`; quotients divide by `1 + b² ≥ 1`; powers take `1 + u² ∈ [1, 2)`, so that
// nested powers do not grow into functions too wiggly for finite differences
const run = <A>(F: Elementary<A>, e: Expr, x: A): A => {
  const c = F.fromNumber
  switch (e.op) {
    case 'x':
      return x
    case 'c':
      return c(e.c)
    case '+':
      return F.add(run(F, e.a, x), run(F, e.b, x))
    case '-':
      return F.sub(run(F, e.a, x), run(F, e.b, x))
    case '*':
      return F.mul(run(F, e.a, x), run(F, e.b, x))
    case '/': {
      const b = run(F, e.b, x)
      return F.div(run(F, e.a, x), F.add(F.one, F.mul(b, b)))
    }
    default: {
      const a = run(F, e.a, x)
      const u = F.tanh(a)
      const pos = F.add(F.one, F.mul(a, a))
      switch (e.op) {
        case 'sin': return F.sin(a)
        case 'cos': return F.cos(a)
        case 'tanh': return u
        case 'atan': return F.atan(a)
        case 'sigmoid': return F.sigmoid(a)
        case 'softplus': return F.softplus(a)
        case 'exp': return F.exp(u)
        case 'log': return F.log(pos)
        case 'sqrt': return F.sqrt(pos)
        case 'pow': return F.pow(F.add(F.one, F.mul(u, u)), e.n)
        case 'tan': return F.tan(u)
        case 'log1p': return F.log1p(F.mul(a, a))
        case 'expm1': return F.expm1(u)
        case 'asin': return F.asin(F.mul(c(0.9), u))
        case 'acos': return F.acos(F.mul(c(0.9), u))
        case 'sinh': return F.sinh(u)
        case 'cosh': return F.cosh(u)
        case 'expBase': return F.expBase(e.n + 3, u)
      }
    }
  }
}
const toScalar = (e: Expr): Scalar => (F) => (x) => run(F, e, x)
const show = (e: Expr): string =>
  e.op === 'x' ? 'x'
  : e.op === 'c' ? String(e.c)
  : 'b' in e ? `(${show(e.a)} ${e.op} ${show(e.b)})`
  : `${e.op}${e.op === 'pow' || e.op === 'expBase' ? `[${e.n}]` : ''}(${show(e.a)})`

// leaves are rarer than nodes, and the root is a function or an operator (never a leaf),
// so that most expressions compose several functions; depth ≤ 4
const node = (sub: fc.Arbitrary<Expr>) => ({
  unary: fc.record({ op: fc.constantFrom(...unaries), a: sub, n: fc.constantFrom(-2, -1, 0.5, 2, 3) }) as fc.Arbitrary<Expr>,
  binary: fc.record({ op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), a: sub, b: sub }) as fc.Arbitrary<Expr>,
})
const arbSub: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { arbitrary: fc.constant<Expr>({ op: 'x' }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('c' as const), c: fc.integer({ min: -16, max: 16 }).map((k) => k / 8) }), weight: 1 },
    { arbitrary: node(tie('e')).unary, weight: 4 },
    { arbitrary: node(tie('e')).binary, weight: 3 },
  ),
})).e
const arbExpr: fc.Arbitrary<Expr> = fc.oneof(node(arbSub).unary, node(arbSub).binary)

// the 5-point central difference: error O(h⁴ f⁽⁵⁾) + O(ε|f|/h)
const fd = (g: (x: number) => number, x: number, h = 1e-3): number =>
  (-g(x + 2 * h) + 8 * g(x + h) - 8 * g(x - h) + g(x - 2 * h)) / (12 * h)

// |ad − fd| within 1e-6 (house tolerance for float64 gradients against finite differences)
// relative to `scale`, plus the finite differences' own error estimate: the gap between
// steps h and h/2 is about 15 times the error at h/2 (error O(h⁴)). It is negligible for
// tame compositions and only large where a random composition oscillates too fast for
// finite differences to resolve, so that such a case is not a false alarm.
const checkFd = (ad: number, g: (x: number) => number, x: number, scale: number, what: string): void => {
  const [coarse, fine] = [fd(g, x, 1e-3), fd(g, x, 5e-4)]
  expect(Math.abs(ad - fine), what).toBeLessThanOrEqual(1e-6 * scale + Math.abs(coarse - fine))
}

describe('random compositions', () => {
  test.prop([arbExpr, arbValue('float64', -2, 2)])('the primal of the dual evaluation is the number evaluation', (e, x) => {
    const f = toScalar(e)
    expect(f(D)(scalar.variable(x)).re).toBe(f(N)(x))
    const [v, d] = scalar.valueAndDerivative(f)(x)
    expect([v, d]).toEqual([f(N)(x), scalar.derivative(f)(x)])
  })

  // float64 gradients against finite differences: 1e-6 (house tolerance), relative to the
  // size of the function and its derivative
  test.prop([arbExpr, arbValue('float64', -2, 2)])('derivative ≈ central finite differences', (e, x) => {
    const f = toScalar(e)
    const ad = scalar.derivative(f)(x)
    checkFd(ad, f(N), x, 1 + Math.abs(ad) + Math.abs(f(N)(x)), show(e))
  })

  test.prop([arbExpr, arbExpr, arbValue('float64', -2, 2)])('product rule: (fg)′ = f′g + fg′', (a, b, x) => {
    const [f, g] = [toScalar(a), toScalar(b)]
    const fg: Scalar = (F) => (t) => F.mul(f(F)(t), g(F)(t))
    const [df, dg] = [scalar.derivative(f)(x), scalar.derivative(g)(x)]
    near(scalar.derivative(fg)(x), df * g(N)(x) + f(N)(x) * dg)
  })

  // g is replaced by 1 + g², which is ≥ 1: (f/(1 + g²))′ = (f′(1 + g²) − f·2gg′)/(1 + g²)²
  test.prop([arbExpr, arbExpr, arbValue('float64', -2, 2)])('quotient rule: (f/g)′ = (f′g − fg′)/g²', (a, b, x) => {
    const f = toScalar(a)
    const g: Scalar = (F) => (t) => { const v = toScalar(b)(F)(t); return F.add(F.one, F.mul(v, v)) }
    const q: Scalar = (F) => (t) => F.div(f(F)(t), g(F)(t))
    const [df, dg, gx] = [scalar.derivative(f)(x), scalar.derivative(g)(x), g(N)(x)]
    const expected = (df * gx - f(N)(x) * dg) / (gx * gx)
    near(scalar.derivative(q)(x), expected, { rtol: 1e-9, atol: 1e-9 * (1 + Math.abs(df) + Math.abs(dg)) })
  })

  test.prop([arbExpr, arbExpr, arbValue('float64', -2, 2)])('chain rule: (f ∘ g)′ = (f′ ∘ g) g′', (a, b, x) => {
    const [f, g] = [toScalar(a), toScalar(b)]
    const fg: Scalar = (F) => (t) => f(F)(g(F)(t))
    near(scalar.derivative(fg)(x), scalar.derivative(f)(g(N)(x)) * scalar.derivative(g)(x), {
      rtol: 1e-9,
      atol: 1e-9 * (1 + Math.abs(scalar.derivative(f)(g(N)(x)))),
    })
  })
})

// ---------------------------------------------------------------------------------------
// log identities: equal functions have equal derivatives

describe('log identities', () => {
  const pos = arbValue('float64', 1e-3, 1e3)
  test.prop([pos, pos])('ln(ax) = ln a + ln x, and both derivatives are 1/x', (a, x) => {
    const lhs: Scalar = (F) => (t) => F.log(F.mul(F.fromNumber(a), t))
    const rhs: Scalar = (F) => (t) => F.add(F.fromNumber(Math.log(a)), F.log(t))
    near(lhs(N)(x), rhs(N)(x), { rtol: 1e-12, atol: 1e-12 * Math.abs(Math.log(a * x)) + 1e-14 })
    near(scalar.derivative(lhs)(x), scalar.derivative(rhs)(x))
    near(scalar.derivative(rhs)(x), 1 / x)
  })

  test.prop([pos, arbValue('float64', -4, 4)])('ln(xʳ) = r ln x, derivatives r/x', (x, r) => {
    const lhs: Scalar = (F) => (t) => F.log(F.pow(t, r))
    near(scalar.derivative(lhs)(x), r / x)
    near(scalar.derivative((F) => (t) => F.mul(F.fromNumber(r), F.log(t)))(x), r / x)
  })

  test.prop([pos, pos])('ln(a/x) = ln a − ln x, derivative −1/x', (a, x) => {
    near(scalar.derivative((F) => (t) => F.log(F.div(F.fromNumber(a), t)))(x), -1 / x)
  })

  test.prop([pos])('exp ∘ ln = id and ln ∘ exp = id have derivative 1', (x) => {
    near(scalar.derivative((F) => (t) => F.exp(F.log(t)))(x), 1)
    near(scalar.derivative((F) => (t) => F.log(F.exp(t)))(Math.log(x)), 1)
  })

  test.prop([arbValue('float64', 0.1, 10), arbValue('float64', -5, 5)])('aˣ = e^{x ln a}: same derivative', (a, x) => {
    near(
      scalar.derivative((F) => (t) => F.expBase(a, t))(x),
      scalar.derivative((F) => (t) => F.exp(F.mul(F.fromNumber(Math.log(a)), t)))(x),
    )
  })

  test.prop([arbValue('float64', -10, 10)])('sin² + cos² = 1 has derivative 0', (x) => {
    near(scalar.derivative((F) => (t) => F.add(F.pow(F.sin(t), 2), F.pow(F.cos(t), 2)))(x), 0, { rtol: 0, atol: 1e-15 })
  })
})

// ---------------------------------------------------------------------------------------
// second and higher derivatives by nesting duals

interface Rule2 {
  readonly name: string
  readonly f: Scalar
  readonly d2: (x: number) => number
  readonly lo: number
  readonly hi: number
}
const table2: ReadonlyArray<Rule2> = [
  { name: 'sin″ = −sin', f: (F) => F.sin, d2: (x) => -Math.sin(x), lo: -10, hi: 10 },
  { name: 'cos″ = −cos', f: (F) => F.cos, d2: (x) => -Math.cos(x), lo: -10, hi: 10 },
  { name: '(eˣ)″ = eˣ', f: (F) => F.exp, d2: Math.exp, lo: -20, hi: 20 },
  { name: '(ln x)″ = −1/x²', f: (F) => F.log, d2: (x) => -1 / (x * x), lo: 1e-2, hi: 1e2 },
  { name: '(√x)″ = −1/(4x^{3/2})', f: (F) => F.sqrt, d2: (x) => -1 / (4 * x ** 1.5), lo: 1e-2, hi: 1e2 },
  { name: 'tan″ = 2 tan (1 + tan²)', f: (F) => F.tan, d2: (x) => 2 * Math.tan(x) * (1 + Math.tan(x) ** 2), lo: -1.4, hi: 1.4 },
  { name: 'tanh″ = −2 tanh (1 − tanh²)', f: (F) => F.tanh, d2: (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2), lo: -10, hi: 10 },
  { name: 'atan″ = −2x/(1 + x²)²', f: (F) => F.atan, d2: (x) => (-2 * x) / (1 + x * x) ** 2, lo: -10, hi: 10 },
  { name: 'σ″ = σ(1 − σ)(1 − 2σ)', f: (F) => F.sigmoid, d2: (x) => sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)), lo: -20, hi: 20 },
  { name: 'softplus″ = σ(1 − σ)', f: (F) => F.softplus, d2: (x) => sig(x) * (1 - sig(x)), lo: -20, hi: 20 },
  { name: 'sinh″ = sinh', f: (F) => F.sinh, d2: Math.sinh, lo: -10, hi: 10 },
  { name: 'asin″ = x/(1 − x²)^{3/2}', f: (F) => F.asin, d2: (x) => x / (1 - x * x) ** 1.5, lo: -0.9, hi: 0.9 },
  { name: '(x sin x)″ = 2 cos x − x sin x', f: (F) => (t) => F.mul(t, F.sin(t)), d2: (x) => 2 * Math.cos(x) - x * Math.sin(x), lo: -10, hi: 10 },
  { name: '(2ˣ)″ = 2ˣ ln² 2', f: (F) => (t) => F.expBase(2, t), d2: (x) => 2 ** x * Math.LN2 ** 2, lo: -10, hi: 10 },
]

describe('second derivatives (duals of duals)', () => {
  describe.each(table2)('$name', (r) => {
    test.prop([arbValue('float64', r.lo, r.hi)])('matches the closed form', (x) => {
      near(scalar.secondDerivative(r.f)(x), r.d2(x))
      near(scalar.derivative(scalar.diff(r.f))(x), r.d2(x))
    })
  })

  test.prop([fc.integer({ min: -4, max: 6 }), arbValue('float64', 0.1, 5)])('(xⁿ)″ = n(n − 1)xⁿ⁻²', (n, x) => {
    near(scalar.secondDerivative((F) => (t) => F.pow(t, n))(x), n * (n - 1) * x ** (n - 2))
  })

  test.prop([arbValue('float64', -5, 5)])('higher orders: sin‴ = −cos, sin⁗ = sin, (x⁵)⁽⁵⁾ = 120', (x) => {
    near(scalar.nthDerivative(3)((F) => F.sin)(x), -Math.cos(x))
    near(scalar.nthDerivative(4)((F) => F.sin)(x), Math.sin(x))
    near(scalar.nthDerivative(5)((F) => (t) => F.pow(t, 5))(x), 120)
    expect(scalar.nthDerivative(0)((F) => F.sin)(x)).toBe(Math.sin(x))
    expect(scalar.nthDerivative(1)((F) => F.sin)(x)).toBe(scalar.derivative((F) => F.sin)(x))
  })

  // x + ε₁ + ε₂: the two first-order parts of a hyper-dual are the same derivative
  test.prop([arbExpr, arbValue('float64', -2, 2)])('hyper-duals: the ε₁ and ε₂ parts agree; f″ ≈ FD of f′', (e, x) => {
    const DD = scalar.elementaryDual(D)
    const y = toScalar(e)(DD)(scalar.dual(scalar.variable(x), scalar.dual(1, 0)))
    const d1 = scalar.derivative(toScalar(e))(x)
    expect(y.re.re).toBe(toScalar(e)(N)(x))
    expect(y.re.eps).toBe(d1)
    near(y.eps.re, d1, { rtol: 1e-12, atol: 1e-12 })
    const d2 = scalar.secondDerivative(toScalar(e))(x)
    expect(y.eps.eps).toBe(d2)
    checkFd(d2, scalar.derivative(toScalar(e)), x, 1 + Math.abs(d1) + Math.abs(d2), show(e))
  })
})

// ---------------------------------------------------------------------------------------
// field laws

const arbDual = (lo = -10, hi = 10) =>
  fc.record({ re: arbValue('float64', lo, hi), eps: arbValue('float64', lo, hi) })
// |re| ∈ [0.5, 10]: invertible
const arbUnit = fc
  .tuple(arbDual(0.5, 10), fc.boolean())
  .map(([d, neg]) => scalar.dual(neg ? -d.re : d.re, d.eps))

describe('field laws of dual numbers', () => {
  const F = scalar.FieldDual
  const close = (a: scalar.Dual, b: scalar.Dual, atol = 1e-9) => allClose([a.re, a.eps], [b.re, b.eps], { rtol: 1e-12, atol })

  test.prop([arbDual(), arbDual()])('add and mul commute exactly', (x, y) => {
    expect(F.add(x, y)).toEqual(F.add(y, x))
    expect(F.mul(x, y)).toEqual(F.mul(y, x))
  })

  // values in [−10, 10]: products reach 1e3, tangents of triple products 3e3
  test.prop([arbDual(), arbDual(), arbDual()])('add and mul associate within rounding', (x, y, z) => {
    close(F.add(x, F.add(y, z)), F.add(F.add(x, y), z), 1e-12 * 30)
    close(F.mul(x, F.mul(y, z)), F.mul(F.mul(x, y), z), 1e-12 * 3e3)
  })

  test.prop([arbDual(), arbDual(), arbDual()])('mul distributes over add', (x, y, z) => {
    close(F.mul(x, F.add(y, z)), F.add(F.mul(x, y), F.mul(x, z)), 1e-12 * 1e3)
  })

  test.prop([arbDual()])('identities, negation and subtraction are exact', (x) => {
    expect(F.add(x, F.zero)).toEqual(x)
    expect(F.mul(x, F.one)).toEqual(x)
    expect(F.mul(x, F.zero)).toEqual(scalar.dual(0 * x.re, 0 * x.eps + 0 * x.re))
    expect(F.sub(x, x)).toEqual(F.zero)
    expect(F.add(x, D.neg(x))).toEqual(F.zero)
  })

  test.prop([arbUnit, arbDual()])('inverses: x · (1/x) ≈ 1 and y/x · x ≈ y when x.re ≠ 0', (x, y) => {
    close(F.mul(x, F.div(F.one, x)), F.one, 1e-12 * 1e3)
    close(F.div(x, x), F.one, 1e-12 * 1e3)
    close(F.mul(F.div(y, x), x), y, 1e-12 * 1e4)
  })

  test.prop([arbDual(), arbUnit])('trivial Euclidean structure: degree 1, mod 0, x = (x/y)·y + x mod y', (x, y) => {
    expect(F.degree(x)).toBe(1)
    expect(F.mod(x, y)).toEqual(F.zero)
    close(F.add(F.mul(F.div(x, y), y), F.mod(x, y)), x, 1e-12 * 1e4)
  })

  test.prop([arbValue('float64', -10, 10)])('ε² = 0 (duals are a ring with zero divisors), and (a + ε)ⁿ = aⁿ + naⁿ⁻¹ε', (a) => {
    const eps = scalar.dual(0, 1)
    expect(F.mul(eps, eps)).toEqual(F.zero)
    const x = scalar.variable(a)
    close(F.mul(x, F.mul(x, x)), scalar.dual(a ** 3, 3 * a * a), 1e-12 * 1e3)
  })

  test.prop([arbValue('float64', -10, 10), arbValue('float64', 0.5, 10)])('FieldNumber: trivial Euclidean structure', (a, b) => {
    const FN = scalar.FieldNumber
    expect(FN.degree(a)).toBe(1)
    expect(FN.mod(a, b)).toBe(0)
    near(FN.add(FN.mul(FN.div(a, b), b), FN.mod(a, b)), a, { rtol: 1e-15, atol: 1e-300 }) // subnormals round
    expect([FN.add(a, b), FN.sub(a, b), FN.mul(a, b), FN.div(a, b), FN.zero, FN.one]).toEqual([a + b, a - b, a * b, a / b, 0, 1])
  })

  test.prop([arbDual(), arbDual(), arbDual()])('duals over duals: mul distributes over add', (a, b, c) => {
    const DD = scalar.elementaryDual(D)
    const x = scalar.dual(a, b)
    const [y, z] = [scalar.dual(b, c), scalar.dual(c, a)]
    const l = DD.mul(x, DD.add(y, z))
    const r = DD.add(DD.mul(x, y), DD.mul(x, z))
    allClose([l.re.re, l.re.eps, l.eps.re, l.eps.eps], [r.re.re, r.re.eps, r.eps.re, r.eps.eps], { rtol: 1e-12, atol: 1e-9 })
  })
})

// ---------------------------------------------------------------------------------------
// agreement with the tensor AD

// The same generic functions, evaluated on float64 scalar tensors through `ops`, so that
// `grad` differentiates them by the rule table. Functions `ops` lacks are composed.
const t64 = (c: number): Tensor => ops.scalar(c, 'float64')
const ElementaryTensor: Elementary<Tensor> = {
  zero: t64(0),
  one: t64(1),
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  degree: () => 1,
  mod: () => t64(0),
  fromNumber: t64,
  neg: ops.neg,
  exp: ops.exp,
  expm1: ops.expm1,
  log: ops.log,
  log1p: ops.log1p,
  sqrt: ops.sqrt,
  pow: (x, n) => ops.pow(x, n),
  expBase: (a, x) => ops.exp(ops.mul(x, Math.log(a))),
  sin: ops.sin,
  cos: ops.cos,
  tan: ops.tan,
  asin: (x) => ops.atan(ops.div(x, ops.sqrt(ops.sub(1, ops.square(x))))),
  acos: (x) => ops.sub(Math.PI / 2, ops.atan(ops.div(x, ops.sqrt(ops.sub(1, ops.square(x)))))),
  atan: ops.atan,
  sinh: (x) => ops.div(ops.sub(ops.exp(x), ops.exp(ops.neg(x))), 2),
  cosh: (x) => ops.div(ops.add(ops.exp(x), ops.exp(ops.neg(x))), 2),
  tanh: ops.tanh,
  sigmoid: ops.sigmoid,
  softplus: ops.softplus,
  abs: ops.abs,
  sign: ops.sign,
}

describe('scalar duals agree with the tensor AD', () => {
  const onTensor = (f: Scalar) => (t: Tensor): Tensor => f(ElementaryTensor)(t)

  describe.each(table.filter((r) => r.name !== 'sign' && r.name !== 'c (constant)'))('d $name', (r) => {
    test.prop([arbValue('float64', r.lo, r.hi)], { numRuns: 20 })('derivative(f)(x) ≈ item(grad(f)(x))', (x) => {
      near(scalar.derivative(r.f)(x), ops.item(grad(onTensor(r.f))(t64(x))))
    })
  })

  // composed functions (asin, sinh, …) take other paths through the rule table, so compare
  // within 1e-9 relative to the size of the derivative
  test.prop([arbExpr, arbValue('float64', -2, 2)], { numRuns: 50 })('random compositions: first derivatives', (e, x) => {
    const f = toScalar(e)
    const d = scalar.derivative(f)(x)
    near(ops.item(f(ElementaryTensor)(t64(x))), f(N)(x))
    near(ops.item(grad(onTensor(f))(t64(x))), d, { rtol: 1e-9, atol: 1e-9 * (1 + Math.abs(d)) })
  })

  test.prop([arbExpr, arbValue('float64', -2, 2)], { numRuns: 30 })('random compositions: second derivatives (grad of grad)', (e, x) => {
    const f = toScalar(e)
    const d2 = scalar.secondDerivative(f)(x)
    const g2 = ops.item(grad(grad(onTensor(f)))(t64(x)))
    near(g2, d2, { rtol: 1e-8, atol: 1e-8 * (1 + Math.abs(d2)) })
  })
})

/**
 * Scalar dual numbers: closed-form derivatives at fixed points, constructors, nesting for
 * second and higher derivatives, and errors.
 */
import { describe, expect, test } from 'vitest'
import { DomainError, scalar } from 'dendrite'

const { derivative, secondDerivative, nthDerivative, valueAndDerivative, dual, variable, constant } = scalar
const D = scalar.ElementaryDual
const N = scalar.ElementaryNumber

describe('constructors', () => {
  test('dual, variable and constant', () => {
    expect(dual(3, 2)).toEqual({ re: 3, eps: 2 })
    expect(dual(3)).toEqual({ re: 3, eps: 0 })
    expect(variable(3)).toEqual({ re: 3, eps: 1 })
    expect(constant(3)).toEqual({ re: 3, eps: 0 })
    expect(dual(variable(1), constant(2))).toEqual({ re: { re: 1, eps: 1 }, eps: { re: 2, eps: 0 } })
  })

  test('arithmetic on duals follows ε² = 0', () => {
    const x = dual(2, 1)
    const y = dual(3, 5)
    expect(D.add(x, y)).toEqual({ re: 5, eps: 6 })
    expect(D.sub(x, y)).toEqual({ re: -1, eps: -4 })
    expect(D.mul(x, y)).toEqual({ re: 6, eps: 13 }) // 1·3 + 2·5
    expect(D.div(dual(6, 13), y)).toEqual({ re: 2, eps: 1 })
    expect(D.neg(x)).toEqual({ re: -2, eps: -1 })
    expect(D.fromNumber(7)).toEqual({ re: 7, eps: 0 })
    expect(D.mul(dual(0, 1), dual(0, 1))).toEqual(D.zero)
  })
})

describe('closed-form first derivatives', () => {
  test('d/dx x² at 3 is 6, d/dx sin at 0 is 1', () => {
    expect(derivative((F) => (x) => F.mul(x, x))(3)).toBe(6)
    expect(derivative((F) => (x) => F.pow(x, 2))(3)).toBe(6)
    expect(derivative((F) => F.sin)(0)).toBe(1)
  })

  test('d/dx x·sin x = sin x + x cos x', () => {
    const f: scalar.Scalar = (F) => (x) => F.mul(x, F.sin(x))
    expect(derivative(f)(0)).toBe(0)
    expect(derivative(f)(Math.PI / 2)).toBeCloseTo(1, 15)
    expect(derivative(f)(Math.PI)).toBeCloseTo(-Math.PI, 14)
    expect(derivative(f)(1)).toBe(Math.sin(1) + Math.cos(1))
  })

  test('the table at simple points', () => {
    expect(derivative((F) => F.exp)(0)).toBe(1)
    expect(derivative((F) => F.expm1)(0)).toBe(1)
    expect(derivative((F) => F.log)(2)).toBe(0.5)
    expect(derivative((F) => F.log1p)(1)).toBe(0.5)
    expect(derivative((F) => F.sqrt)(4)).toBe(0.25)
    expect(derivative((F) => F.cos)(0)).toBe(-0)
    expect(derivative((F) => F.tan)(0)).toBe(1)
    expect(derivative((F) => F.tanh)(0)).toBe(1)
    expect(derivative((F) => F.atan)(1)).toBe(0.5)
    expect(derivative((F) => F.asin)(0)).toBe(1)
    expect(derivative((F) => F.acos)(0)).toBe(-1)
    expect(derivative((F) => F.sinh)(0)).toBe(1)
    expect(derivative((F) => F.cosh)(0)).toBe(0)
    expect(derivative((F) => F.sigmoid)(0)).toBe(0.25)
    expect(derivative((F) => F.softplus)(0)).toBe(0.5)
    expect(derivative((F) => (x) => F.pow(x, 3))(2)).toBe(12)
    expect(derivative((F) => (x) => F.pow(x, -1))(2)).toBe(-0.25)
    expect(derivative((F) => (x) => F.pow(x, 0.5))(4)).toBe(0.25)
    expect(derivative((F) => (x) => F.expBase(2, x))(0)).toBe(Math.LN2)
    expect(derivative((F) => (x) => F.expBase(2, x))(3)).toBe(8 * Math.LN2)
    expect(derivative((F) => F.abs)(-3)).toBe(-1)
    expect(derivative((F) => F.abs)(3)).toBe(1)
    expect(derivative((F) => F.abs)(0)).toBe(0)
    expect(derivative((F) => F.sign)(2)).toBe(0)
  })

  test('quotient and chain rules at points', () => {
    expect(derivative((F) => (x) => F.div(F.one, x))(2)).toBe(-0.25)
    // (x / (1 + x))′ = 1 / (1 + x)² = 1/9 at 2
    expect(derivative((F) => (x) => F.div(x, F.add(F.one, x)))(2)).toBeCloseTo(1 / 9, 15)
    // sin(x²)′ = 2x cos x² = 0 at 0
    expect(derivative((F) => (x) => F.sin(F.mul(x, x)))(0)).toBe(0)
    // exp(sin x)′ = cos x · e^{sin x} = 1 at 0
    expect(derivative((F) => (x) => F.exp(F.sin(x)))(0)).toBe(1)
  })

  test('stable sigmoid and softplus far out', () => {
    expect(derivative((F) => F.sigmoid)(1e4)).toBe(0)
    expect(derivative((F) => F.sigmoid)(-1e4)).toBe(0)
    expect(derivative((F) => F.softplus)(1e4)).toBe(1)
    expect(derivative((F) => F.softplus)(-1e4)).toBe(0)
  })

  test('x⁰ is the constant 1, with derivative 0 even at 0', () => {
    expect(derivative((F) => (x) => F.pow(x, 0))(0)).toBe(0)
    expect(secondDerivative((F) => (x) => F.pow(x, 0))(0)).toBe(0)
  })

  test('valueAndDerivative', () => {
    expect(valueAndDerivative((F) => F.exp)(0)).toEqual([1, 1])
    expect(valueAndDerivative((F) => (x) => F.mul(x, x))(3)).toEqual([9, 6])
  })

  test('generic functions evaluate on numbers too', () => {
    const f: scalar.Scalar = (F) => (x) => F.mul(x, F.sin(x))
    expect(f(N)(2)).toBe(2 * Math.sin(2))
    expect(f(D)(variable(2)).re).toBe(2 * Math.sin(2))
  })
})

describe('higher derivatives by nesting', () => {
  test('second derivatives', () => {
    expect(secondDerivative((F) => (x) => F.pow(x, 3))(2)).toBe(12)
    expect(secondDerivative((F) => F.sin)(Math.PI / 2)).toBe(-1)
    expect(secondDerivative((F) => F.exp)(0)).toBe(1)
    expect(secondDerivative((F) => F.log)(2)).toBe(-0.25)
    // (x sin x)″ = 2 cos x − x sin x = 2 at 0
    expect(secondDerivative((F) => (x) => F.mul(x, F.sin(x)))(0)).toBe(2)
  })

  test('diff gives the derivative as a generic function', () => {
    const d = scalar.diff((F) => (x) => F.pow(x, 3))
    expect(d(N)(2)).toBe(12)
    expect(derivative(d)(2)).toBe(12)
    expect(derivative(scalar.diff(d))(2)).toBe(6)
  })

  test('nthDerivative', () => {
    expect(nthDerivative(3)((F) => (x) => F.pow(x, 3))(7)).toBe(6)
    expect(nthDerivative(4)((F) => F.sin)(0)).toBe(0)
    expect(nthDerivative(3)((F) => F.sin)(0)).toBe(-1)
    expect(nthDerivative(6)((F) => F.exp)(0)).toBe(1)
  })

  test('hyper-dual numbers: x + ε₁ + ε₂ gives f, f′, f′ and f″', () => {
    const DD = scalar.elementaryDual(D)
    const y = DD.sin(dual(variable(0), dual(1, 0)))
    expect(y).toEqual({ re: { re: 0, eps: 1 }, eps: { re: 1, eps: 0 } }) // sin 0, sin′ 0, sin′ 0, sin″ 0
  })
})

describe('errors', () => {
  test('nthDerivative needs an integer order ≥ 0', () => {
    expect(() => nthDerivative(-1)((F) => F.sin)).toThrow(DomainError)
    expect(() => nthDerivative(1.5)((F) => F.sin)).toThrow(/nthDerivative: order must be an integer ≥ 0, got 1.5/)
  })
})

/**
 * Broadcasting: every binary operation on broadcast-compatible shapes equals the same
 * operation on operands explicitly expanded with `broadcastTo`; the broadcast of shapes
 * is commutative and associative.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops } from 'dendrite'
import { arbTensorOf } from './helpers.js'

/** A shape and a compatible one: drop some leading axes, set some axes to 1. */
const compatible = (base: readonly number[]) =>
  fc
    .tuple(fc.integer({ min: 0, max: base.length }), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }))
    .map(([drop, ones]) => base.map((d, i) => (ones[i] ? 1 : d)).slice(drop))

const pair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((base) => fc.tuple(compatible(base), compatible(base)))
  .chain(([sa, sb]) => fc.tuple(arbTensorOf(sa, 'float64', -3, 3), arbTensorOf(sb, 'float64', -3, 3)))

const binaries = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const

describe('broadcasting', () => {
  test.prop([pair])('every binary op agrees with explicit broadcastTo', ([a, b]) => {
    const s = ops.broadcastShapes(a.shape, b.shape)
    const ea = ops.broadcastTo(a, s)
    const eb = ops.broadcastTo(b, s)
    for (const name of binaries) {
      const f = ops[name]
      const got = f(a, b)
      expect(got.shape).toEqual(s)
      expect(ops.toFlat(got)).toEqual(ops.toFlat(f(ea, eb)))
    }
    expect(ops.toFlat(ops.where(ops.greater(a, 0), a, b))).toEqual(ops.toFlat(ops.where(ops.greater(ea, 0), ea, eb)))
  })

  test.prop([pair])('broadcastShapes commutes', ([a, b]) => {
    expect(ops.broadcastShapes(a.shape, b.shape)).toEqual(ops.broadcastShapes(b.shape, a.shape))
  })

  test.prop([fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 }).chain((base) => fc.tuple(compatible(base), compatible(base), compatible(base)))])(
    'broadcastShapes associates',
    ([a, b, c]) => {
      expect(ops.broadcastShapes(a, ops.broadcastShapes(b, c))).toEqual(ops.broadcastShapes(ops.broadcastShapes(a, b), c))
    },
  )

  test.prop([fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 3 })])('incompatible shapes throw a ShapeError naming both', (s) => {
    const t = s.map((d) => d + 1)
    expect(() => ops.add(ops.zeros(s), ops.zeros(t))).toThrow(/add: cannot broadcast/)
  })
})

/**
 * One test case per primitive of the rule table: how to draw valid inputs (from the
 * primitive's own domain) and parameters. Typed as a mapped type over `PrimitiveName`,
 * so a primitive added to the table without a case here does not compile, and every
 * table-driven law (finite differences, adjointness, linearity, second order) covers it.
 */
import fc from 'fast-check'
import { uniform } from './helpers.js'
import { ops, type Primitive, type PrimitiveName, type Tensor } from 'dendrite'

export interface Case {
  /** Inputs (float64) and parameters. */
  readonly draw: fc.Arbitrary<{ readonly xs: ReadonlyArray<Tensor>; readonly params: unknown }>
  /** Inputs that carry no tangent (labels, conditions). */
  readonly constInputs?: ReadonlyArray<number>
  /** The primitive has zero derivative everywhere. */
  readonly nondiff?: boolean
}

const shape = (maxRank = 3) => fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: maxRank })
const vals = (s: readonly number[], min: number, max: number) =>
  fc.array(uniform(min, max), { minLength: ops.sizeOf(s), maxLength: ops.sizeOf(s) })
    .map((v) => ops.fromArray(v, s, 'float64'))
/** Values with |x| in [lo, hi] and a random sign (away from a kink or pole at 0). */
const away = (s: readonly number[], lo: number, hi: number) =>
  fc.tuple(vals(s, lo, hi), fc.array(fc.boolean(), { minLength: ops.sizeOf(s), maxLength: ops.sizeOf(s) }))
    .map(([x, sg]) => ops.mul(x, ops.fromArray(sg.map((b) => (b ? 1 : -1)), s, 'float64')))
const tensor = (min = -2, max = 2, maxRank = 3) => shape(maxRank).chain((s) => vals(s, min, max))

const unary = (min: number, max: number): Case => ({ draw: tensor(min, max).map((x) => ({ xs: [x], params: null })) })
const unaryAway = (lo: number, hi: number): Case => ({ draw: shape().chain((s) => away(s, lo, hi)).map((x) => ({ xs: [x], params: null })) })

/** Two broadcast-compatible operands. */
const pair = (a: (s: readonly number[]) => fc.Arbitrary<Tensor>, b: (s: readonly number[]) => fc.Arbitrary<Tensor>) =>
  shape()
    .chain((base) => fc.tuple(fc.constant(base), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }), fc.nat(base.length)))
    .chain(([base, ones, drop]) => fc.tuple(a(base), b(base.map((d, i) => (ones[i] ? 1 : d)).slice(drop))))
const binary = (a: (s: readonly number[]) => fc.Arbitrary<Tensor>, b: (s: readonly number[]) => fc.Arbitrary<Tensor>): Case => ({
  draw: pair(a, b).map(([x, y]) => ({ xs: [x, y], params: null })),
})
/** Operands of one shape whose elements differ by at least 0.05 (no ties for max/min). */
const untied: Case = {
  draw: shape().chain((s) => fc.tuple(vals(s, -2, 2), away(s, 0.05, 1))).map(([a, d]) => ({ xs: [a, ops.add(a, d)], params: null })),
}
const cmp: Case = { ...binary((s) => vals(s, -2, 2), (s) => vals(s, -2, 2)), nondiff: true }

const square = (n: number) => vals([n, n], -1, 1).map((r) => ops.add(r, ops.mul(ops.eye(n, n, 'float64'), n + 1)))
const spd = (n: number) => vals([n, n], -1, 1).map((m) => ops.add(ops.matmul(ops.transpose(m), m), ops.mul(ops.eye(n, n, 'float64'), n)))
/** Distinct values (spaced by 0.1) in a random order: no ties for max/min. */
const distinct = (s: readonly number[]) => {
  const grid = Array.from({ length: 41 }, (_, i) => -2 + i / 10)
  return fc.shuffledSubarray(grid, { minLength: ops.sizeOf(s), maxLength: ops.sizeOf(s) }).map((v) => ops.fromArray(v, s, 'float64'))
}
const reduceParams = (t: Tensor) =>
  fc.tuple(fc.subarray(t.shape.map((_, i) => i), { minLength: 1 }), fc.boolean()).map(([axes, keepDims]) => ({ xs: [t], params: { axes, keepDims } }))
const indexMapOf = (n: number, m: number) => fc.array(fc.nat(n - 1), { minLength: m, maxLength: m }).map((a) => Int32Array.from(a))

export const cases: { readonly [K in PrimitiveName]: Case } = {
  neg: unary(-3, 3),
  exp: unary(-3, 3),
  log: unary(0.1, 5),
  log1p: unary(-0.5, 5),
  expm1: unary(-3, 3),
  sqrt: unary(0.1, 5),
  abs: unaryAway(0.05, 3),
  sin: unary(-3, 3),
  cos: unary(-3, 3),
  tan: unary(-1.2, 1.2),
  tanh: unary(-3, 3),
  atan: unary(-3, 3),
  sigmoid: unary(-5, 5),
  softplus: unary(-5, 5),
  relu: unaryAway(0.05, 3),
  square: unary(-3, 3),
  reciprocal: unaryAway(0.2, 3),
  sign: { ...unaryAway(0.05, 3), nondiff: true },
  add: binary((s) => vals(s, -2, 2), (s) => vals(s, -2, 2)),
  sub: binary((s) => vals(s, -2, 2), (s) => vals(s, -2, 2)),
  mul: binary((s) => vals(s, -2, 2), (s) => vals(s, -2, 2)),
  div: binary((s) => vals(s, -2, 2), (s) => away(s, 0.3, 2)),
  pow: binary((s) => vals(s, 0.2, 3), (s) => vals(s, -2, 2)),
  maximum: untied,
  minimum: untied,
  equal: cmp, notEqual: cmp, less: cmp, lessEqual: cmp, greater: cmp, greaterEqual: cmp,
  where: {
    draw: shape().chain((s) => fc.tuple(vals(s, 0, 1).map((c) => ops.greater(c, 0.5)), vals(s, -2, 2), vals(s, -2, 2)))
      .map(([c, a, b]) => ({ xs: [c, a, b], params: null })),
    constInputs: [0],
  },
  reshape: { draw: tensor().map((x) => ({ xs: [x], params: { shape: [ops.sizeOf(x.shape)] } })) },
  transpose: {
    draw: tensor().chain((x) => fc.shuffledSubarray(x.shape.map((_, i) => i), { minLength: x.shape.length, maxLength: x.shape.length }).map((perm) => ({ xs: [x], params: { perm } }))),
  },
  broadcastTo: { draw: tensor(-2, 2, 2).chain((x) => fc.integer({ min: 1, max: 3 }).map((k) => ({ xs: [x], params: { shape: [k, ...x.shape] } }))) },
  pad: {
    draw: tensor().chain((x) => fc.tuple(fc.tuple(...x.shape.map(() => fc.tuple(fc.nat(2), fc.nat(2)))), uniform(-3, 3))
      .map(([widths, value]) => ({ xs: [x], params: { widths, value } }))),
  },
  concat: {
    draw: shape().chain((s) => fc.tuple(fc.nat(s.length - 1), fc.integer({ min: 1, max: 3 })).chain(([axis, k]) =>
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: k, maxLength: k }).chain((lens) =>
        fc.tuple(...lens.map((l) => vals(s.map((d, i) => (i === axis ? l : d)), -2, 2))).map((xs) => ({ xs, params: { axis } }))))),
  },
  oneHot: { draw: fc.array(fc.nat(3), { minLength: 1, maxLength: 4 }).map((ys) => ({ xs: [ops.fromArray(ys, [ys.length], 'float64')], params: { depth: 4, dtype: 'float64' } })), nondiff: true },
  astype: { draw: tensor().map((x) => ({ xs: [x], params: { dtype: 'float64' } })) },
  slice: {
    draw: tensor().chain((x) => fc.tuple(...x.shape.map((n) => fc.record({ start: fc.integer({ min: -n, max: n - 1 }), step: fc.constantFrom(1, 2, -1) }))).map((specs) => ({ xs: [x], params: { specs } }))),
  },
  take: {
    draw: tensor().chain((x) => fc.nat(x.shape.length - 1).chain((axis) =>
      fc.array(fc.nat(x.shape[axis] - 1), { minLength: 1, maxLength: 4 }).map((indices) => ({ xs: [x], params: { indices, idxShape: [indices.length], axis } })))),
  },
  flip: { draw: tensor().chain((x) => fc.subarray(x.shape.map((_, i) => i)).map((axes) => ({ xs: [x], params: { axes } }))) },
  tile: { draw: tensor(-2, 2, 2).chain((x) => fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }).map((reps) => ({ xs: [x], params: { reps } }))) },
  gather: {
    draw: tensor().chain((x) => fc.integer({ min: 1, max: 6 }).chain((m) => indexMapOf(ops.sizeOf(x.shape), m).map((map) => ({ xs: [x], params: { map, shape: [m], label: 'gather' } })))),
  },
  scatterAdd: {
    draw: tensor(-2, 2, 1).chain((x) => fc.integer({ min: 1, max: 4 }).chain((n) => indexMapOf(n, ops.sizeOf(x.shape)).map((map) => ({ xs: [x], params: { map, shape: [n] } })))),
  },
  sum: { draw: tensor().chain(reduceParams) },
  max: { draw: shape().chain(distinct).chain(reduceParams) },
  min: { draw: shape().chain(distinct).chain(reduceParams) },
  prod: { draw: shape().chain((s) => away(s, 0.5, 2)).chain(reduceParams) },
  cumsum: { draw: tensor().chain((x) => fc.nat(x.shape.length - 1).map((axis) => ({ xs: [x], params: { axis } }))) },
  argmax: { draw: tensor().map((x) => ({ xs: [x], params: { axis: 0, keepDims: false } })), nondiff: true },
  argmin: { draw: tensor().map((x) => ({ xs: [x], params: { axis: -1, keepDims: true } })), nondiff: true },
  matmul: {
    // with and without the transpose flags (a flagged operand is stored with its last two axes swapped)
    draw: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.boolean(), fc.boolean(), fc.boolean())
      .chain(([m, k, n, b, bcast, ta, tb]) =>
        fc.tuple(vals(bcast ? (ta ? [k, m] : [m, k]) : [b, ...(ta ? [k, m] : [m, k])], -2, 2), vals([b, ...(tb ? [n, k] : [k, n])], -2, 2))
          .map(([x, y]) => ({ xs: [x, y], params: ta || tb ? { transA: ta, transB: tb } : null }))),
  },
  solve: {
    draw: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.constantFrom('general', 'spd'))
      .chain(([n, k, assume]) => fc.tuple(assume === 'spd' ? spd(n) : square(n), vals([n, k], -2, 2)).map(([a, b]) => ({ xs: [a, b], params: { assume } }))),
  },
  cholesky: { draw: fc.integer({ min: 1, max: 3 }).chain(spd).map((a) => ({ xs: [a], params: null })) },
  det: { draw: fc.integer({ min: 1, max: 3 }).chain(square).map((a) => ({ xs: [a], params: null })) },
  lstsq: {
    draw: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.constantFrom(0, 0.5))
      .chain(([n, k, ridge]) => fc.tuple(vals([n + 2, n], -1, 1).map((a) => ops.add(a, ops.pad(ops.mul(ops.eye(n, n, 'float64'), 2), [[0, 2], [0, 0]]))), vals([n + 2, k], -2, 2))
        .map(([a, b]) => ({ xs: [a, b], params: { ridge } }))),
  },
  im2col: {
    draw: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 3, max: 4 }), fc.constantFrom(1, 2), fc.constantFrom(0, 1))
      .chain(([c, h, s, p]) => vals([1, c, h, h], -2, 2).map((x) => ({ xs: [x], params: { kernel: [2, 2], opts: { stride: s, padding: p }, image: [h, h] } }))),
  },
  col2im: {
    draw: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.constantFrom(3, 4), fc.constantFrom(1, 2))
      .chain(([c, h, s]) => {
        const o = Math.floor((h - 2) / s) + 1
        return vals([1, c * 4, o * o], -2, 2).map((x) => ({ xs: [x], params: { kernel: [2, 2], opts: { stride: s }, image: [h, h] } }))
      }),
  },
  stopGradient: { draw: tensor().map((x) => ({ xs: [x], params: null })), nondiff: true },
}

/** The primitive of a case (from the public table). */
export type Prim = Primitive<unknown>

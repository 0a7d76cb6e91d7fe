/**
 * Shape and layout laws: reshape round trip, transpose involution and composition,
 * concat∘split = id, unstack∘stack = id, slicing agrees with a naive index loop, flip is an
 * involution, take with all indices is the identity, pad then slice is the identity.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { ops, type Tensor } from 'dendrite'
import { arbShape, arbTensor, arbTensorOf } from './helpers.js'

const t3 = arbTensor({ minRank: 1, maxRank: 4, maxDim: 4 })
const perm = (n: number) => fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n })
const flat = ops.toFlat

/** Element at a multi-index, read straight from the definition of row-major layout. */
const at = (t: Tensor, idx: readonly number[]): number => {
  let off = 0
  for (let k = 0; k < idx.length; k++) off = off * t.shape[k] + idx[k]
  return t.data[off]
}
const allIndices = (shape: readonly number[]): number[][] =>
  shape.reduce<number[][]>((acc, d) => acc.flatMap((p) => Array.from({ length: d }, (_, i) => [...p, i])), [[]])

describe('shape', () => {
  test.prop([t3])('reshape round trip', (t) => {
    const r = ops.reshape(t, [-1])
    expect(r.shape).toEqual([ops.sizeOf(t.shape)])
    const back = ops.reshape(r, t.shape)
    expect(back.shape).toEqual(t.shape)
    expect(flat(back)).toEqual(flat(t))
  })

  test.prop([t3.chain((t) => fc.tuple(fc.constant(t), perm(t.shape.length), perm(t.shape.length)))])(
    'transpose: involution, composition, and the index definition',
    ([t, p, q]) => {
      const inv = p.map((_, i) => p.indexOf(i))
      expect(flat(ops.transpose(ops.transpose(t, p), inv))).toEqual(flat(t))
      const composed = q.map((a) => p[a])
      expect(flat(ops.transpose(ops.transpose(t, p), q))).toEqual(flat(ops.transpose(t, composed)))
      const tp = ops.transpose(t, p)
      for (const i of allIndices(tp.shape)) {
        const j = new Array<number>(p.length)
        p.forEach((a, k) => (j[a] = i[k]))
        expect(at(tp, i)).toBe(at(t, j))
      }
      if (t.shape.length === 2) expect(flat(ops.transpose(ops.transpose(t)))).toEqual(flat(t))
    },
  )

  test.prop([
    t3.chain((t) =>
      fc.tuple(
        fc.constant(t),
        fc.integer({ min: 0, max: t.shape.length - 1 }).chain((ax) =>
          fc.tuple(fc.constant(ax), fc.array(fc.integer({ min: 0, max: t.shape[ax] }), { maxLength: 3 })),
        ),
      ),
    ),
  ])('concat ∘ split = id (at any cut points)', ([t, [ax, cuts]]) => {
    const pts = [0, ...[...cuts].sort((a, b) => a - b), t.shape[ax]]
    const sizes = pts.slice(1).map((p, i) => p - pts[i])
    const parts = ops.split(t, sizes, ax)
    expect(parts.map((p) => p.shape[ax])).toEqual(sizes)
    const back = ops.concat(parts, ax)
    expect(back.shape).toEqual(t.shape)
    expect(flat(back)).toEqual(flat(t))
  })

  test.prop([
    arbShape({ maxRank: 3 }).chain((s) =>
      fc.tuple(fc.array(arbTensorOf(s), { minLength: 1, maxLength: 4 }), fc.integer({ min: -(s.length + 1), max: s.length })),
    ),
  ])('unstack ∘ stack = id', ([ts, ax]) => {
    const s = ops.stack(ts, ax)
    const back = ops.unstack(s, ax)
    expect(back.length).toBe(ts.length)
    back.forEach((b, i) => {
      expect(b.shape).toEqual(ts[i].shape)
      expect(flat(b)).toEqual(flat(ts[i]))
    })
  })

  const spec = (n: number) =>
    fc.record(
      {
        start: fc.integer({ min: -n - 2, max: n + 2 }),
        stop: fc.integer({ min: -n - 2, max: n + 2 }),
        step: fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
      },
      { requiredKeys: [] },
    )

  /** Python's slice.indices, written from the language reference. */
  const pyIndices = (n: number, s: { start?: number; stop?: number; step?: number }): number[] => {
    const step = s.step ?? 1
    const norm = (v: number | undefined, d: number): number => {
      if (v === undefined) return d
      const w = v < 0 ? v + n : v
      return step > 0 ? Math.min(Math.max(w, 0), n) : Math.min(Math.max(w, -1), n - 1)
    }
    const start = norm(s.start, step > 0 ? 0 : n - 1)
    const stop = norm(s.stop, step > 0 ? n : -1)
    const out: number[] = []
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i)
    return out
  }

  test.prop([t3.chain((t) => fc.tuple(fc.constant(t), fc.tuple(...t.shape.map((d) => spec(d)))))])(
    'slice with steps agrees with a naive index loop',
    ([t, specs]) => {
      const got = ops.slice(t, specs)
      const lists = t.shape.map((n, k) => pyIndices(n, specs[k]))
      expect(got.shape).toEqual(lists.map((l) => l.length))
      const expected = allIndices(got.shape).map((i) => at(t, i.map((v, k) => lists[k][v])))
      expect(flat(got)).toEqual(expected)
    },
  )

  test.prop([t3.chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 0, max: t.shape.length - 1 })))])(
    'flip is an involution; take(arange) is the identity',
    ([t, ax]) => {
      expect(flat(ops.flip(ops.flip(t, ax), ax))).toEqual(flat(t))
      expect(flat(ops.flip(ops.flip(t)))).toEqual(flat(t))
      const idx = Array.from({ length: t.shape[ax] }, (_, i) => i)
      expect(flat(ops.take(t, idx, ax))).toEqual(flat(t))
      expect(flat(ops.take(t, [...idx].reverse(), ax))).toEqual(flat(ops.flip(t, ax)))
    },
  )

  test.prop([t3.chain((t) => fc.tuple(fc.constant(t), fc.tuple(...t.shape.map(() => fc.tuple(fc.nat(2), fc.nat(2))))))])(
    'slicing the padding back off gives the input',
    ([t, widths]) => {
      const p = ops.pad(t, widths, 7)
      expect(p.shape).toEqual(t.shape.map((d, k) => d + widths[k][0] + widths[k][1]))
      const back = ops.slice(p, widths.map(([b], k) => ({ start: b, stop: b + t.shape[k] })))
      expect(flat(back)).toEqual(flat(t))
      expect(flat(p).filter((v) => v === 7).length).toBeGreaterThanOrEqual(ops.sizeOf(p.shape) - ops.sizeOf(t.shape))
    },
  )

  test.prop([t3.chain((t) => fc.tuple(fc.constant(t), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 4 })))])(
    'tile repeats by the modular index',
    ([t, reps]) => {
      const tt = ops.tile(t, reps)
      const r = Math.max(reps.length, t.shape.length)
      const s = [...new Array(r - t.shape.length).fill(1), ...t.shape]
      for (const i of allIndices(tt.shape)) {
        expect(at(tt, i)).toBe(at(ops.reshape(t, s), i.map((v, k) => v % s[k])))
      }
    },
  )

  test.prop([fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 6 })])('oneHot rows hold one 1 at the label', (ys) => {
    const h = ops.oneHot(ys, 5)
    expect(h.shape).toEqual([ys.length, 5])
    ys.forEach((y, i) => {
      const row = ops.toFlat(ops.slice(h, [i]))
      expect(row.reduce((a, b) => a + b, 0)).toBe(1)
      expect(row[y]).toBe(1)
    })
  })
})

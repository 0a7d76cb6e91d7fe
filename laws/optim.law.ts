/**
 * Optimiser laws: each optimiser reproduces its recurrence from the notes, iterated by hand
 * on plain numbers over random gradient sequences (momentum, nesterov, rmsprop, adam,
 * adamw); sgd(η) is w − η g exactly and the identity for η = 0; adam's first step moves
 * every coordinate by ≈ η against its gradient; clipping never increases the global norm
 * and leaves small gradients alone; chain composes; schedules are evaluated at the step
 * count; states survive an io round trip; update never changes its inputs. Schedule laws:
 * warm-up is linear and reaches the rate at warmupSteps, cosine decay ends at α·η₀, step
 * decay is piecewise constant.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { io, jvp, ops, optim, tree, type Tensor } from 'dendrite'
import { allClose, arb, checkGrads } from 'dendrite/testing'
import type { Tree } from '../src/tree/index.js'

type P = { a: Tensor; b: ReadonlyArray<Tensor> }
const like: P = { a: ops.zeros([3], 'float64'), b: [ops.zeros([2, 2], 'float64')] }
const arbParams = arb.treeLike(like, { min: -5, max: 5 })
const arbGrads = (min: number, max: number) => fc.array(arb.treeLike(like, { min: -5, max: 5 }), { minLength: min, maxLength: max })
const arbLr = arb.value({ min: 0.001, max: 1 })
const arbBeta = arb.value({ domain: 'unit' })

/** All elements of a tree, leaves in order. */
const flat = (t: Tree): number[] => tree.leaves(t).flatMap((l) => Array.from(l.data))
const vec = (xs: number[]): Tensor => ops.tensor(xs, 'float64')

/** Runs an optimiser over a gradient sequence from w0 (update, then applyUpdates). */
const run = <S>(opt: optim.Optimizer<S>, w0: P, gs: ReadonlyArray<P>, s0?: S): { w: P; s: S } => {
  let w = w0
  let s = s0 ?? opt.init(w0)
  for (const g of gs) {
    const [u, s2] = opt.update(g, s, w)
    w = optim.applyUpdates(w, u)
    s = s2
  }
  return { w, s }
}

describe('optimisers', () => {
  test.prop([arbParams, arbGrads(1, 6), arbLr, arbBeta])('momentum: v ← βv + ∇E, w ← w − ηv (heavy ball)', (w0, gs, lr, beta) => {
    const w = flat(w0)
    const v = w.map(() => 0)
    for (const g of gs.map(flat)) {
      for (let i = 0; i < w.length; i++) {
        v[i] = beta * v[i] + g[i]
        w[i] = w[i] - lr * v[i]
      }
    }
    const { w: got, s } = run(optim.momentum(lr, beta), w0, gs)
    allClose(vec(flat(got)), vec(w), { rtol: 1e-9, atol: 1e-9 })
    allClose(vec(flat(s.velocity)), vec(v), { rtol: 1e-9, atol: 1e-9 })
    expect(ops.item(s.count)).toBe(gs.length)
  })

  test.prop([arbParams, arbGrads(1, 6), arbLr, arbBeta])('nesterov: v ← βv + g, w ← w − η(g + βv)', (w0, gs, lr, beta) => {
    const w = flat(w0)
    const v = w.map(() => 0)
    for (const g of gs.map(flat)) {
      for (let i = 0; i < w.length; i++) {
        v[i] = beta * v[i] + g[i]
        w[i] = w[i] - lr * (g[i] + beta * v[i])
      }
    }
    allClose(vec(flat(run(optim.nesterov(lr, beta), w0, gs).w)), vec(w), { rtol: 1e-9, atol: 1e-9 })
  })

  test.prop([arbParams, arbGrads(1, 6), arbLr, arb.value({ min: 0.5, max: 0.999 })])(
    'rmsprop: s ← ρs + (1−ρ)g², w ← w − ηg/(√s + ε)',
    (w0, gs, lr, rho) => {
      const eps = 1e-8
      const w = flat(w0)
      const s = w.map(() => 0)
      for (const g of gs.map(flat)) {
        for (let i = 0; i < w.length; i++) {
          s[i] = rho * s[i] + (1 - rho) * g[i] * g[i]
          w[i] = w[i] - (lr * g[i]) / (Math.sqrt(s[i]) + eps)
        }
      }
      allClose(vec(flat(run(optim.rmsprop(lr, { decay: rho }), w0, gs).w)), vec(w), { rtol: 1e-9, atol: 1e-9 })
    },
  )

  test.prop([arbParams, arbGrads(1, 6), arbLr, arb.value({ min: 0.5, max: 0.99 }), arb.value({ min: 0.9, max: 0.9999 }), arb.value({ min: 0, max: 0.1 })])(
    'adam / adamw: bias-corrected moments, decoupled decay −ηλw',
    (w0, gs, lr, b1, b2, wd) => {
      const eps = 1e-8
      const expected = (decay: number): number[] => {
        const w = flat(w0)
        const m = w.map(() => 0)
        const v = w.map(() => 0)
        gs.map(flat).forEach((g, t) => {
          for (let i = 0; i < w.length; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            const mh = m[i] / (1 - b1 ** (t + 1))
            const vh = v[i] / (1 - b2 ** (t + 1))
            w[i] = w[i] - lr * (mh / (Math.sqrt(vh) + eps) + decay * w[i])
          }
        })
        return w
      }
      // the moments are relative quantities; 1e-7 covers the rounding of 1 − b₂ᵗ near 1
      allClose(vec(flat(run(optim.adam(lr, { b1, b2 }), w0, gs).w)), vec(expected(0)), { rtol: 1e-7, atol: 1e-7 })
      allClose(vec(flat(run(optim.adamw(lr, { b1, b2, weightDecay: wd }), w0, gs).w)), vec(expected(wd)), { rtol: 1e-7, atol: 1e-7 })
    },
  )

  test.prop([arbParams, arbGrads(1, 1), arbLr])('sgd(η): w ← w − ηg exactly (float64); gradientDescent is sgd', (w0, [g], lr) => {
    const w = flat(w0)
    const gg = flat(g)
    const expected = w.map((x, i) => x - lr * gg[i])
    allClose(vec(flat(run(optim.sgd(lr), w0, [g]).w)), vec(expected), { rtol: 0, atol: 0 })
    allClose(vec(flat(run(optim.gradientDescent(lr), w0, [g]).w)), vec(expected), { rtol: 0, atol: 0 })
  })

  test.prop([arbParams, arbGrads(1, 5)])('sgd(0) is the identity', (w0, gs) => {
    allClose(run(optim.sgd(0), w0, gs).w, w0, { rtol: 0, atol: 0 })
  })

  test.prop([arbParams, arb.treeLike(like, { domain: 'nonzero', max: 100 }), arbLr])(
    "adam's first step moves every coordinate by ≈ η against its gradient",
    (w0, g, lr) => {
      const { w } = run(optim.adam(lr), w0, [g])
      const d = flat(w).map((x, i) => x - flat(w0)[i])
      const gg = flat(g)
      // |Δ| = η|g|/(|g| + ε) with |g| ≥ 0.1, ε = 1e-8: relative error ≤ 1e-7 (plus the rounding of w + Δ)
      allClose(vec(d.map(Math.abs)), vec(d.map(() => lr)), { rtol: 1e-6, atol: 1e-12 })
      expect(d.every((x, i) => Math.sign(x) === -Math.sign(gg[i]))).toBe(true)
    },
  )

  // nonzero gradients: at g = v = 0 the square root of the second moment has no derivative
  const arbNonzeroGrads = fc.array(arb.treeLike(like, { domain: 'nonzero', max: 5 }), { minLength: 2, maxLength: 4 })
  test.prop([arbParams, arbNonzeroGrads, fc.boolean()], { numRuns: 20 })(
    'adam on tracers (ops, differentiable) = adam on plain tensors (one loop per leaf); its update differentiates',
    (w0, gs, decoupled) => {
      const opt = decoupled ? optim.adamw(0.1, { weightDecay: 0.05 }) : optim.adam(0.1)
      const { w, s } = run(opt, w0, gs.slice(1))
      const g = gs[0]
      const plain = opt.update(g, s, w)
      const [traced] = jvp((gg: P) => opt.update(gg, s, w)[0])([g], [g])
      allClose(traced, plain[0], { rtol: 1e-12, atol: 1e-12 })
      checkGrads((a: Tensor) => opt.update({ ...g, a }, s, w)[0].a, [g.a], { rtol: 1e-5, atol: 1e-6 })
    },
  )

  test.prop([arbGrads(1, 1), arb.value({ min: 0.01, max: 20 })])(
    'clipByGlobalNorm(c): ‖clip(g)‖ ≤ min(‖g‖, c), same direction; g unchanged when ‖g‖ ≤ c',
    ([g], c) => {
      const clip = optim.clipByGlobalNorm(c)
      const [u] = clip.update(g, clip.init(g))
      const n = optim.globalNorm(g)
      const nu = optim.globalNorm(u)
      expect(nu).toBeLessThanOrEqual(Math.min(n, c) * (1 + 1e-12))
      if (n <= c) {
        expect(u).toBe(g)
      } else {
        expect(nu).toBeCloseTo(c, 9)
        allClose(vec(flat(u)), vec(flat(g).map((x) => (x * c) / n)), { rtol: 1e-12, atol: 1e-12 })
      }
      // a bound at least the norm never changes anything
      const big = optim.clipByGlobalNorm(n * 1.5 + 1)
      expect(big.update(g, big.init(g))[0]).toBe(g)
    },
  )

  test.prop([arbParams, arbGrads(1, 5), arb.value({ min: 0.1, max: 5 }), arb.value({ min: 0, max: 0.5 }), arbLr])(
    'chain(a, b, c) = c ∘ b ∘ a, states side by side',
    (w0, gs, c, lambda, lr) => {
      const parts = [optim.clipByGlobalNorm(c), optim.weightDecay(lambda), optim.momentum(lr, 0.9)] as const
      const opt = optim.chain(...parts)
      let w = w0
      let s = opt.init(w0)
      let s0 = parts[0].init(w0)
      let s1 = parts[1].init(w0)
      let s2 = parts[2].init(w0)
      for (const g of gs) {
        const [u, sNext] = opt.update(g, s, w)
        const [u0, n0] = parts[0].update(g, s0, w)
        const [u1, n1] = parts[1].update(u0, s1, w)
        const [u2, n2] = parts[2].update(u1, s2, w)
        allClose(u, u2, { rtol: 0, atol: 0 })
        expect(sNext.length).toBe(3)
        allClose(sNext[2].velocity, n2.velocity, { rtol: 0, atol: 0 })
        ;[s, s0, s1, s2] = [sNext, n0, n1, n2]
        w = optim.applyUpdates(w, u)
      }
      // and weightDecay adds λw to the gradient
      const [wdU] = parts[1].update(gs[0], null, w0)
      allClose(vec(flat(wdU)), vec(flat(gs[0]).map((x, i) => x + lambda * flat(w0)[i])), { rtol: 1e-12, atol: 1e-12 })
    },
  )

  test.prop([arbParams, arbGrads(1, 6), arb.value({ min: 0.01, max: 1 })])(
    'a schedule is evaluated at the step count (0 for the first update)',
    (w0, gs, c) => {
      const schedule = (t: number) => c * (t + 1)
      const w = flat(w0)
      gs.map(flat).forEach((g, t) => {
        for (let i = 0; i < w.length; i++) w[i] = w[i] - schedule(t) * g[i]
      })
      allClose(vec(flat(run(optim.sgd(schedule), w0, gs).w)), vec(w), { rtol: 1e-9, atol: 1e-9 })
    },
  )

  const table: ReadonlyArray<[string, () => optim.Optimizer<any>]> = [
    ['sgd', () => optim.sgd(optim.cosineDecay(0.1, 10))],
    ['momentum', () => optim.momentum(0.1)],
    ['nesterov', () => optim.nesterov(0.1)],
    ['rmsprop', () => optim.rmsprop(0.1)],
    ['adam', () => optim.adam(optim.warmup(0.1, 3))],
    ['adamw', () => optim.adamw(0.1)],
    ['chain', () => optim.chain(optim.clipByGlobalNorm(1), optim.weightDecay(0.1), optim.adam(0.1))],
  ]

  test.prop([fc.constantFrom(...table), arbParams, arbGrads(2, 5), fc.integer({ min: 0, max: 4 })], { numRuns: 40 })(
    'states are trees: saved and loaded mid-run, training continues identically; update leaves its inputs alone',
    ([, make], w0, gs, cut) => {
      const opt = make()
      const k = Math.min(cut, gs.length)
      const mid = run(opt, w0, gs.slice(0, k))
      const copy = (t: Tree) => tree.map(t, (x) => ops.fromArray(Array.from(x.data), x.shape, x.dtype))
      const before = [copy(mid.w), copy(mid.s as Tree), copy(gs[k % gs.length])]
      opt.update(gs[k % gs.length], mid.s, mid.w)
      allClose([mid.w, mid.s as Tree, gs[k % gs.length]], before, { rtol: 0, atol: 0 })
      const loaded = io.fromJSON(io.toJSON(mid.s as Tree))
      expect(loaded._tag).toBe('Right')
      const restored = loaded._tag === 'Right' ? loaded.right : null
      const straight = run(opt, mid.w, gs.slice(k), mid.s)
      const resumed = run(opt, mid.w, gs.slice(k), restored)
      allClose(resumed.w, straight.w, { rtol: 0, atol: 0 })
    },
  )
})

describe('schedules', () => {
  const arbLr0 = arb.value({ min: 0.001, max: 10 })
  const arbSteps = fc.integer({ min: 1, max: 1000 })
  const arbT = fc.integer({ min: 0, max: 5000 })

  test.prop([arbLr0, arbSteps, arbT, fc.integer({ min: 0, max: 2 })])(
    'warmup(s, W): linear from 0, reaches s(0) at W, then s shifted by W',
    (lr0, w, t, which) => {
      const inner = [optim.constant(lr0), optim.cosineDecay(lr0, 100), optim.stepDecay(lr0, { every: 7, factor: 0.5 })][which]
      const s = optim.warmup(inner, w)
      expect(s(w)).toBe(lr0)
      expect(s(0)).toBe(0)
      if (t < w) expect(s(t)).toBeCloseTo((lr0 * t) / w, 12)
      else expect(s(t)).toBe(inner(t - w))
      if (t + 1 < w) expect(s(t + 1)).toBeGreaterThan(s(t))
    },
  )

  test.prop([arbLr0, arbSteps, arb.value({ domain: 'unit' }), arbT])(
    'cosineDecay: starts at η₀, non-increasing, ends and stays at α·η₀',
    (lr0, total, alpha, t) => {
      const s = optim.cosineDecay(lr0, total, { alpha })
      expect(s(0)).toBeCloseTo(lr0, 12)
      expect(s(total)).toBeCloseTo(alpha * lr0, 12)
      expect(s(total + t)).toBe(s(total))
      expect(s(t + 1)).toBeLessThanOrEqual(s(t) + 1e-15)
      expect(s(t)).toBeGreaterThanOrEqual(alpha * lr0 - 1e-12)
    },
  )

  test.prop([arbLr0, fc.integer({ min: 1, max: 50 }), arb.value({ min: 0.01, max: 1 }), arbT])(
    'stepDecay: piecewise constant on [k·every, (k+1)·every), ×factor at each boundary',
    (lr0, every, factor, t) => {
      const s = optim.stepDecay(lr0, { every, factor })
      const start = every * Math.floor(t / every)
      expect(s(t)).toBe(s(start))
      expect(s(start + every - 1)).toBe(s(start))
      expect(s(start + every)).toBeCloseTo(s(start) * factor, 12)
      expect(s(0)).toBe(lr0)
    },
  )

  test.prop([arbLr0, arb.value({ min: 0.1, max: 0.99 }), arbSteps, arbT])(
    'exponentialDecay: η₀ r^(t/T), multiplicative in t; staircase agrees at multiples of T',
    (lr0, r, steps, t) => {
      const s = optim.exponentialDecay(lr0, r, steps)
      const st = optim.exponentialDecay(lr0, r, steps, { staircase: true })
      expect(s(t + steps)).toBeCloseTo(s(t) * r, 10)
      expect(st(t)).toBe(s(steps * Math.floor(t / steps)))
    },
  )
})

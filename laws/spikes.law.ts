/**
 * Spike trains (neuro): binned ↔ spike-time round trips (bins → times → bins is the
 * identity for any counts, heights and placements; times → bins → times keeps every count
 * and moves each spike forward by less than dt); counts are the binned columns' sums and
 * rates are counts / window; the binned train of a LIF simulation is binSpikes of its spike
 * times; the ISI rate of a constant-input LIF train is G(J) (interpolated spike times are
 * exact); and the discrete filter on a binned train (height 1/dt) agrees with the
 * continuous sum of shifted kernels Σ h(t − t_s) to the step's accuracy: the L1 distance
 * over time is at most 3 (dt/τ) per spike. filterSpikeTimes does not depend on the order
 * of the evaluation times or of the spikes (its fast path for sorted lists equals the plain
 * sum).
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { neuro, ops } from 'dendrite'
import { allClose } from 'dendrite/testing'

const f64 = (xs: number[]) => ops.tensor(xs, 'float64')

/** Counts in [0, 3] of shape [T, N]. */
const counts = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 })).chain(([T, N]) =>
  fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }), { minLength: T * N, maxLength: T * N })
    .map((xs) => ops.fromArray(xs, [T, N], 'float64')),
)
const dtArb = fc.double({ min: 1e-4, max: 0.01, noNaN: true })
/** Spike times of N neurons, ascending, in (0, T·dt]. */
const trains = (T: number, dt: number) =>
  fc.array(fc.array(fc.double({ min: 1e-9, max: 1, noNaN: true }), { maxLength: 12 }).map((u) => u.map((x) => x * T * dt).sort((a, b) => a - b)), { minLength: 1, maxLength: 4 })

describe('spike trains', () => {
  test.prop([counts, dtArb, fc.constantFrom<'count' | 'rate'>('count', 'rate'), fc.constantFrom<'end' | 'centre'>('end', 'centre')])(
    'bins → spike times → bins is the identity',
    (b, dt, height, at) => {
      const scaled = height === 'rate' ? ops.div(b, dt) : b
      const times = neuro.spikeTimesFromBinned(scaled, dt, { height, at })
      allClose(neuro.binSpikes(times, dt, b.shape[0], { height }), scaled, { rtol: 1e-12, atol: 0 })
    },
  )

  test.prop([fc.tuple(fc.integer({ min: 1, max: 200 }), dtArb).chain(([T, dt]) => fc.tuple(fc.constant(T), fc.constant(dt), trains(T, dt)))])(
    'spike times → bins → spike times keeps every count and moves each spike forward by less than dt',
    ([T, dt, ts]) => {
      const back = neuro.spikeTimesFromBinned(neuro.binSpikes(ts, dt, T), dt)
      expect(back.map((b) => b.length)).toEqual(ts.map((t) => t.length))
      // binSpikes gives a bin's left edge a slack of 1e-9 bins (binOf), so a spike at most
      // 1e-9·dt after a bin's start goes back to the end of the bin before: up to 1e-11 s at
      // dt = 0.01, beyond the 1e-12 allowed before (a chance of ~1e-9 per spike)
      back.forEach((b, i) => b.forEach((t, j) => {
        expect(t - ts[i][j]).toBeGreaterThanOrEqual(-1e-9 * dt - 1e-15)
        expect(t - ts[i][j]).toBeLessThan(dt)
      }))
      // counts = column sums of the binned train; rates = counts / window
      const binned = ops.toArray(neuro.binSpikes(ts, dt, T)) as number[][]
      const sums = ts.map((_, i) => binned.reduce((s, r) => s + r[i], 0))
      expect(ops.toFlat(neuro.spikeCounts(ts))).toEqual(sums)
      allClose(neuro.firingRates(ts, { t0: 0, t1: T * dt + 1e-12 }), sums.map((c) => c / (T * dt + 1e-12)), { rtol: 1e-12, atol: 0 })
    },
  )

  test.prop([fc.array(fc.double({ min: 0, max: 15, noNaN: true }), { minLength: 1, maxLength: 5 }), fc.boolean(), fc.constantFrom(1e-4, 5e-4, 1e-3)], { numRuns: 30 })(
    "a LIF simulation's binned spikes are binSpikes of its spike times",
    (Js, interpolate, dt) => {
      const sim = neuro.lifSimulate(f64(Js), { dt, steps: 500, interpolate, voltages: false })
      // With interpolation a spike of step k is at k·dt + t*, t* ∈ (0, dt]; binOf's slack of
      // 1e-9 bins puts one with t* < 1e-9·dt into the bin before (a chance of ~1e-9 per spike,
      // ~5e-6 per CI run), so runs with a spike within 2e-9 bins of a step edge are skipped.
      // Without interpolation every spike sits at its step's end, which binOf bins right.
      const nearEdge = (t: number) => Math.abs(t / dt - Math.round(t / dt)) < 2e-9
      fc.pre(!interpolate || sim.spikeTimes.every((tl) => tl.every((t) => !nearEdge(t))))
      expect(ops.toFlat(neuro.binSpikes(sim.spikeTimes, dt, 500))).toEqual(ops.toFlat(sim.spikes))
    },
  )

  test.prop([fc.array(fc.double({ min: 1.5, max: 20, noNaN: true }), { minLength: 1, maxLength: 5 }), fc.constantFrom(1e-4, 5e-4, 1e-3)], { numRuns: 30 })(
    'the ISI rate of a constant-input LIF train is G(J) (interpolated spike times are exact)',
    (Js, dt) => {
      const sim = neuro.lifSimulate(f64(Js), { dt, steps: Math.round(1 / dt), voltages: false })
      allClose(neuro.isiRates(sim.spikeTimes), neuro.lifRate(f64(Js)), { rtol: 1e-9, atol: 0 })
    },
  )

  const filterCase = fc.record({ tau: fc.double({ min: 0.005, max: 0.05, noNaN: true }), n: fc.integer({ min: 0, max: 2 }) }).chain((syn) =>
    fc.double({ min: 0.001, max: 0.05, noNaN: true }).chain((ratio) => {
      const dt = ratio * syn.tau
      const T = Math.ceil(0.3 / dt)
      return fc.tuple(fc.constant(syn), fc.constant(dt), fc.constant(T), trains(T, dt))
    }),
  )
  test.prop([filterCase], { numRuns: 40 })(
    'discrete filter on the binned train ≈ continuous sum of shifted kernels, to O(dt/τ) per spike',
    ([syn, dt, T, ts]) => {
      const disc = ops.toArray(neuro.filter(neuro.binSpikes(ts, dt, T, { height: 'rate' }), dt, syn)) as number[][]
      const at = Array.from({ length: T }, (_, k) => (k + 1) * dt)
      const cont = ops.toArray(neuro.filterSpikeTimes(ts, at, syn)) as number[][]
      ts.forEach((spikes, i) => {
        const l1 = disc.reduce((s, r, k) => s + Math.abs(r[i] - cont[k][i]), 0) * dt
        expect(l1, `neuron ${i}: ${spikes.length} spikes, dt/τ = ${dt / syn.tau}`).toBeLessThanOrEqual(3 * (dt / syn.tau) * spikes.length + 1e-9)
      })
    },
  )

  test.prop([filterCase, fc.nat()], { numRuns: 30 })(
    'filterSpikeTimes does not depend on the order of the times or the spikes',
    ([syn, dt, T, ts], seed) => {
      const at = Array.from({ length: Math.min(T, 300) }, (_, k) => (k + 1) * dt * (T / Math.min(T, 300)))
      const perm = at.map((_, k) => k).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101))
      const sorted = ops.toArray(neuro.filterSpikeTimes(ts, at, syn)) as number[][]
      const shuffled = ops.toArray(neuro.filterSpikeTimes(ts.map((x) => [...x].reverse()), perm.map((k) => at[k]), syn)) as number[][]
      allClose(shuffled, perm.map((k) => sorted[k]), { rtol: 1e-12, atol: 1e-9 })
    },
  )
})

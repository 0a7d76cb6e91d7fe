/**
 * Spiking networks (neuro): with W = 0 a network is N independent LIF neurons (the same
 * spikes, voltages and spike times as lifSimulate under the same input); the recorded
 * synaptic currents equal the weighted, synapse-filtered spike trains
 * s_i(t) = Σ_j w_ij Σ_{t_s} h(t − t_s), h(t) = e^{−t/τ_s}/τ_s, at the step ends t = (k+1)·dt
 * (exactly, to rounding: the spike jumps are placed at the interpolated spike times);
 * each neuron is a LIF neuron driven by J = I + s (its input plus its synaptic current at
 * the start of the step); stepping networkStep equals networkSimulate; probes of a subset of neurons record the
 * same columns as probing all.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { neuro, ops } from 'dendrite'
import { allClose } from 'dendrite/testing'

const f64 = (xs: number[], shape: number[]) => ops.fromArray(xs, shape, 'float64')

const lif = fc.record({
  tauRC: fc.double({ min: 0.005, max: 0.1, noNaN: true }),
  tauRef: fc.double({ min: 0.001, max: 0.005, noNaN: true }),
  interpolate: fc.boolean(),
})
const T = 400
const dt = 5e-4
/** N neurons, a weight matrix [N, N] in [−1, 1] and a time-varying input [T, N] in [0, 6]. */
const netCase = fc.integer({ min: 1, max: 8 }).chain((N) =>
  fc.tuple(
    fc.constant(N),
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: N * N, maxLength: N * N }),
    fc.array(fc.double({ min: 0, max: 6, noNaN: true }), { minLength: N, maxLength: N }),
    fc.double({ min: 0.001, max: 0.05, noNaN: true }),
  ),
)
/** The input: a per-neuron level with a slow per-neuron sinusoid. */
const inputOf = (N: number, level: number[]) =>
  f64(Array.from({ length: T * N }, (_, m) => level[m % N] * (1 + 0.5 * Math.sin((Math.floor(m / N) * dt * 40) + (m % N)))), [T, N])

describe('LIF networks', () => {
  test.prop([netCase, lif], { numRuns: 40 })('with W = 0 the network is N independent LIF neurons', ([N, , level, tauSyn], p) => {
    const I = inputOf(N, level)
    const net = neuro.lifNetwork(ops.zeros([N, N], 'float64'), { ...p, tauSyn })
    const sim = neuro.networkSimulate(net, I, { dt, probes: { spikes: true, voltage: true, current: true } })
    const ref = neuro.lifSimulate(I, { ...p, dt })
    expect(ops.toFlat(sim.spikes!)).toEqual(ops.toFlat(ref.spikes))
    expect(ops.toFlat(sim.voltage!)).toEqual(ops.toFlat(ref.voltages!))
    expect(sim.spikeTimes).toEqual(ref.spikeTimes)
    expect(ops.toFlat(sim.current!).every((v) => v === 0)).toBe(true)
  })

  test.prop([netCase, lif], { numRuns: 40 })(
    'the synaptic currents are the weighted, filtered spike trains Σ_j w_ij Σ h(t − t_s)',
    ([N, w, level, tauSyn], p) => {
      const W = f64(w, [N, N])
      const net = neuro.lifNetwork(W, { ...p, tauSyn })
      const sim = neuro.networkSimulate(net, inputOf(N, level), { dt, probes: { spikes: false, current: true } })
      const at = Array.from({ length: T }, (_, k) => k * dt + dt) // as the simulator forms spike times
      const filtered = neuro.filterSpikeTimes(sim.spikeTimes, at, { tau: tauSyn, n: 0 }) // [T, N]
      const expected = ops.matmul(filtered, ops.transpose(W))
      const scale = Math.max(1, ...ops.toFlat(ops.abs(expected)))
      allClose(sim.current!, expected, { rtol: 1e-9, atol: 1e-9 * scale })
    },
  )

  test.prop([netCase, lif], { numRuns: 40 })(
    'each neuron is a LIF neuron driven by its input plus its synaptic current (J = I + s)',
    ([N, w, level, tauSyn], p) => {
      const net = neuro.lifNetwork(f64(w, [N, N]), { ...p, tauSyn })
      const I = inputOf(N, level)
      const sim = neuro.networkSimulate(net, I, { dt, probes: { spikes: true, voltage: true, current: true } })
      // the current during step k is the one recorded at the end of step k − 1 (0 before)
      const s = ops.concat([ops.zeros([1, N], 'float64'), ops.slice(sim.current!, [{ stop: T - 1 }])], 0)
      const ref = neuro.lifSimulate(ops.add(I, s), { ...p, dt })
      expect(ops.toFlat(sim.spikes!)).toEqual(ops.toFlat(ref.spikes))
      allClose(sim.voltage!, ref.voltages!, { rtol: 0, atol: 1e-12 })
    },
  )

  test.prop([netCase, lif, fc.array(fc.nat(7), { minLength: 1, maxLength: 4 })], { numRuns: 30 })(
    'stepping networkStep equals networkSimulate; probing a subset records the same columns',
    ([N, w, level, tauSyn], p, pick) => {
      const net = neuro.lifNetwork(f64(w, [N, N]), { ...p, tauSyn })
      const I = inputOf(N, level)
      const full = neuro.networkSimulate(net, I, { dt, probes: { spikes: true, voltage: true, current: true } })
      let state = neuro.networkInit(net)
      const spikes: number[] = []
      const volts: number[] = []
      const cur: number[] = []
      for (let k = 0; k < T; k++) {
        const r = neuro.networkStep(net, state, ops.slice(I, [k]), dt)
        state = r.state
        spikes.push(...ops.toFlat(r.spiked))
        volts.push(...ops.toFlat(state.neurons.v))
        cur.push(...ops.toFlat(state.current))
      }
      expect(ops.toFlat(full.spikes!)).toEqual(spikes)
      expect(ops.toFlat(full.voltage!)).toEqual(volts)
      expect(ops.toFlat(full.current!)).toEqual(cur)
      const idx = pick.map((i) => i % N)
      const sub = neuro.networkSimulate(net, I, { dt, probes: { voltage: true, current: true, neurons: idx } })
      const cols = (t: ops.Tensor) => (ops.toArray(t) as number[][]).map((r) => idx.map((i) => r[i]))
      expect(ops.toArray(sub.voltage!)).toEqual(cols(full.voltage!))
      expect(ops.toArray(sub.current!)).toEqual(cols(full.current!))
      expect(ops.toArray(sub.spikes!)).toEqual(cols(full.spikes!))
    },
  )
})

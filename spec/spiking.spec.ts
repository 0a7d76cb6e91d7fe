/**
 * Spiking neurons, synapses, spike trains and networks (neuro): golden rates (Nengo's
 * defaults), closed forms, immutability, and the errors bad input gets.
 */
import { describe, expect, test } from 'vitest'
import { DomainError, ShapeError, neuro, ops } from 'dendrite'

const f64 = (xs: number[]) => ops.tensor(xs, 'float64')

describe('LIF rates and simulation', () => {
  test('G(2) = 1/(τ_ref + τ_m ln 2) ≈ 63.04 Hz with Nengo defaults', () => {
    expect(ops.toFlat(neuro.lifRate(f64([2])))[0]).toBeCloseTo(63.04000219, 6)
  })

  test('simulated rates at J = 1.5, 2, 5, 10 (dt = 1 ms, T = 10 s) agree with G(J) to 0.1 Hz; without interpolation J = 10 gives 200 Hz', () => {
    const Js = [1.5, 2, 5, 10]
    const G = ops.toFlat(neuro.lifRate(f64(Js)))
    const sim = neuro.lifSimulate(f64(Js), { dt: 0.001, steps: 10000, voltages: false })
    ops.toFlat(sim.counts).forEach((c, i) => expect(Math.abs(c / 10 - G[i])).toBeLessThan(0.1))
    // τ_ref + τ_m ln(10/9) = 4.107 ms is rounded up to 5 whole steps
    const plain = neuro.lifSimulate(f64([10]), { dt: 0.001, steps: 10000, voltages: false, interpolate: false })
    expect(plain.counts.data[0]).toBe(2000)
  })

  test('the first spike of a constant J comes at τ_m ln(J/(J − 1)), then every 1/G(J)', () => {
    const sim = neuro.lifSimulate(f64([3]), { dt: 1e-3, steps: 100 })
    const t = sim.spikeTimes[0]
    expect(t[0]).toBeCloseTo(0.02 * Math.log(1.5), 12)
    expect(t[1] - t[0]).toBeCloseTo(1 / ops.toFlat(neuro.lifRate(f64([3])))[0], 12)
  })

  test('a neuron at rest under J = 0 stays at 0; refractory neurons hold v = 0', () => {
    const sim = neuro.lifSimulate(f64([0]), { dt: 1e-3, steps: 10 })
    expect(ops.toFlat(sim.voltages!).every((v) => v === 0)).toBe(true)
    const r = neuro.lifStep({ v: f64([0]), refractory: f64([0.005]) }, 10, 1e-3)
    expect(r.state.v.data[0]).toBe(0)
    expect(r.state.refractory.data[0]).toBeCloseTo(0.004, 15)
  })

  test('minVoltage floors the voltage (Nengo uses 0)', () => {
    const free = neuro.lifSimulate(f64([-1]), { dt: 1e-3, steps: 50 })
    const floored = neuro.lifSimulate(f64([-1]), { dt: 1e-3, steps: 50, minVoltage: 0 })
    expect(Math.min(...ops.toFlat(free.voltages!))).toBeLessThan(-0.5)
    expect(Math.min(...ops.toFlat(floored.voltages!))).toBe(0)
  })

  test('the dimensional defaults: rheobase 1.5 nA; 2 nA fires at G(4/3) with τ_m = 10 ms', () => {
    const J = ops.item(neuro.currentToDimensionless(ops.scalar(2e-9, 'float64')))
    expect(J).toBeCloseTo(4 / 3, 12)
    const sim = neuro.lifSimulateDimensional(f64([2e-9]), { dt: 1e-4, steps: 20000, voltages: false })
    const G = 1 / (0.002 + 0.01 * Math.log(4))
    expect(Math.abs(sim.counts.data[0] - 2 * G)).toBeLessThanOrEqual(1)
  })

  test('lifStep and networkStep leave their inputs alone', () => {
    const state = { v: f64([0.5, 0.99]), refractory: f64([0, 0]) }
    const J = f64([2, 50])
    const before = [ops.toFlat(state.v), ops.toFlat(state.refractory), ops.toFlat(J)]
    const r = neuro.lifStep(state, J, 1e-3)
    expect([ops.toFlat(state.v), ops.toFlat(state.refractory), ops.toFlat(J)]).toEqual(before)
    expect(ops.toFlat(r.spiked)).toEqual([0, 1])
    const net = neuro.lifNetwork(ops.tensor([[0, 1], [1, 0]], 'float64'))
    const s0 = neuro.networkInit(net)
    neuro.networkStep(net, s0, f64([5, 5]), 1e-2)
    expect(ops.toFlat(s0.neurons.v)).toEqual([0, 0])
  })
})

describe('synapses and spike trains', () => {
  test('the alpha kernel peaks at t = τ with 1/(eτ); the exponential starts at 1/τ', () => {
    const tau = 0.02
    const t = ops.linspace(0, 0.1, 1001, 'float64')
    const h = ops.toFlat(neuro.synapseKernel(t, { tau, n: 1 }))
    const k = h.indexOf(Math.max(...h))
    expect(t.data[k]).toBeCloseTo(tau, 9)
    expect(h[k]).toBeCloseTo(1 / (Math.E * tau), 9)
    expect(ops.item(neuro.synapseKernel(ops.scalar(0, 'float64'), { tau, n: 0 }))).toBeCloseTo(1 / tau, 12)
  })

  test('lowpass is y ← a y + (1 − a) x with a = e^{−dt/τ}', () => {
    const x = ops.tensor([[1], [0], [2]], 'float64')
    const a = Math.exp(-0.1)
    const y1 = 1 - a
    const y2 = a * y1
    const y3 = a * y2 + (1 - a) * 2
    expect(ops.toFlat(neuro.filter(x, 0.001, neuro.lowpass(0.01))).map((v, i) => v - [y1, y2, y3][i]).every((d) => Math.abs(d) < 1e-15)).toBe(true)
  })

  test('a network spike adds w/τ_s to the target current', () => {
    const net = neuro.lifNetwork(ops.tensor([[0, 0], [0.3, 0]], 'float64'), { tauSyn: 0.01, interpolate: false })
    const r = neuro.networkStep(net, { neurons: { v: f64([0.999, 0]), refractory: f64([0, 0]) }, current: f64([0, 0]) }, f64([5, 0]), 1e-3)
    expect(ops.toFlat(r.spiked)).toEqual([1, 0])
    expect(r.state.current.data[1]).toBeCloseTo(0.3 / 0.01, 12)
  })
})

describe('errors', () => {
  test('bad time steps, shapes and parameters throw typed errors naming the operation', () => {
    const s = neuro.lifInit(2)
    expect(() => neuro.lifStep(s, 1, 0)).toThrow(DomainError)
    expect(() => neuro.lifStep(s, 1, 0)).toThrow(/^lifStep: dt must be a positive/)
    expect(() => neuro.lifStep(s, f64([1, 2, 3]), 1e-3)).toThrow(ShapeError)
    expect(() => neuro.lifStep(s, 1, 1e-3, { tauRC: -1 })).toThrow(/^lifStep: tauRC must be a positive/)
    expect(() => neuro.lifRate(f64([2]), { tauRef: -1 })).toThrow(/^lifRate: tauRef/)
    expect(() => neuro.lifSimulate(() => 1, { dt: 1e-3 })).toThrow(/^lifSimulate: a function input needs options.steps/)
    expect(() => neuro.lifSimulate(ops.scalar(1, 'float64'), { dt: 1e-3 })).toThrow(ShapeError)
    expect(() => neuro.lifNetwork(ops.zeros([2, 3], 'float64'))).toThrow(/^lifNetwork: weights must be a square matrix \[N, N\], got \[2,3\]/)
    expect(() => neuro.lifNetwork(ops.zeros([2, 2], 'float64'), { tauSyn: 0 })).toThrow(/^lifNetwork: tauSyn/)
    expect(() => neuro.networkSimulate(neuro.lifNetwork(ops.zeros([2, 2], 'float64')), f64([1, 1]), { dt: 1e-3, steps: 3, probes: { neurons: [2] } })).toThrow(/probed neuron 2/)
    expect(() => neuro.synapse(-0.01)).toThrow(/^synapse: synapse tau must be a non-negative/)
    expect(() => neuro.synapseKernel(f64([0]), { tau: 0, n: 0 })).toThrow(/positive/)
    expect(() => neuro.synapse(0.01, 1.5)).toThrow(/order n/)
    expect(() => neuro.filter(ops.scalar(1, 'float64'), 1e-3, { tau: 0.01, n: 0 })).toThrow(ShapeError)
    expect(() => neuro.binSpikes([[0.1]], 1e-3, -1)).toThrow(/^binSpikes: steps/)
    expect(() => neuro.spikeTimesFromBinned(ops.zeros([2, 2, 2], 'float64'), 1e-3)).toThrow(ShapeError)
    expect(() => neuro.firingRates([[0.1]], { t0: 1, t1: 0 })).toThrow(/^firingRates: the window/)
    expect(() => neuro.lifTuningCurve(f64([0]), { gain: f64([1, 2]), bias: f64([1]) })).toThrow(/^lifTuningCurve: gain and bias/)
    expect(() => neuro.lifDimensionless({ vTh: -0.07 })).toThrow(/^lifDimensionless: the threshold/)
  })
  test('lifSimulate: at most one spike per step, so a rate is capped at 1/dt (dt = 5 ms > τ_ref: 200 Hz for G = 416 Hz), and follows G with dt ≤ τ_ref', () => {
    const J = f64([50])
    const G = ops.toFlat(neuro.lifRate(J))[0]
    expect(G).toBeCloseTo(416.0, 1)
    expect(neuro.lifSimulate(J, { dt: 5e-3, steps: 200, voltages: false }).counts.data[0]).toBe(200)
    expect(Math.abs(neuro.lifSimulate(J, { dt: 2e-3, steps: 500, voltages: false }).counts.data[0] - G)).toBeLessThanOrEqual(1)
  })
  test('binSpikes: a spike just after 0 lands in bin 0, one at an edge k·dt in bin k − 1 (CI seed 560842834 dropped t = 1e-11 at dt = 0.01)', () => {
    expect(ops.toFlat(neuro.binSpikes([[1e-11]], 0.01, 1))).toEqual([1])
    expect(ops.toFlat(neuro.binSpikes([[0, -1e-3]], 0.01, 1))).toEqual([0])
    expect(ops.toFlat(neuro.binSpikes([[0.1 + 0.2]], 0.1, 4))).toEqual([0, 0, 1, 0])
  })
})

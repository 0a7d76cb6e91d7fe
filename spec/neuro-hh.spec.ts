/**
 * Hodgkin–Huxley and the ODE integrators (neuro), with fixed figures: the resting
 * potential (≈ −65 mV), an action potential for a 10 µA/cm² step and none without input,
 * the f–I curve (0 below the rheobase, between 6.2 and 6.3 µA/cm² for a step from rest,
 * then ≈ 50 Hz and rising), float32 traces, and the error messages.
 */
import { describe, expect, test } from 'vitest'
import { DomainError, DTypeError, neuro, ops, ShapeError } from 'dendrite'

type T = ops.Tensor
const f64 = (v: number | number[]) => (typeof v === 'number' ? ops.scalar(v, 'float64') : ops.tensor(v, 'float64'))

describe('hodgkin-huxley: figures', () => {
  test('the resting potential is −65 mV (within 0.5 mV; −64.996 with E_L = −54.387)', () => {
    const v = neuro.hhRestingPotential()
    expect(Math.abs(v + 65)).toBeLessThan(0.5)
    expect(v).toBeCloseTo(-64.996, 3)
    const s = neuro.hhRestingState()
    expect(ops.item(s.n)).toBeCloseTo(0.3177, 4)
    expect(ops.item(s.m)).toBeCloseTo(0.0530, 4)
    expect(ops.item(s.h)).toBeCloseTo(0.5960, 4)
  })

  test('a 10 µA/cm² step fires repetitively (≈ 68 Hz), with overshoot; no input, no spike', () => {
    const dt = 0.025
    const tr = neuro.hhSimulate((t) => (t >= 5 ? 10 : 0), { duration: 50, dt })
    const spikes = neuro.spikeTimes(tr.V, dt)
    expect(spikes.length).toBe(3)
    expect(spikes[0]).toBeGreaterThan(5)
    expect(spikes[0]).toBeLessThan(8)
    expect(spikes[2] - spikes[1]).toBeGreaterThan(13)
    expect(spikes[2] - spikes[1]).toBeLessThan(16)
    const peak = ops.item(ops.max(tr.V))
    expect(peak).toBeGreaterThan(35)
    expect(peak).toBeLessThan(50)
    // n, m, h stay in [0, 1] along the way; m jumps during the spike, h falls
    for (const k of ['n', 'm', 'h'] as const) {
      expect(ops.item(ops.min(tr[k]))).toBeGreaterThanOrEqual(0)
      expect(ops.item(ops.max(tr[k]))).toBeLessThanOrEqual(1)
    }
    expect(ops.item(ops.max(tr.m))).toBeGreaterThan(0.9)
    expect(ops.item(ops.min(tr.h))).toBeLessThan(0.2)
    const quiet = neuro.hhSimulate(0, { duration: 50, dt })
    expect(neuro.spikeTimes(quiet.V, dt)).toEqual([])
    expect(Math.abs(ops.item(ops.max(quiet.V)) - neuro.hhRestingPotential())).toBeLessThan(1e-9)
  })

  test('f–I curve: 0 up to 6.2 µA/cm², firing from 6.3, non-decreasing above onset', () => {
    const currents = [0, 2, 4, 6, 6.2, 6.3, 7, 8, 10, 15, 20]
    const rates = neuro.hhFiringRates(currents, { dt: 0.05, duration: 200, transient: 60 })
    expect(rates.slice(0, 5)).toEqual([0, 0, 0, 0, 0])
    const above = rates.slice(5)
    above.forEach((r) => expect(r).toBeGreaterThan(45))
    above.slice(1).forEach((r, i) => expect(r).toBeGreaterThanOrEqual(above[i]))
    expect(rates[currents.indexOf(10)]).toBeGreaterThan(60)
    expect(rates[currents.indexOf(10)]).toBeLessThan(75)
  })

  test('float32 traces spike at the float64 times (within 0.05 ms)', () => {
    const dt = 0.025
    const a = neuro.hhSimulate(10, { duration: 30, dt, dtype: 'float32' })
    const b = neuro.hhSimulate(10, { duration: 30, dt })
    expect(a.V.dtype).toBe('float32')
    expect(a.t.dtype).toBe('float32')
    const [sa, sb] = [neuro.spikeTimes(a.V, dt), neuro.spikeTimes(b.V, dt)]
    expect(sa.length).toBe(sb.length)
    sa.forEach((s, i) => expect(Math.abs(s - sb[i])).toBeLessThan(0.05))
  })

  test('every keeps every k-th sample; parameters can be overridden', () => {
    const tr = neuro.hhSimulate(0, { duration: 10, dt: 0.05, every: 20 })
    expect(tr.V.shape).toEqual([11])
    expect(Array.from(tr.t.data)).toEqual(Array.from({ length: 11 }, (_, i) => i))
    // a larger leak towards E_L = −54.387 mV depolarises the resting state
    expect(neuro.hhRestingPotential({ params: { gL: 3 } })).toBeGreaterThan(neuro.hhRestingPotential())
  })
})

describe('hodgkin-huxley and ode: errors', () => {
  const decay = (_t: number, y: T) => ops.neg(y)
  test('odeint and the steps name themselves and the bad argument', () => {
    expect(() => neuro.odeint(decay, f64(1), { dt: 0, steps: 3 })).toThrow(new DomainError('odeint', 'dt must be a positive finite number, got 0'))
    expect(() => neuro.odeint(decay, f64(1), { dt: NaN, steps: 3 })).toThrow(DomainError)
    expect(() => neuro.odeint(decay, f64(1), { dt: -0.1, steps: 3 })).toThrow(/odeint: dt must be a positive/)
    expect(() => neuro.odeint(decay, f64(1), { dt: 0.1, steps: -1 })).toThrow(/odeint: steps must be a non-negative integer, got -1/)
    expect(() => neuro.odeint(decay, f64(1), { dt: 0.1, steps: 1.5 })).toThrow(/odeint: steps/)
    expect(() => neuro.odeint(decay, f64(1), { dt: 0.1, steps: 2, method: 'rk5' as never })).toThrow(/odeint: method must be 'euler' or 'rk4', got "rk5"/)
    expect(() => neuro.odeint(decay, f64(1), { dt: 0.1, steps: 2, every: 0 })).toThrow(/odeint: every must be a positive integer/)
    expect(() => neuro.odeint(decay, f64(1), { dt: 0.1, steps: 2, t0: Infinity })).toThrow(/odeint: t0 must be a finite number/)
    expect(() => neuro.odeint(3 as never, f64(1), { dt: 0.1, steps: 2 })).toThrow(/odeint: f must be a function/)
    expect(() => neuro.eulerStep(decay, 0, f64(1), 0)).toThrow(/eulerStep: dt must be a positive/)
    expect(() => neuro.rk4Step(decay, NaN, f64(1), 0.1)).toThrow(/rk4Step: t must be a finite number/)
  })

  test('a vector field of another structure or shape than the state is a ShapeError naming the path', () => {
    const y0 = { x: f64([1, 2]), v: f64(0) }
    expect(() => neuro.odeint((_t, s: typeof y0) => ({ x: s.x }) as never, y0, { dt: 0.1, steps: 1 })).toThrow(ShapeError)
    expect(() => neuro.odeint((_t, s: typeof y0) => ({ x: s.x }) as never, y0, { dt: 0.1, steps: 1 })).toThrow(/odeint: the vector field returned a record with keys \[x\] at \(root\)/)
    expect(() => neuro.rk4Step((_t, s: typeof y0) => ({ x: s.v, v: s.v }), 0, y0, 0.1)).toThrow(/rk4Step: the vector field returned shape \[\] for the state's \[2\] at x/)
    expect(() => neuro.eulerStep((_t, y: T) => [y] as never, 0, f64(1), 0.1)).toThrow(/eulerStep: the vector field returned an array at \(root\)/)
  })

  test('Hodgkin–Huxley functions reject bad input', () => {
    expect(() => neuro.hhAlpha('k' as never, -65)).toThrow(/hhAlpha: gate must be 'n', 'm' or 'h', got "k"/)
    expect(() => neuro.hhParams({ gK: -1 })).toThrow(/hhParams: gK must be non-negative/)
    expect(() => neuro.hhParams({ EL: NaN })).toThrow(/hhParams: EL must be a finite number/)
    expect(() => neuro.hhSimulate(10, { duration: 0 })).toThrow(/hhSimulate: duration must be a positive finite number of ms, got 0/)
    expect(() => neuro.hhSimulate(10, { duration: 1, dt: 5 })).toThrow(/hhSimulate: duration 1 ms is shorter than one step of 5 ms/)
    expect(() => neuro.hhSimulate(10, { duration: 1, dtype: 'int8' as never })).toThrow(/hhSimulate: dtype must be/)
    expect(() => neuro.hhSimulate(NaN, { duration: 1 })).toThrow(/hhSimulate: the current must be finite/)
    expect(() => neuro.hhSimulate('10' as never, { duration: 1 })).toThrow(/hhSimulate: the current must be a number, a tensor or a function/)
    const rest = neuro.hhRestingState()
    expect(() => neuro.hhSimulate(10, { duration: 1, y0: { ...rest, V: f64([-65, -65]) } })).toThrow(ShapeError)
    expect(() => neuro.hhSimulate(10, { duration: 1, params: { gNa: 1 }, y0: { ...rest, n: 0.3 as never } })).toThrow(/hhSimulate: y0.n must be a tensor/)
    expect(() => neuro.hhSimulate(f64([1, 2]), { duration: 1, dtype: 'float32' })).toThrow(DTypeError)
    // no conductances and a steady current: the membrane has no steady state
    expect(() => neuro.hhRestingPotential({ params: { gNa: 0, gK: 0, gL: 0 }, current: 1 })).toThrow(/hhRestingPotential: no steady state in \[-150, 100\] mV/)
    expect(() => neuro.spikeTimes(ops.zeros([2, 3]), 0.1)).toThrow(/spikeTimes: the trace must be rank 1 \(one neuron\), got shape \[2,3\]/)
    expect(() => neuro.spikeTimes([0, 1], 0)).toThrow(/spikeTimes: dt must be a positive finite number, got 0/)
    expect(() => neuro.hhFiringRates([])).toThrow(/hhFiringRates: currents must be a non-empty array/)
    expect(() => neuro.hhFiringRates([5], { duration: 50, transient: 50 })).toThrow(/hhFiringRates: transient must be in \[0, duration\)/)
    expect(() => neuro.hhFiringRates([5], { dt: 0 })).toThrow(/hhFiringRates: dt must be a positive finite number of ms, got 0/)
  })
})

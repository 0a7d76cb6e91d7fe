/**
 * `npm run example:hodgkin-huxley`: the Hodgkin–Huxley squid axon (notes §2.1).
 *
 * 1. The resting state: the potential where the membrane current vanishes with every gate
 *    at its steady state (≈ −65 mV), and the gates' steady states and time constants
 *    against V (out/hh-gate-curves.svg, out/hh-time-constants.svg).
 * 2. An action potential train: a 10 µA/cm² current step from 5 to 45 ms, integrated with
 *    RK4 (dt = 0.025 ms): V(t) (out/hh-action-potential.svg) and the gates n, m, h
 *    (out/hh-gates.svg); spike times are the upward crossings of 0 mV.
 * 3. The f–I curve: the steady firing rate (inverse mean inter-spike interval after a
 *    60 ms transient) for constant currents 0…20 µA/cm², all simulated as one batch
 *    (out/hh-fi-curve.svg), and the rheobase for a step from rest, located by two rounds of
 *    refinement on finer batches of currents (150 ms each, 50 ms transient). The curve jumps from 0 to ≈ 50 Hz: HH is a
 *    type II neuron.
 *
 * Prints the key figures and the cost of one RK4/Euler step; deterministic (no randomness).
 */
import { neuro, ops } from 'dendrite'
import { lineChart, writeFile } from 'dendrite/viz'

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1)
const arr = (t: ops.Tensor): number[] => Array.from(t.data)

const main = async (): Promise<void> => {
  const start = performance.now()
  const files: string[] = []
  const save = async (name: string, svg: Promise<string>) => {
    await writeFile(`out/${name}`, await svg)
    files.push(`out/${name}`)
  }

  // 1. rest
  const rest = neuro.hhRestingState()
  const vRest = ops.item(rest.V)
  console.log(`resting potential ${vRest.toFixed(3)} mV; n = ${ops.item(rest.n).toFixed(4)}, m = ${ops.item(rest.m).toFixed(4)}, h = ${ops.item(rest.h).toFixed(4)}`)
  const Vs = ops.linspace(-100, 50, 301, 'float64')
  const gates = ['n', 'm', 'h'] as const
  await save('hh-gate-curves.svg', lineChart(gates.map((g) => ({ name: `${g}∞`, x: arr(Vs), y: arr(neuro.hhSteadyState(g, Vs)) })), {
    title: 'Gate steady states x∞(V) = α/(α + β)', xLabel: 'V (mV)', yLabel: 'open fraction',
  }))
  await save('hh-time-constants.svg', lineChart(gates.map((g) => ({ name: `τ${g}`, x: arr(Vs), y: arr(neuro.hhTimeConstant(g, Vs)) })), {
    title: 'Gate time constants τ(V) = 1/(α + β)', xLabel: 'V (mV)', yLabel: 'τ (ms)',
  }))

  // 2. a current step
  const dt = 0.025
  const step = (t: number) => (t >= 5 && t < 45 ? 10 : 0)
  let t0 = performance.now()
  const tr = neuro.hhSimulate(step, { duration: 60, dt })
  const simSeconds = (performance.now() - t0) / 1000
  const spikes = neuro.spikeTimes(tr.V, dt)
  const isis = spikes.slice(1).map((s, i) => s - spikes[i])
  console.log(`\n10 µA/cm² from 5 to 45 ms (RK4, dt = ${dt} ms, ${tr.V.shape[0] - 1} steps in ${simSeconds.toFixed(2)} s):`)
  console.log(`  ${spikes.length} spikes at ${spikes.map((s) => s.toFixed(2)).join(', ')} ms; inter-spike intervals ${isis.map((d) => d.toFixed(2)).join(', ')} ms`)
  console.log(`  peak ${ops.item(ops.max(tr.V)).toFixed(1)} mV, trough ${ops.item(ops.min(tr.V)).toFixed(1)} mV`)
  const t = arr(tr.t)
  await save('hh-action-potential.svg', lineChart([{ name: 'V', x: t, y: arr(tr.V) }, { name: 'I (µA/cm²)', x: t, y: t.map(step) }], {
    title: 'Hodgkin–Huxley: 10 µA/cm² step from 5 to 45 ms', xLabel: 't (ms)', yLabel: 'mV',
  }))
  await save('hh-gates.svg', lineChart(gates.map((g) => ({ name: g, x: t, y: arr(tr[g]) })), {
    title: 'Gates during the spike train', xLabel: 't (ms)', yLabel: 'open fraction',
  }))

  // cost of one step (one neuron, float64)
  const perStep = (method: neuro.OdeMethod) => {
    const n = 400
    const s = performance.now()
    neuro.hhSimulate(10, { duration: n * dt, dt, method })
    return ((performance.now() - s) / n) * 1000
  }
  const [rk4Cost, eulerCost] = [perStep('rk4'), perStep('euler')]
  console.log(`  cost per step, one neuron: RK4 ${rk4Cost.toFixed(0)} µs, Euler ${eulerCost.toFixed(0)} µs`)

  // 3. the f–I curve, one batch of currents
  const rateOpts = { dt: 0.05, duration: 200, transient: 60 }
  const currents = Array.from({ length: 21 }, (_, i) => i)
  t0 = performance.now()
  const rates = neuro.hhFiringRates(currents, rateOpts)
  console.log(`\nf–I curve (RK4, dt = ${rateOpts.dt} ms, ${rateOpts.duration} ms per current, ${currents.length} currents in one batch, ${seconds(t0)} s):`)
  console.log('  ' + currents.map((c, i) => `${c}: ${rates[i].toFixed(1)} Hz`).join(', '))
  // rheobase: refine between the last silent and the first firing current, twice
  let [lo, hi] = [0, 0]
  for (let i = 1; i < currents.length; i++) if (rates[i] > 0 && rates[i - 1] === 0) [lo, hi] = [currents[i - 1], currents[i]]
  const refineOpts = { ...rateOpts, duration: 150, transient: 50 }
  for (let round = 0; round < 2; round++) {
    const fine = Array.from({ length: 9 }, (_, i) => lo + ((hi - lo) * (i + 1)) / 10)
    const r = neuro.hhFiringRates(fine, refineOpts)
    const k = r.findIndex((x) => x > 0)
    ;[lo, hi] = k < 0 ? [fine[8], hi] : [k === 0 ? lo : fine[k - 1], fine[k]]
  }
  const [atLo, onset] = neuro.hhFiringRates([lo, hi], rateOpts)
  console.log(`  rheobase (step from rest) between ${lo.toFixed(2)} and ${hi.toFixed(2)} µA/cm²; the rate jumps from ${atLo.toFixed(1)} to ${onset.toFixed(1)} Hz there (type II)`)
  // the curve with the two points around the jump, so that the chart shows a step, not a ramp
  const pts = [...currents.map((c, i) => [c, rates[i]]), [lo, atLo], [hi, onset]].sort((a, b) => a[0] - b[0])
  await save('hh-fi-curve.svg', lineChart([{ name: 'RK4, dt 0.05 ms', x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) }], {
    title: 'Hodgkin–Huxley f–I curve (step from rest)', xLabel: 'I (µA/cm²)', yLabel: 'rate (Hz)',
  }))

  console.log(`\nwrote ${files.join(', ')}`)
  console.log(`total ${seconds(start)} s`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

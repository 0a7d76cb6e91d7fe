/**
 * `npm run example:lif-tuning`: tuning curves of a population of 20 LIF neurons (notes
 * §2.2, §21). Each neuron i has an encoder e_i = ±1, an intercept c_i ∈ [−0.9, 0.9] (where
 * it starts firing) and a maximum rate r_i ∈ [100, 200] Hz (at x = e_i); its gain and bias
 * follow from the rate curve's inverse, α_i = (G⁻¹(r_i) − 1)/(1 − c_i), β_i = 1 − α_i c_i,
 * and its tuning curve is a_i(x) = G(α_i e_i x + β_i) with Nengo's τ_m = 20 ms, τ_ref = 2 ms.
 *
 * Then the spiking neurons are simulated (dt = 1 ms, T = 2 s, spike-time interpolation) at
 * seven values of x, and the spike counts are compared with G(J)·T: they agree within one
 * spike. A table compares simulated and formula rates at J = 1.5, 2, 5, 10, with and
 * without interpolation (without it every interval is rounded up to whole steps).
 *
 * Writes out/lif-tuning.svg (the 20 tuning curves), out/lif-tuning-simulated.svg (simulated
 * vs formula rates) and out/lif-voltage.svg (a voltage trace under a ramp of current).
 * Deterministic: random.key(5).
 */
import { neuro, ops, random } from 'dendrite'
import { lineChart, scatter, writeFile } from 'dendrite/viz'

const N = 20
const T = 2
const dt = 0.001

const main = async (): Promise<void> => {
  const t0 = performance.now()
  const [kEnc, kInt, kRate] = random.split(random.key(5), 3)
  const enc = ops.toFlat(random.bernoulli(kEnc, 0.5, [N])).map((b) => (b ? 1 : -1))
  const intercepts = ops.toFlat(random.uniform(kInt, [N], { min: -0.9, max: 0.9, dtype: 'float64' }))
  const maxRates = random.uniform(kRate, [N], { min: 100, max: 200, dtype: 'float64' })
  const Jmax = ops.toFlat(neuro.lifRateInverse(maxRates))
  const gain = Jmax.map((j, i) => (j - 1) / (1 - intercepts[i]))
  const bias = gain.map((g, i) => 1 - g * intercepts[i])
  const tuning = { gain: ops.tensor(gain, 'float64'), bias: ops.tensor(bias, 'float64'), encoders: ops.tensor(enc, 'float64') }

  // tuning curves a_i(x) = G(α_i e_i x + β_i)
  const xs = Array.from({ length: 201 }, (_, k) => -1 + k / 100)
  const A = ops.toArray(neuro.lifTuningCurve(ops.tensor(xs, 'float64'), tuning)) as number[][]
  const svg = await lineChart(
    Array.from({ length: N }, (_, i) => ({ name: `neuron ${i + 1} (e = ${enc[i] > 0 ? '+1' : '−1'})`, x: xs, y: A.map((r) => r[i]) })),
    { title: `Tuning curves of ${N} LIF neurons (τ_m = 20 ms, τ_ref = 2 ms)`, xLabel: 'x', yLabel: 'firing rate (Hz)', width: 640, height: 360 },
  )
  await writeFile('out/lif-tuning.svg', svg)
  const atPref = enc.map((e, i) => A[e > 0 ? A.length - 1 : 0][i])
  console.log(`tuning curves of ${N} neurons (${enc.filter((e) => e > 0).length} with e = +1): rate at x = e_i from ${Math.min(...atPref).toFixed(1)} to ${Math.max(...atPref).toFixed(1)} Hz (asked: ${ops.toFlat(maxRates).map((r) => r.toFixed(0)).join(', ')})`)

  // spiking simulation at seven x values: counts vs G(J)·T
  const probeX = [-1, -0.6, -0.3, 0, 0.3, 0.6, 1]
  const J = ops.toArray(ops.add(ops.mul(ops.outer(ops.tensor(probeX, 'float64'), ops.mul(tuning.gain, tuning.encoders)), 1), tuning.bias)) as number[][]
  const steps = Math.round(T / dt)
  const tSim = performance.now()
  const sim = neuro.lifSimulate(ops.tensor(J.flat(), 'float64'), { dt, steps, voltages: false })
  const simMs = performance.now() - tSim
  const G = ops.toFlat(neuro.lifRate(ops.tensor(J.flat(), 'float64')))
  const counts = ops.toFlat(sim.counts)
  const worst = Math.max(...counts.map((c, k) => Math.abs(c - G[k] * T)))
  console.log(`simulated ${probeX.length * N} neurons × ${steps} steps in ${simMs.toFixed(0)} ms: max |count − G(J)·T| = ${worst.toFixed(3)} spikes (T = ${T} s)`)
  const pts = counts.map((c, k) => ({ x: G[k], y: c / T, group: `x = ${probeX[Math.floor(k / N)]}` }))
  await writeFile('out/lif-tuning-simulated.svg', await scatter(pts, { title: 'Simulated spike rate vs G(J) (dt = 1 ms, interpolated)', xLabel: 'G(J) (Hz)', yLabel: 'spikes / T (Hz)' }))

  // simulated vs formula at a few J, Nengo defaults
  console.log('\n   J | G(J) (Hz) | simulated, interpolated | simulated, no interpolation   (dt = 1 ms, T = 10 s)')
  const Js = [1.5, 2, 5, 10]
  const Gs = ops.toFlat(neuro.lifRate(ops.tensor(Js, 'float64')))
  const [withI, withoutI] = [true, false].map((interpolate) =>
    ops.toFlat(neuro.lifSimulate(ops.tensor(Js, 'float64'), { dt, steps: 10000, voltages: false, interpolate }).counts).map((c) => c / 10),
  )
  Js.forEach((j, i) => console.log(`${j.toFixed(1).padStart(4)} | ${Gs[i].toFixed(3).padStart(9)} | ${withI[i].toFixed(1).padStart(23)} | ${withoutI[i].toFixed(1).padStart(27)}`))

  // a voltage trace under a ramp of current
  const ramp = neuro.lifSimulate((t) => 0.5 + 2 * t, { dt: 1e-4, steps: 5000 })
  const tt = Array.from({ length: 5000 }, (_, k) => (k + 1) * 1e-4)
  await writeFile('out/lif-voltage.svg', await lineChart(
    [{ name: 'v (dimensionless)', x: tt, y: ops.toFlat(ramp.voltages!) }, { name: 'J(t)', x: tt, y: tt.map((t) => 0.5 + 2 * t) }],
    { title: `LIF under a current ramp J(t) = 0.5 + 2t: ${ramp.spikeTimes[0].length} spikes, first at ${(ramp.spikeTimes[0][0] * 1000).toFixed(1)} ms`, xLabel: 't (s)', yLabel: 'v, J' },
  ))
  console.log(`\nwrote out/lif-tuning.svg, out/lif-tuning-simulated.svg, out/lif-voltage.svg (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

/**
 * `npm run example:integrator`: a neural integrator (NEF principle 3, notes §23). One
 * population of 200 LIF neurons with a recurrent connection through a lowpass synapse
 * τ = 100 ms implements dx/dt = u: with A = 0 and B = 1, the recurrent transform is
 * A′ = τA + I = 1 and the input transform B′ = τB = 0.1. The input is a pulse u = 1 from
 * 0.2 s to 0.7 s, then u = −0.5 from 1.2 s to 1.6 s; the ideal state climbs to 0.5, holds,
 * and falls to 0.3. Simulated with rate neurons and with spiking neurons (dt = 1 ms; the
 * spiking decoded state is read through a 10 ms probe filter, as a Nengo probe).
 *
 * Writes out/integrator.svg (input, ideal, rate and spiking decoded state) and
 * out/integrator-raster.svg (spike raster of 20 neurons). Deterministic: random.key(0).
 */
import { neuro, ops, random } from 'dendrite'
import { lineChart, scatter, writeFile } from 'dendrite/viz'

const t0 = performance.now()
const dt = 0.001
const steps = 2000
const [kEns, kV] = random.split(random.key(0))
const ens = neuro.ensemble(kEns, { n: 200, dimensions: 1 })
const net = neuro.nefSystem(ens, neuro.integrator(), { tau: 0.1 })
console.log(`recurrent transform A′ = ${ops.toFlat(net.recurrent)}, input transform B′ = ${ops.toFlat(net.input)}`)

const uAt = (t: number): number => (t >= 0.2 && t < 0.7 ? 1 : t >= 1.2 && t < 1.6 ? -0.5 : 0)
const uRows = Array.from({ length: steps }, (_, k) => uAt(k * dt))
const u = ops.tensor(uRows.map((v) => [v]), 'float64')
// the ideal state at the end of each step
const ideal: number[] = []
uRows.reduce((x, v) => (ideal.push(x + v * dt), x + v * dt), 0)

const results = (['rate', 'spiking'] as const).map((mode) => {
  const t = performance.now()
  const run = neuro.simulateNef(net, u, { dt, mode, key: kV })
  const x = ops.toFlat(run.decoded)
  const err = neuro.rmse(run.decoded, ops.tensor(ideal.map((v) => [v]), 'float64'))
  const at = (s: number) => x[Math.round(s / dt) - 1]
  console.log(
    `${mode.padEnd(7)}: RMSE vs ideal ${err.toFixed(4)}; x̂(0.7 s) = ${at(0.7).toFixed(3)} (ideal 0.5), x̂(1.2 s) = ${at(1.2).toFixed(3)} (holds 0.5), ` +
      `x̂(2 s) = ${at(2).toFixed(3)} (ideal 0.3)  [${((performance.now() - t) / 1000).toFixed(1)} s]`,
  )
  return { mode, x, run }
})

const ts = Array.from({ length: steps }, (_, k) => (k + 1) * dt)
await writeFile(
  'out/integrator.svg',
  await lineChart(
    [
      { name: 'input u', x: ts, y: uRows },
      { name: 'ideal ∫u dt', x: ts, y: ideal },
      ...results.map((r) => ({ name: `decoded (${r.mode})`, x: ts, y: r.x })),
    ],
    { title: 'Neural integrator, 200 LIF neurons, τ = 100 ms', xLabel: 't (s)', yLabel: 'x' },
  ),
)
const spikes = results[1].run.spikes as ops.Tensor
const rows = ops.toArray(spikes) as number[][]
const points = rows.flatMap((row, k) => row.slice(0, 20).flatMap((s, i) => (s > 0 ? [{ x: (k + 1) * dt, y: i, group: ops.toFlat(ens.encoders)[i] > 0 ? 'e = +1' : 'e = −1' }] : [])))
await writeFile('out/integrator-raster.svg', await scatter(points, { title: 'Spikes of 20 of the 200 neurons', xLabel: 't (s)', yLabel: 'neuron' }))
console.log(`${ops.item(ops.sum(spikes))} spikes in 2 s from 200 neurons`)
console.log('\nwrote out/integrator.svg, out/integrator-raster.svg')
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

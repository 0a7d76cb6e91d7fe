/**
 * `npm run example:oscillator`: a neural oscillator (NEF principle 3, notes §23). A
 * population of 300 LIF neurons represents x ∈ ℝ² and feeds itself back through a lowpass
 * synapse τ = 100 ms with A′ = τA + I, A = [[0, −ω], [ω, 0]], ω = 2π rad/s (1 Hz): the ideal
 * state rotates, x(t) = R(ωt) x(0). A 100 ms kick u = (6, 0) starts it from rest (B′ = τB);
 * then it runs freely for 3 s. Simulated with rate neurons and with spiking neurons
 * (dt = 1 ms; the spiking state is read through a 10 ms probe filter). The tracking errors
 * are measured against the ideal linear system from the same kick (integrated exactly
 * step by step), over the whole run and over its first free period.
 *
 * Writes out/oscillator.svg (x₀, x₁ over time: ideal, rate, spiking) and
 * out/oscillator-phase.svg (the trajectories in the plane). Deterministic: random.key(0).
 */
import { neuro, ops, random } from 'dendrite'
import { lineChart, writeFile } from 'dendrite/viz'

const t0 = performance.now()
const dt = 0.001
const steps = 3100
const kick = 100
const omega = 2 * Math.PI
const [kEns, kV] = random.split(random.key(0))
const ens = neuro.ensemble(kEns, { n: 300, dimensions: 2 })
const net = neuro.nefSystem(ens, neuro.oscillator(omega), { tau: 0.1 })
console.log(`A′ = τA + I = ${JSON.stringify((ops.toArray(net.recurrent) as number[][]).map((r) => r.map((v) => +v.toFixed(4))))}`)

const uRows = Array.from({ length: steps }, (_, k) => (k < kick ? [6, 0] : [0, 0]))
const u = ops.tensor(uRows, 'float64')
// ideal: dx/dt = A x + B u with u constant over each step, exact rotation plus the input's integral
const ideal: number[][] = []
let x = [0, 0]
const c = Math.cos(omega * dt)
const s = Math.sin(omega * dt)
for (const [u0, u1] of uRows) {
  // exact ZOH: x ← R x + (1/ω)[[s, −(1 − c)], [1 − c, s]] u
  x = [c * x[0] - s * x[1] + (s * u0 - (1 - c) * u1) / omega, s * x[0] + c * x[1] + ((1 - c) * u0 + s * u1) / omega]
  ideal.push(x)
}
const radius = Math.hypot(...ideal[kick - 1])
console.log(`after the kick the ideal radius is ${radius.toFixed(3)}`)
const idealT = ops.tensor(ideal, 'float64')
const window = (t: ops.Tensor, a: number, b: number) => ops.slice(t, [{ start: a, stop: b }])

const results = (['rate', 'spiking'] as const).map((mode) => {
  const t = performance.now()
  const run = neuro.simulateNef(net, u, { dt, mode, key: kV })
  const all = neuro.rmse(run.decoded, idealT)
  const first = neuro.rmse(window(run.decoded, kick, kick + 1000), window(idealT, kick, kick + 1000))
  const end = (ops.toArray(run.decoded) as number[][])[steps - 1]
  console.log(
    `${mode.padEnd(7)}: RMSE vs ideal over the first free period ${first.toFixed(4)}, over all 3.1 s ${all.toFixed(4)}; ` +
      `radius at the end ${Math.hypot(...end).toFixed(3)}  [${((performance.now() - t) / 1000).toFixed(1)} s]`,
  )
  return { mode, run }
})

const ts = Array.from({ length: steps }, (_, k) => (k + 1) * dt)
const comp = (rows: number[][], i: number) => rows.map((r) => r[i])
const series = [
  { name: 'ideal x₀', x: ts, y: comp(ideal, 0) },
  { name: 'ideal x₁', x: ts, y: comp(ideal, 1) },
  ...results.flatMap((r) => {
    const rows = ops.toArray(r.run.decoded) as number[][]
    return [
      { name: `${r.mode} x₀`, x: ts, y: comp(rows, 0) },
      { name: `${r.mode} x₁`, x: ts, y: comp(rows, 1) },
    ]
  }),
]
await writeFile('out/oscillator.svg', await lineChart(series, { title: 'Neural oscillator, 1 Hz, 300 LIF neurons', xLabel: 't (s)', yLabel: 'x', width: 640 }))
await writeFile(
  'out/oscillator-phase.svg',
  await lineChart(
    [
      { name: 'ideal', x: comp(ideal, 0), y: comp(ideal, 1) },
      ...results.map((r) => {
        const rows = ops.toArray(r.run.decoded) as number[][]
        return { name: r.mode, x: comp(rows, 0), y: comp(rows, 1) }
      }),
    ],
    { title: 'Oscillator trajectories in the plane', xLabel: 'x₀', yLabel: 'x₁', width: 360, height: 360 },
  ),
)
console.log('\nwrote out/oscillator.svg, out/oscillator-phase.svg')
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

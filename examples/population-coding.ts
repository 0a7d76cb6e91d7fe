/**
 * `npm run example:population-coding`: a scalar x ∈ [−1, 1] represented by N LIF neurons
 * (Neural Engineering Framework, notes §21). Each ensemble draws unit encoders (±1 in one
 * dimension), max rates Uniform(200, 400) Hz and intercepts Uniform(−1, 0.9) (Nengo's
 * defaults); its optimal linear decoders solve (AᵀA + Sσ²I)D = AᵀX on S = 750 sample points
 * with σ = 0.1·max(A). For N = 10, 20, 50, 100 and 200 neurons the decoded estimate x̂ = A D
 * is compared with x on a grid of 201 points, and the RMSE is averaged over 5 keys (it falls
 * roughly as 1/N, the NEF's distortion error, until the regularisation's bias takes over:
 * about ×11 from 10 to 200 neurons). The spiking RMSE includes the synapse's ≈ 10 ms lag.
 * Then the 50-neuron ensemble runs with spiking neurons on x(t) = sin(2πt) for 2 s and its
 * spikes, filtered by a 10 ms lowpass synapse, are decoded with the same (rate) decoders.
 *
 * Writes out/population-coding-tuning.svg (tuning curves of 20 neurons),
 * out/population-coding.svg (decoded vs true x for each N), out/population-coding-rmse.svg
 * (RMSE vs N, log scale) and out/population-coding-spikes.svg (decoded filtered spikes vs
 * x(t)). Deterministic: random.key(0).
 */
import { neuro, ops, random } from 'dendrite'
import { lineChart, writeFile } from 'dendrite/viz'

const t0 = performance.now()
const SIZES = [10, 20, 50, 100, 200]
const SEEDS = 5
const root = random.key(0)
const gridX = Array.from({ length: 201 }, (_, i) => -1 + i / 100)
const grid = ops.tensor(gridX.map((x) => [x]), 'float64')

// tuning curves of a 20-neuron ensemble
const small = neuro.ensemble(random.foldIn(root, 1), { n: 20, dimensions: 1 })
const tuning = ops.toArray(ops.transpose(neuro.activities(small, grid))) as number[][]
await writeFile(
  'out/population-coding-tuning.svg',
  await lineChart(tuning.map((y, i) => ({ name: `neuron ${i}`, x: gridX, y })), { title: 'LIF tuning curves (20 neurons)', xLabel: 'x', yLabel: 'rate (Hz)' }),
)

console.log('N    | RMSE (key 0) | mean RMSE over 5 keys | RMSE·N')
const rows = SIZES.map((n) => {
  const runs = random.split(random.foldIn(root, n), SEEDS).map((k) => {
    const ens = neuro.ensemble(k, { n, dimensions: 1 })
    const D = neuro.ensembleDecoders(ens)
    const xhat = neuro.decode(neuro.activities(ens, grid), D)
    return { err: neuro.rmse(xhat, grid), xhat: ops.toFlat(xhat) }
  })
  const mean = runs.reduce((s, r) => s + r.err, 0) / SEEDS
  console.log(`${String(n).padEnd(4)} | ${runs[0].err.toFixed(4).padStart(12)} | ${mean.toFixed(4).padStart(21)} | ${(mean * n).toFixed(2)}`)
  return { n, mean, xhat: runs[0].xhat }
})
const falls = rows.every((r, i) => i === 0 || r.mean < rows[i - 1].mean)
console.log(falls ? 'the decoding error falls at every step 10 → 200' : 'note: the decoding error did not fall at every step')

await writeFile(
  'out/population-coding.svg',
  await lineChart(
    [{ name: 'true x', x: gridX, y: gridX }, ...rows.map((r) => ({ name: `N = ${r.n}`, x: gridX, y: r.xhat }))],
    { title: 'Decoded x̂ vs x', xLabel: 'x', yLabel: 'x̂' },
  ),
)
await writeFile(
  'out/population-coding-rmse.svg',
  await lineChart([{ name: `mean RMSE over ${SEEDS} keys`, x: SIZES, y: rows.map((r) => r.mean) }], {
    title: 'Decoding error vs number of neurons', xLabel: 'neurons N', yLabel: 'RMSE', logY: true,
  }),
)

// spiking: decode filtered spikes with the rate decoders
const dt = 0.001
const steps = 2000
const ens50 = neuro.ensemble(random.split(random.foldIn(root, 50), SEEDS)[0], { n: 50, dimensions: 1 })
const xt = ops.tensor(Array.from({ length: steps }, (_, k) => [Math.sin(2 * Math.PI * k * dt)]), 'float64')
const spikes = neuro.spikingActivities(ens50, xt, { dt, key: random.foldIn(root, 2) })
const xhatSpikes = neuro.decodeSpikes(spikes, neuro.ensembleDecoders(ens50), { dt, synapse: { tau: 0.01, n: 0 } })
const total = ops.item(ops.sum(spikes)) * dt
const settled = (t: ops.Tensor) => ops.slice(t, [{ start: 100 }])
const spikeErr = neuro.rmse(settled(xhatSpikes), settled(xt))
console.log(`\nspiking, N = 50, x(t) = sin(2πt) for 2 s: ${total} spikes (${(total / 50 / 2).toFixed(1)} Hz per neuron on average),`)
console.log(`decoded through a 10 ms lowpass with the rate decoders: RMSE ${spikeErr.toFixed(4)} (after the first 100 ms)`)
const ts = Array.from({ length: steps }, (_, k) => (k + 1) * dt)
await writeFile(
  'out/population-coding-spikes.svg',
  await lineChart([{ name: 'x(t)', x: ts, y: ops.toFlat(xt) }, { name: 'decoded filtered spikes', x: ts, y: ops.toFlat(xhatSpikes) }], {
    title: 'Decoding spike trains (N = 50, lowpass 10 ms)', xLabel: 't (s)', yLabel: 'x',
  }),
)
console.log('\nwrote out/population-coding-tuning.svg, out/population-coding.svg, out/population-coding-rmse.svg, out/population-coding-spikes.svg')
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

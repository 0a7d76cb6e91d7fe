/**
 * `npm run example:transformation`: y = x² computed by the connection weights between two
 * populations (NEF, notes §22). Ensemble A (200 LIF neurons) represents x; the connection
 * A → B has decoders D for f(x) = x² (solved on A's sample points) and B's gain-scaled
 * encoders, W = (α ∘ E_B) Dᵀ, kept factorised: a step costs O((N + M)·D) through the
 * one-dimensional bottleneck instead of O(N·M) for the 200 × 200 matrix (both are
 * computed and compared). B's neurons receive those currents (plus their biases) and B's
 * identity decoders read y back. Done with rate neurons on a grid of x, then with spiking
 * neurons in both populations for x(t) = sin(2πt) over 2 s (A's spikes filtered by a 5 ms
 * synapse drive B; B's spikes decoded through a 10 ms lowpass).
 *
 * Writes out/transformation.svg (x², decoded from A and from B, rate neurons) and
 * out/transformation-spiking.svg (the spiking run over time). Deterministic: random.key(0).
 */
import { neuro, ops, random } from 'dendrite'
import { lineChart, writeFile } from 'dendrite/viz'

const t0 = performance.now()
const [kA, kB, kV1, kV2] = random.split(random.key(0), 4)
const A = neuro.ensemble(kA, { n: 200, dimensions: 1 })
const B = neuro.ensemble(kB, { n: 200, dimensions: 1 })
const conn = neuro.connection(A, B, { function: ops.square })
const decB = neuro.ensembleDecoders(B)

// rate neurons on a grid
const gridX = Array.from({ length: 201 }, (_, i) => -1 + i / 100)
const grid = ops.tensor(gridX.map((x) => [x]), 'float64')
const truth = ops.square(grid)
const aRates = neuro.activities(A, grid)
const fromA = neuro.connectionOutput(conn, aRates) // x² decoded from A
const currents = neuro.connectionCurrents(conn, aRates) // B's synaptic currents, factorised
const W = neuro.fullWeights(conn)
const viaMatrix = ops.matmul(aRates, ops.transpose(W))
const fromB = neuro.decode(neuro.lifRate(ops.add(currents, B.biases)), decB)
console.log(`weights W: [${W.shape.join(' × ')}] (rank 1); factorised vs full currents differ by RMSE ${neuro.rmse(currents, viaMatrix).toExponential(2)}`)
console.log(`rate neurons: RMSE of x² decoded from A ${neuro.rmse(fromA, truth).toFixed(4)}, read back from B ${neuro.rmse(fromB, truth).toFixed(4)}`)
await writeFile(
  'out/transformation.svg',
  await lineChart(
    [
      { name: 'x²', x: gridX, y: ops.toFlat(truth) },
      { name: 'decoded from A (D_f)', x: gridX, y: ops.toFlat(fromA) },
      { name: 'represented by B', x: gridX, y: ops.toFlat(fromB) },
    ],
    { title: 'y = x² through the weights A → B (rate neurons)', xLabel: 'x', yLabel: 'y' },
  ),
)

// spiking neurons in both populations
const dt = 0.001
const steps = 2000
const xt = ops.tensor(Array.from({ length: steps }, (_, k) => [Math.sin(2 * Math.PI * k * dt)]), 'float64')
const spikesA = neuro.spikingActivities(A, xt, { dt, key: kV1 })
const filteredA = neuro.filter(spikesA, dt, neuro.lowpass(0.005))
// the factorised weights in two steps: y = Dᵀ(h ∗ a_A) through the bottleneck, then B's
// neurons get J = α ∘ (E_B y) + β inside spikingActivities (= W (h ∗ a_A) + β)
const inB = neuro.connectionOutput(conn, filteredA) // [T, 1]
const spikesB = neuro.spikingActivities(B, inB, { dt, key: kV2 })
const yhat = neuro.decodeSpikes(spikesB, decB, { dt, synapse: { tau: 0.01, n: 0 } })
const yTrue = ops.square(xt)
const settled = (t: ops.Tensor) => ops.slice(t, [{ start: 100 }])
const spikingErr = neuro.rmse(settled(yhat), settled(yTrue))
// the two synapses delay y by about 15 ms: compare with the delayed target as well
const lag = 15
const lagErr = neuro.rmse(ops.slice(yhat, [{ start: 100 + lag }]), ops.slice(yTrue, [{ start: 100, stop: steps - lag }]))
console.log(`spiking neurons, x(t) = sin(2πt): RMSE of y(t) vs x(t)² ${spikingErr.toFixed(4)} (${lagErr.toFixed(4)} against the target delayed ${lag} ms by the synapses)`)
const ts = Array.from({ length: steps }, (_, k) => (k + 1) * dt)
await writeFile(
  'out/transformation-spiking.svg',
  await lineChart(
    [{ name: 'x(t)', x: ts, y: ops.toFlat(xt) }, { name: 'x(t)²', x: ts, y: ops.toFlat(yTrue) }, { name: 'decoded from B (spikes)', x: ts, y: ops.toFlat(yhat) }],
    { title: 'y = x² between two spiking populations', xLabel: 't (s)', yLabel: 'value' },
  ),
)
console.log('\nwrote out/transformation.svg, out/transformation-spiking.svg')
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

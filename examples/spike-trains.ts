/**
 * `npm run example:spike-trains`: a small spiking network and its filtered spike trains
 * (notes §3). 40 LIF neurons (30 excitatory, 10 inhibitory; τ_m = 20 ms, τ_ref = 2 ms)
 * are connected at random (20% of pairs; excitatory weights in [0, 0.004], inhibitory in
 * [−0.015, 0]; a spike adds w/τ_s to the current, whose integral is w) through exponential synapses (τ_s = 5 ms: τ_s ds/dt = −s, s_i ← s_i + w_ij/τ_s
 * on a spike from j), and driven by a slowly oscillating input current; the network is
 * simulated for 1 s at dt = 0.1 ms.
 *
 * The spike train of one neuron is then filtered with an exponential and an alpha synapse
 * (τ = 10 ms), both as the exact sum of shifted kernels Σ h(t − t_s) from its spike times
 * and by the discrete filter on its binned train (height 1/dt); the two agree to the
 * step's accuracy. The recorded synaptic current of a neuron equals the weighted sum of
 * its inputs' filtered trains. Finally the cost of a network step per neuron is measured
 * for N = 200 and 1000.
 *
 * Writes out/spike-raster.svg (the raster) and out/spike-trains-filtered.svg (the filtered
 * trains). Deterministic: random.key(3).
 */
import { neuro, ops, random, type Tensor } from 'dendrite'
import { lineChart, scatter, writeFile } from 'dendrite/viz'

const dt = 1e-4
const T = 1
const steps = Math.round(T / dt)

/** A random network: N neurons, the last nInh inhibitory, connection probability p. */
const randomWeights = (key: random.Key, N: number, nInh: number, p: number, wExc: number, wInh: number): Tensor => {
  const [kc, kw] = random.split(key)
  const conn = ops.toFlat(random.bernoulli(kc, p, [N, N]))
  const u = ops.toFlat(random.uniform(kw, [N, N], { dtype: 'float64' }))
  return ops.fromArray(conn.map((c, m) => {
    const [i, j] = [Math.floor(m / N), m % N]
    return c && i !== j ? (j >= N - nInh ? -wInh : wExc) * u[m] : 0
  }), [N, N], 'float64')
}

const main = async (): Promise<void> => {
  const t0 = performance.now()
  const [kW, kIn, kBig] = random.split(random.key(3), 3)
  const N = 40
  const nInh = 10
  const W = randomWeights(kW, N, nInh, 0.2, 0.004, 0.015)
  const level = ops.toFlat(random.uniform(kIn, [N], { min: 0.9, max: 1.3, dtype: 'float64' }))
  const input = (t: number): Tensor => ops.tensor(level.map((l, i) => l + 0.3 * Math.sin(2 * Math.PI * 3 * t + i / 4)), 'float64')
  const net = neuro.lifNetwork(W, { tauSyn: 0.005 })
  const sim = neuro.networkSimulate(net, input, { dt, steps, probes: { spikes: true, current: true } })
  const counts = sim.spikeTimes.map((s) => s.length)
  const total = counts.reduce((a, b) => a + b, 0)
  const rates = ops.toFlat(neuro.firingRates(sim.spikeTimes, { t0: 0, t1: T }))
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  console.log(`network of ${N} LIF neurons (${N - nInh} excitatory, ${nInh} inhibitory), ${steps} steps of ${dt * 1000} ms: ${total} spikes`)
  console.log(`mean rate: excitatory ${mean(rates.slice(0, N - nInh)).toFixed(1)} Hz, inhibitory ${mean(rates.slice(N - nInh)).toFixed(1)} Hz`)

  const raster = sim.spikeTimes.flatMap((ts, i) => ts.map((t) => ({ x: t, y: i, group: i >= N - nInh ? 'inhibitory' : 'excitatory' })))
  await writeFile('out/spike-raster.svg', await scatter(raster, { title: `Spike raster: ${N} LIF neurons, τ_s = 5 ms`, xLabel: 't (s)', yLabel: 'neuron', width: 640, height: 320 }))

  // the synaptic current of neuron 0 = Σ_j w_0j Σ h(t − t_s) (exponential, τ_s)
  const at = Array.from({ length: steps }, (_, k) => k * dt + dt)
  const filt = neuro.filterSpikeTimes(sim.spikeTimes, at, { tau: 0.005, n: 0 })
  const expected = ops.toFlat(ops.matmul(filt, ops.reshape(ops.slice(W, [0]), [N, 1])))
  const recorded = ops.toFlat(ops.slice(sim.current!, [null, 0]))
  const curErr = Math.max(...recorded.map((v, k) => Math.abs(v - expected[k])))
  console.log(`synaptic current of neuron 0 vs Σ_j w_0j (a_j ∗ h)(t): max |difference| = ${curErr.toExponential(2)} (scale ${Math.max(...expected.map(Math.abs)).toFixed(1)})`)

  // filtered trains of the busiest excitatory neuron: exponential and alpha, continuous and discrete
  const i = counts.slice(0, N - nInh).indexOf(Math.max(...counts.slice(0, N - nInh)))
  const train = [sim.spikeTimes[i]]
  const binned = neuro.binSpikes(train, dt, steps, { height: 'rate' })
  const tau = 0.01
  const series = [0, 1].flatMap((n) => {
    const cont = ops.toFlat(neuro.filterSpikeTimes(train, at, { tau, n }))
    const disc = ops.toFlat(neuro.filter(binned, dt, neuro.synapse(tau, n)))
    const err = Math.max(...cont.map((c, k) => Math.abs(c - disc[k])))
    const name = n === 0 ? 'exponential' : 'alpha'
    console.log(`neuron ${i} (${train[0].length} spikes), ${name} synapse τ = ${tau * 1000} ms: max |discrete − continuous| = ${err.toFixed(3)} Hz of a peak ${Math.max(...cont).toFixed(1)} Hz (dt/τ = ${dt / tau})`)
    const every = (xs: number[]) => xs.filter((_, k) => k % 10 === 0)
    return [
      { name: `${name} (sum of kernels)`, x: every(at), y: every(cont) },
      { name: `${name} (discrete filter)`, x: every(at), y: every(disc) },
    ]
  })
  await writeFile('out/spike-trains-filtered.svg', await lineChart(
    series,
    { title: `Spike train of neuron ${i} filtered by exponential and alpha synapses (τ = 10 ms)`, xLabel: 't (s)', yLabel: 's(t) (Hz)', width: 640, height: 320 },
  ))

  // cost of a network step per neuron
  for (const big of [200, 1000]) {
    const Wb = randomWeights(random.foldIn(kBig, big), big, big / 4, 0.1, 0.1 / big, 0.3 / big)
    const lv = ops.toFlat(random.uniform(random.foldIn(kBig, big + 1), [big], { min: 1.0, max: 2.0, dtype: 'float64' }))
    const bn = neuro.lifNetwork(Wb, { tauSyn: 0.005 })
    const bs = 2000
    const start = performance.now()
    const r = neuro.networkSimulate(bn, ops.tensor(lv, 'float64'), { dt, steps: bs, probes: { spikes: false } })
    const ms = performance.now() - start
    const spikes = r.spikeTimes.reduce((a, s) => a + s.length, 0)
    console.log(`N = ${big}: ${bs} steps in ${ms.toFixed(0)} ms = ${((ms * 1e6) / (bs * big)).toFixed(1)} ns per neuron-step (${(spikes / bs).toFixed(2)} spikes per step)`)
  }
  console.log(`\nwrote out/spike-raster.svg, out/spike-trains-filtered.svg (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

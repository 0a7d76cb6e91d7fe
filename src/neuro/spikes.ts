/**
 * Spike trains (notes §3): as spike times (one sorted list of seconds per neuron) and as
 * binned arrays `[T, N]` over steps of `dt`, where bin k is the step `(k·dt, (k+1)·dt]`
 * (the row in which `lifSimulate` and `networkSimulate` record a spike of step k). Bins
 * hold spike counts (`height: 'count'`, 0/1 at small `dt`) or counts / dt (`height:
 * 'rate'`, Nengo's spikes of height 1/dt, so that a bin's integral is its count).
 *
 * The filtered spike train of neuron i is the sum of shifted kernels
 * `s_i(t) = (a_i ∗ h)(t) = Σ_{t_s ∈ spikes(i)} h(t − t_s)`.
 *
 * Laws:
 * - `binSpikes(spikeTimesFromBinned(b)) = b` for any array of counts `b`;
 * - `spikeTimesFromBinned(binSpikes(ts))` keeps every count and moves each spike by less
 *   than `dt` (to its bin's end, or centre);
 * - `spikeCounts` is the column sum of the binned array; `firingRates = counts / window`;
 * - `filter(binSpikes(ts, {height: 'rate'}), dt, h)[k] ≈ filterSpikeTimes(ts, (k+1)dt, h)`
 *   to the step's accuracy (`O(dt/τ)` relative).
 *
 * @module
 */
import * as ops from '../ops/index.js'
import { alloc, make, type Tensor } from '../tensor/Tensor.js'
import { DomainError, ShapeError } from '../errors.js'
import { checkSynapse, synapseNormaliser, type Synapse } from './synapse.js'

/**
 * Spike times in seconds, one ascending list per neuron.
 *
 * @category spike trains
 * @since 0.2.0
 */
export type SpikeTimes = ReadonlyArray<ReadonlyArray<number>>

/**
 * How binned spike trains are scaled: `'count'` (spikes per bin) or `'rate'` (spikes per
 * bin divided by `dt`, Nengo's convention).
 *
 * @category spike trains
 * @since 0.2.0
 */
export type BinHeight = 'count' | 'rate'

/**
 * Options of `binSpikes`: `height` (default `'count'`).
 *
 * @category spike trains
 * @since 0.2.0
 */
export interface BinOptions {
  /** `'count'` (default) or `'rate'` (count / dt). */
  readonly height?: BinHeight
}

const checkPositive = (op: string, name: string, x: number): number => {
  if (!(x > 0) || !Number.isFinite(x)) throw new DomainError(op, `${name} must be a positive finite number, got ${x}`)
  return x
}

/**
 * @internal The bin of a time: k with t ∈ (k·dt, (k+1)·dt]. A slack of 1e-9 bins absorbs
 * rounding at the right edge (t = (k+1)·dt computed as k·dt + dt); any t > 0 lands in bin 0
 * at least, so the slack never drops a spike just after 0 (t = 1e-11, dt = 0.01).
 */
export const binOf = (t: number, dt: number): number => (t > 0 ? Math.max(0, Math.ceil(t / dt - 1e-9) - 1) : -1)

/**
 * Bins spike times into an array `[steps, N]` (float64): bin k counts the spikes in
 * `(k·dt, (k+1)·dt]`; spikes outside `(0, steps·dt]` are left out.
 *
 * @category spike trains
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const b = neuro.binSpikes([[0.0012, 0.0035], [0.004]], 0.001, 5)
 * assert.deepStrictEqual(ops.toArray(b), [[0, 0], [1, 0], [0, 0], [1, 1], [0, 0]])
 * const r = neuro.binSpikes([[0.0012]], 0.001, 3, { height: 'rate' })
 * assert.deepStrictEqual(ops.toFlat(r), [0, 1000, 0])
 * ```
 */
export const binSpikes = (times: SpikeTimes, dt: number, steps: number, options: BinOptions = {}): Tensor => {
  const op = 'binSpikes'
  checkPositive(op, 'dt', dt)
  if (!Number.isInteger(steps) || steps < 0) throw new DomainError(op, `steps must be a non-negative integer, got ${steps}`)
  if (!Array.isArray(times)) throw new DomainError(op, 'expected spike times as one array of seconds per neuron')
  const N = times.length
  const out = alloc('float64', steps * N)
  const w = (options.height ?? 'count') === 'rate' ? 1 / dt : 1
  times.forEach((ts, i) => {
    for (const t of ts) {
      if (!Number.isFinite(t)) throw new DomainError(op, `spike time ${t} of neuron ${i} is not a finite number`)
      const k = binOf(t, dt)
      if (k >= 0 && k < steps) out[k * N + i] += w
    }
  })
  return make('float64', [steps, N], out)
}

/**
 * Options of `spikeTimesFromBinned`: the bins' `height` (default `'count'`) and where in
 * its bin a spike is placed, `at: 'end'` (default: `(k+1)·dt`, where a step-k spike is
 * detected) or `'centre'` (`(k + ½)·dt`, the unbiased guess).
 *
 * @category spike trains
 * @since 0.2.0
 */
export interface UnbinOptions {
  /** `'count'` (default) or `'rate'` (count / dt). */
  readonly height?: BinHeight
  /** Place a spike at its bin's `'end'` (default) or `'centre'`. */
  readonly at?: 'end' | 'centre'
}

/**
 * Spike times from a binned train `[T, N]` (or `[T]` for one neuron): a bin holding c
 * spikes gives c spikes at its end `(k+1)·dt` (or centre). Counts are rounded to integers.
 *
 * @category spike trains
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const b = ops.tensor([[0, 1], [1, 0], [0, 2]], 'float64')
 * assert.deepStrictEqual(neuro.spikeTimesFromBinned(b, 0.5), [[1], [0.5, 1.5, 1.5]])
 * assert.deepStrictEqual(neuro.binSpikes(neuro.spikeTimesFromBinned(b, 0.5), 0.5, 3), b)
 * ```
 */
export const spikeTimesFromBinned = (binned: Tensor, dt: number, options: UnbinOptions = {}): number[][] => {
  const op = 'spikeTimesFromBinned'
  checkPositive(op, 'dt', dt)
  if (binned.shape.length !== 1 && binned.shape.length !== 2) throw new ShapeError(op, `expected a binned train [T, N] or [T], got [${binned.shape.join(',')}]`, [binned.shape])
  const T = binned.shape[0]
  const N = binned.shape.length === 2 ? binned.shape[1] : 1
  const scale = (options.height ?? 'count') === 'rate' ? dt : 1
  const off = (options.at ?? 'end') === 'centre' ? 0.5 : 1
  const out: number[][] = Array.from({ length: N }, () => [])
  for (let k = 0; k < T; k++) {
    for (let i = 0; i < N; i++) {
      const c = Math.round(binned.data[k * N + i] * scale)
      if (c < 0) throw new DomainError(op, `bin ${k} of neuron ${i} holds a negative count (${binned.data[k * N + i]})`)
      for (let r = 0; r < c; r++) out[i].push((k + off) * dt)
    }
  }
  return out
}

/**
 * A time window `[t0, t1)` in seconds for counting spikes.
 *
 * @category spike trains
 * @since 0.2.0
 */
export interface SpikeWindow {
  /** Start (inclusive), seconds. */
  readonly t0: number
  /** End (exclusive), seconds. */
  readonly t1: number
}

const checkWindow = (op: string, w: SpikeWindow): SpikeWindow => {
  if (!(Number.isFinite(w.t0) && Number.isFinite(w.t1) && w.t1 > w.t0)) throw new DomainError(op, `the window needs finite t0 < t1, got [${w.t0}, ${w.t1})`)
  return w
}

/**
 * The number of spikes of each neuron in a window `[t0, t1)` (default: all), as `[N]`.
 *
 * @category spike trains
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toFlat(neuro.spikeCounts([[0.1, 0.2, 0.3], []])), [3, 0])
 * assert.deepStrictEqual(ops.toFlat(neuro.spikeCounts([[0.1, 0.2, 0.3]], { t0: 0.15, t1: 0.3 })), [1])
 * ```
 */
export const spikeCounts = (times: SpikeTimes, window?: SpikeWindow): Tensor => {
  if (window) checkWindow('spikeCounts', window)
  const out = alloc('float64', times.length)
  times.forEach((ts, i) => {
    out[i] = window ? ts.filter((t) => t >= window.t0 && t < window.t1).length : ts.length
  })
  return make('float64', [times.length], out)
}

/**
 * Firing-rate estimate by counting: spikes in `[t0, t1)` divided by `t1 − t0` (Hz), `[N]`.
 *
 * @category spike trains
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * assert.deepStrictEqual(ops.toFlat(neuro.firingRates([[0.1, 0.2, 0.3, 0.4]], { t0: 0, t1: 0.5 })), [8])
 * ```
 */
export const firingRates = (times: SpikeTimes, window: SpikeWindow): Tensor => {
  checkWindow('firingRates', window)
  return ops.div(spikeCounts(times, window), window.t1 - window.t0)
}

/**
 * Firing-rate estimate from interspike intervals: `1 / mean ISI` of each neuron (Hz), 0 for
 * a neuron with fewer than two spikes. For a regular train this is the rate exactly,
 * free of the ±1 spike of counting in a window.
 *
 * @category spike trains
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const r = ops.toFlat(neuro.isiRates([[0.01, 0.03, 0.05], [0.2]]))
 * assert.ok(Math.abs(r[0] - 50) < 1e-9 && r[1] === 0)
 * ```
 */
export const isiRates = (times: SpikeTimes): Tensor => {
  const out = alloc('float64', times.length)
  times.forEach((ts, i) => {
    out[i] = ts.length < 2 ? 0 : (ts.length - 1) / (ts[ts.length - 1] - ts[0])
  })
  return make('float64', [times.length], out)
}

/**
 * The filtered spike trains `s_i(t) = Σ_{t_s} h(t − t_s)` (the sum of shifted synapse
 * kernels, exact in continuous time) at the times `at` (seconds), as `[P, N]`. A kernel
 * counts from its spike on (`h(0) = 1/τ` for the exponential synapse); terms more than
 * `60 + 2n` time constants old (below `e^{−60}` relative) are skipped.
 *
 * @category spike trains
 * @since 0.2.0
 * @example
 * ```ts
 * import { neuro, ops } from 'dendrite'
 * import * as assert from 'node:assert'
 * const s = ops.toArray(neuro.filterSpikeTimes([[0, 0.01]], [0.01, 0.02], { tau: 0.01, n: 0 })) as number[][]
 * assert.ok(Math.abs(s[0][0] - (Math.exp(-1) + 1) / 0.01) < 1e-9)
 * assert.ok(Math.abs(s[1][0] - (Math.exp(-2) + Math.exp(-1)) / 0.01) < 1e-9)
 * ```
 */
export const filterSpikeTimes = (times: SpikeTimes, at: ReadonlyArray<number> | Tensor, syn: Synapse): Tensor => {
  const op = 'filterSpikeTimes'
  const { tau, n } = checkSynapse(op, syn, false)
  const k = synapseNormaliser(syn)
  const ts = Array.isArray(at) ? at : Array.from((at as Tensor).data as ArrayLike<number>)
  const P = ts.length
  const N = times.length
  const out = alloc('float64', P * N)
  const horizon = (60 + 2 * n) * tau
  const ascending = (xs: ReadonlyArray<number>) => xs.every((x, m) => m === 0 || xs[m - 1] <= x)
  const atSorted = ascending(ts)
  for (let i = 0; i < N; i++) {
    const spikes = times[i]
    // with both lists ascending, only the spikes in [t − horizon, t] are visited
    const fast = atSorted && ascending(spikes)
    let lo = 0
    for (let p = 0; p < P; p++) {
      const t = ts[p]
      let s = 0
      if (fast) {
        while (lo < spikes.length && t - spikes[lo] > horizon) lo++
        for (let m = lo; m < spikes.length && spikes[m] <= t; m++) {
          const d = t - spikes[m]
          s += d ** n * Math.exp(-d / tau)
        }
      } else {
        for (const ti of spikes) {
          const d = t - ti
          if (d < 0 || d > horizon) continue
          s += d ** n * Math.exp(-d / tau)
        }
      }
      out[p * N + i] = k * s
    }
  }
  return make('float64', [P, N], out)
}

/**
 * A small table-driven benchmark harness: a benchmark is a record (name, unit, the work
 * one call does), and each library contributes one case per benchmark: a `setup` that
 * builds its inputs and returns the function to time (or `null`/a reason when the library
 * cannot do it). The runner times every case of a benchmark in turn, in one process,
 * and derives throughput and ratios dendrite/peer.
 */
import * as os from 'node:os'
import { median } from './util.js'

/** The libraries compared. */
export const libs = ['dendrite', 'dendrite-2t', 'tfjs-cpu', 'tfjs-wasm', 'jax-js-wasm', 'jax-js-wasm-jit'] as const
export type Lib = (typeof libs)[number]

/** How throughput is derived from the median time `t` (ms per call) and `work`. */
export type Unit = 'GFLOP/s' | 'samples/s' | 'GB/s' | 'ms'

/** One benchmark: what is computed and how much work one call is. */
export interface Bench {
  readonly id: string
  readonly title: string
  readonly unit: Unit
  /** Work per call: FLOPs (GFLOP/s), samples (samples/s), bytes (GB/s); unused for 'ms'. */
  readonly work: number
  readonly note?: string
}

/** What a case's setup hands back: the timed call and optional cleanup and result. */
export interface Runner {
  /** One timed call; a returned promise is awaited inside the timed region. */
  readonly run: () => unknown
  /** Untimed preparation before each call (switching the tfjs backend, the thread count). */
  readonly before?: () => unknown
  /** Calls of the underlying operation per `run` (per-call time = run time / calls). */
  readonly calls?: number
  /** A number summarising the result (compared across libraries as a sanity check). */
  readonly check?: () => number | Promise<number>
  /** Frees what setup allocated (tfjs/jax-js memory); may assert that nothing leaked. */
  readonly teardown?: () => void | Promise<void>
}

/** One library's way of running one benchmark. */
export interface Case {
  readonly bench: string
  readonly lib: Lib
  /** Builds inputs; a string means "not available" with the reason. */
  readonly setup: () => Runner | string | Promise<Runner | string>
}

/** Per-library result of one benchmark. */
export interface Result {
  readonly lib: Lib
  readonly medianMs: number | null
  readonly samples: number
  readonly throughput: number | null
  readonly check: number | null
  readonly na?: string
}

/** All results of one benchmark. */
export interface BenchResult extends Bench {
  readonly results: ReadonlyArray<Result>
  /**
   * peer median time / dendrite median time: > 1 means dendrite is faster. For
   * `dendrite-2t` (two threads) it is the speed-up over dendrite on one thread.
   */
  readonly ratios: Partial<Record<Lib, number>>
}

export const throughputOf = (b: Bench, ms: number): number =>
  b.unit === 'GFLOP/s' ? b.work / ms / 1e6
    : b.unit === 'GB/s' ? b.work / ms / 1e6
      : b.unit === 'samples/s' ? (b.work * 1000) / ms
        : ms

const fmt = (x: number | null, unit: Unit): string => {
  if (x === null) return 'n/a'
  if (unit === 'samples/s') return x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(0)
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)
}

/** Reports an untimed hook's promise or value (tfjs backend switch, thread count). */
const settle = async (x: unknown): Promise<void> => {
  await x
}

/**
 * Runs every case of every benchmark. Within a benchmark the cases are interleaved: after
 * two warm-up calls each, timed calls go round-robin over the libraries (each case's
 * `before` hook, untimed, before each of its calls), so that load from other processes on
 * a shared machine falls on all of them alike. A case gets about `budgetMs` of timed
 * calls (at least 3, at most 40). Prints a line per benchmark as it finishes.
 */
export const runAll = async (
  benches: ReadonlyArray<Bench>, cases: ReadonlyArray<Case>, opts: { budgetMs: number; only?: RegExp },
): Promise<BenchResult[]> => {
  const out: BenchResult[] = []
  for (const b of benches) {
    if (opts.only && !opts.only.test(b.id)) continue
    const mine = cases.filter((c) => c.bench === b.id)
    const runners: Array<Runner | string> = []
    for (const c of mine) runners.push(await c.setup())
    const live = runners.map((r, i) => ({ r, i })).filter((x): x is { r: Runner; i: number } => typeof x.r !== 'string')
    const samples: number[][] = runners.map(() => [])
    const reps: number[] = runners.map(() => 0)
    const once = async (r: Runner): Promise<number> => {
      await settle(r.before?.())
      const t0 = performance.now()
      await r.run()
      return performance.now() - t0
    }
    for (const { r, i } of live) {
      await once(r)
      const t = await once(r)
      reps[i] = Math.max(3, Math.min(40, Math.round(opts.budgetMs / Math.max(t, 1e-3))))
    }
    const rounds = Math.max(0, ...reps)
    for (let k = 0; k < rounds; k++) {
      for (const { r, i } of live) if (k < reps[i]) samples[i].push(await once(r))
    }
    const results: Result[] = []
    for (let i = 0; i < mine.length; i++) {
      const r = runners[i]
      if (typeof r === 'string') {
        results.push({ lib: mine[i].lib, medianMs: null, samples: 0, throughput: null, check: null, na: r })
        continue
      }
      await settle(r.before?.())
      const check = r.check ? await r.check() : null
      await r.teardown?.()
      const ms = median(samples[i]) / (r.calls ?? 1)
      results.push({ lib: mine[i].lib, medianMs: ms, samples: samples[i].length, throughput: throughputOf(b, ms), check })
    }
    results.sort((x, y) => libs.indexOf(x.lib) - libs.indexOf(y.lib))
    const d = results.find((r) => r.lib === 'dendrite')?.medianMs ?? null
    const ratios: Partial<Record<Lib, number>> = {}
    for (const r of results) {
      if (r.lib === 'dendrite' || d === null || r.medianMs === null) continue
      ratios[r.lib] = r.lib === 'dendrite-2t' ? d / r.medianMs : r.medianMs / d
    }
    const br: BenchResult = { ...b, results, ratios }
    out.push(br)
    printOne(br)
  }
  return out
}

const cols = 16
const printOne = (b: BenchResult): void => {
  const cell = (l: Lib): string => {
    const r = b.results.find((r) => r.lib === l)
    return (r ? fmt(r.throughput, b.unit) : '-').padStart(cols)
  }
  const ratio = (l: Lib): string => {
    const x = b.ratios[l]
    return (x === undefined ? '' : `${x.toFixed(2)}×`).padStart(cols)
  }
  const d = b.results.find((r) => r.lib === 'dendrite')
  const checks = b.results.filter((r) => r.check !== null && d?.check != null)
  const bad = checks.filter((r) => Math.abs((r.check as number) - (d?.check as number)) > 2e-3 * Math.max(1, Math.abs(d?.check as number)))
  console.log(`${b.title.padEnd(44)} ${b.unit.padEnd(9)}${libs.map(cell).join('')}`)
  console.log(`${'  ratio dendrite/peer (2t: over 1 thread)'.padEnd(54)}${libs.map(ratio).join('')}${bad.length ? `   CHECK MISMATCH: ${bad.map((r) => `${r.lib}=${r.check}`).join(', ')} vs dendrite ${d?.check}` : ''}`)
}

/** The header line of the printed table. */
export const header = (): string => `${'benchmark'.padEnd(44)} ${'unit'.padEnd(9)}${libs.map((l) => l.padStart(cols)).join('')}`

/** Machine facts for results.json. */
export const machine = (): Record<string, unknown> => ({
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
  memGB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
  v8: process.versions.v8,
})

/** Timing helpers shared by the benchmarks: medians of repeated runs after a warm-up. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Median wall time of `f` in milliseconds over `reps` runs, after `warmup` runs. */
export const time = (f: () => unknown, reps: number, warmup = 2): number => {
  for (let i = 0; i < warmup; i++) f()
  const ts: number[] = []
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    f()
    ts.push(performance.now() - t0)
  }
  return median(ts)
}

/** Options of {@link timeAdaptive}. */
export interface AdaptiveOptions {
  /** Untimed runs before timing (JIT compilation, caches). */
  readonly warmup: number
  /** Wall-time budget in ms for the timed runs; the number of runs follows from it. */
  readonly budgetMs: number
  readonly minReps: number
  readonly maxReps: number
}

/**
 * Times a possibly asynchronous `f` (a returned promise is awaited inside the timed
 * region, so lazy libraries are timed until their result is ready). After `warmup` runs,
 * the number of timed runs is chosen so that they take about `budgetMs`, clamped to
 * [minReps, maxReps]. Returns every timed sample in ms.
 */
export const timeAdaptive = async (f: () => unknown, o: AdaptiveOptions): Promise<number[]> => {
  let last = 0
  for (let i = 0; i < o.warmup; i++) {
    const t0 = performance.now()
    await f()
    last = performance.now() - t0
  }
  const reps = Math.max(o.minReps, Math.min(o.maxReps, Math.round(o.budgetMs / Math.max(last, 1e-3))))
  const ts: number[] = []
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    await f()
    ts.push(performance.now() - t0)
  }
  return ts
}

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
